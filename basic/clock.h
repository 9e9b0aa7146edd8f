/* The host's monotonic clock in nanoseconds, the one copy for every layer (libc only). */
#ifndef TOCKHOST_BASIC_CLOCK_H
#define TOCKHOST_BASIC_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC now, in ns (never goes back; its zero is arbitrary). */
uint64_t basic_mono_ns(void);
/* The same in seconds, for timeouts and human-readable durations. */
double basic_mono_s(void);

#endif
