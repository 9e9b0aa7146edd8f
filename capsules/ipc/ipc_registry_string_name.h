/* IPC Registry String Name capsule (driver 0xA0000): services register and discover each other by a 20-byte name. */
#ifndef TOCKHOST_IPC_REGISTRY_STRING_NAME_H
#define TOCKHOST_IPC_REGISTRY_STRING_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/drivers/ipc_registry.h"

/*
 * ABI (DESIGN §6, reference §3.3):
 *
 *   RO allow 0   the name: exactly IPC_STRING_NAME_LEN bytes (else SIZE), not all zero (else INVAL).
 *   cmd 0        exists: Success.
 *   cmd 1        register the name. Failures are synchronous: SIZE, INVAL, ALREADY (another live
 *                process holds the name), or the policy's ErrorCode. Registering again replaces
 *                one's own name. Success -> upcall 0 (0, 0, 0) to the caller, and upcall 2 to
 *                every other process that has used this driver.
 *   cmd 2        discover the name: SIZE / INVAL as above, else Success and then upcall 1
 *                (0, id_low, id_high) for the live holder other than the caller, or (NODEVICE, 0, 0).
 *   other        Failure(NOSUPPORT).
 *   upcall 0     registration complete (0, 0, 0)
 *   upcall 1     discovery complete (status, id_low, id_high)
 *   upcall 2     extension: "a service registered" (0, 0, 0). A notification slot: while one is
 *                queued, more are coalesced, so registering in a loop cannot clog anyone's queue.
 *                Sent to processes whose grant for this driver exists (they have issued a command
 *                or otherwise entered it), whether or not they subscribed (the kernel queues it
 *                for yield-wait-for either way).
 *
 * The name lives in the registering process's grant, so it vanishes when the process ends or
 * restarts (the kernel frees the grant); discovery only looks at live processes.
 */

#define IPC_STRING_NAME_LEN TOCK_IPC_REGISTRY_STRING_NAME_LEN

/*
 * Board policy (extension): called before a registration takes effect with the caller and the
 * name it registers (string registry: the 20 bytes; package registry: its TBF package name).
 * Return 0 to allow, or an ErrorCode the command fails with (FAIL recommended; anything outside
 * 1..13 is turned into FAIL). Must not call back into the capsule. To decide by package name,
 * the board's hook reads it itself with hk_process_package_name and its own capability.
 */
#ifndef IPC_REGISTRATION_POLICY_FN_DEFINED
#define IPC_REGISTRATION_POLICY_FN_DEFINED
typedef uint32_t (*ipc_registration_policy_fn)(void *ctx, hk_pid pid, const uint8_t *name, size_t len);
#endif

struct ipc_registry_string_name;

extern const struct hk_driver_ops ipc_registry_string_name_ops; /* self = struct ipc_registry_string_name * */

/* policy NULL = allow every name. NULL on allocation failure. */
struct ipc_registry_string_name *ipc_registry_string_name_new(struct hk_kernel *k, uint32_t driver,
                                                              ipc_registration_policy_fn policy, void *policy_ctx);
void ipc_registry_string_name_free(struct ipc_registry_string_name *r); /* accepts NULL */

/*
 * Introspection (ipcctl, tests): iterate the live registrations in process-slot order. Start with
 * *cursor = 0; each true return fills the holder's ProcessId, its IPC Identifier and a pointer to
 * its IPC_STRING_NAME_LEN-byte name (inside the holder's grant: valid until the next kernel call).
 */
bool ipc_registry_string_name_next(struct ipc_registry_string_name *r, size_t *cursor, hk_pid *ret_pid,
                                   uint64_t *ret_id, const uint8_t **ret_name);

#endif
