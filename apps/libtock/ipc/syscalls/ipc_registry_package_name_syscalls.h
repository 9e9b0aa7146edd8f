/* IPC Registry Package Name driver (0xA0001) syscalls, one function per syscall (reference §3.4). */
#pragma once

#include "../../tock.h"
#include "tock/drivers/ipc_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME TOCK_DRIVER_IPC_REGISTRY_PACKAGE_NAME

bool libtock_ipc_registry_package_name_driver_exists(void);
/* Subscribe 0: registration complete, upcall (0, 0, 0). */
returncode_t libtock_ipc_registry_package_name_set_upcall_registration_complete(subscribe_upcall callback, void* opaque);
/* Subscribe 1: discovery complete, upcall (status, id_low, id_high); status NODEVICE if no such service. */
returncode_t libtock_ipc_registry_package_name_set_upcall_discovery_complete(subscribe_upcall callback, void* opaque);
/* Subscribe 2 (tockhost extension): some service registered, upcall (0, 0, 0), coalesced. */
returncode_t libtock_ipc_registry_package_name_set_upcall_service_registered(subscribe_upcall callback, void* opaque);
/* Read-only allow 0: the TBF package name to discover (any length, no NUL). */
returncode_t libtock_ipc_registry_package_name_set_readonly_allow_name(const uint8_t* name, size_t len);
/* The same under upstream libtock-c's name and signature (apps written for upstream call this). */
returncode_t libtock_ipc_registry_package_name_set_allow_name(void* data, size_t len);
/* Command 1: register under this app's own TBF package name; NOMEM if it has none. */
returncode_t libtock_ipc_registry_package_name_command_register(void);
/* Command 2: look the allowed name up; the answer comes as upcall 1. */
returncode_t libtock_ipc_registry_package_name_command_discover(void);

#ifdef __cplusplus
}
#endif
