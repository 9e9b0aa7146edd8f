/* IPC Relay Request capsule (driver 0xA0010): one-request-one-response transactions, copied allow to allow. */
#ifndef TOCKHOST_IPC_RELAY_REQUEST_H
#define TOCKHOST_IPC_RELAY_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/drivers/ipc_relay_request.h"

/*
 * ABI (DESIGN §6, reference §3.5). The same slots serve both roles:
 *   RO allow 0   outgoing data: the client's request, the server's response.
 *   RW allow 0   incoming data: the client's response buffer, the server's request buffer.
 *   upcall 0     client: response received (status, len, 0); status 0, SIZE (truncated: len =
 *                bytes copied), CANCEL, UNINSTALLED (server disabled), NODEVICE (extension: the
 *                server faulted, restarted or terminated), FAIL (copy failed).
 *   upcall 1     server: a request is waiting (client_low, client_high, 0).
 *
 *   cmd 0              Success.
 *   cmd 0x10 (lo, hi)  client send to server id. ALREADY if the caller has any transaction;
 *                      NODEVICE if no other live process with this driver's grant has that id
 *                      (stale, forged, never used the driver, or the caller's own); UNINSTALLED if
 *                      the server has not enabled requests. Else Success: the caller waits on
 *                      the server, which gets upcall 1. Nothing is copied until the server asks.
 *   cmd 0x11           client cancel. INVAL without a client transaction; else it ends and the
 *                      client gets upcall 0 (CANCEL, 0, 0). A server that already took the
 *                      request finds out when its response fails with NODEVICE.
 *   cmd 0x20 / 0x21    server enable / disable requests. Disable ends the caller's server
 *                      transaction and every client transaction on it (upcall 0 (UNINSTALLED, 0, 0)).
 *   cmd 0x22           server: take the next waiting request, round robin across clients (the
 *                      scan resumes after the client served last). 0x23 (lo, hi): only from that
 *                      client. Success-u32-u64 (copied_len, client_id); Failure-u64 (err, id):
 *                      ALREADY (own transaction active, 0), NODEVICE (nothing waiting, 0), SIZE
 *                      (client_id: the request was truncated to RW allow 0; the transaction
 *                      started anyway and the copied length is that buffer's length), FAIL (0).
 *   cmd 0x24           server respond. INVAL without a server transaction. The transaction ends
 *                      first, whatever follows. NODEVICE if the client died, cancelled or no
 *                      longer waits for this server (response dropped). Else RO allow 0 is copied
 *                      to the client's RW allow 0, the client's transaction ends and it gets
 *                      upcall 0 (0, len, 0) or (SIZE, copied, 0). Success.
 *   other              Failure(NOSUPPORT).
 *
 * One transaction per process (a client's or a server's). Zero-length requests and responses are
 * valid. Per-process state lives in grants; the capsule stores no data and no pointer to any
 * process: peers are kept as IPC Identifiers, which are checked for liveness at every use
 * (ProcessIds are never reused, so an identifier of a dead incarnation can never match again).
 *
 * Extension (process-state callback): when a server faults, restarts or terminates, every client
 * waiting on it or in service with it immediately gets upcall 0 (NODEVICE, 0, 0) and its
 * transaction ends. When a client dies, a server holding its transaction keeps it (so it cannot
 * take another request by mistake) and its respond returns NODEVICE, as upstream specifies.
 */

struct ipc_relay_request;

extern const struct hk_driver_ops ipc_relay_request_ops; /* self = struct ipc_relay_request * */

/*
 * cap: the kernel's process_state capability; the capsule registers a process listener with it.
 * cap NULL: no listener (upstream behaviour: clients of a dead server must time out and cancel).
 * NULL on allocation failure or if the kernel rejects the capability.
 */
struct ipc_relay_request *ipc_relay_request_new(struct hk_kernel *k, uint32_t driver,
                                                const struct hk_cap_process_state *cap);
/*
 * Accepts NULL. The kernel has no call to unregister a process listener, so a capsule created
 * with a capability must be freed only after hk_kernel_free() (or the fake world's free).
 */
void ipc_relay_request_free(struct ipc_relay_request *rr);

/* ---- introspection (ipcctl, tests) ---- */

enum ipc_relay_request_role {
	IPC_RELAY_REQUEST_IDLE = 0,              /* no transaction */
	IPC_RELAY_REQUEST_CLIENT_WAITING = 1,    /* sent; the server has not taken it yet */
	IPC_RELAY_REQUEST_CLIENT_IN_SERVICE = 2, /* the server took it and owes a response */
	IPC_RELAY_REQUEST_SERVER = 3,            /* serving one client's request */
};

struct ipc_relay_request_info {
	hk_pid pid;
	uint64_t id;      /* this process's IPC Identifier */
	bool enabled;     /* accepts requests */
	enum ipc_relay_request_role role;
	uint64_t peer;    /* the server (client roles) or client (server role); 0 when idle */
	bool peer_alive;  /* the peer identifier still names a live process */
	uint32_t waiting; /* server: clients currently waiting on it (not counting one in service) */
};

/* The state of live pid, false if it is not alive or never used the driver (no grant). */
bool ipc_relay_request_get(struct ipc_relay_request *rr, hk_pid pid, struct ipc_relay_request_info *ret);
/* Iterate live processes with a grant in slot order: start with *cursor = 0. */
bool ipc_relay_request_next(struct ipc_relay_request *rr, size_t *cursor, struct ipc_relay_request_info *ret);

#endif
