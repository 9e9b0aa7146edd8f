/* Blocking API of IPC Share (0xA0020), on Yield-WaitFor: wait for a grant or a region's end; the commands themselves. */
#pragma once

#include "../../libtock/ipc/ipc_share.h"

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_ipc_share_exists(void);

/* Block until a region is granted to us: its owner and id. */
returncode_t libtocksync_ipc_share_wait_for_grant(uint64_t* owner, uint32_t* region);
/* Block until a region granted to us is gone (destroyed, revoked, owner ended). */
returncode_t libtocksync_ipc_share_wait_for_gone(uint64_t* owner, uint32_t* region);

/* The commands are synchronous already; these forward to libtock_ipc_share_*. */
returncode_t libtocksync_ipc_share_create(uint32_t size, uint32_t* region, void** address);
returncode_t libtocksync_ipc_share_grant(uint64_t receiver, uint32_t region, bool writable);
returncode_t libtocksync_ipc_share_map(uint32_t region, uint32_t* size, void** address);
returncode_t libtocksync_ipc_share_unmap(uint32_t region);
returncode_t libtocksync_ipc_share_destroy(uint32_t region);
returncode_t libtocksync_ipc_share_revoke(uint32_t region, uint64_t receiver);

#ifdef __cplusplus
}
#endif
