/* netclient: opens a port on netserver, sends packets to a peer's port, prints arrivals, survives server restarts. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/ipc/ipc_relay_message.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/services/alarm.h>
#include <libtock/tock.h>

#include "../netserver/net_protocol.h"
#include "netclient.h"

#define DISCOVERY_RETRY_MS 50
#define SLICE_SIZE 512 /* per buffer: room for ~6 full-size packets between two swaps */

#define CFG netclient_config

static uint64_t server_id; /* valid while connected (0 is a valid identifier: ProcessId 0) */
static bool connected;
static bool port_open;
static bool receiving;
static bool send_due;
static unsigned sent;     /* packets the server accepted or refused (not counting retries) */
static unsigned received; /* packets taken from the slice */
static uint64_t allowlist[1];
static streaming_process_slice_state_t slice;

static uint32_t now_ms(void)
{
	uint32_t ticks = 0;

	libtock_alarm_command_read(&ticks);
	return libtock_alarm_ticks_to_ms(ticks);
}

static void server_gone(void)
{
	if (!connected)
		return; /* already known (the failed request and the kernel's notice both tell us) */
	printf("%s: server gone at %lu ms, rediscovering\n", CFG.name, (unsigned long)now_ms());
	connected = false;
	port_open = false;
}

/* Print every packet of a filled slice payload. */
static void take_packets(const uint8_t* payload, uint32_t len, bool exceeded)
{
	libtock_ipc_relay_message_iter_t it;
	const uint8_t* msg;
	uint32_t msg_len;
	uint64_t sender;

	libtock_ipc_relay_message_iter_init(&it, payload, len);
	while (libtock_ipc_relay_message_iter_next(&it, &sender, &msg, &msg_len)) {
		int data_len = (int)msg_len - NET_PACKET_HEADER_LEN;
		const char* data = (const char*)msg + NET_PACKET_HEADER_LEN;

		received++;
		if (msg_len < NET_PACKET_HEADER_LEN)
			printf("%s: got a malformed packet (%u bytes)\n", CFG.name, (unsigned)msg_len);
		else if (msg[0] == NET_PACKET_BEACON)
			printf("%s: got '%.*s' from server\n", CFG.name, data_len, data);
		else
			printf("%s: got '%.*s' on port %u from port %u\n", CFG.name, data_len, data, net_get_u16(msg + 3),
			       net_get_u16(msg + 1));
	}
	if (exceeded)
		printf("%s: the slice overflowed: packets were dropped\n", CFG.name);
}

static void on_messages(returncode_t ret, uint8_t* payload, uint32_t len, bool exceeded)
{
	if (ret != RETURNCODE_SUCCESS) {
		printf("%s: cannot read the slice: %s\n", CFG.name, tock_strrcode(ret));
		return;
	}
	take_packets(payload, len, exceeded);
}

/* The kernel's notice that the server (an allowlisted sender) faulted, restarted or exited. */
static void on_sender_gone(returncode_t status, uint64_t sender)
{
	(void)status;
	if (connected && sender == server_id) /* a notice about an incarnation we already left behind is old news */
		server_gone();
}

static void on_send_timer(uint32_t now, uint32_t scheduled, void* opaque)
{
	(void)now;
	(void)scheduled;
	(void)opaque;
	send_due = true;
}

/* One Relay Request round trip: the server's net_status, or a negative returncode (ENODEVICE: it went away). */
static int call_server(const uint8_t* request, size_t len)
{
	uint8_t status = 0;
	size_t got = 0;
	returncode_t r = libtocksync_ipc_relay_request_client_send_request(server_id, (uint8_t*)request, len, &status,
	                                                                    sizeof(status), &got);

	if (r == RETURNCODE_ENODEVICE)
		server_gone();
	if (r != RETURNCODE_SUCCESS)
		return r;
	return got == 1 ? status : NET_BAD_REQUEST;
}

static int port_request(uint8_t command)
{
	uint8_t request[NET_OPEN_LEN] = { command };

	net_put_u16(request + 1, CFG.port);
	return call_server(request, sizeof(request));
}

