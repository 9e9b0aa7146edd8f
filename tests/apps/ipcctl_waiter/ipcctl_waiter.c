/* ipcctl test client: sends one request to "ipcctl_stuck" and reports how its transaction ends, then idles. */
#include <stdio.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/ipc/ipc_relay_request.h>
#include <libtock/tock.h>

static bool done;
static returncode_t status;

static void on_response(returncode_t r, size_t len)
{
	(void)len;
	status = r;
	done = true;
}

int main(void)
{
	static const uint8_t name[20] = "ipcctl_stuck";
	static uint8_t request[8] = "waiting", response[8];
	uint64_t server = 0;
	returncode_t r;

	while (libtocksync_ipc_registry_string_name_discover_service(name, sizeof(name), &server) != RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(5);
	r = libtock_ipc_relay_request_client_send_request(on_response, server, request, sizeof(request), response,
	                                                  sizeof(response));
	printf("ipcctl_waiter: %s\n", r == RETURNCODE_SUCCESS ? "waiting" : tock_strrcode(r));
	yield_for(&done);
	printf("ipcctl_waiter: transaction ended: %s\n", tock_strrcode(status));
	for (;;)
		yield();
}
