/* The capsule API (DESIGN §3): all a capsule may see of the kernel. Capsules include only this and abi.h. */
#ifndef TOCKHOST_CAPSULE_H
#define TOCKHOST_CAPSULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tock/abi.h"
#include "tock/driver_abi.h"

struct hk_kernel;

/* A ProcessId identifier: kernel-wide counter from 0, drawn at creation and at every restart. */
typedef uint32_t hk_pid;

/* ---- command results: exactly one TRD104 return variant ---- */

struct hk_cmd_ret {
	uint32_t variant; /* enum tock_return_variant */
	uint32_t r1, r2, r3;
};

static inline struct hk_cmd_ret hk_cmd_success(void) { return (struct hk_cmd_ret){ TOCK_RET_SUCCESS, 0, 0, 0 }; }
static inline struct hk_cmd_ret hk_cmd_success_u32(uint32_t v) { return (struct hk_cmd_ret){ TOCK_RET_SUCCESS_U32, v, 0, 0 }; }
static inline struct hk_cmd_ret hk_cmd_success_u32_u32(uint32_t a, uint32_t b)
{
	return (struct hk_cmd_ret){ TOCK_RET_SUCCESS_U32_U32, a, b, 0 };
}
static inline struct hk_cmd_ret hk_cmd_success_u64(uint64_t v)
{
	return (struct hk_cmd_ret){ TOCK_RET_SUCCESS_U64, (uint32_t)v, (uint32_t)(v >> 32), 0 };
}
static inline struct hk_cmd_ret hk_cmd_success_u32_u64(uint32_t a, uint64_t b)
{
	return (struct hk_cmd_ret){ TOCK_RET_SUCCESS_U32_U64, a, (uint32_t)b, (uint32_t)(b >> 32) };
}
static inline struct hk_cmd_ret hk_cmd_failure(uint32_t err) { return (struct hk_cmd_ret){ TOCK_RET_FAILURE, err, 0, 0 }; }
static inline struct hk_cmd_ret hk_cmd_failure_u64(uint32_t err, uint64_t v)
{
	return (struct hk_cmd_ret){ TOCK_RET_FAILURE_U64, err, (uint32_t)v, (uint32_t)(v >> 32) };
}

/* The syscall a capsule is serving. */
struct hk_call {
	struct hk_kernel *kernel;
	uint32_t driver; /* the number the board registered this driver under */
	hk_pid pid;      /* the caller */
	void *grant;     /* the caller's grant for this driver, entered (and zeroed on first use) by the kernel */
};

/*
 * A driver is a const ops table plus its state (`self`), registered by board setup under a
 * driver number. The kernel stores subscriptions and allowed buffers; the capsule implements
 * command(). The kernel enters the caller's grant before calling command(); if the grant cannot
 * be allocated (the process's grant budget is spent) the call fails with NOMEM and command()
 * is not called.
 */
struct hk_driver_ops {
	const char *name;  /* shown in reports and by ipcctl */
	size_t grant_size; /* per-process state, zero-filled on allocation, freed when the process ends or restarts */
	uint8_t num_upcalls, num_allow_ro, num_allow_rw, num_allow_ur;
	/* Bit n set: an upcall on slot n that is already queued is coalesced, not queued twice. */
	uint32_t notification_upcalls;
	/*
	 * Never blocks; must return one of the variants documented for the command; an unknown
	 * command returns Failure(NOSUPPORT). Command 0 is the existence check. May schedule
	 * upcalls and copy between allowed buffers; must not keep buffer pointers past the return.
	 */
	struct hk_cmd_ret (*command)(void *self, const struct hk_call *call, uint32_t command, uint32_t arg0,
	                             uint32_t arg1);
	/*
	 * Optional: the driver's ABI description from its include/tock/drivers/ header (names and
	 * argument formats of its commands, upcalls and allows). The kernel never reads it; tools
	 * that show syscalls (the control service's trace) decode the driver's calls with it.
	 */
	const struct tock_driver_abi *abi;
};

/* ---- grants ---- */

