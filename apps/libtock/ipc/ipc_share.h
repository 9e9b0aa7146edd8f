/* Asynchronous API of IPC Share (0xA0020): create, grant, map, unmap, destroy and revoke shared memory regions. */
#pragma once

#include "../tock.h"
#include "syscalls/ipc_share_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A region is kernel-owned memory mapped into the owner (read-write) and into each receiver that
 * maps it (read-only unless granted writable). Sizes follow the board's MPU model (cortex-m:
 * power of two >= 32; pmp: multiple of 4; host: multiple of 4096). Each mapped region takes one
 * MPU region of the process. After unmap/revoke/destroy, or when the owner ends, the memory is
 * gone from the receiver: touching it faults the process. Region memory cannot be allowed to a
 * driver (copy it into RAM first).
 */

/* A region was granted to us by owner, or (gone callback) is gone for us. */
typedef void (*libtock_ipc_share_callback)(uint64_t owner, uint32_t region);

bool libtock_ipc_share_exists(void);

/* Create a region of size bytes, mapped read-write here. */
returncode_t libtock_ipc_share_create(uint32_t size, uint32_t* region, void** address);
/* Grant our region to receiver (read-only unless writable); it gets its granted callback. */
returncode_t libtock_ipc_share_grant(uint64_t receiver, uint32_t region, bool writable);
/* Map a region granted to us; *size is the region's size. */
returncode_t libtock_ipc_share_map(uint32_t region, uint32_t* size, void** address);
/* Receiver: unmap it (the grant stays: it may be mapped again). */
returncode_t libtock_ipc_share_unmap(uint32_t region);
/* Owner: destroy it, revoking it from every receiver. */
returncode_t libtock_ipc_share_destroy(uint32_t region);
/* Owner: revoke one receiver's grant (and mapping). */
returncode_t libtock_ipc_share_revoke(uint32_t region, uint64_t receiver);

/* Be told about grants to us / regions gone for us; NULL stops it. */
returncode_t libtock_ipc_share_set_granted_callback(libtock_ipc_share_callback cb);
returncode_t libtock_ipc_share_set_gone_callback(libtock_ipc_share_callback cb);

#ifdef __cplusplus
}
#endif
