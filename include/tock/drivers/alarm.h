/* Alarm driver 0x0 ABI (Tock's): commands, upcall, and their trace names. */
#ifndef TOCK_DRIVERS_ALARM_H
#define TOCK_DRIVERS_ALARM_H

#include "tock/driver_abi.h"

#define TOCK_DRIVER_ALARM 0x0u

enum {
	TOCK_ALARM_CMD_EXISTS = 0,
	TOCK_ALARM_CMD_FREQUENCY = 1,    /* SuccessU32(ticks per second) */
	TOCK_ALARM_CMD_READ = 2,         /* SuccessU32(now) */
	TOCK_ALARM_CMD_STOP = 3,
	TOCK_ALARM_CMD_SET_RELATIVE = 5, /* (dt): SuccessU32(expiry) */
	TOCK_ALARM_CMD_SET_ABSOLUTE = 6, /* (reference, dt): SuccessU32(expiry) */
};

enum {
	TOCK_ALARM_UPCALL_FIRED = 0, /* (now, expiry, 0) */
};

TOCK_ABI_TABLE struct tock_abi_call tock_alarm_commands[] = {
	{ TOCK_ALARM_CMD_FREQUENCY, "frequency", NULL, "hz", NULL },
	{ TOCK_ALARM_CMD_READ, "read", NULL, "now", NULL },
	{ TOCK_ALARM_CMD_STOP, "stop", NULL, NULL, NULL },
	{ TOCK_ALARM_CMD_SET_RELATIVE, "set_relative", "dt", "expiry", NULL },
	{ TOCK_ALARM_CMD_SET_ABSOLUTE, "set_absolute", "reference dt", "expiry", NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_alarm_upcalls[] = {
	{ TOCK_ALARM_UPCALL_FIRED, "fired", "now expiry", NULL, NULL },
};
TOCK_ABI_TABLE struct tock_abi_call tock_alarm_allows_ro[] = TOCK_ABI_NONE;
TOCK_ABI_TABLE struct tock_abi_call tock_alarm_allows_rw[] = TOCK_ABI_NONE;
TOCK_ABI_TABLE struct tock_driver_abi tock_alarm_abi = TOCK_DRIVER_ABI(tock_alarm);

#endif
