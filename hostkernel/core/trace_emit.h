/* The core's trace points: emit one event to the installed tracer (called only under `if (k->tracer)`). */
#ifndef TOCKHOST_CORE_TRACE_EMIT_H
#define TOCKHOST_CORE_TRACE_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/trace.h"

void hk_trace_syscall(struct hk_kernel *k, const struct hk_process *p, hk_pid pid, const struct hk_syscall *sc,
                      enum hk_syscall_result result, const struct hk_resume *ret);
void hk_trace_upcall(struct hk_kernel *k, const struct hk_process *p, uint32_t driver, uint32_t slot, uint32_t a0,
                     uint32_t a1, uint32_t a2, bool null_upcall, bool wait_for);
void hk_trace_upcall_dropped(struct hk_kernel *k, const struct hk_process *p, uint32_t driver, uint32_t slot);
void hk_trace_copy(struct hk_kernel *k, uint32_t driver, hk_pid src, hk_pid dst, size_t bytes, size_t src_len);
void hk_trace_state(struct hk_kernel *k, hk_pid pid, hk_pid new_pid, enum hk_trace_state_change change);

#endif
