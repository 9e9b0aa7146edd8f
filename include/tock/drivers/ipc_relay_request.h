/* IPC Relay Request 0xA0010 ABI, exactly upstream's (DESIGN §6, reference §3.5): commands, upcalls, allows, trace names. */
#ifndef TOCK_DRIVERS_IPC_RELAY_REQUEST_H
#define TOCK_DRIVERS_IPC_RELAY_REQUEST_H

#include "tock/driver_abi.h"

#define TOCK_DRIVER_IPC_RELAY_REQUEST 0xA0010u

enum {
	TOCK_IPC_RELAY_REQUEST_CMD_EXISTS = 0x00,
	TOCK_IPC_RELAY_REQUEST_CMD_SEND = 0x10,          /* (server id low, high) */
	TOCK_IPC_RELAY_REQUEST_CMD_CANCEL = 0x11,
	TOCK_IPC_RELAY_REQUEST_CMD_ENABLE = 0x20,
	TOCK_IPC_RELAY_REQUEST_CMD_DISABLE = 0x21,
	TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT = 0x22,      /* SuccessU32U64(len, client id) */
	TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT_FROM = 0x23, /* (client id low, high): as GET_NEXT */
	TOCK_IPC_RELAY_REQUEST_CMD_RESPOND = 0x24,
};

enum {
	TOCK_IPC_RELAY_REQUEST_UPCALL_CLIENT_RESPONSE = 0, /* (status, len, 0) */
	TOCK_IPC_RELAY_REQUEST_UPCALL_SERVER_REQUEST = 1,  /* (client id low, high, 0) */
};

enum {
	TOCK_IPC_RELAY_REQUEST_ALLOW_RO_OUTGOING = 0, /* the client's request, the server's response */
	TOCK_IPC_RELAY_REQUEST_ALLOW_RW_INCOMING = 0, /* the client's response, the server's request */
};

TOCK_ABI_TABLE struct tock_abi_call tock_ipc_relay_request_commands[] = {
	{ TOCK_IPC_RELAY_REQUEST_CMD_SEND, "send", "server:id", NULL, NULL },
	{ TOCK_IPC_RELAY_REQUEST_CMD_CANCEL, "cancel", NULL, NULL, NULL },
	{ TOCK_IPC_RELAY_REQUEST_CMD_ENABLE, "enable", NULL, NULL, NULL },
	{ TOCK_IPC_RELAY_REQUEST_CMD_DISABLE, "disable", NULL, NULL, NULL },
	{ TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT, "get", NULL, "len client:id", "client:id?nz" },
	{ TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT_FROM, "get_from", "client:id", "len client:id", "client:id?nz" },
	{ TOCK_IPC_RELAY_REQUEST_CMD_RESPOND, "respond", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_relay_request_upcalls[] = {
	{ TOCK_IPC_RELAY_REQUEST_UPCALL_CLIENT_RESPONSE, "response", "status:status len", NULL, NULL },
	{ TOCK_IPC_RELAY_REQUEST_UPCALL_SERVER_REQUEST, "request_waiting", "client:id", NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_relay_request_allows_ro[] = {
	{ TOCK_IPC_RELAY_REQUEST_ALLOW_RO_OUTGOING, "outgoing", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_relay_request_allows_rw[] = {
	{ TOCK_IPC_RELAY_REQUEST_ALLOW_RW_INCOMING, "incoming", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_driver_abi tock_ipc_relay_request_abi = TOCK_DRIVER_ABI(tock_ipc_relay_request);

#endif
