/* The shape of a driver's ABI description (include/tock/drivers/): names and argument formats of its calls. */
#ifndef TOCK_DRIVER_ABI_H
#define TOCK_DRIVER_ABI_H

#include <stdint.h>

/*
 * One command, upcall or allow slot of a driver: its number, its name as traces show it, and how
 * to show its values. A format is a space-separated list of fields, one per position in order:
 *   name         a number
 *   name:id      an IPC Identifier: two positions (low, high) of arguments and upcalls, or one
 *                u64 value of a command result
 *   name:status  an ErrorCode (0 = "OK")
 *   name:bool    zero or not
 *   -            a position that is not shown
 * A field ending in "?ok" is shown only when position 0 is 0 (an upcall whose status is success),
 * one ending in "?nz" only when its own value is not 0. Positions are: a command's (arg0, arg1);
 * an upcall's (a0, a1, a2); a command result's values as the return variant packs them (a u64
 * counts as one), decoded only when there are exactly as many as the format names.
 * NULL or "" shows nothing beyond the raw numbers.
 */
struct tock_abi_call {
	uint32_t number;
	const char *name;
	const char *args;    /* command arguments, upcall arguments; unused for allows */
	const char *success; /* commands: the values of a success result */
	const char *failure; /* commands: the values of a failure result (after its ErrorCode) */
};

/* A driver's calls. Command 0 (the existence check) need not be listed: every driver has it. */
struct tock_driver_abi {
	const struct tock_abi_call *commands, *upcalls, *allows_ro, *allows_rw;
	uint8_t n_commands, n_upcalls, n_allows_ro, n_allows_rw;
};

#define TOCK_ABI_COUNT(a) ((uint8_t)(sizeof(a) / sizeof((a)[0])))
/* The tables live in each driver's header; a translation unit that does not use them drops them. */
#define TOCK_ABI_TABLE static const __attribute__((unused))
/* A driver table with no entries (GNU C's empty initializer: a zero-length array). */
#define TOCK_ABI_NONE {}
/*
 * The description made of the four tables <prefix>_commands, <prefix>_upcalls,
 * <prefix>_allows_ro and <prefix>_allows_rw, all of which the driver's header defines.
 */
#define TOCK_DRIVER_ABI(prefix)                                                                         \
	{ prefix##_commands, prefix##_upcalls, prefix##_allows_ro, prefix##_allows_rw,                 \
	  TOCK_ABI_COUNT(prefix##_commands), TOCK_ABI_COUNT(prefix##_upcalls),                          \
	  TOCK_ABI_COUNT(prefix##_allows_ro), TOCK_ABI_COUNT(prefix##_allows_rw) }

#endif
