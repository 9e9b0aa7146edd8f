/* The Relay Message flood test's shared definitions: names and the numbered message format. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define FLOOD_SENDER_NAME "flood_tx"
#define FLOOD_RECEIVER_NAME "flood_rx"
#define FLOOD_SLICE_PAYLOAD 256
#define FLOOD_END_FLAG 0x80000000u /* set in the number of the "phase 2 is over" marker */

/* Message k: u32 k (native endian), then a k-dependent pattern; 4..26 bytes long. */
static inline size_t flood_message_len(uint32_t k)
{
	return 4 + (size_t)((k * 7u) % 23u);
}

static inline size_t flood_message(uint32_t k, uint8_t* out)
{
	size_t len = flood_message_len(k & ~FLOOD_END_FLAG);

	memcpy(out, &k, sizeof(k));
	for (size_t i = 4; i < len; i++)
		out[i] = (uint8_t)(k * 13u + i);
	return len;
}

/* True when msg is exactly message k for the k it carries; *ret_k = that k. */
static inline int flood_message_check(const uint8_t* msg, uint32_t len, uint32_t* ret_k)
{
	uint8_t want[32];

	if (len < 4)
		return 0;
	memcpy(ret_k, msg, sizeof(*ret_k));
	return flood_message(*ret_k, want) == len && memcmp(want, msg, len) == 0;
}
