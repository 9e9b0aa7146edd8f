/* Asynchronous API of IPC Relay Message (0xA0011): allowlisted senders append messages to a receiver's streaming slice. */
#pragma once

#include "../tock.h"
#include "../util/streaming_process_slice.h"
#include "syscalls/ipc_relay_message_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Each record in a filled payload: u64 sender IPC Identifier, u32 length, then the message (native endian, no padding). */
#define LIBTOCK_IPC_RELAY_MESSAGE_RECORD_HEADER_LEN TOCK_IPC_RELAY_MESSAGE_RECORD_HEADER

/*
 * Receiver: messages arrived. The wrapper has already swapped buffers: payload/len is the filled
 * buffer's content (walk it with libtock_ipc_relay_message_iter_*), valid until the next swap,
 * i.e. until this callback returns. exceeded: at least one message was dropped because the
 * buffer was full (its sender got RETURNCODE_ESIZE). ret is the swap's error, if any (payload
 * is then NULL).
 */
typedef void (*libtock_ipc_relay_message_received_callback)(returncode_t ret, uint8_t* payload, uint32_t len,
                                                            bool exceeded);
/* Receiver: an allowlisted sender faulted, restarted or exited: (RETURNCODE_ENODEVICE, its old identifier). */
typedef void (*libtock_ipc_relay_message_sender_gone_callback)(returncode_t status, uint64_t sender);

bool libtock_ipc_relay_message_exists(void);

/*
 * Set up the receiver's two slice buffers (each at least 8 bytes; the usable payload is
 * size - 8, and each message takes 12 bytes more than its length): buffer_b goes to the kernel.
 * Same as streaming_process_slice_init(state, DRIVER_NUM_IPC_RELAY_MESSAGE, 0, ...).
 */
returncode_t libtock_ipc_relay_message_receiver_init(streaming_process_slice_state_t* state, uint8_t* buffer_a,
                                                     size_t size_a, uint8_t* buffer_b, size_t size_b);
/*
 * Start receiving from the `count` senders in allowlist (the array stays allowed, so keep it
 * valid; an empty list admits nobody). state must come from receiver_init; cb runs once per
 * batch of messages (not per message: the kernel keeps at most one notification queued).
 * Only one receiver per process (the driver has one slice slot). EINVAL/ESIZE: bad slice.
 */
returncode_t libtock_ipc_relay_message_receiver_enable(streaming_process_slice_state_t* state,
                                                       const uint64_t* allowlist, size_t count,
                                                       libtock_ipc_relay_message_received_callback cb);
/* Replace the allowlist while enabled (e.g. with a restarted sender's new identifier). */
returncode_t libtock_ipc_relay_message_receiver_set_allowlist(const uint64_t* allowlist, size_t count);
/* Stop receiving: senders then get EOFF. The slice stays allowed (release it with streaming_process_slice_deinit). */
returncode_t libtock_ipc_relay_message_receiver_disable(void);
/* Be told when an allowlisted sender ends (tockhost extension); NULL stops it. */
returncode_t libtock_ipc_relay_message_set_sender_gone_callback(libtock_ipc_relay_message_sender_gone_callback cb);

/*
 * Append msg (len bytes) to receiver's slice as one record. Synchronous: the message is copied
 * before this returns. ENODEVICE (no such receiver), EOFF (not receiving), ENOACK (not on its
 * allowlist), ESIZE (no room: dropped), EBUSY (it halted and is full), EINVAL (its slice is bad).
 */
returncode_t libtock_ipc_relay_message_send(uint64_t receiver, const uint8_t* msg, size_t len);

/* Walks the records of a filled payload; stops at the end or at a truncated record. */
typedef struct {
	const uint8_t* payload;
	uint32_t len;
	uint32_t pos;
} libtock_ipc_relay_message_iter_t;

void libtock_ipc_relay_message_iter_init(libtock_ipc_relay_message_iter_t* it, const uint8_t* payload, uint32_t len);
/* The next record: true with its sender, a pointer to its message inside the payload, and its length. */
bool libtock_ipc_relay_message_iter_next(libtock_ipc_relay_message_iter_t* it, uint64_t* sender,
                                         const uint8_t** msg, uint32_t* msg_len);

#ifdef __cplusplus
}
#endif
