/* The kernel core's interface to backends and board setup: processes, syscalls, scheduling, faults, clock. Pure C. */
#ifndef TOCKHOST_KERNEL_H
#define TOCKHOST_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsule.h"

struct hk_process;

enum hk_fault_policy_kind {
	HK_FAULT_PANIC = 0,       /* the whole kernel stops (ops->panic) */
	HK_FAULT_STOP = 1,        /* terminate, then Faulted */
	HK_FAULT_RESTART = 2,     /* always restart with a new ProcessId */
	HK_FAULT_RESTART_UP_TO = 3, /* restart while restart_count < max_restarts, then stop */
};

struct hk_fault_policy {
	enum hk_fault_policy_kind kind;
	uint32_t max_restarts;
};

/* Tock process states (reference §5.2) plus Unstarted: host process spawned, runner not yet ready. */
enum hk_state {
	HK_STATE_UNSTARTED = 0,
	HK_STATE_RUNNING = 1,
	HK_STATE_YIELDED = 2,
	HK_STATE_YIELDED_FOR = 3,
	HK_STATE_STOPPED = 4,
	HK_STATE_FAULTED = 5,
	HK_STATE_TERMINATED = 6,
};
const char *hk_state_name(enum hk_state s);

/* App addresses of one incarnation and the supervisor's view of them (host pointers). */
struct hk_memory_map {
	uint64_t flash_start, flash_end;
	uint64_t flash_app_start; /* after the TBF header + protected trailer: RO allows may start here */
	const uint8_t *flash_host; /* host view of [flash_start, flash_end) */
	uint64_t ram_start, ram_end;
	uint64_t grant_start;      /* memop 6; app memory ends here */
	uint64_t heap_start;       /* lowest legal break */
	uint64_t initial_break;
	uint64_t guard_start, guard_end; /* never valid for an allow (may be empty) */
	uint64_t stack_top;
	uint8_t *ram_host;         /* host view of [ram_start, ram_end) */
	uint32_t writeable_flash_count;
	uint64_t writeable_flash_start[8], writeable_flash_end[8];
};

struct hk_process_desc {
	const char *name;          /* shown in reports; usually the package name */
	const char *package_name;  /* TBF package name, may be "" */
	uint32_t short_id;
	struct hk_fault_policy fault_policy;
	void *backend;             /* the backend's per-process state */
	const void *header;        /* the app's image header (a struct tbf_info), opaque to the kernel and read only by
	                            * the board's syscall filter; not copied: must outlive the process; may be NULL */
};

/* What a stopped process is given when it runs again. Mirrors struct tock_trap_frame. */
enum hk_resume_kind {
	HK_RESUME_START = 1,    /* first run of an incarnation */
	HK_RESUME_RETURN = 2,   /* arg[0..3] = r0..r3 */
	HK_RESUME_UPCALL = 3,   /* arg[0] fn, arg[1..3] a0..a2, arg[4] appdata */
	HK_RESUME_CONTINUE = 4, /* it was preempted mid-computation: just let it go on */
};
struct hk_resume {
	enum hk_resume_kind kind;
	uint64_t arg[5];
};

struct hk_syscall {
	uint32_t class_id;
	uint64_t r[4];
};

enum hk_syscall_result {
	HK_SYSCALL_RESUME,  /* *ret is the answer; the process keeps running */
	HK_SYSCALL_BLOCKED, /* it yielded; hk_schedule_next() will hand out its answer */
	HK_SYSCALL_ENDED,   /* it exited, restarted or faulted; no answer (the platform ops were called) */
};

/* A process's fault as the kernel keeps it (the last one, per process, until the kernel is freed). */
struct hk_fault_info {
	const char *cause; /* one line, e.g. "forbidden Linux syscall socket (41)" */
	uint64_t pc;       /* where the app was, 0 if unknown */
	uint64_t address;  /* the faulting address, when has_address */
	bool has_address;
	uint32_t access;   /* with has_address: TOCK_ACCESS_READ, _WRITE or _EXEC (tock/trap_frame.h); others: unknown */
};

