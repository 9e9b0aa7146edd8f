/* IPC registries 0xA0000 (string name) and 0xA0001 (package name) ABI, upstream's plus tockhost's extension (DESIGN §6). */
#ifndef TOCK_DRIVERS_IPC_REGISTRY_H
#define TOCK_DRIVERS_IPC_REGISTRY_H

#include "tock/driver_abi.h"

/* The two registries share one ABI; only the name in RO allow 0 is compared differently. */
#define TOCK_DRIVER_IPC_REGISTRY_STRING_NAME 0xA0000u
#define TOCK_DRIVER_IPC_REGISTRY_PACKAGE_NAME 0xA0001u

/* The string registry's names are exactly this long (zero padded). */
#define TOCK_IPC_REGISTRY_STRING_NAME_LEN 20u

enum {
	TOCK_IPC_REGISTRY_CMD_EXISTS = 0,
	TOCK_IPC_REGISTRY_CMD_REGISTER = 1, /* the name in RO allow 0 */
	TOCK_IPC_REGISTRY_CMD_DISCOVER = 2, /* the name in RO allow 0 */
};

enum {
	TOCK_IPC_REGISTRY_UPCALL_REGISTERED = 0,         /* (status, 0, 0) */
	TOCK_IPC_REGISTRY_UPCALL_DISCOVERED = 1,         /* (0, id_low, id_high) or (NODEVICE, 0, 0) */
	TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED = 2, /* extension: (0, 0, 0), coalesced */
};

enum {
	TOCK_IPC_REGISTRY_ALLOW_RO_NAME = 0,
};

TOCK_ABI_TABLE struct tock_abi_call tock_ipc_registry_commands[] = {
	{ TOCK_IPC_REGISTRY_CMD_REGISTER, "register", NULL, NULL, NULL },
	{ TOCK_IPC_REGISTRY_CMD_DISCOVER, "discover", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_registry_upcalls[] = {
	{ TOCK_IPC_REGISTRY_UPCALL_REGISTERED, "registered", "status:status", NULL, NULL },
	{ TOCK_IPC_REGISTRY_UPCALL_DISCOVERED, "discovered", "status:status service:id?ok", NULL, NULL },
	{ TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED, "service_registered", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_registry_allows_ro[] = {
	{ TOCK_IPC_REGISTRY_ALLOW_RO_NAME, "name", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_registry_allows_rw[] = TOCK_ABI_NONE;
TOCK_ABI_TABLE struct tock_driver_abi tock_ipc_registry_abi = TOCK_DRIVER_ABI(tock_ipc_registry);

#endif
