/* Alarm driver (0x0) syscalls, one function per syscall, under libtock-c's names. */
#pragma once

#include "../../tock.h"
#include "tock/drivers/alarm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_ALARM TOCK_DRIVER_ALARM

bool libtock_alarm_exists(void);

/* Subscribe 0: upcall (now, reference + dt, 0) when the kernel alarm fires. */
int libtock_alarm_set_upcall(subscribe_upcall callback, void* opaque);
/* Command 1: tick frequency in Hz. */
int libtock_alarm_command_get_frequency(uint32_t* frequency);
/* Command 2: the current 32-bit tick counter. */
int libtock_alarm_command_read(uint32_t* time);
/* Command 3: disarm (RETURNCODE_EALREADY if nothing was armed). */
int libtock_alarm_command_stop(void);
/* Command 5: arm at now + dt; *actual = the expiry tick the kernel chose. Replaces any armed alarm. */
int libtock_alarm_command_set_relative(uint32_t dt, uint32_t* actual);
/* Command 6: arm at reference + dt (wrapping), so an expiry already past fires at once. */
int libtock_alarm_command_set_absolute(uint32_t reference, uint32_t dt);

#ifdef __cplusplus
}
#endif
