/* netclient_a: the netclient listening on port 7 and sending to port 9 (netclient_b). */
#include "../netclient/netclient.h"

const struct netclient_config netclient_config = {
	.name = "netclient_a",
	.greeting = "hello from a",
	.port = 7,
	.peer_port = 9,
	.send_period_ms = 400,
	.connect_delay_ms = 110,
	.packets_wanted = 20,
};
