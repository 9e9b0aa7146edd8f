/* ipcctl test server that accepts Relay Requests but never takes one: its clients wait until it faults or restarts. */
#include <stdio.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock/tock.h>

int main(void)
{
	static const uint8_t name[20] = "ipcctl_stuck";
	/* Accept requests before anyone can find us: the waiter's send must land. */
	returncode_t r = libtocksync_ipc_relay_request_server_enable_requests();

	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_registry_string_name_register_service(name, sizeof(name));
	printf("ipcctl_stuck: %s\n", r == RETURNCODE_SUCCESS ? "accepting" : tock_strrcode(r));
	for (;;)
		yield();
}
