/* IPC Relay Message blocking API: Yield-WaitFor on "messages appended", then the StreamingProcessSlice swap. */
#include "ipc_relay_message.h"

bool libtocksync_ipc_relay_message_exists(void)
{
	return libtock_ipc_relay_message_driver_exists();
}

returncode_t libtocksync_ipc_relay_message_receiver_enable(streaming_process_slice_state_t* state,
                                                           const uint64_t* allowlist, size_t count)
{
	/* A null upcall: the kernel still queues the event for Yield-WaitFor, and plain yields drop nothing we need. */
	returncode_t ret = libtock_ipc_relay_message_set_upcall_messages_appended(TOCK_NULL_UPCALL, NULL);

	(void)state; /* the slice is already allowed by receiver_init */
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_message_set_readonly_allow_allowlist(allowlist, count);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_message_command_receiver_enable();
	return ret;
}

returncode_t libtocksync_ipc_relay_message_receiver_disable(void)
{
	return libtock_ipc_relay_message_receiver_disable();
}

returncode_t libtocksync_ipc_relay_message_receive(streaming_process_slice_state_t* state, uint8_t** payload,
                                                   uint32_t* len, bool* exceeded)
{
	/*
	 * The notification may predate our last swap (its messages were taken then), so an empty
	 * swap means "wait again". Messages that land after the wait but before the swap come with
	 * this batch and leave a notification that makes a later receive swap once more.
	 */
	for (;;) {
		returncode_t ret;

		ret = streaming_process_slice_wait_and_swap(state, TOCK_IPC_RELAY_MESSAGE_UPCALL_APPENDED, payload, len,
		                                            exceeded);
		if (ret != RETURNCODE_SUCCESS || *len > 0 || *exceeded)
			return ret;
	}
}

returncode_t libtocksync_ipc_relay_message_send(uint64_t receiver, const uint8_t* msg, size_t len)
{
	return libtock_ipc_relay_message_send(receiver, msg, len);
}

returncode_t libtocksync_ipc_relay_message_wait_for_sender_gone(uint64_t* sender)
{
	yield_waitfor_return_t up = yield_wait_for(DRIVER_NUM_IPC_RELAY_MESSAGE, TOCK_IPC_RELAY_MESSAGE_UPCALL_SENDER_GONE);

	*sender = ((uint64_t)up.data2 << 32) | up.data1;
	return tock_status_to_returncode((statuscode_t)up.data0);
}