/* The backend's side: the only way the core reaches the host. */
struct hk_platform_ops {
	/* Monotonic real time in ns (used unless virtual time). */
	uint64_t (*now_ns)(void *ctx);
	/* End the host process of p now; it will not be scheduled again in this incarnation. */
	void (*process_kill)(void *ctx, struct hk_process *p);
	/* Start a fresh host process for p (after a restart). Must call hk_process_set_memory(). 0 or -errno. */
	int (*process_spawn)(void *ctx, struct hk_process *p);
	/* Fault policy "panic": report and stop everything. */
	void (*panic)(void *ctx, struct hk_process *p, const char *why);

	/*
	 * Shared regions (capsule.h hk_share_*). May all be NULL: creating a region then fails with
	 * -ENOMEM. The core calls them only with page-multiple lengths and page-aligned addresses
	 * inside TOCK_SHARE_WINDOW (tock/trap_frame.h).
	 * share_create: new zero-filled memory of len bytes; *ret_handle is the backend's. 0 or -errno.
	 * share_map: make [addr, addr+len) of live p that memory, read-only unless writable, before p
	 *   runs app code again. 0 or -errno.
	 * share_unmap: remove that mapping; `ending`: p's host process is about to be killed, only
	 *   forget it. Never fails.
	 * share_destroy: revoke the memory for every process at once (a later access faults), then
	 *   free it. Never fails.
	 */
	int (*share_create)(void *ctx, uint64_t len, void **ret_handle);
	int (*share_map)(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool writable);
	void (*share_unmap)(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool ending);
	void (*share_destroy)(void *ctx, void *handle);
};

struct hk_kernel_config {
	uint32_t upcall_queue_depth; /* 0 = Tock's 10 */
	bool virtual_time;
	uint32_t mpu_model;   /* enum hk_mpu_kind (core/mpu_model.h): 0 = cortex-m */
	uint32_t mpu_regions; /* regions per process incl. flash + RAM; 0 = the model's own count */
};

struct hk_kernel *hk_kernel_new(const struct hk_kernel_config *cfg, const struct hk_platform_ops *ops, void *ctx);
void hk_kernel_free(struct hk_kernel *k); /* accepts NULL */

/*
 * Tock's SyscallFilter: board policy over which subscribe, command and allow calls a process may
 * make (Tock's board picks its filter; tockhost's board picks the TBF permissions filter). check()
 * returns 0 to allow, else the ErrorCode the call fails with. Embed it in the policy's own struct.
 */
struct hk_syscall_filter {
	uint32_t (*check)(const struct hk_syscall_filter *self, const struct hk_process *p, uint32_t class_id,
	                  uint32_t driver, uint32_t number);
};
/* Install the board's filter (NULL: allow everything, the default). It must outlive its installation. */
void hk_kernel_set_syscall_filter(struct hk_kernel *k, const struct hk_syscall_filter *filter);

/* 0, -EEXIST (number taken), -EINVAL (bad ops), -ENOMEM. */
int hk_kernel_register_driver(struct hk_kernel *k, uint32_t driver, const struct hk_driver_ops *ops, void *self);
/* The ops and self of a registered driver, or NULL. */
const struct hk_driver_ops *hk_kernel_driver(struct hk_kernel *k, uint32_t driver, void **ret_self);

/* A new process in state Unstarted with the next ProcessId. The desc strings are copied. */
struct hk_process *hk_process_create(struct hk_kernel *k, const struct hk_process_desc *desc);
/* Attach the memory of the current incarnation (before it is started). The grant budget is grant_start..ram_end. */
void hk_process_set_memory(struct hk_process *p, const struct hk_memory_map *map);
/* The host process of p reported ready: it becomes Yielded with its start task pending (Tock's init upcall). */
void hk_process_ready(struct hk_kernel *k, struct hk_process *p);

