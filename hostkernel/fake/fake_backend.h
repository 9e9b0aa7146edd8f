/* Fake-process backend: in-process "apps" with heap-buffer memory and virtual time, for unit tests and fuzzers. */
#ifndef TOCKHOST_FAKE_BACKEND_H
#define TOCKHOST_FAKE_BACKEND_H

/*
 * A fake world is one kernel (hostkernel/kernel.h) plus a backend whose processes have no code:
 * the test plays the app. It performs syscalls "as" a process and reads the answers, the same
 * registers a real app would get over the trap channel. Everything is deterministic: no threads,
 * no fork, no host clock.
 *
 * Process handles are `struct hk_process *` (kernel.h). A handle stays valid for the life of the
 * world, across restarts (Tock keeps the slot; only the ProcessId changes), so tests may keep it.
 * Use kernel.h to query it: hk_process_pid(), hk_process_state(), hk_process_get_stats(),
 * hk_process_restart_count(), hk_process_completion_code(), ...
 *
 * Memory layout of the process in slot s (app addresses, all below 2 GiB so they fit upcall ints):
 *
 *   flash  [HK_FAKE_FLASH_BASE + s*HK_FAKE_SLOT_STRIDE, + flash_size)
 *          the first HK_FAKE_FLASH_HEADER bytes play the TBF header (flash_app_start follows it);
 *          hk_fake_upcall_fn() addresses and hk_fake_flash_alloc() data live after it;
 *          writeable flash regions (memop 7..9), if asked for, sit at the end, 256 bytes each.
 *   RAM    [HK_FAKE_RAM_BASE + s*HK_FAKE_SLOT_STRIDE, + ram_size + grant_budget)
 *          ram_start .. heap_start           "data": hk_fake_alloc() carves buffers here
 *          heap_start = initial break        (ram_size / 2); memop brk/sbrk move the break
 *          guard page (HK_FAKE_GUARD bytes)  just below the stack; never valid for an allow
 *          stack (HK_FAKE_STACK bytes)       up to stack_top = grant_start
 *          grant_start .. ram_end            the grant region = the grant budget
 *
 * All RAM is zeroed at spawn and again at every restart (fresh incarnation).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/board_caps.h"
#include "hostkernel/kernel.h"

#define HK_FAKE_FLASH_BASE 0x10000000u
#define HK_FAKE_RAM_BASE 0x40000000u
#define HK_FAKE_SLOT_STRIDE 0x00400000u /* 4 MiB per slot: different processes never share addresses */
#define HK_FAKE_FLASH_HEADER 0x100u
#define HK_FAKE_STACK 0x1000u
#define HK_FAKE_GUARD 0x1000u
#define HK_FAKE_MAX_PROCS 128u

struct hk_fake_world;

/* ---- world ---- */

/*
 * A new world. cfg NULL means { upcall_queue_depth = 0 (10), virtual_time = true }. With
 * virtual_time false the kernel's "real" clock is the world's own counter, which only
 * hk_fake_advance() moves, so tests stay deterministic either way. Capabilities are minted at
 * creation (hk_fake_caps). NULL on allocation failure.
 */
struct hk_fake_world *hk_fake_world_new(const struct hk_kernel_config *cfg);
/* Frees the kernel, every process and its memory. Accepts NULL. */
void hk_fake_world_free(struct hk_fake_world *w);

struct hk_kernel *hk_fake_kernel(struct hk_fake_world *w);
/* The kernel's minted capabilities (the same pointers hk_kernel_mint_caps returns). */
const struct hk_kernel_caps *hk_fake_caps(struct hk_fake_world *w);

/* hk_kernel_register_driver() on the world's kernel: 0, -EEXIST, -EINVAL, -ENOMEM. */
int hk_fake_register_driver(struct hk_fake_world *w, uint32_t driver, const struct hk_driver_ops *ops, void *self);

/*
 * Install a syscall filter (Tock's SyscallFilter; see hk_kernel_set_syscall_filter): return 0
 * to allow, else the ErrorCode the syscall fails with. NULL removes it.
 */
