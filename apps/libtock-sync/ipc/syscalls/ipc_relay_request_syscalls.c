/* IPC Relay Request Yield-WaitFor helpers: one upcall each, decoded as DESIGN §6 lays its arguments out. */
#include "ipc_relay_request_syscalls.h"

returncode_t libtocksync_ipc_relay_request_yield_wait_for_client_response_received(size_t* response_len)
{
	yield_waitfor_return_t up = yield_wait_for(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_UPCALL_CLIENT_RESPONSE);

	*response_len = up.data1;
	return tock_status_to_returncode((statuscode_t)up.data0);
}

returncode_t libtocksync_ipc_relay_request_yield_wait_for_server_request_waiting(uint64_t* ipc_id)
{
	yield_waitfor_return_t up = yield_wait_for(DRIVER_NUM_IPC_RELAY_REQUEST, TOCK_IPC_RELAY_REQUEST_UPCALL_SERVER_REQUEST);

	*ipc_id = ((uint64_t)up.data1 << 32) | up.data0;
	return RETURNCODE_SUCCESS;
}
