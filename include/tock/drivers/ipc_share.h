/* IPC Share 0xA0020 ABI (tockhost's, DESIGN §6, doc/share.md): commands, upcalls, allow, request layout, trace names. */
#ifndef TOCK_DRIVERS_IPC_SHARE_H
#define TOCK_DRIVERS_IPC_SHARE_H

#include "tock/driver_abi.h"

#define TOCK_DRIVER_IPC_SHARE 0xA0020u

/* RO allow 0 for cmd 2: {u64 receiver id, u32 region, u32 flags}; for cmd 5: {u64 receiver id}. */
#define TOCK_IPC_SHARE_GRANT_REQUEST_LEN 16u
#define TOCK_IPC_SHARE_REVOKE_REQUEST_LEN 8u
#define TOCK_IPC_SHARE_FLAG_WRITABLE 1u

enum {
	TOCK_IPC_SHARE_CMD_EXISTS = 0,
	TOCK_IPC_SHARE_CMD_CREATE = 1,           /* (size): SuccessU32U64(region, address) */
	TOCK_IPC_SHARE_CMD_GRANT = 2,            /* the request in RO allow 0 */
	TOCK_IPC_SHARE_CMD_MAP = 3,              /* (region): SuccessU32U64(size, address) */
	TOCK_IPC_SHARE_CMD_UNMAP_OR_DESTROY = 4, /* (region) */
	TOCK_IPC_SHARE_CMD_REVOKE = 5,           /* (region), the receiver id in RO allow 0 */
};

enum {
	TOCK_IPC_SHARE_UPCALL_GRANTED = 0, /* receiver: (owner id low, high, region) */
	TOCK_IPC_SHARE_UPCALL_GONE = 1,    /* receiver: the same, when the region is gone */
};

enum {
	TOCK_IPC_SHARE_ALLOW_RO_REQUEST = 0,
};

TOCK_ABI_TABLE struct tock_abi_call tock_ipc_share_commands[] = {
	{ TOCK_IPC_SHARE_CMD_CREATE, "create", "size", "region address", NULL },
	{ TOCK_IPC_SHARE_CMD_GRANT, "grant", NULL, NULL, NULL },
	{ TOCK_IPC_SHARE_CMD_MAP, "map", "region", "size address", NULL },
	{ TOCK_IPC_SHARE_CMD_UNMAP_OR_DESTROY, "unmap_or_destroy", "region", NULL, NULL },
	{ TOCK_IPC_SHARE_CMD_REVOKE, "revoke", "region", NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_share_upcalls[] = {
	{ TOCK_IPC_SHARE_UPCALL_GRANTED, "granted", "owner:id region", NULL, NULL },
	{ TOCK_IPC_SHARE_UPCALL_GONE, "gone", "owner:id region", NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_share_allows_ro[] = {
	{ TOCK_IPC_SHARE_ALLOW_RO_REQUEST, "request", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_ipc_share_allows_rw[] = TOCK_ABI_NONE;
TOCK_ABI_TABLE struct tock_driver_abi tock_ipc_share_abi = TOCK_DRIVER_ABI(tock_ipc_share);

#endif