typedef uint32_t (*hk_fake_filter_fn)(void *ctx, struct hk_process *p, uint32_t class_id, uint32_t driver,
                                      uint32_t number);
void hk_fake_set_syscall_filter(struct hk_fake_world *w, hk_fake_filter_fn filter, void *ctx);

/* ---- processes ---- */

struct hk_fake_proc_config {
	const char *name;         /* NULL -> "app<slot>" */
	const char *package_name; /* NULL -> same as name; "" = none */
	uint32_t short_id;        /* 0 = LocallyUnique */
	size_t ram_size;          /* app part of RAM (below the grant region); 0 -> 64 KiB; min 16 KiB */
	size_t grant_budget;      /* grant region bytes (grant_start..ram_end); 0 -> 16 KiB */
	size_t flash_size;        /* 0 -> 16 KiB; min 4 KiB */
	uint32_t writeable_flash_regions; /* 0..8, for memop 7..9 */
	struct hk_fault_policy fault_policy; /* zero = PANIC (recorded, see hk_fake_panicked) */
	bool not_started;         /* true: leave it Unstarted-and-ready; the scheduler hands out START */
};

/*
 * Create a process (next ProcessId), attach fresh memory, mark it ready and, unless
 * cfg->not_started, make it the current process: state Running, its START consumed. Any other
 * Running process is preempted first (there is one CPU). cfg NULL = all defaults.
 * NULL on allocation failure or when HK_FAKE_MAX_PROCS exist.
 */
struct hk_process *hk_fake_spawn(struct hk_fake_world *w, const struct hk_fake_proc_config *cfg);
/* The process with that ProcessId in any state (stale pids: NULL). */
struct hk_process *hk_fake_lookup(struct hk_fake_world *w, hk_pid pid);

/*
 * Make p the current (Running) process, as if whatever it was waiting in returned: Running
 * elsewhere is preempted; Yielded/YieldedFor p resumes with its queued upcalls left in place
 * (like a Yield that returned nothing); an Unstarted-ready p consumes its START. Every syscall
 * helper below does this first. 0, or -ESRCH if p is Stopped, Faulted, Terminated or not ready.
 */
int hk_fake_make_current(struct hk_fake_world *w, struct hk_process *p);

/* ---- memory ---- */

const struct hk_memory_map *hk_fake_memory_map(struct hk_fake_world *w, struct hk_process *p);
/*
 * Carve `len` zeroed bytes (8-aligned) from p's data area, below the break, so they are valid
 * for every allow. Returns the app address, 0 if the data area is full. Reset at restart.
 */
uint64_t hk_fake_alloc(struct hk_fake_world *w, struct hk_process *p, size_t len);
/* Copy `len` bytes into p's flash after the header (valid for RO allows, not RW). App address or 0. */
uint64_t hk_fake_flash_alloc(struct hk_fake_world *w, struct hk_process *p, const void *data, size_t len);
/* Host pointer to app range [addr, addr+len) of p's RAM, flash or a shared region mapped into p; NULL if
 * not wholly inside one. */
void *hk_fake_host_ptr(struct hk_fake_world *w, struct hk_process *p, uint64_t addr, size_t len);
/* Only shared regions mapped into p (*ret_writable: mapped read-write; may be NULL). NULL if unmapped. */
void *hk_fake_share_ptr(struct hk_fake_world *w, struct hk_process *p, uint64_t addr, size_t len, bool *ret_writable);
/* A valid upcall function address in p's flash (distinct for each n < 64), for subscribe. */
uint64_t hk_fake_upcall_fn(struct hk_fake_world *w, struct hk_process *p, unsigned n);

/* ---- syscalls as a process ---- */

/* The answer to one syscall. r0..r3 are meaningful only when result == HK_SYSCALL_RESUME. */
struct hk_fake_ret {
	enum hk_syscall_result result; /* ENDED also when p could not be made current (not alive) */
	uint64_t r0, r1, r2, r3;
};

