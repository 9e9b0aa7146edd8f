/* brpc_server: Relay Request echo server for tockbench; a one-byte "Q" request ends it. */
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>

#include "../bench_app.h"

#define MAX_PAYLOAD 4096

static uint8_t request[MAX_PAYLOAD];
static uint8_t response[MAX_PAYLOAD];

int main(void)
{
	returncode_t ret;

	ret = libtocksync_ipc_relay_request_server_enable_requests();
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("server_enable", ret);
	/* Register only once requests are accepted, so a client that finds us never gets EUNINSTALLED. */
	ret = libtocksync_ipc_registry_string_name_register_service((const uint8_t*)BENCH_RPC_SERVICE,
	                                                            strlen(BENCH_RPC_SERVICE));
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("register", ret);
	uint32_t traps0 = bench_traps(), rtts0 = bench_round_trips(), requests = 0;

	for (;;) {
		uint64_t client;
		size_t len = sizeof(request);
		bool quit;

		ret = libtocksync_ipc_relay_request_server_wait_for_request(&client, request, &len);
		if (ret != RETURNCODE_SUCCESS)
			return bench_fail("wait_for_request", ret);
		quit = len == 1 && request[0] == 'Q';
		memcpy(response, request, len); /* an echo: the client checks the length it gets back */
		ret = libtocksync_ipc_relay_request_server_send_response(response, len);
		if (ret != RETURNCODE_SUCCESS)
			return bench_fail("send_response", ret);
		requests++;
		if (quit) {
			/* Its own syscalls per request served (waiting, taking, answering), for tockbench. */
			printf("BENCH rpcsrv requests=%u traps=%u rtts=%u\n", (unsigned)requests,
			       (unsigned)(bench_traps() - traps0), (unsigned)(bench_round_trips() - rtts0));
			return 0;
		}
	}
}
