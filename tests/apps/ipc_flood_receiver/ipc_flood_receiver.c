/* ipc_flood_receiver: lets its Relay Message slice overflow, then swaps and checks every record; halts it at the end. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_message.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#include "ipc_flood.h"

#define SLICE_SIZE (8 + FLOOD_SLICE_PAYLOAD)
#define HOLD_MS 35 /* keep the full slice a little longer: the sender's periodic sends are refused meanwhile */

static uint8_t buffer_a[SLICE_SIZE], buffer_b[SLICE_SIZE];
static streaming_process_slice_state_t slice;
static uint64_t sender_id;

/* The buffer the kernel appends to now (the other one is the app's). */
static volatile uint8_t* kernel_buffer(void)
{
	return slice.app_buffer_ptr == buffer_a ? buffer_b : buffer_a;
}

/* Print each record of a batch; true if the end marker was among them. */
static bool take(const uint8_t* payload, uint32_t len, bool exceeded)
{
	libtock_ipc_relay_message_iter_t it;
	const uint8_t* msg;
	uint32_t msg_len, k, records = 0;
	uint64_t from;
	bool end = false;

	libtock_ipc_relay_message_iter_init(&it, payload, len);
	while (libtock_ipc_relay_message_iter_next(&it, &from, &msg, &msg_len)) {
		records++;
		if (from != sender_id || !flood_message_check(msg, msg_len, &k))
			printf("corrupt record %lu of the batch\n", (unsigned long)records);
		else if (k & FLOOD_END_FLAG)
			end = true;
		else
			printf("got #%lu\n", (unsigned long)k);
	}
	if (it.pos != len)
		printf("batch has %lu stray bytes\n", (unsigned long)(len - it.pos));
	printf("batch: %lu records, exceeded %d\n", (unsigned long)records, exceeded);
	return end;
}

/* Wait (without swapping) until the kernel has marked the slice exceeded. */
static void wait_exceeded(void)
{
	while (!(kernel_buffer()[3] & 0x01))
		yield_wait_for(DRIVER_NUM_IPC_RELAY_MESSAGE, 0);
}

static void swap_and_take(void)
{
	uint8_t* payload = NULL;
	uint32_t len = 0;
	bool exceeded = false;

	if (streaming_process_slice_get_and_swap(&slice, &payload, &len, &exceeded) == RETURNCODE_SUCCESS)
		take(payload, len, exceeded);
}

int main(void)
{
	static uint64_t allowlist[1];
	uint8_t* payload;
	uint32_t len;
	bool exceeded, end = false;
	uint64_t gone = 0;

	while (libtocksync_ipc_registry_string_name_discover_service((const uint8_t*)FLOOD_SENDER_NAME,
	                                                              strlen(FLOOD_SENDER_NAME), &sender_id) !=
	       RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(10);
	allowlist[0] = sender_id;
	if (libtock_ipc_relay_message_receiver_init(&slice, buffer_a, sizeof(buffer_a), buffer_b, sizeof(buffer_b)) !=
	            RETURNCODE_SUCCESS ||
	    libtocksync_ipc_relay_message_receiver_enable(&slice, allowlist, 1) != RETURNCODE_SUCCESS ||
	    libtocksync_ipc_registry_string_name_register_service((const uint8_t*)FLOOD_RECEIVER_NAME,
	                                                          strlen(FLOOD_RECEIVER_NAME)) != RETURNCODE_SUCCESS) {
		printf("ipc_flood_receiver: cannot set up\n");
		return 1;
	}
	/* Phase 1: no swap until the slice overflowed. */
	wait_exceeded();
	libtocksync_alarm_delay_ms(HOLD_MS);
	printf("phase 1 swap\n");
	swap_and_take();
	/* Phase 2: the two-buffer protocol, batch by batch, until the end marker. */
	while (!end) {
		if (libtocksync_ipc_relay_message_receive(&slice, &payload, &len, &exceeded) != RETURNCODE_SUCCESS)
			return 1;
		end = take(payload, len, exceeded);
	}
	/* Phase 3: halt the slice the kernel holds; once full, senders get BUSY. Wait for the sender to exit. */
	kernel_buffer()[3] |= 0x02;
	printf("phase 3: halted\n");
	libtocksync_ipc_relay_message_wait_for_sender_gone(&gone);
	printf("sender gone: %s\n", gone == sender_id ? "yes" : "wrong id");
	swap_and_take();
	printf("ipc_flood_receiver: done\n");
	return 0;
}
