/* Console driver 0x1 ABI (Tock's): commands, upcalls, allows and their trace names. */
#ifndef TOCK_DRIVERS_CONSOLE_H
#define TOCK_DRIVERS_CONSOLE_H

#include "tock/driver_abi.h"

#define TOCK_DRIVER_CONSOLE 0x1u

enum {
	TOCK_CONSOLE_CMD_EXISTS = 0,
	TOCK_CONSOLE_CMD_WRITE = 1, /* (len): write RO allow 1 */
	TOCK_CONSOLE_CMD_READ = 2,  /* (len): read into RW allow 1 */
	TOCK_CONSOLE_CMD_ABORT = 3, /* end the pending read */
};

enum {
	TOCK_CONSOLE_UPCALL_WRITE_DONE = 1, /* (bytes_written, 0, 0), as the kernel sends it */
	TOCK_CONSOLE_UPCALL_READ_DONE = 2,  /* (status, len, 0) */
};

enum {
	TOCK_CONSOLE_ALLOW_RO_WRITE = 1,
	TOCK_CONSOLE_ALLOW_RW_READ = 1,
};

TOCK_ABI_TABLE struct tock_abi_call tock_console_commands[] = {
	{ TOCK_CONSOLE_CMD_WRITE, "write", "len", NULL, NULL },
	{ TOCK_CONSOLE_CMD_READ, "read", "len", NULL, NULL },
	{ TOCK_CONSOLE_CMD_ABORT, "abort", NULL, NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_console_upcalls[] = {
	{ TOCK_CONSOLE_UPCALL_WRITE_DONE, "write_done", "len", NULL, NULL },
	{ TOCK_CONSOLE_UPCALL_READ_DONE, "read_done", "status:status len", NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_console_allows_ro[] = { { TOCK_CONSOLE_ALLOW_RO_WRITE, "write", NULL, NULL, NULL } };
TOCK_ABI_TABLE struct tock_abi_call tock_console_allows_rw[] = { { TOCK_CONSOLE_ALLOW_RW_READ, "read", NULL, NULL, NULL } };
TOCK_ABI_TABLE struct tock_driver_abi tock_console_abi = TOCK_DRIVER_ABI(tock_console);

#endif
