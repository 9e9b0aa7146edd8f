/* echo_server: registers by package name and answers every Relay Request with the request's own bytes, forever. */
#include <stdio.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock/tock.h>

#include "echo_common.h"

#define SUMMARY_EVERY 1000

int main(void)
{
	static uint8_t request[256]; /* larger than any echo_client payload */
	char package[64];
	unsigned long served = 0, failed = 0;
	returncode_t r;

	echo_own_package_name(package, sizeof(package));
	/* Serve first, then register: a client that finds us can send at once. */
	r = libtocksync_ipc_relay_request_server_enable_requests();
	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_registry_package_name_register_service();
	if (r != RETURNCODE_SUCCESS) {
		printf("echo_server: cannot serve: %s\n", tock_strrcode(r));
		return 1;
	}
	printf("echo_server: serving as %s\n", package);
	for (;;) {
		uint64_t client = 0;
		size_t len = sizeof(request);

		/* ESIZE: truncated, but the transaction started: echo what fit (the client will notice). */
		r = libtocksync_ipc_relay_request_server_wait_for_request(&client, request, &len);
		if (r != RETURNCODE_SUCCESS && r != RETURNCODE_ESIZE) {
			failed++; /* e.g. FAIL: the client's request buffer could not be read; nothing started */
			continue;
		}
		/* A failed response (the client died or cancelled) ends the transaction anyway. */
		if (libtocksync_ipc_relay_request_server_send_response(request, len) != RETURNCODE_SUCCESS)
			failed++;
		if (++served % SUMMARY_EVERY == 0)
			printf("echo_server: %lu requests served (%lu failed)\n", served, failed);
	}
}