/* The grant of `pid` for `driver`, allocated on first use. NULL with *ret_err = -ENODEV (no such live
 * process or driver) or -ENOMEM (budget spent). */
void *hk_grant_enter(struct hk_kernel *k, uint32_t driver, hk_pid pid, int *ret_err);
/* The grant if it is already allocated, else NULL. Never allocates. */
void *hk_grant_get(struct hk_kernel *k, uint32_t driver, hk_pid pid);

/* ---- allowed buffers: bounded views valid only until the capsule returns ---- */

struct hk_buf {
	uint8_t *ptr; /* NULL when len == 0 */
	size_t len;
};
struct hk_robuf {
	const uint8_t *ptr;
	size_t len;
};

/* 0, or -ESRCH (no such live process) / -EINVAL (slot out of range). Not allowed = empty view. */
int hk_allow_rw_get(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, struct hk_buf *ret);
int hk_allow_ro_get(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, struct hk_robuf *ret);
int hk_allow_ur_get(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, struct hk_buf *ret);

/*
 * The single copy of IPC: copy up to `max` bytes from src's RO allow `src_slot` (from
 * src_offset) into dst's RW allow `dst_slot` (at dst_offset), in one memmove, clipped to both
 * buffers. *ret_copied = bytes moved. 0, or -ESRCH / -EINVAL (bad slot or offset past the end).
 */
int hk_copy_allow(struct hk_kernel *k, uint32_t driver, hk_pid src, uint32_t src_slot, size_t src_offset,
                  hk_pid dst, uint32_t dst_slot, size_t dst_offset, size_t max, size_t *ret_copied);

/* ---- upcalls ---- */

/*
 * Queue upcall (a0, a1, a2) on `pid`'s subscribe slot of `driver`. Queued even for the Null
 * Upcall (for Yield-WaitFor). Returns 0 (queued or coalesced), -ESRCH (process not alive),
 * -EINVAL (slot out of range), -ENOSPC (queue full: dropped and counted).
 */
int hk_upcall_schedule(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, uint32_t a0, uint32_t a1,
                       uint32_t a2);

/*
 * Withdraw upcalls still queued on `pid`'s slot of `driver` whose first two arguments are
 * (a0, a1): the event they announce has been dealt with (e.g. the request they announce was
 * taken), so delivering them later would only clog the process's queue. Returns how many were
 * removed; 0 for an unknown process or slot.
 */
int hk_upcall_retract(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, uint32_t a0, uint32_t a1);

/* ---- processes ---- */

bool hk_process_alive(struct hk_kernel *k, hk_pid pid);
/* ShortId from the TBF (0 = LocallyUnique/absent); 0 for an unknown pid. */
uint32_t hk_process_short_id(struct hk_kernel *k, hk_pid pid);
/* Iterate live processes in slot order: start with *cursor = 0; returns true and sets *ret_pid per process. */
bool hk_process_next(struct hk_kernel *k, size_t *cursor, hk_pid *ret_pid);

/* ---- time ---- */

struct hk_timer {
	void (*fire)(struct hk_timer *t, uint64_t now_ns); /* called from the event loop, never nested in a syscall */
	uint64_t deadline_ns;
	bool armed;
	struct hk_timer *next; /* kernel-owned */
};

uint64_t hk_now_ns(struct hk_kernel *k);
void hk_timer_arm(struct hk_kernel *k, struct hk_timer *t, uint64_t deadline_ns); /* re-arming moves it */
void hk_timer_cancel(struct hk_kernel *k, struct hk_timer *t);

/* ---- capabilities: minted once by board setup (hostkernel/board_caps.h), checked by identity ---- */

struct hk_cap_process_state;   /* register process-state callbacks */
struct hk_cap_process_info;    /* read TBF package names */
struct hk_cap_memory_map;      /* map memory into another process (Share) */

enum hk_process_event {
	HK_EVENT_STARTED = 0,
	HK_EVENT_FAULTED = 1,
	HK_EVENT_TERMINATED = 2,
	HK_EVENT_RESTARTED = 3,
};

