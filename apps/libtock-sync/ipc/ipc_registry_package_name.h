/* Blocking API of the IPC Registry Package Name (0xA0001), on Yield-WaitFor. */
#pragma once

#include "../../libtock/ipc/ipc_registry_package_name.h"

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_ipc_registry_package_name_exists(void);

/* Register under this app's TBF package name and wait for the confirmation. ENOMEM: the app has no package name. */
returncode_t libtocksync_ipc_registry_package_name_register_service(void);

/* Find the process registered under package_name (len bytes): 0 and *ipc_id, or RETURNCODE_ENODEVICE. */
returncode_t libtocksync_ipc_registry_package_name_discover_service(const uint8_t* package_name, size_t len,
                                                                    uint64_t* ipc_id);

/* tockhost extension: block until some service registers (subscribe 2). */
returncode_t libtocksync_ipc_registry_package_name_wait_for_service_registered(void);

#ifdef __cplusplus
}
#endif
