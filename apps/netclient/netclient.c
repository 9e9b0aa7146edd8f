/* netclient: gets a port from netserver, sends packets to the other open ports, survives server restarts. */
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

/*
 * Every copy of this image is the same program: a copy learns who it is from the port the server
 * assigns (OPEN with NET_ANY_PORT), and everything that must differ between copies derives from
 * that port: the prefix of its lines, the text of its packets, and its timing. Copies that act at
 * different virtual instants keep a --virtual-time run's output the same from run to run; the
 * copies only share an instant when they first ask for a port, where the load order decides.
 */
#define CONNECT_DELAY_MS 110 /* before the first contact: the server gets time to register */
#define STAGGER_MS 60        /* per port above NET_FIRST_PORT: send phase and reconnect delay */
#define SEND_PERIOD_MS 400   /* plus 100 ms per port above NET_FIRST_PORT, modulo 4 ports */
#define DISCOVERY_RETRY_MS 50
#define PACKETS_WANTED 20    /* exit 0 after receiving this many packets (beacons included) */
#define SLICE_SIZE 512       /* per buffer: room for ~6 full-size packets between two swaps */

static char name[24] = "netclient"; /* "netclient:<port>" once a port is open */
static uint16_t my_port;            /* 0 until the first OPEN succeeds; then the port to reopen */
static uint16_t last_peer;          /* the peer of the previous packet (round robin over peers) */
static uint16_t peers[NET_MAX_PORTS];
static unsigned n_peers;
static bool peers_known;
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

/* This copy's rank among the ports: 0 for NET_FIRST_PORT (ports below it rank 0 too). */
static uint32_t port_rank(void)
{
	return my_port > NET_FIRST_PORT ? (uint32_t)(my_port - NET_FIRST_PORT) : 0;
}

static void set_port(uint16_t port)
{
	my_port = port;
	snprintf(name, sizeof(name), "netclient:%u", port);
}

static void server_gone(void)
{
	if (!connected)
		return; /* already known (the failed request and the kernel's notice both tell us) */
	printf("%s server gone at %lu ms, rediscovering\n", name, (unsigned long)now_ms());
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
			printf("%s got a malformed packet (%u bytes)\n", name, (unsigned)msg_len);
		else if (msg[0] == NET_PACKET_BEACON)
			printf("%s got '%.*s' from server\n", name, data_len, data);
		else
			printf("%s got '%.*s' on port %u from port %u\n", name, data_len, data, net_get_u16(msg + 3),
			       net_get_u16(msg + 1));
	}
	if (exceeded)
		printf("%s the slice overflowed: packets were dropped\n", name);
}

