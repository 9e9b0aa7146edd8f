/* IPC Relay Request blocking API: client waits on upcall 0; the server alternates "take" and waits on upcall 1. */
#include "ipc_relay_request.h"

bool libtocksync_ipc_relay_request_exists(void)
{
	return libtock_ipc_relay_request_driver_exists();
}

returncode_t libtocksync_ipc_relay_request_client_send_request(uint64_t ipc_id, uint8_t* request_buf,
                                                               size_t request_len, uint8_t* response_buf,
                                                               size_t* response_len)
{
	size_t response_cap = *response_len;
	yield_waitfor_return_t up;
	bool waited = false;
	returncode_t ret;

	*response_len = 0;
	if (libtock_ipc_relay_request_client_busy())
		return RETURNCODE_EALREADY; /* an async request owns RO 0 / RW 0 */
	ret = libtock_ipc_relay_request_set_readonly_allow(request_buf, request_len);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_request_set_readwrite_allow(response_buf, response_cap);
	/* Send, and if that worked wait for upcall 0 (status, len, 0), which ends every transaction however it ends. */
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_request_command_client_send_request_and_wait(ipc_id, &up, &waited);
	if (ret == RETURNCODE_SUCCESS && waited) {
		*response_len = up.data1;
		ret = tock_status_to_returncode((statuscode_t)up.data0);
	}
	/*
	 * Both buffers stay allowed: the capsule reads RO 0 and writes RW 0 only while a request is in
	 * flight, and the next call allows its own first. A client calling again with the same buffers
	 * then makes one trap round trip per request (command and yield chained, libtock/chain.h) instead of
	 * six (libtock/allow_cache.h).
	 */
	return ret;
}

returncode_t libtocksync_ipc_relay_request_server_enable_requests(void)
{
	return libtock_ipc_relay_request_command_server_enable_requests();
}

returncode_t libtocksync_ipc_relay_request_server_disable_requests(void)
{
	return libtock_ipc_relay_request_command_server_disable_requests();
}

/*
 * Take a request; if none waits, sleep until the kernel says one arrived and take again (one trap
 * round trip: libtock_ipc_relay_request_server_take with wait). A "request waiting" upcall may be
 * stale (its request was taken by an earlier take), so a take after it may still find nothing: then wait again.
 */
static returncode_t server_wait(bool from_one, uint64_t want, uint64_t* client_id, uint8_t* request_buf,
                                size_t* request_len)
{
	size_t capacity = *request_len;

	for (;;) {
		returncode_t ret;

		*request_len = capacity;
		ret = libtock_ipc_relay_request_server_take(from_one, true, want, client_id, request_buf, request_len);
		if (ret != RETURNCODE_ENODEVICE)
			return ret;
	}
}

returncode_t libtocksync_ipc_relay_request_server_wait_for_request(uint64_t* client_id, uint8_t* request_buf,
                                                                   size_t* request_len)
{
	return server_wait(false, 0, client_id, request_buf, request_len);
}

returncode_t libtocksync_ipc_relay_request_server_wait_for_request_from(uint64_t client_id, uint8_t* request_buf,
                                                                        size_t* request_len)
{
	return server_wait(true, client_id, NULL, request_buf, request_len);
}

returncode_t libtocksync_ipc_relay_request_server_get_next_request(uint64_t* ipc_id, uint8_t* request_buf,
                                                                   size_t* request_len)
{
	return libtock_ipc_relay_request_server_get_next_request(ipc_id, request_buf, request_len);
}

returncode_t libtocksync_ipc_relay_request_server_get_next_request_from(uint64_t ipc_id, uint8_t* request_buf,
                                                                        size_t* request_len)
{
	return libtock_ipc_relay_request_server_get_next_request_from(ipc_id, request_buf, request_len);
}

returncode_t libtocksync_ipc_relay_request_server_send_response(uint8_t* response_buf, size_t response_len)
{
	return libtock_ipc_relay_request_server_send_response(response_buf, response_len);
}
