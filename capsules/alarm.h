/* Alarm capsule (driver 0x0): one alarm per process on a 32-bit tick counter at a board-set frequency. */
#ifndef TOCKHOST_CAPSULE_ALARM_H
#define TOCKHOST_CAPSULE_ALARM_H

#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/drivers/alarm.h"

/*
 * Tock's alarm ABI at code level (reference §2.2, §9 item 2). The tick counter is
 * now_ns * frequency / 1e9 truncated to 32 bits, so it already wraps at 2^32 and the frequency
 * is reported as is (no left-justification).
 *
 *   cmd 0              exists: Success.
 *   cmd 1              Success-u32(frequency in Hz).
 *   cmd 2              Success-u32(now, ticks).
 *   cmd 3              stop: Success, or Failure(ALREADY) if the caller has no alarm armed.
 *   cmd 4              Failure(NOSUPPORT) (deprecated in Tock).
 *   cmd 5 (dt)         arm at now + dt: Success-u32(expiry tick).
 *   cmd 6 (ref, dt)    arm at ref + dt: Success-u32(expiry tick).
 *   other              Failure(NOSUPPORT).
 *   upcall 0           (now, expiry, 0) when the alarm fires; it is then disarmed.
 *
 * Arming again replaces the caller's alarm. An alarm fires once (now - ref) >= dt in wrapping
 * 32-bit arithmetic, so one already in the past fires at the next timer run. It never fires early:
 * the host deadline is rounded up to the first nanosecond at which the tick is reached.
 * All processes share one kernel timer armed at the earliest pending expiry.
 */

#define CAPSULE_ALARM_DEFAULT_HZ 1000000u

struct capsule_alarm;

extern const struct hk_driver_ops capsule_alarm_ops; /* self = struct capsule_alarm * */

/* frequency_hz 0 means CAPSULE_ALARM_DEFAULT_HZ. NULL on allocation failure. */
struct capsule_alarm *capsule_alarm_new(struct hk_kernel *k, uint32_t driver, uint32_t frequency_hz);
/* Accepts NULL. Cancels its kernel timer, so call it before freeing the kernel. */
void capsule_alarm_free(struct capsule_alarm *a);

#endif
