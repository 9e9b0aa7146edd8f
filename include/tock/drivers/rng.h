/* RNG driver 0x40001 ABI (Tock's): command, upcall, allow and their trace names. */
#ifndef TOCK_DRIVERS_RNG_H
#define TOCK_DRIVERS_RNG_H

#include "tock/driver_abi.h"

#define TOCK_DRIVER_RNG 0x40001u

enum {
	TOCK_RNG_CMD_EXISTS = 0,
	TOCK_RNG_CMD_GET = 1, /* (len): fill RW allow 0 */
};

enum {
	TOCK_RNG_UPCALL_DONE = 0, /* (status, len, 0) */
};

enum {
	TOCK_RNG_ALLOW_RW_BUFFER = 0,
};

TOCK_ABI_TABLE struct tock_abi_call tock_rng_commands[] = { { TOCK_RNG_CMD_GET, "get", "len", NULL, NULL } };
TOCK_ABI_TABLE struct tock_abi_call tock_rng_upcalls[] = {
	{ TOCK_RNG_UPCALL_DONE, "done", "status:status len", NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_rng_allows_rw[] = { { TOCK_RNG_ALLOW_RW_BUFFER, "buffer", NULL, NULL, NULL } };
TOCK_ABI_TABLE struct tock_abi_call tock_rng_allows_ro[] = TOCK_ABI_NONE;
TOCK_ABI_TABLE struct tock_driver_abi tock_rng_abi = TOCK_DRIVER_ABI(tock_rng);

#endif
