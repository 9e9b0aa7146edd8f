/* Relay Request call with a timeout: the async send plus a virtual alarm; on expiry, cancel and report ENOACK. */
#include "ipc_relay_request_timeout.h"

#include "../../libtock/services/alarm.h"

/* One call at a time per process (the driver allows one client transaction), so statics suffice. */
static bool call_done, call_timed_out;
static returncode_t call_status;
static size_t call_len;

static void response_received(returncode_t status, size_t len)
{
	call_status = status;
	call_len = len;
	call_done = true;
}

static void timer_fired(uint32_t now, uint32_t scheduled, void* opaque)
{
	(void)now;
	(void)scheduled;
	(void)opaque;
	call_timed_out = true;
}

returncode_t libtocksync_ipc_relay_request_client_send_request_with_timeout(uint64_t ipc_id, uint8_t* request_buf,
                                                                            size_t request_len, uint8_t* response_buf,
                                                                            size_t* response_len, uint32_t timeout_ms)
{
	libtock_alarm_t alarm;
	returncode_t ret;

	call_done = call_timed_out = false;
	call_len = 0;
	ret = libtock_ipc_relay_request_client_send_request(response_received, ipc_id, request_buf, request_len,
	                                                    response_buf, *response_len);
	*response_len = 0;
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	if (timeout_ms > 0 && libtock_alarm_in_ms(timeout_ms, timer_fired, NULL, &alarm) != RETURNCODE_SUCCESS)
		timeout_ms = 0; /* no alarm: wait without one rather than fail a request that is already sent */
	while (!call_done && !call_timed_out)
		yield();
	if (!call_done) {
		/* Timed out. If the response won the race the cancel fails (EINVAL) and it is delivered anyway. */
		libtock_ipc_relay_request_client_cancel_request();
		while (!call_done)
			yield();
		if (call_status == RETURNCODE_ECANCEL)
			call_status = RETURNCODE_ENOACK;
	} else if (timeout_ms > 0 && !call_timed_out) {
		libtock_alarm_ms_cancel(&alarm);
	}
	*response_len = call_len;
	return call_status;
}
