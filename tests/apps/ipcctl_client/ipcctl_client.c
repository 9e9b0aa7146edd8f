/* ipcctl test client: finds "ipcctl_server", then a 16-byte RPC every 20 ms forever; one 10-byte Relay Message after the first. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_message.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

static uint64_t find_server(void)
{
	static const uint8_t name[20] = "ipcctl_server";
	uint64_t id = 0;

	while (libtocksync_ipc_registry_string_name_discover_service(name, sizeof(name), &id) != RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(5);
	return id;
}

int main(void)
{
	static uint8_t request[16] = "ipcctl-request!";
	static uint8_t response[64];
	static const uint8_t message[10] = "message-10";
	uint64_t server = find_server();
	unsigned long ok = 0;

	for (;;) {
		size_t got = sizeof(response);
		returncode_t r = libtocksync_ipc_relay_request_client_send_request(server, request, sizeof(request), response,
		                                                                    &got);

		if (r != RETURNCODE_SUCCESS || got != 24) {
			printf("ipcctl_client: rpc failed: %s (%zu bytes)\n", tock_strrcode(r), got);
			libtocksync_alarm_delay_ms(20);
			server = find_server();
			continue;
		}
		if (++ok == 1) {
			printf("ipcctl_client: rpc 1 ok\n");
			r = libtocksync_ipc_relay_message_send(server, message, sizeof(message));
			printf("ipcctl_client: message %s\n", r == RETURNCODE_SUCCESS ? "sent" : tock_strrcode(r));
		} else if (ok % 100 == 0) {
			printf("ipcctl_client: rpc %lu ok\n", ok);
		}
		libtocksync_alarm_delay_ms(20);
	}
}
