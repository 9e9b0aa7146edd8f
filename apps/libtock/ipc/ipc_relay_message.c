/* IPC Relay Message async API: receiver set-up, swap-on-upcall delivery, sends, and the record iterator. */
#include "ipc_relay_message.h"

#include <string.h>

/* The driver has one slice slot per process, so one receiver callback per process. */
static libtock_ipc_relay_message_received_callback received_cb;

static void appended_upcall(int offset, int exceeded, int unused, void* opaque)
{
	streaming_process_slice_state_t* state = opaque;
	uint8_t* payload = NULL;
	uint32_t len = 0;
	bool dropped = false;
	returncode_t ret;

	(void)offset; /* the slice header is the truth: more may have arrived since */
	(void)exceeded;
	(void)unused;
	ret = streaming_process_slice_get_and_swap(state, &payload, &len, &dropped);
	if (received_cb == NULL)
		return;
	if (ret != RETURNCODE_SUCCESS)
		received_cb(ret, NULL, 0, false);
	else if (len > 0 || dropped) /* an empty swap: its messages were taken with the previous batch */
		received_cb(RETURNCODE_SUCCESS, payload, len, dropped);
}

static void sender_gone_upcall(int status, int id_low, int id_high, void* opaque)
{
	libtock_ipc_relay_message_sender_gone_callback cb = (libtock_ipc_relay_message_sender_gone_callback)opaque;

	cb(tock_status_to_returncode((statuscode_t)status), ((uint64_t)(uint32_t)id_high << 32) | (uint32_t)id_low);
}

bool libtock_ipc_relay_message_exists(void)
{
	return libtock_ipc_relay_message_driver_exists();
}

returncode_t libtock_ipc_relay_message_receiver_init(streaming_process_slice_state_t* state, uint8_t* buffer_a,
                                                     size_t size_a, uint8_t* buffer_b, size_t size_b)
{
	return streaming_process_slice_init(state, DRIVER_NUM_IPC_RELAY_MESSAGE, LIBTOCK_IPC_RELAY_MESSAGE_SLICE_ALLOW,
	                                    buffer_a, size_a, buffer_b, size_b);
}

returncode_t libtock_ipc_relay_message_receiver_enable(streaming_process_slice_state_t* state,
                                                       const uint64_t* allowlist, size_t count,
                                                       libtock_ipc_relay_message_received_callback cb)
{
	returncode_t ret;

	received_cb = cb;
	ret = libtock_ipc_relay_message_set_upcall_messages_appended(appended_upcall, state);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_message_set_readonly_allow_allowlist(allowlist, count);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_message_command_receiver_enable();
	return ret;
}

returncode_t libtock_ipc_relay_message_receiver_set_allowlist(const uint64_t* allowlist, size_t count)
{
	return libtock_ipc_relay_message_set_readonly_allow_allowlist(allowlist, count);
}

returncode_t libtock_ipc_relay_message_receiver_disable(void)
{
	returncode_t ret = libtock_ipc_relay_message_command_receiver_disable();

	libtock_ipc_relay_message_set_readonly_allow_allowlist(NULL, 0);
	return ret;
}

returncode_t libtock_ipc_relay_message_set_sender_gone_callback(libtock_ipc_relay_message_sender_gone_callback cb)
{
	if (cb == NULL)
		return libtock_ipc_relay_message_set_upcall_sender_gone(TOCK_NULL_UPCALL, NULL);
	return libtock_ipc_relay_message_set_upcall_sender_gone(sender_gone_upcall, (void*)cb);
}

returncode_t libtock_ipc_relay_message_send(uint64_t receiver, const uint8_t* msg, size_t len)
{
	returncode_t ret = libtock_ipc_relay_message_set_readonly_allow_message(msg, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	/*
	 * The message stays allowed: the capsule reads RO 0 only inside the send command, and every
	 * send allows its own message first, so a sender that reuses one buffer makes one trap per
	 * message (re-allowing what the kernel holds is free, allow_cache.h).
	 */
	return libtock_ipc_relay_message_command_send(receiver);
}

void libtock_ipc_relay_message_iter_init(libtock_ipc_relay_message_iter_t* it, const uint8_t* payload, uint32_t len)
{
	it->payload = payload;
	it->len = payload ? len : 0;
	it->pos = 0;
}

bool libtock_ipc_relay_message_iter_next(libtock_ipc_relay_message_iter_t* it, uint64_t* sender,
                                         const uint8_t** msg, uint32_t* msg_len)
{
	uint32_t left = it->len - it->pos;
	uint64_t id;
	uint32_t n;

	if (it->pos > it->len || left < LIBTOCK_IPC_RELAY_MESSAGE_RECORD_HEADER_LEN)
		return false;
	/* Records are packed, so fields may be unaligned: read them with memcpy. */
	memcpy(&id, it->payload + it->pos, sizeof(id));
	memcpy(&n, it->payload + it->pos + sizeof(id), sizeof(n));
	if (n > left - LIBTOCK_IPC_RELAY_MESSAGE_RECORD_HEADER_LEN)
		return false;
	if (sender)
		*sender = id;
	if (msg)
		*msg = it->payload + it->pos + LIBTOCK_IPC_RELAY_MESSAGE_RECORD_HEADER_LEN;
	if (msg_len)
		*msg_len = n;
	it->pos += LIBTOCK_IPC_RELAY_MESSAGE_RECORD_HEADER_LEN + n;
	return true;
}
