/* Virtual alarms (libtock-c's libtock_alarm_*): any number of one-shot and repeating alarms on the one kernel alarm. */
#pragma once

#include <sys/time.h>

#include "../peripherals/syscalls/alarm_syscalls.h"
#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Times are ticks of the kernel's 32-bit counter (libtock_alarm_command_get_frequency Hz), which
 * wraps at 2^32; an alarm fires once (now - reference) >= dt in wrapping arithmetic, so alarms
 * up to 2^32 - 1 ticks ahead work across the wrap. The millisecond functions chain alarms to
 * reach further. Callbacks run inside yield(), in expiry order (equal expiries: first set first).
 */

/* (now, scheduled = reference + dt, opaque). */
typedef void (*libtock_alarm_callback)(uint32_t, uint32_t, void*);

/* A one-shot alarm in ticks. The caller owns the memory; it must live until the alarm fires or is cancelled. */
typedef struct libtock_alarm_ticks {
	uint32_t reference;
	uint32_t dt;
	libtock_alarm_callback callback;
	void* ud;
	struct libtock_alarm_ticks* next;
	struct libtock_alarm_ticks* prev;
} libtock_alarm_ticks_t;

/* A millisecond alarm (one-shot or repeating), any length: a chain of tick alarms. Caller-owned. */
typedef struct libtock_alarm {
	uint32_t interval_ms;
	uint32_t overflows_left;  /* whole (2^32 - 1)-tick steps still to wait */
	uint32_t remaining_ticks; /* the last step */
	libtock_alarm_callback callback;
	void* user_data;
	libtock_alarm_ticks_t alarm;
} libtock_alarm_t;

/* The name older libtock-c used for repeating alarms. */
typedef libtock_alarm_t libtock_alarm_repeating_t;

uint32_t libtock_alarm_ticks_to_ms(uint32_t ticks);

/* Fire at reference + dt ticks. Re-using an alarm that is still pending moves it. RETURNCODE_SUCCESS or an error. */
int libtock_alarm_at(uint32_t reference, uint32_t dt, libtock_alarm_callback callback, void* opaque,
                     libtock_alarm_ticks_t* alarm);
/* Cancel a pending alarm (no effect if it already fired). */
void libtock_alarm_cancel(libtock_alarm_ticks_t* alarm);

/* The tick counter as a struct timeval (for an app's own _gettimeofday). Returns 0. */
int libtock_alarm_gettimeasticks(struct timeval* tv, void* tzvp);

/* Fire once, ms milliseconds from now (never early). */
int libtock_alarm_in_ms(uint32_t ms, libtock_alarm_callback cb, void* opaque, libtock_alarm_t* alarm);
/* Fire every ms milliseconds, each period counted from the previous scheduled time (no drift at
 * whole-tick periods). Cancelling from inside the callback works. */
void libtock_alarm_repeating_every_ms(uint32_t ms, libtock_alarm_callback cb, void* opaque, libtock_alarm_t* alarm);
void libtock_alarm_ms_cancel(libtock_alarm_t* alarm);
/* The name older libtock-c used for cancelling a repeating alarm (same as libtock_alarm_ms_cancel). */
void libtock_alarm_repeating_cancel(libtock_alarm_repeating_t* alarm);

#ifdef __cplusplus
}
#endif
