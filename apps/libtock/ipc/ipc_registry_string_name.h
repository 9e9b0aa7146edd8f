/* Asynchronous API of the IPC Registry String Name (0xA0000): register and discover services by a name of up to 20 bytes. */
#pragma once

#include "../tock.h"
#include "syscalls/ipc_registry_string_name_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Registration done: RETURNCODE_SUCCESS. Failures are returned by register_service itself. The
 * type and its name are upstream libtock-c's (its examples pass a `void f(returncode_t)`); an
 * older upstream draft had a second `bool` argument, which the published wrappers dropped.
 */
typedef void (*libtock_ipc_registry_string_name_registration_complete_callback)(returncode_t);
/* Discovery done: (RETURNCODE_SUCCESS, the service's IPC Identifier) or (RETURNCODE_ENODEVICE, 0). */
typedef void (*libtock_ipc_registry_string_name_discovery_complete_callback)(returncode_t, uint64_t);
/* Shorter names for the same types. */
typedef libtock_ipc_registry_string_name_registration_complete_callback libtock_ipc_registry_string_name_register_callback;
typedef libtock_ipc_registry_string_name_discovery_complete_callback libtock_ipc_registry_string_name_discover_callback;
/* tockhost extension: some process registered a name (which one: discover again). */
typedef void (*libtock_ipc_registry_string_name_service_registered_callback)(void);

bool libtock_ipc_registry_string_name_exists(void);

/*
 * Register this process under `name` (len <= 20 bytes, e.g. strlen(name); zero-padded to the
 * 20 bytes the driver needs). Returns at once: ESIZE (len > 20), EINVAL (all-zero name),
 * EALREADY (another live process holds it); on success cb runs later. Re-registering replaces
 * one's own name. The name is copied; the caller's buffer is not kept.
 */
returncode_t libtock_ipc_registry_string_name_register_service(libtock_ipc_registry_string_name_register_callback cb,
                                                               uint8_t* name, size_t len);

/* Look `name` up (padded as above); cb gets the identifier of the process holding it, or ENODEVICE. */
returncode_t libtock_ipc_registry_string_name_discover_service(libtock_ipc_registry_string_name_discover_callback cb,
                                                               uint8_t* name, size_t len);

/* tockhost extension (subscribe 2): call cb whenever a service registers; NULL stops it. Coalesced by the kernel. */
returncode_t libtock_ipc_registry_string_name_set_service_registered_callback(
	libtock_ipc_registry_string_name_service_registered_callback cb);

#ifdef __cplusplus
}
#endif