/* Handle one syscall from the running process p. */
enum hk_syscall_result hk_syscall(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                  struct hk_resume *ret);

/* Pick, round robin, the next process that can run now and take its resume; it becomes Running. NULL if none. */
struct hk_process *hk_schedule_next(struct hk_kernel *k, struct hk_resume *ret);
/* The running process ran out of its timeslice without trapping; it goes back in the run queue. */
void hk_process_preempted(struct hk_kernel *k, struct hk_process *p);
/* True when no process is running, unstarted or holding a deliverable task (virtual time may jump). */
bool hk_kernel_idle(struct hk_kernel *k);
/* True when every process is Faulted or Terminated (nothing can ever run again). */
bool hk_kernel_all_done(struct hk_kernel *k);

/* Record p's fault (the cause is copied) and apply p's fault policy; listeners report it. */
void hk_process_fault(struct hk_kernel *k, struct hk_process *p, const struct hk_fault_info *info);
/* Process control (ipcctl, tests): stop/resume keep state; terminate frees grants. 0 or -errno. */
int hk_process_stop(struct hk_kernel *k, struct hk_process *p);
int hk_process_resume(struct hk_kernel *k, struct hk_process *p);
int hk_process_terminate(struct hk_kernel *k, struct hk_process *p, uint32_t completion_code);
int hk_process_restart(struct hk_kernel *k, struct hk_process *p);

/* ---- clock ---- */
/* Earliest armed timer deadline, or UINT64_MAX. */
uint64_t hk_next_deadline(struct hk_kernel *k);
/* Fire every timer whose deadline <= now. Returns how many fired. */
int hk_run_timers(struct hk_kernel *k);
/* Virtual time: jump the clock to the next deadline (only when idle). Returns false if no timer is armed. */
bool hk_clock_skip_to_next_deadline(struct hk_kernel *k);

/* ---- lookups and read-only views for the backend, reports and ipcctl ---- */
struct hk_process *hk_process_lookup(struct hk_kernel *k, hk_pid pid);
struct hk_process *hk_process_at(struct hk_kernel *k, size_t slot); /* any state; NULL past the end */
size_t hk_process_count(struct hk_kernel *k);
hk_pid hk_process_pid(const struct hk_process *p);
const char *hk_process_name(const struct hk_process *p);
const char *hk_process_package(const struct hk_process *p);
enum hk_state hk_process_state(const struct hk_process *p);
void *hk_process_backend(const struct hk_process *p);
const void *hk_process_header(const struct hk_process *p); /* desc.header (for the syscall filter), or NULL */
uint32_t hk_process_restart_count(const struct hk_process *p);
uint32_t hk_process_completion_code(const struct hk_process *p);
bool hk_process_has_completion_code(const struct hk_process *p);

struct hk_process_stats {
	uint64_t syscalls, upcalls_delivered, upcalls_dropped, upcalls_coalesced;
	uint32_t upcalls_queued;
	size_t grant_bytes_used, grant_bytes_budget;
	uint64_t app_break;
};
void hk_process_get_stats(const struct hk_process *p, struct hk_process_stats *ret);

/* ---- shared regions (ipcctl, tests) ---- */
/* The board's MPU model name ("cortex-m", ...). */
const char *hk_share_mpu_name(struct hk_kernel *k);
/* MPU regions pid uses (flash + RAM + mapped shares) and may use. -ESRCH if pid is not alive. */
int hk_share_usage(struct hk_kernel *k, hk_pid pid, uint32_t *ret_used, uint32_t *ret_total);
struct hk_share_mapping_info {
	uint32_t region;
	hk_pid owner, pid; /* pid == owner: the owner's own mapping */
	uint64_t size, address, length;
	bool writable;
};
/* Iterate every mapping of every region: start with *cursor = 0. */
bool hk_share_mapping_next(struct hk_kernel *k, size_t *cursor, struct hk_share_mapping_info *ret);
/* Regions alive now (for leak checks). */
size_t hk_share_region_count(struct hk_kernel *k);

#endif
