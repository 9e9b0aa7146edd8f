/* netserver: the RFC's Thread Network Server, simulated: ports and packets over Relay Request and Relay Message. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock/ipc/ipc_relay_message.h>
#include <libtock/ipc/ipc_relay_request.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/services/alarm.h>
#include <libtock/tock.h>

#include "net_protocol.h"

#define BEACON_PERIOD_MS 300
/*
 * The demo's crash: the first incarnation writes through NULL once it has delivered this many
 * packets, so the board's fault policy restarts it. RAM is fresh after a restart, so an
 * incarnation cannot remember that it crashed before; instead, only the incarnation that
 * started with the board (within FIRST_LIFE_MS of time 0) crashes, and every later one runs on.
 */
#define CRASH_AFTER_DELIVERIES 12
#define FIRST_LIFE_MS 500

struct port_entry {
	uint16_t port; /* 0 = free */
	uint64_t owner; /* the IPC Identifier of the client that opened it */
};

static struct port_entry ports[NET_MAX_PORTS];
static bool beacon_due;
static bool first_life;
static unsigned deliveries;
static unsigned beacon_number;

static uint32_t now_ms(void)
{
	uint32_t ticks = 0;

	libtock_alarm_command_read(&ticks);
	return libtock_alarm_ticks_to_ms(ticks);
}

static struct port_entry* port_find(uint16_t port)
{
	for (int i = 0; i < NET_MAX_PORTS; i++)
		if (ports[i].port == port && port != 0)
			return &ports[i];
	return NULL;
}

/*
 * Relay one packet into the slice of the port's owner. A client that is gone (NODEVICE: it
 * exited, faulted or restarted, so its identifier is stale) loses its port.
 */
static bool deliver(struct port_entry* to, uint8_t kind, uint16_t src, const uint8_t* data, size_t len)
{
	static uint8_t packet[NET_PACKET_MAX];
	size_t n = net_packet_build(packet, kind, src, to->port, data, len);
	returncode_t r = libtock_ipc_relay_message_send(to->owner, packet, n);

	if (r == RETURNCODE_SUCCESS) {
		deliveries++;
		return true;
	}
	if (r == RETURNCODE_ENODEVICE) {
		printf("netserver: client 0x%llx is gone, closing port %u\n", (unsigned long long)to->owner, to->port);
		to->port = 0;
		to->owner = 0;
	} else {
		printf("netserver: packet to port %u dropped (%s)\n", to->port, tock_strrcode(r));
	}
	return false;
}

/* The lowest port from NET_FIRST_PORT up that nobody holds (the table is smaller than the range). */
static uint16_t port_lowest_free(void)
{
	uint16_t port = NET_FIRST_PORT;

	while (port_find(port))
		port++;
	return port;
}

/* OPEN: *port is the one asked for, or NET_ANY_PORT; on NET_OK it is the port now open. */
static uint8_t handle_open(uint64_t client, uint16_t* port)
{
	bool any = *port == NET_ANY_PORT;
	struct port_entry* e = any ? NULL : port_find(*port);

	if (e)
		return e->owner == client ? NET_OK : NET_PORT_IN_USE;
	for (int i = 0; !e && i < NET_MAX_PORTS; i++)
		if (ports[i].port == 0)
			e = &ports[i];
	if (!e)
		return NET_TABLE_FULL;
	if (any)
		*port = port_lowest_free();
	e->port = *port;
	e->owner = client;
	printf("netserver: port %u %s client 0x%llx\n", *port, any ? "assigned to" : "opened by",
	       (unsigned long long)client);
	return NET_OK;
}

/* LIST: every open port, ascending, into out (room for NET_MAX_PORTS); returns how many. */
static uint8_t list_ports(uint8_t* out)
{
	uint8_t n = 0;
	uint16_t last = 0;

	/* Selection by "smallest above the last one": the table is tiny, and no sort buffer is needed. */
	for (;;) {
		uint16_t next = 0;

		for (int i = 0; i < NET_MAX_PORTS; i++)
			if (ports[i].port > last && (next == 0 || ports[i].port < next))
				next = ports[i].port;
		if (next == 0)
			return n;
		net_put_u16(out + 2 * n, next);
		n++;
		last = next;
	}
}

static uint8_t handle_close(uint64_t client, uint16_t port)
{
	struct port_entry* e = port_find(port);

	if (!e)
		return NET_PORT_CLOSED;
	if (e->owner != client)
		return NET_NOT_OWNER;
	e->port = 0;
	e->owner = 0;
	printf("netserver: port %u closed by client 0x%llx\n", port, (unsigned long long)client);
	return NET_OK;
}

/* SEND: the source port must be the sender's own (a client cannot spoof another's port). */
static uint8_t handle_send(uint64_t client, const uint8_t* req, size_t len)
{
	uint16_t src = net_get_u16(req + 1), dst = net_get_u16(req + 3);
	struct port_entry* from = port_find(src);
	struct port_entry* to = port_find(dst);
	size_t data_len = len - NET_SEND_HEADER_LEN;

	if (!from || from->owner != client)
		return NET_NOT_OWNER;
	if (!to) {
		printf("netserver: packet %u->%u refused: port %u is not open\n", src, dst, dst);
		return NET_PORT_CLOSED;
	}
	if (!deliver(to, NET_PACKET_DATA, src, req + NET_SEND_HEADER_LEN, data_len))
		return NET_UNDELIVERABLE;
	printf("netserver: packet %u->%u (%u bytes)\n", src, dst, (unsigned)data_len);
	return NET_OK;
}

