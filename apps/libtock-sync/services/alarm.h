/* Blocking alarm helpers (libtock-c's libtocksync_alarm_*) on the virtual alarm library. */
#pragma once

#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/services/alarm.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Block for ms milliseconds (never less); other upcalls still run meanwhile. */
int libtocksync_alarm_delay_ms(uint32_t ms);
/* yield() until *cond or ms milliseconds pass: RETURNCODE_SUCCESS, or RETURNCODE_FAIL on timeout. */
int libtocksync_alarm_yield_for_with_timeout(bool* cond, uint32_t ms);

#ifdef __cplusplus
}
#endif
