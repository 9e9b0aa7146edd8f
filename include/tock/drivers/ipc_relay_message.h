/* IPC Relay Message 0xA0011 ABI (tockhost's, DESIGN §6): commands, upcalls, allows, record layout, trace names. */
#ifndef TOCK_DRIVERS_IPC_RELAY_MESSAGE_H
#define TOCK_DRIVERS_IPC_RELAY_MESSAGE_H

#include "tock/driver_abi.h"

#define TOCK_DRIVER_IPC_RELAY_MESSAGE 0xA0011u

/* Each message is appended as u64 sender id, u32 length, payload (native endian, no padding). */
#define TOCK_IPC_RELAY_MESSAGE_RECORD_HEADER 12u
#define TOCK_IPC_RELAY_MESSAGE_SLICE_HEADER 8u /* StreamingProcessSlice header */

enum {
	TOCK_IPC_RELAY_MESSAGE_CMD_EXISTS = 0x00,
	TOCK_IPC_RELAY_MESSAGE_CMD_ENABLE = 0x10,  /* receiver: reception on (checks the slice) */
	TOCK_IPC_RELAY_MESSAGE_CMD_DISABLE = 0x11, /* receiver: reception off */
	TOCK_IPC_RELAY_MESSAGE_CMD_SEND = 0x20,    /* sender: (receiver id low, high) */
};

enum {
	TOCK_IPC_RELAY_MESSAGE_UPCALL_APPENDED = 0,    /* (offset, exceeded, 0) */
	TOCK_IPC_RELAY_MESSAGE_UPCALL_SENDER_GONE = 1, /* (NODEVICE, id low, id high) */
};

enum {
	TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE = 0,     /* receiver: the StreamingProcessSlice */
	TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_MESSAGE = 0,   /* sender: the message */
	TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_ALLOWLIST = 1, /* receiver: u64 ids it accepts */
};

TOCK_ABI_TABLE struct tock_abi_call tock_ipc_relay_message_commands[] = {
	{ TOCK_IPC_RELAY_MESSAGE_CMD_ENABLE, "enable", NULL, NULL, NULL },
	{ TOCK_IPC_RELAY_MESSAGE_CMD_DISABLE, "disable", NULL, NULL, NULL },
	{ TOCK_IPC_RELAY_MESSAGE_CMD_SEND, "send", "receiver:id", NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_relay_message_upcalls[] = {
	{ TOCK_IPC_RELAY_MESSAGE_UPCALL_APPENDED, "appended", "offset exceeded:bool", NULL, NULL },
	{ TOCK_IPC_RELAY_MESSAGE_UPCALL_SENDER_GONE, "sender_gone", "status:status sender:id", NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_relay_message_allows_ro[] = {
	{ TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_MESSAGE, "message", NULL, NULL, NULL },
	{ TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_ALLOWLIST, "allowlist", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_relay_message_allows_rw[] = {
	{ TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE, "slice", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_driver_abi tock_ipc_relay_message_abi = TOCK_DRIVER_ABI(tock_ipc_relay_message);

#endif
