/* IPC Registry String Name driver (0xA0000) syscalls, one function per syscall (reference §3.3). */
#pragma once

#include "../../tock.h"
#include "tock/drivers/ipc_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_IPC_REGISTRY_STRING_NAME TOCK_DRIVER_IPC_REGISTRY_STRING_NAME
/* The driver takes names of exactly this many bytes (shorter names are zero-padded by the wrappers). */
#define LIBTOCK_IPC_REGISTRY_STRING_NAME_LEN TOCK_IPC_REGISTRY_STRING_NAME_LEN

bool libtock_ipc_registry_string_name_driver_exists(void);
/* Subscribe 0: registration complete, upcall (0, 0, 0). */
returncode_t libtock_ipc_registry_string_name_set_upcall_registration_complete(subscribe_upcall callback, void* opaque);
/* Subscribe 1: discovery complete, upcall (status, id_low, id_high); status NODEVICE if no such service. */
returncode_t libtock_ipc_registry_string_name_set_upcall_discovery_complete(subscribe_upcall callback, void* opaque);
/* Subscribe 2 (tockhost extension): some service registered, upcall (0, 0, 0), coalesced. */
returncode_t libtock_ipc_registry_string_name_set_upcall_service_registered(subscribe_upcall callback, void* opaque);
/* Read-only allow 0: the name, exactly 20 bytes (else the commands fail with SIZE). */
returncode_t libtock_ipc_registry_string_name_set_readonly_allow_name(const uint8_t* name, size_t len);
/* The same under upstream libtock-c's name and signature (apps written for upstream call this). */
returncode_t libtock_ipc_registry_string_name_set_allow_name(void* data, size_t len);
/*
 * Read-only allow 0 of `name` zero-padded to 20 bytes, from a static buffer of this module
 * (len > 20: RETURNCODE_ESIZE, nothing allowed). Un-allow with set_readonly_allow_name(NULL, 0).
 */
returncode_t libtock_ipc_registry_string_name_set_readonly_allow_padded_name(const uint8_t* name, size_t len);
/* Command 1: register the allowed name; SIZE, INVAL (all zero), ALREADY (held by another process). */
returncode_t libtock_ipc_registry_string_name_command_register(void);
/* Command 2: look the allowed name up; the answer comes as upcall 1. */
returncode_t libtock_ipc_registry_string_name_command_discover(void);

#ifdef __cplusplus
}
#endif
