/* netclient_b: the netclient listening on port 9 and sending to port 7 (netclient_a). */
#include "../netclient/netclient.h"

const struct netclient_config netclient_config = {
	.name = "netclient_b",
	.greeting = "hello from b",
	.port = 9,
	.peer_port = 7,
	.send_period_ms = 500,
	.connect_delay_ms = 170,
	.packets_wanted = 20,
};
