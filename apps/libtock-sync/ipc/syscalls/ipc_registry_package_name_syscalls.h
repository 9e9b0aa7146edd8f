/* IPC Registry Package Name Yield-WaitFor helpers, under upstream libtock-c's names (libtock-sync/ipc/syscalls). */
#pragma once

#include "../../../libtock/ipc/syscalls/ipc_registry_package_name_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Block for upcall 0 (status, 0, 0): registration complete. */
returncode_t libtocksync_ipc_registry_package_name_yield_wait_for_registration_complete(void);
/* Block for upcall 1 (status, id_low, id_high): 0 and *ipc_id, or the status (ENODEVICE: not found). */
returncode_t libtocksync_ipc_registry_package_name_yield_wait_for_discovery_complete(uint64_t* ipc_id);

#ifdef __cplusplus
}
#endif
