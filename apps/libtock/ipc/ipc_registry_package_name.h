/* Asynchronous API of the IPC Registry Package Name (0xA0001): register under the app's TBF package name, discover by it. */
#pragma once

#include "../tock.h"
#include "syscalls/ipc_registry_package_name_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Registration done: RETURNCODE_SUCCESS. Failures (ENOMEM: no package name) are returned synchronously. */
typedef void (*libtock_ipc_registry_package_name_registration_complete_callback)(returncode_t);
/* Discovery done: (RETURNCODE_SUCCESS, the service's IPC Identifier) or (RETURNCODE_ENODEVICE, 0). */
typedef void (*libtock_ipc_registry_package_name_discovery_complete_callback)(returncode_t, uint64_t ipc_id);
/* Shorter names for the same types (the ones above are upstream libtock-c's). */
typedef libtock_ipc_registry_package_name_registration_complete_callback libtock_ipc_registry_package_name_register_callback;
typedef libtock_ipc_registry_package_name_discovery_complete_callback libtock_ipc_registry_package_name_discover_callback;
/* tockhost extension: some process registered. */
typedef void (*libtock_ipc_registry_package_name_service_registered_callback)(void);

bool libtock_ipc_registry_package_name_exists(void);

/* Register this process under its own TBF package name; cb runs once it is registered. */
returncode_t libtock_ipc_registry_package_name_register_service(libtock_ipc_registry_package_name_register_callback cb);

/* Find the process registered under package_name (len bytes, no NUL); the buffer is needed only during the call. */
returncode_t libtock_ipc_registry_package_name_discover_service(libtock_ipc_registry_package_name_discover_callback cb,
                                                                uint8_t* package_name, size_t len);

/* tockhost extension (subscribe 2): call cb whenever a service registers; NULL stops it. Coalesced by the kernel. */
returncode_t libtock_ipc_registry_package_name_set_service_registered_callback(
	libtock_ipc_registry_package_name_service_registered_callback cb);

#ifdef __cplusplus
}
#endif