/*
 * Called synchronously at the transition, after the old incarnation's grants, allows and
 * upcalls are gone. `pid` is the identifier the transition ended (for STARTED: the new one);
 * `new_pid` is the restarted identifier (RESTARTED only, else == pid). One incarnation can be
 * reported ended more than once (FAULTED, then RESTARTED or TERMINATED when the fault policy or
 * process control acts on it later), so a listener must treat "pid ended" idempotently.
 */
struct hk_process_listener {
	void (*notify)(struct hk_process_listener *self, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
	               enum hk_process_event event);
	struct hk_process_listener *next; /* kernel-owned */
};

/* 0, or -EPERM if `cap` is not the kernel's minted capability. */
int hk_process_listener_register(struct hk_kernel *k, const struct hk_cap_process_state *cap,
                                 struct hk_process_listener *listener);
/* The TBF package name of pid (not NUL-terminated, *ret_len bytes; NULL/0 if none or bad cap). */
const uint8_t *hk_process_package_name(struct hk_kernel *k, const struct hk_cap_process_info *cap, hk_pid pid,
                                       size_t *ret_len);


/* ---- shared memory regions (IPC Share; every call needs the memory-map capability) ---- */

/*
 * A region is kernel-owned memory (its own host memfd), mapped into processes inside their share
 * window (tock/trap_frame.h), never part of anyone's RAM. Region ids are kernel-wide, from 1,
 * never reused. The board's MPU model (kernel config) decides which sizes exist and how many
 * regions a process may have mapped. Allows never point into a share window (they must lie in
 * the process's own RAM or flash), so a share can never overlap an allowed buffer (the upstream
 * prototype rule) and no capsule ever holds a view of memory that revocation could pull away.
 * When a process ends or restarts, the kernel destroys the regions it owns (revoking them from
 * everyone) and forgets its mappings before the process-state listeners run.
 */

/*
 * Create a zero-filled region of `size` bytes owned by `owner` and map it read-write there.
 * 0 with *ret_region, *ret_address; -EPERM (bad capability), -ESRCH (owner not alive), -EINVAL
 * (size 0 or not expressible by the MPU model), -E2BIG (larger than HK_SHARE_MAX_SIZE), -ENOSPC
 * (owner's MPU regions or share window used up), -ENOMEM (host memory).
 */
#define HK_SHARE_MAX_SIZE (16ull << 20)
int hk_share_create(struct hk_kernel *k, const struct hk_cap_memory_map *cap, hk_pid owner, uint64_t size,
                    uint32_t *ret_region, uint64_t *ret_address);
/*
 * Map region into live pid (read-only unless writable). 0 with *ret_address; -EPERM, -ESRCH,
 * -ENOENT (no such region), -EEXIST (already mapped in pid), -ENOSPC, -ENOMEM.
 */
int hk_share_map(struct hk_kernel *k, const struct hk_cap_memory_map *cap, uint32_t region, hk_pid pid,
                 bool writable, uint64_t *ret_address);
/* Unmap region from pid: 0, -EPERM, -ENOENT (not mapped there). A later access by pid faults. */
int hk_share_unmap(struct hk_kernel *k, const struct hk_cap_memory_map *cap, uint32_t region, hk_pid pid);
/* Revoke region from every process at once and free it: 0, -EPERM, -ENOENT. */
int hk_share_destroy(struct hk_kernel *k, const struct hk_cap_memory_map *cap, uint32_t region);

struct hk_share_region_info {
	hk_pid owner;
	uint64_t size;     /* as created */
	uint32_t mappings; /* processes it is mapped into, the owner included */
};
/* 0 and *ret filled, or -ENOENT. */
int hk_share_region_get(struct hk_kernel *k, uint32_t region, struct hk_share_region_info *ret);
/* The address region is mapped at in pid: 0, or -ENOENT (not mapped there). */
int hk_share_address(struct hk_kernel *k, uint32_t region, hk_pid pid, uint64_t *ret_address, bool *ret_writable);

#endif
