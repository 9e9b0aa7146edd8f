/* IPC Share capsule (driver 0xA0020): kernel-owned shared memory regions granted between processes. */
#ifndef TOCKHOST_IPC_SHARE_H
#define TOCKHOST_IPC_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/drivers/ipc_share.h"

/*
 * ABI (DESIGN §6 "Share 0xA0020"; tockhost's own, upstream leaves Share TBD). A region is a
 * kernel-owned memory chunk (its own host memfd) mapped into processes inside their share window
 * (tock/trap_frame.h), never a piece of anyone's RAM. Region ids are kernel-wide, from 1, never
 * reused, so a stale id names nothing.
 *
 *   RO allow 0   cmd 2: {u64 receiver IPC Identifier, u32 region, u32 flags (bit 0 writable)},
 *                native endian, at least 16 bytes. cmd 5: {u64 receiver IPC Identifier}, >= 8.
 *   upcall 0     receiver: a region was granted to it (owner_low, owner_high, region). A
 *                notification: while one is queued, further grants are coalesced into it (the
 *                first one's arguments stay), so no owner can clog a receiver's upcall queue;
 *                region ids are usually handed over out of band (e.g. Relay Request) anyway.
 *   upcall 1     receiver: a region it had mapped is gone (owner_low, owner_high, region): the
 *                owner destroyed it (cmd 4), revoked this receiver (cmd 5), or ended (fault,
 *                restart, exit). The mapping is already gone: a later access faults. Receivers
 *                that were granted the region but never mapped it lose the grant silently (a
 *                later cmd 3 is INVAL): only a mapping, the receiver's own choice, earns an
 *                upcall 1, so create/grant/destroy loops cannot flood anyone either.
 *
 *   cmd 0             Success.
 *   cmd 1 (size)      create a region mapped read-write into the caller. Success-u32-u64
 *                     (region, address). INVAL: size 0 or not expressible by the board's MPU
 *                     model (cortex-m: 2^n >= 32; pmp: multiple of 4; host: multiple of 4096);
 *                     SIZE: larger than 16 MiB; NOMEM: the caller's MPU regions are used up
 *                     (flash + RAM + one per mapped region), the share window is full, or host
 *                     memory ran out.
 *   cmd 2             grant (reads RO allow 0). SIZE: allow shorter than 16 bytes; INVAL: unknown
 *                     flag bits, the region is not the caller's, or the receiver is the caller;
 *                     NODEVICE: the receiver identifier is stale, forged or dead; ALREADY: the
 *                     receiver has it mapped (unmap first to change the flags). Granting again
 *                     while unmapped replaces the flags. Success, and the receiver gets upcall 0.
 *   cmd 3 (region)    receiver: map it, read-only unless granted writable. Success-u32-u64
 *                     (size, address). INVAL: no such region or not granted to the caller;
 *                     ALREADY: already mapped (the owner's own region always is); NOMEM: MPU
 *                     regions or window used up.
 *   cmd 4 (region)    owner: destroy it, revoking every mapping (each mapper gets upcall 1).
 *                     Receiver: unmap it (the grant stays; ALREADY if it was not mapped).
 *                     INVAL: no such region, or neither owned by nor granted to the caller.
 *   cmd 5 (region)    owner: revoke one receiver (reads its identifier from RO allow 0): its
 *                     mapping goes, its grant goes, it gets upcall 1 if it had mapped it. SIZE: allow shorter than 8;
 *                     INVAL: not the caller's region; NODEVICE: the identifier names no live
 *                     process; INVAL: a live process the region is not granted to.
 *   other             Failure(NOSUPPORT).
 *
 * Enforcement is the host MMU's: a read-only grant is mapped from a read-only file description,
 * so a write faults (memory access violation report); after unmap, revoke or destroy the range is
 * unmapped (destroy also truncates the memory at once), so an access faults like an MPU violation.
 * Allows cannot point into a share window (INVAL), so a share never overlaps an allowed buffer.
 */

struct ipc_share;

extern const struct hk_driver_ops ipc_share_ops; /* self = struct ipc_share * */

/*
 * memory: the kernel's memory-map capability (required); state: the process-state capability,
 * for upcall 1 when an owner ends (NULL: receivers are not told, their mappings still vanish).
 * NULL on allocation failure, without the memory capability, or if the kernel rejects `state`.
 */
struct ipc_share *ipc_share_new(struct hk_kernel *k, uint32_t driver, const struct hk_cap_memory_map *memory,
                                const struct hk_cap_process_state *state);
/* Accepts NULL. Free only after hk_kernel_free() (the process listener stays registered until then). */
void ipc_share_free(struct ipc_share *s);

/* ---- introspection (ipcctl, tests) ---- */

struct ipc_share_region_info {
	uint32_t region;
	hk_pid owner;
	uint64_t owner_id, size;
	size_t grants;
};
struct ipc_share_grant_info {
	hk_pid receiver;
	uint64_t receiver_id;
	bool writable, mapped;
	uint64_t address; /* when mapped */
};
/* Regions by index: false past the end. */
bool ipc_share_region_at(struct ipc_share *s, size_t index, struct ipc_share_region_info *ret);
/* Grants of the region at `index`, by grant index: false past the end. */
bool ipc_share_grant_at(struct ipc_share *s, size_t index, size_t grant, struct ipc_share_grant_info *ret);

#endif
