/* echo_client: finds echo_server by package name, makes 1000 RPCs and checks every echo byte for byte. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock-sync/peripherals/rng.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#include "../echo_server/echo_common.h"

#define RPCS 1000
#define DISCOVERY_RETRY_MS 20
#define MAX_RETRIES 100 /* per RPC: a server that keeps vanishing is an error, not a reason to hang */

static char identity[48]; /* "<nonce>/<package>": distinct even for several copies of one TBF */

static uint64_t discover_server(void)
{
	static const char package[] = ECHO_SERVER_PACKAGE;
	uint64_t id = 0;

	while (libtocksync_ipc_registry_package_name_discover_service((const uint8_t*)package, strlen(package), &id) !=
	       RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(DISCOVERY_RETRY_MS);
	return id;
}

/*
 * Payload of RPC seq: "<seq>:<identity>:" then a seq-dependent byte pattern, cut to 0..64 bytes.
 * The sequence number and nonce come first so that even short echoes tell a stale, duplicated or
 * misdelivered response from the right one.
 */
static size_t make_payload(unsigned seq, uint8_t* out)
{
	size_t len = seq % (ECHO_MAX_PAYLOAD + 1);
	char text[ECHO_MAX_PAYLOAD + 1];
	int n = snprintf(text, sizeof(text), "%u:%s:", seq, identity);

	for (size_t i = 0; i < len; i++)
		out[i] = i < (size_t)n ? (uint8_t)text[i] : (uint8_t)(seq * 31u + i * 7u);
	return len;
}

static void make_identity(void)
{
	char package[32];
	uint8_t nonce[4] = { 0 };
	int got = 0;

	echo_own_package_name(package, sizeof(package));
	libtocksync_rng_get_random_bytes(nonce, sizeof(nonce), sizeof(nonce), &got); /* no rng: nonce 0 */
	snprintf(identity, sizeof(identity), "%02x%02x%02x%02x/%s", nonce[0], nonce[1], nonce[2], nonce[3],
	         package[0] ? package : "echo_client");
}

/*
 * One RPC, retried against a rediscovered server when the server vanished (ENODEVICE: it
 * faulted or restarted; EUNINSTALLED: it stopped accepting). 0 when the echo matched.
 */
static int rpc(uint64_t* server, unsigned seq)
{
	static uint8_t request[ECHO_MAX_PAYLOAD], response[ECHO_MAX_PAYLOAD + 16];
	size_t len = make_payload(seq, request), got = 0;

	for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
		returncode_t r;

		got = sizeof(response); /* in: the buffer's size; out: the response's length */
		r = libtocksync_ipc_relay_request_client_send_request(*server, request, len, response, &got);

		if (r == RETURNCODE_ENODEVICE || r == RETURNCODE_EUNINSTALLED) {
			printf("echo_client: server gone (%s) at RPC %u, rediscovering\n", tock_strrcode(r), seq);
			*server = discover_server();
			continue;
		}
		if (r != RETURNCODE_SUCCESS) {
			printf("echo_client: RPC %u failed: %s\n", seq, tock_strrcode(r));
			return -1;
		}
		if (got != len || memcmp(request, response, len) != 0) {
			printf("echo_client: RPC %u: echo mismatch (sent %u bytes, got %u)\n", seq, (unsigned)len,
			       (unsigned)got);
			return -1;
		}
		return 0;
	}
	printf("echo_client: RPC %u: gave up after %d retries\n", seq, MAX_RETRIES);
	return -1;
}

int main(void)
{
	uint64_t server;
	unsigned ok = 0, errors = 0;

	make_identity();
	server = discover_server();
	for (unsigned seq = 0; seq < RPCS; seq++) {
		if (rpc(&server, seq) == 0)
			ok++;
		else
			errors++;
	}
	printf("echo_client: %u RPCs ok, %u errors\n", ok, errors);
	return errors == 0 ? 0 : 1;
}
