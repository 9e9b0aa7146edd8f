/* ipc_peer: a string-name service the IPC integration tests talk to (echo, whoami, slow, crash, pause, restart, Relay Message). */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_relay_message.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock/tock.h>

#include "ipc_peer.h"

static uint8_t slice_a[IPC_PEER_SLICE_SIZE], slice_b[IPC_PEER_SLICE_SIZE];
static streaming_process_slice_state_t slice;
static uint64_t allowlist[1];
static uint8_t response[IPC_PEER_SLICE_SIZE];

static bool is(const uint8_t* req, size_t len, const char* text)
{
	return len == strlen(text) && memcmp(req, text, len) == 0;
}

static returncode_t reply_text(const char* text)
{
	return libtocksync_ipc_relay_request_server_send_response((uint8_t*)text, strlen(text));
}

static void crash(void)
{
	volatile int* null_pointer = NULL;

	libtocksync_alarm_delay_ms(IPC_PEER_SLOW_MS);
	printf("ipc_peer: crashing at %lu ms\n", (unsigned long)ipc_test_now_ms());
	*null_pointer = 1;
}

static returncode_t reception(bool on, const uint64_t* list, size_t count)
{
	if (!on)
		return libtocksync_ipc_relay_message_receiver_disable();
	return libtocksync_ipc_relay_message_receiver_enable(&slice, list, count);
}

/* rm-read: hand back the filled half of the slice (exceeded flag first). */
static returncode_t reply_slice(void)
{
	uint8_t* payload = NULL;
	uint32_t len = 0;
	bool exceeded = false;
	returncode_t r = streaming_process_slice_get_and_swap(&slice, &payload, &len, &exceeded);

	if (r != RETURNCODE_SUCCESS)
		return reply_text("swap failed");
	response[0] = exceeded;
	if (len > sizeof(response) - 1)
		len = sizeof(response) - 1;
	if (len > 0)
		memcpy(response + 1, payload, len);
	return libtocksync_ipc_relay_request_server_send_response(response, len + 1);
}

static void serve(uint64_t client, uint8_t* req, size_t len)
{
	returncode_t r;

	if (is(req, len, "whoami")) {
		libtocksync_ipc_relay_request_server_send_response((uint8_t*)&client, sizeof(client));
	} else if (is(req, len, "slow")) {
		libtocksync_alarm_delay_ms(IPC_PEER_SLOW_MS);
		r = reply_text("slow-done");
		printf("ipc_peer: slow response to 0x%llx: %d\n", (unsigned long long)client, r);
	} else if (is(req, len, "crash")) {
		printf("ipc_peer: crash requested by 0x%llx at %lu ms\n", (unsigned long long)client,
		       (unsigned long)ipc_test_now_ms());
		crash();
	} else if (is(req, len, "pause")) {
		reply_text("ok");
		libtocksync_ipc_relay_request_server_disable_requests();
		libtocksync_alarm_delay_ms(IPC_PEER_SLOW_MS);
		libtocksync_ipc_relay_request_server_enable_requests();
	} else if (is(req, len, "restart")) {
		reply_text("ok");
		printf("ipc_peer: restarting\n");
		tock_restart(0);
	} else if (is(req, len, "rm-off") || is(req, len, "rm-none") || is(req, len, "rm-you")) {
		allowlist[0] = client;
		r = reception(!is(req, len, "rm-off"), allowlist, is(req, len, "rm-you") ? 1 : 0);
		reply_text(r == RETURNCODE_SUCCESS ? "ok" : "failed");
	} else if (is(req, len, "rm-read")) {
		reply_slice();
	} else {
		libtocksync_ipc_relay_request_server_send_response(req, len);
	}
}

int main(void)
{
	static uint8_t request[64];
	returncode_t r = libtock_ipc_relay_message_receiver_init(&slice, slice_a, sizeof(slice_a), slice_b,
	                                                         sizeof(slice_b));

	/* Serve first, then register: whoever finds the name can send at once. */
	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_relay_request_server_enable_requests();
	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_registry_string_name_register_service((const uint8_t*)IPC_PEER_NAME,
		                                                          strlen(IPC_PEER_NAME));
	if (r != RETURNCODE_SUCCESS) {
		printf("ipc_peer: cannot serve: %d\n", r);
		return 1;
	}
	printf("ipc_peer: serving as %s\n", IPC_PEER_NAME);
	for (;;) {
		uint64_t client = 0;
		size_t len = sizeof(request);

		r = libtocksync_ipc_relay_request_server_wait_for_request(&client, request, &len);
		if (r == RETURNCODE_SUCCESS)
			serve(client, request, len);
		else if (r == RETURNCODE_ESIZE)
			reply_text("too long");
	}
}
