/* Kernel core internals shared by the core's files: the kernel and process structs and cross-file helpers. */
#ifndef TOCKHOST_CORE_CORE_H
#define TOCKHOST_CORE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/kernel.h"
#include "hostkernel/kernel_ext.h" /* struct hk_upcall_entry */

/* Capabilities: only their addresses matter (the kernel's single instance of each). */
struct hk_cap_process_state {
	uint8_t unused;
};
struct hk_cap_process_info {
	uint8_t unused;
};
struct hk_cap_memory_map {
	uint8_t unused;
};

struct hk_tracer;
struct hk_share_table;

struct hk_driver_entry {
	uint32_t num;
	const struct hk_driver_ops *ops;
	void *self;
};

struct hk_upcall_slot {
	uint64_t fn, appdata;
};
struct hk_allow_slot {
	uint64_t ptr, len;
};

/* A process's grant for one driver: capsule data plus the kernel-managed upcall and allow tables. */
struct hk_grant {
	uint32_t driver;
	size_t charge; /* bytes charged to the process's grant budget */
	struct hk_upcall_slot *upcalls;
	struct hk_allow_slot *ro, *rw, *ur;
	void *data;
	struct hk_grant *next;
};

struct hk_process {
	struct hk_kernel *kernel;
	size_t slot;
	hk_pid pid;
	char *name, *package;
	uint32_t short_id;
	struct hk_fault_policy policy;
	void *backend;
	const void *header; /* desc.header: not owned */

	enum hk_state state;
	enum hk_state stopped_from; /* the state hk_process_resume returns to */
	bool ready;         /* the host process reported ready (this incarnation) */
	bool start_pending; /* START not handed out yet */
	bool on_cpu;        /* Running and actually executing (not preempted) */
	bool host_alive;    /* a host process exists that process_kill must end */
	uint32_t wait_driver, wait_slot; /* YieldedFor target */
	bool deferred_valid; /* a syscall that arrived while Stopped, replayed on resume */
	struct hk_syscall deferred;

	bool has_memory;
	struct hk_memory_map mem;
	uint64_t app_break, allow_high_water;
	uint64_t stack_start_hint, heap_start_hint;

	struct hk_upcall_entry *queue;
	uint32_t q_head, q_count, q_depth;

	struct hk_grant *grants;
	size_t grant_used;

	uint32_t restart_count, completion_code;
	bool has_completion_code;
	struct hk_fault_info fault; /* the last fault; fault.cause is NULL until one, then fault_cause_owned or "fault" */
	char *fault_cause_owned;

	uint64_t n_syscalls, n_delivered, n_dropped, n_coalesced;
};

struct hk_kernel {
	struct hk_kernel_config cfg;
	const struct hk_platform_ops *ops;
	void *ctx;

	struct hk_driver_entry *drivers;
	size_t n_drivers, cap_drivers;

	struct hk_process **procs;
	size_t n_procs, cap_procs;
	hk_pid next_pid;
	size_t last_scheduled; /* slot picked last, for round robin */
	bool any_scheduled;
	/*
	 * Directed hand-off (sched.c): the process whose syscall is being dispatched, and the last
	 * process it queued an upcall for, which is tried first when the CPU is next free.
	 */
	struct hk_process *caller;
	hk_pid handoff_pid;
	bool handoff_valid;
	size_t handoffs_in_a_row;

	uint64_t real_t0, virtual_now;
	struct hk_timer *timers; /* sorted by deadline, FIFO among equals */

	const struct hk_syscall_filter *filter; /* board policy; NULL allows everything */
	struct hk_process_listener *listeners;
	struct hk_share_table *shares; /* share.c; NULL until the first region */
	struct hk_tracer *tracer; /* NULL: tracing off (trace.h); every trace point tests it first */
	struct hk_cap_process_state cap_state;
	struct hk_cap_process_info cap_info;
	struct hk_cap_memory_map cap_memory;
};

/* Live: can run or be woken (Tock's is_running plus a ready Unstarted incarnation). */
bool hk_core_alive(const struct hk_process *p);

/* driver.c: the driver registry. */
struct hk_driver_entry *hk_core_driver(struct hk_kernel *k, uint32_t driver);

/* kernel.c: the board's syscall filter. 0 to allow, else the -errno of the ErrorCode it chose. */
int hk_core_filter(struct hk_kernel *k, const struct hk_process *p, uint32_t class_id, uint64_t driver,
                        uint64_t number);

/* grant.c */
struct hk_grant *hk_core_grant_find(struct hk_process *p, uint32_t driver);
/* Allocate on first use. NULL with *ret_err = -ENODEV (not alive, no such driver) or -ENOMEM (budget, memory). */
struct hk_grant *hk_core_grant_enter(struct hk_process *p, uint32_t driver, int *ret_err);
void hk_core_grants_free(struct hk_process *p);

/* upcall.c */
void hk_core_queue_clear(struct hk_process *p);
bool hk_core_queue_has_function(const struct hk_process *p);
/* Drop null entries at the head (what the scheduler does for a Yielded process). */
void hk_core_queue_drop_head_nulls(struct hk_process *p);
bool hk_core_queue_pop(struct hk_process *p, struct hk_upcall_entry *ret);
/* Remove the first entry for (driver, slot); false if none. */
bool hk_core_queue_take(struct hk_process *p, uint32_t driver, uint32_t slot, struct hk_upcall_entry *ret);
/* Remove every FunctionCall entry of (driver, slot) (successful subscribe). */
void hk_core_queue_remove_functions(struct hk_process *p, uint32_t driver, uint32_t slot);

/* memory checks (allow.c) */
bool hk_core_in_app_ram(const struct hk_process *p, uint64_t addr, uint64_t len, uint64_t limit);
bool hk_core_in_app_flash(const struct hk_process *p, uint64_t addr, uint64_t len);

/* syscall handlers: each fills *ret (RETURN) or returns BLOCKED/ENDED */
enum hk_syscall_result hk_core_subscribe(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                         struct hk_resume *ret);
enum hk_syscall_result hk_core_allow(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                     struct hk_resume *ret);
enum hk_syscall_result hk_core_memop(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                     struct hk_resume *ret);
enum hk_syscall_result hk_core_yield(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                     struct hk_resume *ret);

/* result.c: every answer leaves through here. A RETURN of r0..r3 as given (success values, Yield-WaitFor). */
void hk_core_set_return(struct hk_resume *ret, uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3);
/* A failure variant with the kernel's -errno err as its ErrorCode (hk_error_code) and v0, v1 in r2, r3. */
void hk_core_return_error(struct hk_resume *ret, uint32_t variant, int err, uint64_t v0, uint64_t v1);
/* A capsule's command result, checked: a malformed one (hk_core_command_ret_ok) goes out as Failure(FAIL). */
void hk_core_return_command(struct hk_resume *ret, const struct hk_cmd_ret *r);
/* A TRD104 command variant, a failure's ErrorCode in 1..13, and zero in every register the variant does not carry. */
bool hk_core_command_ret_ok(const struct hk_cmd_ret *r);

/* lifecycle.c: the fault path for faults the core itself detects (cause is copied). */
void hk_core_fault(struct hk_kernel *k, struct hk_process *p, const char *cause);
/* listener.c: trace the transition, then tell every process-state listener in registration order. */
void hk_core_notify(struct hk_kernel *k, hk_pid pid, hk_pid new_pid, enum hk_process_event ev);

#endif
