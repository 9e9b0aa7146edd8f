/* IPC Identifier (DESIGN §6, reference §3.2): u64 = ProcessId (low 32) | ShortId (high 32); encode, decode, resolve. */
#ifndef TOCKHOST_IPC_IDENTIFIER_H
#define TOCKHOST_IPC_IDENTIFIER_H

#include <stdbool.h>
#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/abi.h"

/*
 * The identifier is opaque and forgeable: userspace may pass any u64. It therefore never grants
 * anything by itself; every use goes through ipc_identifier_resolve(), which accepts it only if
 * the ProcessId half names a live process AND the ShortId half matches that process's ShortId.
 * ProcessIds are never reused, so an identifier of a dead incarnation can never resolve again
 * (it fails with NODEVICE at the call site), which is why capsules may keep identifiers of other
 * processes in their grants without further bookkeeping.
 */

static inline uint64_t ipc_identifier_make(hk_pid pid, uint32_t short_id)
{
	return ((uint64_t)short_id << 32) | (uint64_t)pid;
}

/* The identifier of a process as other processes see it (its current ShortId in the high half). */
static inline uint64_t ipc_identifier_of(struct hk_kernel *k, hk_pid pid)
{
	return ipc_identifier_make(pid, hk_process_short_id(k, pid));
}

/* Commands carry the identifier as (arg0 = low, arg1 = high). */
static inline uint64_t ipc_identifier_from_args(uint32_t low, uint32_t high)
{
	return ((uint64_t)high << 32) | (uint64_t)low;
}

static inline uint32_t ipc_identifier_low(uint64_t id) { return (uint32_t)id; }
static inline uint32_t ipc_identifier_high(uint64_t id) { return (uint32_t)(id >> 32); }
static inline hk_pid ipc_identifier_pid(uint64_t id) { return (hk_pid)(uint32_t)id; }

/*
 * Resolve id to a live process. true and *ret_pid on success; false (callers answer NODEVICE)
 * when the process is dead or unknown (stale id) or the ShortId half does not match (forged id).
 * *ret_pid is left untouched on failure. ret_pid may be NULL (liveness check only).
 */
static inline bool ipc_identifier_resolve(struct hk_kernel *k, uint64_t id, hk_pid *ret_pid)
{
	hk_pid pid = ipc_identifier_pid(id);

	if (!hk_process_alive(k, pid))
		return false;
	if (hk_process_short_id(k, pid) != ipc_identifier_high(id))
		return false;
	if (ret_pid)
		*ret_pid = pid;
	return true;
}

/* True when pid is alive and its identifier is still id (a pid kept in a grant that is still that incarnation). */
static inline bool ipc_identifier_is_live(struct hk_kernel *k, uint64_t id)
{
	return ipc_identifier_resolve(k, id, NULL);
}

#endif
