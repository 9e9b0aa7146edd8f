/* Kernel functions beyond kernel.h for backends and tests: targeted scheduling, clock hook, fault cause, queue peeks. */
#ifndef TOCKHOST_KERNEL_EXT_H
#define TOCKHOST_KERNEL_EXT_H

#include <stdbool.h>
#include <stdint.h>

#include "hostkernel/kernel.h"

/*
 * What hk_schedule_next() would do for p alone: if p can run now, take its resume (START,
 * UPCALL, RETURN for wait-for, CONTINUE), mark it Running and return true. Does not move the
 * round-robin position. The fake backend uses it to run one chosen process.
 */
bool hk_sched_take(struct hk_kernel *k, struct hk_process *p, struct hk_resume *ret);
/*
 * Force p Running now, as if its Yield returned with nothing (queued upcalls stay queued); an
 * Unstarted-ready p consumes its START. 0, or -ESRCH if p is Stopped, Faulted, Terminated or
 * not ready. Used by the fake backend, whose "apps" act whenever the test says.
 */
int hk_sched_make_current(struct hk_kernel *k, struct hk_process *p);
/* Virtual time only: move the clock forward to ns (never backwards). Test and fake-backend hook. */
void hk_clock_set_virtual_ns(struct hk_kernel *k, uint64_t ns);
/* The one-line cause of p's last fault (kernel-detected ones included), or NULL. Kernel-owned. */
const char *hk_process_fault_cause(const struct hk_process *p);
/* p's last fault whole (cause kernel-owned; kernel-detected faults have no pc or address); false if none. */
bool hk_process_fault_info(const struct hk_process *p, struct hk_fault_info *ret);

/*
 * The kernel's errors are -errno; apps see TRD104 ErrorCodes. The one table between them (core/result.c):
 * hk_error_code maps a -errno to its ErrorCode (an errno without one: FAIL), hk_error_errno the reverse
 * (an ErrorCode outside 1..13: -EIO).
 */
uint32_t hk_error_code(int err);
int hk_error_errno(uint32_t code);

/* One queued task of a process: a FunctionCall (fn != 0) or a null-upcall ReturnValue (fn == 0, for wait-for). */
struct hk_upcall_entry {
	uint32_t driver, slot;
	uint64_t fn, appdata;
	uint32_t a0, a1, a2;
};
/* Read-only peek (tests, fuzzers): the i-th queued task from the head, or NULL past the end. */
const struct hk_upcall_entry *hk_process_queued(const struct hk_process *p, uint32_t i);

#endif
