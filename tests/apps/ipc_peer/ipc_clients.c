/* Relay Request clients for the "a process dies mid-transaction" tests; the role comes from the TBF package name. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock/tock.h>

#include "../../../apps/echo_server/echo_common.h"
#include "ipc_peer.h"

#define GOOD_RPCS 20

static uint8_t response[64];
static size_t response_len;

static returncode_t rpc(uint64_t peer, const char* text)
{
	response_len = sizeof(response); /* in: the buffer's size; out: the response's length */
	return libtocksync_ipc_relay_request_client_send_request(peer, (uint8_t*)text, strlen(text), response,
	                                                         &response_len);
}

static void on_response(returncode_t r, size_t len)
{
	(void)len;
	printf("ipc_die_client: response arrived?! (%d)\n", r);
}

/* Sends "slow" (the peer takes it at once, answers 100 ms later) and faults 50 ms in. */
static int die_in_service(uint64_t peer)
{
	static uint8_t request[] = "slow", buf[16];
	volatile int* null_pointer = NULL;

	if (libtock_ipc_relay_request_client_send_request(on_response, peer, request, 4, buf, sizeof(buf)) !=
	    RETURNCODE_SUCCESS)
		return 1;
	libtocksync_alarm_delay_ms(IPC_PEER_SLOW_MS / 2);
	printf("ipc_die_client: faulting at %lu ms with a request in service\n", (unsigned long)ipc_test_now_ms());
	*null_pointer = 1;
	return 1;
}

/* After the dying client's transaction is over: the peer must still answer every RPC correctly. */
static int good(uint64_t peer)
{
	unsigned ok = 0;
	char text[16];

	libtocksync_alarm_delay_ms(2 * IPC_PEER_SLOW_MS);
	for (unsigned i = 0; i < GOOD_RPCS; i++) {
		int n = snprintf(text, sizeof(text), "ping %u", i);

		if (rpc(peer, text) == RETURNCODE_SUCCESS && response_len == (size_t)n && memcmp(response, text, n) == 0)
			ok++;
	}
	printf("ipc_good_client: %u RPCs ok, %u errors\n", ok, GOOD_RPCS - ok);
	return ok == GOOD_RPCS ? 0 : 1;
}

/* Its own request is in service when the peer crashes. */
static int crash_trigger(uint64_t peer)
{
	returncode_t r = rpc(peer, "crash");

	printf("ipc_crash_client: crash request ended with %d at %lu ms\n", r, (unsigned long)ipc_test_now_ms());
	return 0;
}

/* Its request waits (not yet taken) when the peer crashes. */
static int waiter(uint64_t peer)
{
	returncode_t r;

	libtocksync_alarm_delay_ms(IPC_PEER_SLOW_MS / 2);
	r = rpc(peer, "ping");
	printf("ipc_wait_client: ping ended with %d at %lu ms\n", r, (unsigned long)ipc_test_now_ms());
	return 0;
}

int main(void)
{
	char role[32];
	uint64_t peer = ipc_test_find_peer();

	echo_own_package_name(role, sizeof(role));
	if (strcmp(role, "ipc_die_client") == 0)
		return die_in_service(peer);
	if (strcmp(role, "ipc_good_client") == 0)
		return good(peer);
	if (strcmp(role, "ipc_crash_client") == 0)
		return crash_trigger(peer);
	if (strcmp(role, "ipc_wait_client") == 0)
		return waiter(peer);
	printf("ipc_clients: unknown role '%s'\n", role);
	return 1;
}