/* OPEN's response: the status, and after NET_OK the port that is open. */
static size_t respond_open(uint64_t client, uint16_t port, uint8_t* resp)
{
	resp[0] = handle_open(client, &port);
	if (resp[0] != NET_OK)
		return 1;
	net_put_u16(resp + 1, port);
	return NET_OPEN_RESPONSE_LEN;
}

static size_t respond_list(uint8_t* resp)
{
	resp[0] = NET_OK;
	resp[1] = list_ports(resp + NET_LIST_HEADER_LEN);
	return NET_LIST_HEADER_LEN + 2 * (size_t)resp[1];
}

/* The requests answered by a status alone; anything malformed gets NET_BAD_REQUEST (clients are untrusted). */
static uint8_t handle_simple(uint64_t client, const uint8_t* req, size_t len)
{
	switch (req[0]) {
	case NET_CMD_CLOSE:
		if (len != NET_OPEN_LEN)
			return NET_BAD_REQUEST;
		return handle_close(client, net_get_u16(req + 1));
	case NET_CMD_SEND:
		if (len < NET_SEND_HEADER_LEN || len > NET_REQUEST_MAX)
			return NET_BAD_REQUEST;
		return handle_send(client, req, len);
	default:
		return NET_BAD_REQUEST;
	}
}

/* Decode, then act: the response to one request into resp (NET_RESPONSE_MAX bytes); returns its length. */
static size_t handle_request(uint64_t client, const uint8_t* req, size_t len, uint8_t* resp)
{
	if (len == NET_OPEN_LEN && req[0] == NET_CMD_OPEN)
		return respond_open(client, net_get_u16(req + 1), resp);
	if (len == NET_LIST_LEN && req[0] == NET_CMD_LIST)
		return respond_list(resp);
	/* A wrong-length OPEN or LIST falls through to handle_simple's default: NET_BAD_REQUEST. */
	resp[0] = len < 1 ? NET_BAD_REQUEST : handle_simple(client, req, len);
	return 1;
}

/* Take and answer every waiting request (round robin is the capsule's job). */
static void serve_requests(void)
{
	static uint8_t request[NET_REQUEST_MAX];
	static uint8_t response[NET_RESPONSE_MAX];
	size_t response_len;

	for (;;) {
		uint64_t client = 0;
		size_t len = sizeof(request);
		returncode_t r = libtock_ipc_relay_request_server_get_next_request(&client, request, &len);

		if (r == RETURNCODE_ENODEVICE)
			return; /* nothing waiting */
		if (r != RETURNCODE_SUCCESS && r != RETURNCODE_ESIZE) {
			printf("netserver: cannot take a request: %s\n", tock_strrcode(r));
			return;
		}
		/* ESIZE: longer than any valid request, but the transaction started, so answer it. */
		if (r == RETURNCODE_ESIZE) {
			response[0] = NET_BAD_REQUEST;
			response_len = 1;
		} else {
			response_len = handle_request(client, request, len, response);
		}
		r = libtock_ipc_relay_request_server_send_response(response, response_len);
		if (r != RETURNCODE_SUCCESS)
			printf("netserver: response to client 0x%llx lost (%s)\n", (unsigned long long)client,
			       tock_strrcode(r));
	}
}

static void crash(void)
{
	volatile int* null_pointer = NULL;

	printf("netserver: simulating a crash at %lu ms, after %u deliveries\n", (unsigned long)now_ms(), deliveries);
	*null_pointer = 1;
}

static void send_beacons(void)
{
	char text[24];
	int n;

	beacon_number++;
	n = snprintf(text, sizeof(text), "beacon #%u", beacon_number);
	for (int i = 0; i < NET_MAX_PORTS; i++) {
		if (ports[i].port == 0)
			continue;
		if (deliver(&ports[i], NET_PACKET_BEACON, NET_SERVER_PORT, (const uint8_t*)text, (size_t)n))
			printf("netserver: beacon #%u to port %u\n", beacon_number, ports[i].port);
	}
}

/* Nothing to do here: the upcall's job is to end yield(), and the main loop then takes the request. */
static void on_request_waiting(uint64_t client)
{
	(void)client;
}

static void on_beacon_timer(uint32_t now, uint32_t scheduled, void* opaque)
{
	(void)now;
	(void)scheduled;
	(void)opaque;
	beacon_due = true;
}

int main(void)
{
	static libtock_alarm_repeating_t beacon_timer;
	static const char package[] = NET_SERVER_PACKAGE;
	returncode_t r;

	first_life = now_ms() < FIRST_LIFE_MS;
	/* Serve first, then register: a client that finds us can send at once. */
	r = libtock_ipc_relay_request_server_enable_requests_with_callback(on_request_waiting);
	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_registry_package_name_register_service();
	if (r != RETURNCODE_SUCCESS) {
		printf("netserver: cannot start: %s\n", tock_strrcode(r));
		return 1;
	}
	printf("netserver: up as %s at %lu ms%s\n", package, (unsigned long)now_ms(), first_life ? "" : " (restarted)");
	libtock_alarm_repeating_every_ms(BEACON_PERIOD_MS, on_beacon_timer, NULL, &beacon_timer);
	for (;;) {
		/* Always try: a "request waiting" upcall only says that one may be there. */
		serve_requests();
		yield(); /* until a request arrives or the beacon timer fires */
		if (beacon_due) {
			beacon_due = false;
			/* The crash happens only here, between requests, so no client's request is half served. */
			if (first_life && deliveries >= CRASH_AFTER_DELIVERIES)
				crash();
			send_beacons();
		}
	}
}
