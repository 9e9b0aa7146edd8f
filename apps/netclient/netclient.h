/* netclient's per-instance settings: each client app (netclient_a, netclient_b) defines its own. */
#pragma once

#include <stdint.h>

struct netclient_config {
	const char* name;        /* prefix of every printed line, e.g. "netclient_a" */
	const char* greeting;    /* data of the packets it sends: "<greeting> #<n>" */
	uint16_t port;           /* the port it opens and listens on */
	uint16_t peer_port;      /* where it sends its packets */
	uint32_t send_period_ms; /* one packet per period */
	/*
	 * Wait this long before (re)connecting: a server that just restarted gets time to register,
	 * and clients given different delays never act at the same instant, which keeps a
	 * --virtual-time run's output the same from run to run.
	 */
	uint32_t connect_delay_ms;
	unsigned packets_wanted; /* exit 0 after receiving this many packets */
};

/* Defined by each client app. */
extern const struct netclient_config netclient_config;
