/* IPC Relay Request driver (0xA0010) syscalls: each syscall's result as a returncode_t. */
#include "ipc_relay_request_syscalls.h"

#include "../../chain.h"

/* IPC Identifiers travel as (arg0 = low 32 bits, arg1 = high 32 bits). */
static syscall_return_t relay_command_id(uint32_t cmd, uint64_t ipc_id)
{
	return command(DRIVER_NUM_IPC_RELAY_REQUEST, cmd, (int)(uint32_t)ipc_id, (int)(uint32_t)(ipc_id >> 32));
}

bool libtock_ipc_relay_request_driver_exists(void)
{
	return driver_exists(DRIVER_NUM_IPC_RELAY_REQUEST);
}

returncode_t libtock_ipc_relay_request_set_upcall_client_response_received(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(
		subscribe(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_UPCALL_CLIENT_RESPONSE, callback, opaque));
}

returncode_t libtock_ipc_relay_request_set_upcall_server_request_waiting(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(
		subscribe(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_UPCALL_SERVER_REQUEST, callback, opaque));
}

returncode_t libtock_ipc_relay_request_set_readonly_allow(const uint8_t* buffer, size_t len)
{
	return tock_allow_ro_return_to_returncode(
		allow_readonly(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_ALLOW_RO_OUTGOING, buffer, len));
}

returncode_t libtock_ipc_relay_request_set_readwrite_allow(uint8_t* buffer, size_t len)
{
	return tock_allow_rw_return_to_returncode(
		allow_readwrite(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_ALLOW_RW_INCOMING, buffer, len));
}

returncode_t libtock_ipc_relay_request_set_allow_read_buffer(void* data, size_t len)
{
	return libtock_ipc_relay_request_set_readonly_allow(data, len);
}

returncode_t libtock_ipc_relay_request_set_allow_write_buffer(void* data, size_t len)
{
	return libtock_ipc_relay_request_set_readwrite_allow(data, len);
}

returncode_t libtock_ipc_relay_request_command_client_send_request(uint64_t ipc_id)
{
	return tock_command_return_novalue_to_returncode(relay_command_id(TOCK_IPC_RELAY_REQUEST_CMD_SEND, ipc_id));
}

returncode_t libtock_ipc_relay_request_command_client_cancel_request(void)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_CMD_CANCEL, 0, 0));
}

returncode_t libtock_ipc_relay_request_command_server_enable_requests(void)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_CMD_ENABLE, 0, 0));
}

returncode_t libtock_ipc_relay_request_command_server_disable_requests(void)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_CMD_DISABLE, 0, 0));
}

returncode_t libtock_ipc_relay_request_command_server_get_next_request(uint32_t* len, uint64_t* ipc_id)
{
	syscall_return_t cval = command(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT, 0, 0);

	return tock_command_return_u32_u64_or_u64_to_returncode(cval, len, ipc_id);
}

returncode_t libtock_ipc_relay_request_command_server_get_next_request_from(uint32_t* len, uint64_t* ipc_id)
{
	syscall_return_t cval = relay_command_id(TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT_FROM, *ipc_id);

	return tock_command_return_u32_u64_or_u64_to_returncode(cval, len, ipc_id);
}

returncode_t libtock_ipc_relay_request_command_server_send_response(void)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_CMD_RESPOND, 0, 0));
}

returncode_t libtock_ipc_relay_request_command_client_send_request_and_wait(uint64_t ipc_id,
                                                                            yield_waitfor_return_t* ret_wait,
                                                                            bool* ret_waited)
{
	return tock_command_return_novalue_to_returncode(tock_chain_command_then_wait_for(
		DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_CMD_SEND, (int)(uint32_t)ipc_id, (int)(uint32_t)(ipc_id >> 32),
		DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_UPCALL_CLIENT_RESPONSE, ret_wait, ret_waited));
}

returncode_t libtock_ipc_relay_request_command_server_get_next_request_or_wait(bool from_one, uint32_t* len,
                                                                               uint64_t* ipc_id)
{
	uint64_t want = from_one ? *ipc_id : 0;
	syscall_return_t cval = tock_chain_command_or_wait_and_retry(
		DRIVER_NUM_IPC_RELAY_REQUEST, from_one ? TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT_FROM : TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT,
		(int)(uint32_t)want, (int)(uint32_t)(want >> 32), TOCK_STATUSCODE_NODEVICE, DRIVER_NUM_IPC_RELAY_REQUEST,
		TOCK_IPC_RELAY_REQUEST_UPCALL_SERVER_REQUEST);

	return tock_command_return_u32_u64_or_u64_to_returncode(cval, len, ipc_id);
}
