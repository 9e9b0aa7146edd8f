/* IPC Share driver (0xA0020, tockhost's shared memory regions) syscalls, one function per syscall (DESIGN §6). */
#pragma once

#include "../../tock.h"
#include "tock/drivers/ipc_share.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_IPC_SHARE TOCK_DRIVER_IPC_SHARE
/* Grant request in RO allow 0 (native endian): receiver id, region, flags. */
#define LIBTOCK_IPC_SHARE_GRANT_REQUEST_LEN TOCK_IPC_SHARE_GRANT_REQUEST_LEN
#define LIBTOCK_IPC_SHARE_WRITABLE TOCK_IPC_SHARE_FLAG_WRITABLE

bool libtock_ipc_share_driver_exists(void);
/* Subscribe 0 (receiver): a region was granted to us, upcall (owner_low, owner_high, region). */
returncode_t libtock_ipc_share_set_upcall_granted(subscribe_upcall callback, void* opaque);
/* Subscribe 1 (receiver): a granted region is gone (destroyed, revoked, owner ended), same arguments. */
returncode_t libtock_ipc_share_set_upcall_gone(subscribe_upcall callback, void* opaque);
/* Read-only allow 0: the grant request (cmd 2) or the receiver identifier to revoke (cmd 5). */
returncode_t libtock_ipc_share_set_readonly_allow_request(const void* request, size_t len);
/* Command 1: create a region of size bytes (MPU-model sizes only: EINVAL, ESIZE > 16 MiB, ENOMEM budget). */
returncode_t libtock_ipc_share_command_create(uint32_t size, uint32_t* region, uint64_t* address);
/* Command 2: grant per RO allow 0 (ESIZE short request, EINVAL, ENODEVICE bad receiver, EALREADY mapped). */
returncode_t libtock_ipc_share_command_grant(void);
/* Command 3: map a region granted to us (EINVAL not granted, EALREADY mapped, ENOMEM budget). */
returncode_t libtock_ipc_share_command_map(uint32_t region, uint32_t* size, uint64_t* address);
/* Command 4: owner: destroy; receiver: unmap (EALREADY if not mapped). */
returncode_t libtock_ipc_share_command_unmap_or_destroy(uint32_t region);
/* Command 5: owner: revoke the receiver named in RO allow 0 (ENODEVICE dead id, EINVAL not granted). */
returncode_t libtock_ipc_share_command_revoke(uint32_t region);

#ifdef __cplusplus
}
#endif