/* Any syscall (unknown classes too, which fault p). p is made current first. */
struct hk_fake_ret hk_fake_syscall(struct hk_fake_world *w, struct hk_process *p, uint32_t class_id, uint64_t r0,
                                   uint64_t r1, uint64_t r2, uint64_t r3);
struct hk_fake_ret hk_fake_command(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t cmd,
                                   uint32_t arg0, uint32_t arg1);
struct hk_fake_ret hk_fake_subscribe(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                                     uint64_t fn, uint64_t appdata);
struct hk_fake_ret hk_fake_allow_rw(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                                    uint64_t addr, uint64_t len);
struct hk_fake_ret hk_fake_allow_ro(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                                    uint64_t addr, uint64_t len);
struct hk_fake_ret hk_fake_allow_ur(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                                    uint64_t addr, uint64_t len);
struct hk_fake_ret hk_fake_memop(struct hk_fake_world *w, struct hk_process *p, uint32_t op, uint64_t arg);
/* kind 0 terminate / 1 restart (others: Failure(NOSUPPORT) answer). Restart re-spawns at once. */
struct hk_fake_ret hk_fake_exit(struct hk_fake_world *w, struct hk_process *p, uint32_t kind, uint32_t code);

/* An upcall as the app would see it. */
struct hk_fake_upcall {
	uint64_t fn;      /* the subscribed function; 0 for a wait-for answer */
	uint32_t a0, a1, a2;
	uint64_t appdata; /* 0 for a wait-for answer */
};

/*
 * Yield-Wait as p: if an upcall is deliverable, it is dequeued (null-upcall entries before it are
 * dropped, as Tock does), p becomes Running again and true is returned with *ret filled. Else p
 * stays Yielded (blocked) and false is returned; its next syscall helper resumes it. Nothing
 * runs for any other process. ret may be NULL.
 */
bool hk_fake_yield_wait(struct hk_fake_world *w, struct hk_process *p, struct hk_fake_upcall *ret);
/*
 * Yield-WaitFor(driver, slot) as p: true with a0..a2 (fn = appdata = 0) if an entry for that
 * slot is queued (function or null upcall), which is removed; other entries stay in order.
 * Else false and p stays YieldedFor.
 */
bool hk_fake_yield_wait_for(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                            struct hk_fake_upcall *ret);
/*
 * Yield-NoWait as p: returns the byte the kernel wrote (1 = an upcall was pending and is now
 * delivered into *ret, 0 = nothing pending), or -ESRCH if p is not alive. ret may be NULL.
 */
int hk_fake_yield_no_wait(struct hk_fake_world *w, struct hk_process *p, struct hk_fake_upcall *ret);

/* ---- time ---- */

uint64_t hk_fake_now(struct hk_fake_world *w);
/*
 * Move time forward by ns. Due timers fire in deadline order, each with the clock set to its own
 * deadline (a callback may re-arm; a re-armed timer due before the end fires again). Returns how
 * many fired.
 */
int hk_fake_advance(struct hk_fake_world *w, uint64_t ns);

/* ---- faults and what the platform ops saw ---- */

/* Inject a fault into p (hk_process_fault with this cause): applies p's fault policy. */
void hk_fake_fault(struct hk_fake_world *w, struct hk_process *p, const char *cause);
/* How many times the kernel asked to kill / spawn the host process of p. */
uint32_t hk_fake_kill_count(struct hk_fake_world *w, struct hk_process *p);
uint32_t hk_fake_spawn_count(struct hk_fake_world *w, struct hk_process *p);
/* Make the next process_spawn op fail with -ENOMEM (tests restart failure). */
void hk_fake_fail_next_spawn(struct hk_fake_world *w);
/* True once a PANIC fault policy fired; *ret_why (may be NULL) gets the reason (world-owned). */
bool hk_fake_panicked(struct hk_fake_world *w, const char **ret_why);

#endif
