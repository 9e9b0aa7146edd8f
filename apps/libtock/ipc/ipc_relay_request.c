/* IPC Relay Request async API: allows around each step, upcalls relayed to the app's callbacks. */
#include "ipc_relay_request.h"

/*
 * True from a successful async send until its response upcall. The buffers of that transaction
 * stay allowed on RO 0 / RW 0, which every other call here would replace, so they refuse with
 * EALREADY instead (the kernel would refuse anyway, but only after the allows had been swapped).
 */
static bool client_in_flight;

static void unallow_both(void)
{
	libtock_ipc_relay_request_set_readonly_allow(NULL, 0);
	libtock_ipc_relay_request_set_readwrite_allow(NULL, 0);
}

static void client_response_upcall(int status, int len, int unused, void* opaque)
{
	libtock_ipc_relay_request_client_response_received cb = (libtock_ipc_relay_request_client_response_received)opaque;

	(void)unused;
	client_in_flight = false;
	unallow_both(); /* the transaction is over: both buffers are the app's again */
	cb(tock_status_to_returncode((statuscode_t)status), (size_t)(uint32_t)len);
}

static void server_request_upcall(int id_low, int id_high, int unused, void* opaque)
{
	libtock_ipc_relay_request_server_request_waiting cb = (libtock_ipc_relay_request_server_request_waiting)opaque;

	(void)unused;
	cb(((uint64_t)(uint32_t)id_high << 32) | (uint32_t)id_low);
}

bool libtock_ipc_relay_request_exists(void)
{
	return libtock_ipc_relay_request_driver_exists();
}

returncode_t libtock_ipc_relay_request_client_send_request(libtock_ipc_relay_request_client_response_received cb,
                                                           uint64_t ipc_id, uint8_t* request_buf, size_t request_len,
                                                           uint8_t* response_buf, size_t response_len)
{
	returncode_t ret;

	if (client_in_flight)
		return RETURNCODE_EALREADY; /* re-subscribing now would also drop its queued response */
	ret = libtock_ipc_relay_request_set_upcall_client_response_received(client_response_upcall, (void*)cb);
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = libtock_ipc_relay_request_set_readonly_allow(request_buf, request_len);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_request_set_readwrite_allow(response_buf, response_len);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_request_command_client_send_request(ipc_id);
	if (ret != RETURNCODE_SUCCESS)
		unallow_both();
	else
		client_in_flight = true;
	return ret;
}

bool libtock_ipc_relay_request_client_busy(void)
{
	return client_in_flight;
}

returncode_t libtock_ipc_relay_request_client_cancel_request(void)
{
	return libtock_ipc_relay_request_command_client_cancel_request();
}

returncode_t libtock_ipc_relay_request_server_enable_requests_with_callback(
	libtock_ipc_relay_request_server_request_waiting cb)
{
	returncode_t ret = libtock_ipc_relay_request_set_upcall_server_request_waiting(server_request_upcall, (void*)cb);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	return libtock_ipc_relay_request_command_server_enable_requests();
}

returncode_t libtock_ipc_relay_request_server_enable_requests_without_callback(void)
{
	return libtock_ipc_relay_request_command_server_enable_requests();
}

returncode_t libtock_ipc_relay_request_server_disable_requests(void)
{
	return libtock_ipc_relay_request_command_server_disable_requests();
}

/*
 * The request is copied into RW 0 inside the command. The buffer stays allowed afterwards, as
 * the response buffer does in send_response: the capsule touches RO 0 / RW 0 only inside the
 * command (or transaction) that allowed them, and every call here allows its own buffers first,
 * so a server that loops on the same buffers makes one trap per step (allow_cache.h).
 */
returncode_t libtock_ipc_relay_request_server_take(bool from_one, bool wait, uint64_t want, uint64_t* ipc_id,
                                                   uint8_t* request_buf, size_t* request_len)
{
	size_t capacity = *request_len;
	uint32_t len = 0;
	uint64_t id = 0;
	returncode_t ret;

	*request_len = 0;
	if (client_in_flight)
		return RETURNCODE_EALREADY;
	ret = libtock_ipc_relay_request_set_readwrite_allow(request_buf, capacity);
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	id = want;
	if (wait)
		ret = libtock_ipc_relay_request_command_server_get_next_request_or_wait(from_one, &len, &id);
	else if (from_one)
		ret = libtock_ipc_relay_request_command_server_get_next_request_from(&len, &id);
	else
		ret = libtock_ipc_relay_request_command_server_get_next_request(&len, &id);
	if (ret == RETURNCODE_SUCCESS)
		*request_len = len;
	else if (ret == RETURNCODE_ESIZE)
		*request_len = capacity; /* truncated: the buffer is full */
	if (ipc_id)
		*ipc_id = id;
	return ret;
}

returncode_t libtock_ipc_relay_request_server_get_next_request(uint64_t* ipc_id, uint8_t* request_buf,
                                                               size_t* request_len)
{
	return libtock_ipc_relay_request_server_take(false, false, 0, ipc_id, request_buf, request_len);
}

returncode_t libtock_ipc_relay_request_server_get_next_request_from(uint64_t ipc_id, uint8_t* request_buf,
                                                                    size_t* request_len)
{
	return libtock_ipc_relay_request_server_take(true, false, ipc_id, NULL, request_buf, request_len);
}

returncode_t libtock_ipc_relay_request_server_send_response(uint8_t* response_buf, size_t response_len)
{
	returncode_t ret;

	if (client_in_flight)
		return RETURNCODE_EINVAL; /* a client transaction rules out a server one (the kernel's answer) */
	ret = libtock_ipc_relay_request_set_readonly_allow(response_buf, response_len);
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	/* The response is copied to the client inside the command (the buffer stays allowed, see server_take). */
	return libtock_ipc_relay_request_command_server_send_response();
}
