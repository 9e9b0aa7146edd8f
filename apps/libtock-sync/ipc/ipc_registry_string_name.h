/* Blocking API of the IPC Registry String Name (0xA0000), on Yield-WaitFor. */
#pragma once

#include "../../libtock/ipc/ipc_registry_string_name.h"

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_ipc_registry_string_name_exists(void);

/*
 * Register this process under `name` (len <= 20, zero-padded) and wait until the registry
 * confirms. ESIZE, EINVAL (all-zero name), EALREADY (held by another live process).
 */
returncode_t libtocksync_ipc_registry_string_name_register_service(const uint8_t* name, size_t len);

/* Look `name` up and wait for the answer: 0 and *ipc_id, or RETURNCODE_ENODEVICE if nobody holds it. */
returncode_t libtocksync_ipc_registry_string_name_discover_service(const uint8_t* name, size_t len, uint64_t* ipc_id);

/*
 * tockhost extension: block until some service registers (subscribe 2). A registration that
 * happened before the call but after the last wait also counts (the kernel keeps one queued).
 */
returncode_t libtocksync_ipc_registry_string_name_wait_for_service_registered(void);

#ifdef __cplusplus
}
#endif
