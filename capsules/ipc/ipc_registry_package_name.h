/* IPC Registry Package Name capsule (driver 0xA0001): services register under and are discovered by their TBF package name. */
#ifndef TOCKHOST_IPC_REGISTRY_PACKAGE_NAME_H
#define TOCKHOST_IPC_REGISTRY_PACKAGE_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/drivers/ipc_registry.h"

/*
 * ABI (DESIGN §6, reference §3.4):
 *
 *   RO allow 0   the package name to discover: any length, compared byte for byte with TBF
 *                package names (no NUL).
 *   cmd 0        exists: Success.
 *   cmd 1        register under the caller's own TBF package name. NOMEM if it has none (upstream's
 *                choice), or the policy's ErrorCode; no duplicate check. Success -> upcall 0
 *                (0, 0, 0) to the caller, and upcall 2 to every other process that has used this driver.
 *   cmd 2        discover: Success, then upcall 1 (0, id_low, id_high) for the first live
 *                registered process (slot order) other than the caller whose package name equals
 *                RO allow 0, or (NODEVICE, 0, 0).
 *   other        Failure(NOSUPPORT).
 *   upcall 0/1   registration / discovery complete, as above.
 *   upcall 2     extension: "a service registered" (0, 0, 0), a coalescing notification slot.
 *
 * Only a flag lives in the grant (the package name is the kernel's), so a registration vanishes
 * with the process's grant when it ends or restarts.
 */

#ifndef IPC_REGISTRATION_POLICY_FN_DEFINED
#define IPC_REGISTRATION_POLICY_FN_DEFINED
/* See ipc_registry_string_name.h: 0 allows, an ErrorCode (FAIL recommended) rejects. */
typedef uint32_t (*ipc_registration_policy_fn)(void *ctx, hk_pid pid, const uint8_t *name, size_t len);
#endif

struct ipc_registry_package_name;

extern const struct hk_driver_ops ipc_registry_package_name_ops; /* self = struct ipc_registry_package_name * */

/*
 * cap: the kernel's process_info capability (reads package names; without the right one every
 * registration fails with NOMEM and nothing is ever found). policy NULL = allow all.
 * NULL on allocation failure.
 */
struct ipc_registry_package_name *ipc_registry_package_name_new(struct hk_kernel *k, uint32_t driver,
                                                                const struct hk_cap_process_info *cap,
                                                                ipc_registration_policy_fn policy, void *policy_ctx);
void ipc_registry_package_name_free(struct ipc_registry_package_name *r); /* accepts NULL */

/*
 * Introspection (ipcctl, tests): iterate live registered processes in slot order. Start with
 * *cursor = 0; each true return fills the ProcessId, the IPC Identifier and the package name
 * (kernel-owned, *ret_len bytes, not NUL-terminated; valid while the process lives).
 */
bool ipc_registry_package_name_next(struct ipc_registry_package_name *r, size_t *cursor, hk_pid *ret_pid,
                                    uint64_t *ret_id, const uint8_t **ret_name, size_t *ret_len);

#endif
