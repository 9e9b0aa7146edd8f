/* The kernel's trace hook (public): one event per syscall, delivered upcall, allow-to-allow copy and lifecycle change. */
#ifndef TOCKHOST_TRACE_H
#define TOCKHOST_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/kernel.h"

/*
 * Why a hook and not a log: the core may not do I/O, and nobody should pay for tracing they do
 * not watch. Every trace point in the core is `if (k->tracer) hk_trace_xxx(...)`: with no tracer
 * installed the cost is one load and one well-predicted branch. The tracer is called
 * synchronously, in the middle of kernel work, so it must not call back into the kernel except
 * for read-only lookups (hk_process_*, hk_kernel_driver), must not block and must be fast.
 */

enum hk_trace_kind {
	HK_TRACE_SYSCALL = 0,        /* a syscall was handled (emitted after it, with its result) */
	HK_TRACE_UPCALL = 1,         /* an upcall was delivered: a function call, or a Yield-WaitFor return */
	HK_TRACE_UPCALL_DROPPED = 2, /* hk_upcall_schedule found the process's queue full */
	HK_TRACE_COPY = 3,           /* hk_copy_allow moved bytes (emitted inside the command that asked) */
	HK_TRACE_STATE = 4,          /* lifecycle change: started, faulted, terminated, restarted, stopped, resumed */
};

enum hk_trace_state_change {
	HK_TRACE_STARTED = 0,    /* = HK_EVENT_STARTED */
	HK_TRACE_FAULTED = 1,    /* = HK_EVENT_FAULTED */
	HK_TRACE_TERMINATED = 2, /* = HK_EVENT_TERMINATED */
	HK_TRACE_RESTARTED = 3,  /* = HK_EVENT_RESTARTED */
	HK_TRACE_STOPPED = 4,
	HK_TRACE_RESUMED = 5,
};

struct hk_trace_syscall {
	uint32_t class_id;
	uint64_t arg[4];                /* r0..r3 as the app passed them */
	enum hk_syscall_result result;  /* RESUME: ret is the answer; BLOCKED; ENDED */
	uint64_t ret[4];                /* variant (or r0) and r1..r3, valid when result == HK_SYSCALL_RESUME */
};

struct hk_trace_upcall {
	uint32_t driver, slot;
	uint32_t a0, a1, a2;
	bool null_upcall; /* no function was subscribed (delivered only to Yield-WaitFor) */
	bool wait_for;    /* delivered as the return value of Yield-WaitFor */
};

struct hk_trace_copy {
	uint32_t driver;
	hk_pid dst;       /* the source is the event's pid */
	size_t bytes;     /* moved */
	size_t src_len;   /* what the source offered from its offset (bytes < src_len: clipped) */
};

struct hk_trace_state {
	enum hk_trace_state_change change;
	hk_pid new_pid;    /* RESTARTED: the new ProcessId; else == pid */
	const char *cause; /* FAULTED: the one-line cause (valid during the callback), else NULL */
};

struct hk_trace_event {
	enum hk_trace_kind kind;
	const struct hk_process *process; /* valid during the callback (processes are never freed while the kernel lives) */
	hk_pid pid;                       /* the ProcessId the event belongs to (before a restart it causes) */
	union {
		struct hk_trace_syscall syscall;
		struct hk_trace_upcall upcall;
		struct hk_trace_copy copy;
		struct hk_trace_state state;
	} u;
};

struct hk_tracer {
	void (*event)(struct hk_tracer *self, struct hk_kernel *k, const struct hk_trace_event *ev);
};

/* Install the one tracer (NULL turns tracing off). The tracer must outlive its installation. */
void hk_kernel_set_tracer(struct hk_kernel *k, struct hk_tracer *tracer);

#endif