static void on_messages(returncode_t ret, uint8_t* payload, uint32_t len, bool exceeded)
{
	if (ret != RETURNCODE_SUCCESS) {
		printf("%s cannot read the slice: %s\n", name, tock_strrcode(ret));
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

/*
 * One Relay Request round trip: the server's net_status (the rest of its response, if any, in
 * resp), or a negative returncode (ENODEVICE: it went away).
 */
static int call_server(const uint8_t* request, size_t len, uint8_t* resp, size_t* resp_len)
{
	returncode_t r;

	*resp_len = NET_RESPONSE_MAX; /* in: the buffer's size; out: the response's length */
	r = libtocksync_ipc_relay_request_client_send_request(server_id, (uint8_t*)request, len, resp, resp_len);

	if (r == RETURNCODE_ENODEVICE)
		server_gone();
	if (r != RETURNCODE_SUCCESS)
		return r;
	return *resp_len >= 1 ? resp[0] : NET_BAD_REQUEST;
}

/* OPEN or CLOSE of port; after a successful OPEN, *opened is the port the server opened. */
static int port_request(uint8_t command, uint16_t port, uint16_t* opened)
{
	uint8_t request[NET_OPEN_LEN] = { command };
	uint8_t resp[NET_RESPONSE_MAX];
	size_t got = 0;
	int status;

	net_put_u16(request + 1, port);
	status = call_server(request, sizeof(request), resp, &got);
	if (status == NET_OK && command == NET_CMD_OPEN) {
		if (got != NET_OPEN_RESPONSE_LEN || net_get_u16(resp + 1) == NET_ANY_PORT)
			return NET_BAD_REQUEST; /* not the server we know: do not trust the port */
		*opened = net_get_u16(resp + 1);
	}
	return status;
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

/* Accept packets from the server only (the first time: start receiving at all). */
static void allow_server(void)
{
	returncode_t r;

	allowlist[0] = server_id;
	if (receiving) {
		r = libtock_ipc_relay_message_receiver_set_allowlist(allowlist, 1);
	} else {
		r = libtock_ipc_relay_message_receiver_enable(&slice, allowlist, 1, on_messages);
		receiving = r == RETURNCODE_SUCCESS;
	}
	if (r != RETURNCODE_SUCCESS)
		printf("%s cannot receive: %s\n", name, tock_strrcode(r));
}

/* Open a port: our previous one if we had one (falling back to any free one), else any free one. */
static bool open_port(void)
{
	uint16_t opened = 0;
	int status = NET_PORT_IN_USE;

	if (my_port != 0)
		status = port_request(NET_CMD_OPEN, my_port, &opened);
	if (status == NET_PORT_IN_USE) {
		status = port_request(NET_CMD_OPEN, NET_ANY_PORT, &opened);
		if (status == NET_OK && my_port != 0)
			printf("%s port %u is taken, took port %u instead\n", name, my_port, opened);
	}
	if (status == NET_OK) {
		set_port(opened);
		return true;
	}
	if (status >= 0)
		printf("%s cannot open a port: %s\n", name, net_status_name(status));
	return false;
}

/* Find the server, accept packets from it only, and open a port; repeat until it all worked. */
static void connect_to_server(bool again)
{
	while (!port_open) {
		/* Copies wait different times (by port) so they never reconnect at the same instant. */
		libtocksync_alarm_delay_ms(CONNECT_DELAY_MS + STAGGER_MS * port_rank());
		server_id = discover_server();
		connected = true;
		allow_server();
		port_open = open_port();
	}
	peers_known = false; /* a new server: the first LIST tells who is there */
	printf("%s %s server 0x%llx at %lu ms, port %u open\n", name, again ? "back with" : "connected to",
	       (unsigned long long)server_id, (unsigned long)now_ms(), my_port);
}

/* Ask the server which ports are open; print the peers (every open port but ours) when they change. */
static int update_peers(void)
{
	static const uint8_t request[NET_LIST_LEN] = { NET_CMD_LIST };
	uint8_t resp[NET_RESPONSE_MAX];
	uint16_t now[NET_MAX_PORTS];
	char line[8 * NET_MAX_PORTS + 32];
	unsigned n = 0;
	size_t got = 0, used;
	int status = call_server(request, sizeof(request), resp, &got);

	if (status != NET_OK)
		return status;
	if (got < NET_LIST_HEADER_LEN || resp[1] > NET_MAX_PORTS || got != NET_LIST_HEADER_LEN + 2 * (size_t)resp[1])
		return NET_BAD_REQUEST;
	for (unsigned i = 0; i < resp[1]; i++) {
		uint16_t port = net_get_u16(resp + NET_LIST_HEADER_LEN + 2 * i);

		if (port != my_port)
			now[n++] = port;
	}
	if (peers_known && n == n_peers && memcmp(now, peers, n * sizeof(now[0])) == 0)
		return NET_OK;
	memcpy(peers, now, n * sizeof(now[0]));
	n_peers = n;
	peers_known = true;
	/* One printf per line: the console shows each app line whole. */
	used = (size_t)snprintf(line, sizeof(line), "%s", n == 0 ? " none (nothing to send to)" : "");
	for (unsigned i = 0; i < n && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, " %u", peers[i]);
	printf("%s peers:%s\n", name, line);
	return NET_OK;
}

/* The next peer after the previous one, in port order, wrapping around (peers are ascending). */
static uint16_t next_peer(void)
{
	for (unsigned i = 0; i < n_peers; i++)
		if (peers[i] > last_peer)
			return peers[i];
	return peers[0];
}

/* Send packet number sent+1 to the next peer; if the server went away first, it is sent again after reconnecting. */
static void send_packet(void)
{
	uint8_t request[NET_REQUEST_MAX] = { NET_CMD_SEND };
	uint8_t resp[NET_RESPONSE_MAX];
	char* text = (char*)request + NET_SEND_HEADER_LEN;
	size_t got = 0;
	uint16_t peer;
	int n, status = update_peers();

	if (status == RETURNCODE_ENODEVICE)
		return;
	send_due = false;
	if (status > 0)
		printf("%s cannot list the ports: %s\n", name, net_status_name(status));
	else if (status < 0)
		printf("%s cannot list the ports: %s\n", name, tock_strrcode(status));
	if (status != NET_OK || n_peers == 0)
		return; /* nobody to send to this period (update_peers said so once) */
	peer = next_peer();
	n = snprintf(text, NET_MAX_DATA, "hello from %u #%u", my_port, sent + 1);
	net_put_u16(request + 1, my_port);
	net_put_u16(request + 3, peer);
	status = call_server(request, NET_SEND_HEADER_LEN + (size_t)n, resp, &got);
	if (status == RETURNCODE_ENODEVICE) {
		send_due = true;
		return;
	}
	sent++;
	last_peer = peer;
	if (status == NET_OK)
		printf("%s sent '%s' to port %u\n", name, text, peer);
	else if (status > 0)
		printf("%s '%s' to port %u refused: %s\n", name, text, peer, net_status_name(status));
	else
		printf("%s '%s' failed: %s\n", name, text, tock_strrcode(status));
}

/* Close our port so the server stops sending, then take what arrived meanwhile. */
static void finish(void)
{
	uint8_t* payload = NULL;
	uint32_t len = 0;
	bool exceeded = false;
	uint16_t unused;

	if (connected)
		port_request(NET_CMD_CLOSE, my_port, &unused);
	if (streaming_process_slice_get_and_swap(&slice, &payload, &len, &exceeded) == RETURNCODE_SUCCESS)
		take_packets(payload, len, exceeded);
	libtock_ipc_relay_message_receiver_disable();
	printf("%s done: %u packets received, %u sent\n", name, received, sent);
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
		printf("%s cannot set up reception: %s\n", name, tock_strrcode(r));
		return 1;
	}
	connect_to_server(false);
	/* Each copy's sends get their own phase and period, so no two copies send at the same instant. */
	if (port_rank() > 0)
		libtocksync_alarm_delay_ms(STAGGER_MS * port_rank());
	libtock_alarm_repeating_every_ms(SEND_PERIOD_MS + 100 * (port_rank() % 4), on_send_timer, NULL, &send_timer);
	while (received < PACKETS_WANTED) {
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