static uint64_t discover_server(void)
{
	static const char package[] = NET_SERVER_PACKAGE;
	uint64_t id = 0;

	/* Not there yet (still starting, or restarting after a fault): ask again shortly. */
	while (libtocksync_ipc_registry_package_name_discover_service((const uint8_t*)package, strlen(package), &id) !=
	       RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(DISCOVERY_RETRY_MS);
	return id;
}

/* Find the server, accept packets from it only, and open our port; repeat until it all worked. */
static void connect_to_server(bool again)
{
	returncode_t r;
	int status;

	while (!port_open) {
		libtocksync_alarm_delay_ms(CFG.connect_delay_ms);
		server_id = discover_server();
		connected = true;
		allowlist[0] = server_id;
		if (receiving) {
			r = libtock_ipc_relay_message_receiver_set_allowlist(allowlist, 1);
		} else {
			r = libtock_ipc_relay_message_receiver_enable(&slice, allowlist, 1, on_messages);
			receiving = r == RETURNCODE_SUCCESS;
		}
		if (r != RETURNCODE_SUCCESS)
			printf("%s: cannot receive: %s\n", CFG.name, tock_strrcode(r));
		status = port_request(NET_CMD_OPEN);
		if (status == NET_OK) {
			port_open = true;
			break;
		}
		if (status >= 0)
			printf("%s: cannot open port %u: %s\n", CFG.name, CFG.port, net_status_name(status));
	}
	printf("%s: %s server 0x%llx at %lu ms, port %u open\n", CFG.name, again ? "back with" : "connected to",
	       (unsigned long long)server_id, (unsigned long)now_ms(), CFG.port);
}

/* Send packet number sent+1; if the server went away first, it is sent again after reconnecting. */
static void send_packet(void)
{
	uint8_t request[NET_REQUEST_MAX] = { NET_CMD_SEND };
	char* text = (char*)request + NET_SEND_HEADER_LEN;
	int n = snprintf(text, NET_MAX_DATA, "%s #%u", CFG.greeting, sent + 1);
	int status;

	net_put_u16(request + 1, CFG.port);
	net_put_u16(request + 3, CFG.peer_port);
	status = call_server(request, NET_SEND_HEADER_LEN + (size_t)n);
	if (status == RETURNCODE_ENODEVICE)
		return;
	sent++;
	send_due = false;
	if (status == NET_OK)
		printf("%s: sent '%s' to port %u\n", CFG.name, text, CFG.peer_port);
	else if (status > 0)
		printf("%s: '%s' to port %u refused: %s\n", CFG.name, text, CFG.peer_port, net_status_name(status));
	else
		printf("%s: '%s' failed: %s\n", CFG.name, text, tock_strrcode(status));
}

/* Close our port so the server stops sending, then take what arrived meanwhile. */
static void finish(void)
{
	uint8_t* payload = NULL;
	uint32_t len = 0;
	bool exceeded = false;

	if (connected)
		port_request(NET_CMD_CLOSE);
	if (streaming_process_slice_get_and_swap(&slice, &payload, &len, &exceeded) == RETURNCODE_SUCCESS)
		take_packets(payload, len, exceeded);
	libtock_ipc_relay_message_receiver_disable();
	printf("%s: done: %u packets received, %u sent\n", CFG.name, received, sent);
}

int main(void)
{
	static uint8_t buffer_a[SLICE_SIZE], buffer_b[SLICE_SIZE];
	static libtock_alarm_repeating_t send_timer;
	returncode_t r = libtock_ipc_relay_message_receiver_init(&slice, buffer_a, sizeof(buffer_a), buffer_b,
	                                                         sizeof(buffer_b));

	if (r == RETURNCODE_SUCCESS)
		r = libtock_ipc_relay_message_set_sender_gone_callback(on_sender_gone);
	if (r != RETURNCODE_SUCCESS) {
		printf("%s: cannot set up reception: %s\n", CFG.name, tock_strrcode(r));
		return 1;
	}
	connect_to_server(false);
	libtock_alarm_repeating_every_ms(CFG.send_period_ms, on_send_timer, NULL, &send_timer);
	while (received < CFG.packets_wanted) {
		if (!port_open)
			connect_to_server(true);
		else if (send_due)
			send_packet();
		else
			yield();
	}
	libtock_alarm_repeating_cancel(&send_timer);
	finish();
	return 0;
}
