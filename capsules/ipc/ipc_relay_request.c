/* IPC Relay Request capsule (0xA0010): transactions in grants, round-robin request pickup, single-copy transfers. */
#include "capsules/ipc/ipc_relay_request.h"

#include <stddef.h>
#include <stdlib.h>

#include "capsules/ipc/ipc_identifier.h"

/* Per-process state, in the process's grant (zeroed = idle, disabled). */
struct relay_grant {
	uint8_t role;        /* enum ipc_relay_request_role */
	bool enabled;
	bool served_any;     /* last_served is meaningful */
	uint64_t peer;       /* IPC Identifier of the server (client roles) or the client (server role) */
	hk_pid last_served;  /* round-robin position: the client whose request this server took last */
};

struct ipc_relay_request {
	struct hk_process_listener listener;
	struct hk_kernel *kernel;
	uint32_t driver;
};

static struct relay_grant *relay_grant_of(struct ipc_relay_request *rr, hk_pid pid)
{
	return hk_grant_get(rr->kernel, rr->driver, pid);
}

static bool relay_is_client(const struct relay_grant *g)
{
	return g->role == IPC_RELAY_REQUEST_CLIENT_WAITING || g->role == IPC_RELAY_REQUEST_CLIENT_IN_SERVICE;
}

/* True when g is a client transaction (of any stage) addressed to server pid. */
static bool relay_client_of(const struct relay_grant *g, hk_pid server)
{
	return g && relay_is_client(g) && ipc_identifier_pid(g->peer) == server;
}

static void relay_clear(struct relay_grant *g)
{
	g->role = IPC_RELAY_REQUEST_IDLE;
	g->peer = 0;
}

/* End client's transaction and tell it why with upcall 0 (status, len, 0). */
static void relay_finish_client(struct ipc_relay_request *rr, hk_pid client, struct relay_grant *g, uint32_t status,
                                uint32_t len)
{
	relay_clear(g);
	hk_upcall_schedule(rr->kernel, rr->driver, client, TOCK_IPC_RELAY_REQUEST_UPCALL_CLIENT_RESPONSE, status, len, 0);
}

/* End every client transaction addressed to server with `status` (disable: UNINSTALLED; death: NODEVICE). */
static void relay_fail_clients_of(struct ipc_relay_request *rr, hk_pid server, uint32_t status)
{
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(rr->kernel, &cursor, &pid)) {
		struct relay_grant *g = relay_grant_of(rr, pid);

		if (pid != server && relay_client_of(g, server))
			relay_finish_client(rr, pid, g, status, 0);
	}
}

/* ---- client commands ---- */

static struct hk_cmd_ret relay_send(struct ipc_relay_request *rr, const struct hk_call *call, uint64_t server_id)
{
	struct relay_grant *g = call->grant;
	struct relay_grant *sg;
	uint64_t client_id;
	hk_pid server;

	if (g->role != IPC_RELAY_REQUEST_IDLE)
		return hk_cmd_failure(TOCK_ERR_ALREADY);
	if (!ipc_identifier_resolve(rr->kernel, server_id, &server) || server == call->pid)
		return hk_cmd_failure(TOCK_ERR_NODEVICE);
	sg = relay_grant_of(rr, server);
	if (!sg)
		return hk_cmd_failure(TOCK_ERR_NODEVICE);
	if (!sg->enabled)
		return hk_cmd_failure(TOCK_ERR_UNINSTALLED);

	g->role = IPC_RELAY_REQUEST_CLIENT_WAITING;
	g->peer = server_id;
	client_id = ipc_identifier_of(rr->kernel, call->pid);
	hk_upcall_schedule(rr->kernel, call->driver, server, TOCK_IPC_RELAY_REQUEST_UPCALL_SERVER_REQUEST, ipc_identifier_low(client_id),
	                   ipc_identifier_high(client_id), 0);
	return hk_cmd_success();
}

static struct hk_cmd_ret relay_cancel(struct ipc_relay_request *rr, const struct hk_call *call)
{
	struct relay_grant *g = call->grant;

	if (!relay_is_client(g))
		return hk_cmd_failure(TOCK_ERR_INVAL);
	relay_finish_client(rr, call->pid, g, TOCK_ERR_CANCEL, 0);
	return hk_cmd_success();
}

/* ---- server commands ---- */

static struct hk_cmd_ret relay_enable(const struct hk_call *call)
{
	struct relay_grant *g = call->grant;

	g->enabled = true;
	return hk_cmd_success();
}

static struct hk_cmd_ret relay_disable(struct ipc_relay_request *rr, const struct hk_call *call)
{
	struct relay_grant *g = call->grant;

	g->enabled = false;
	if (g->role == IPC_RELAY_REQUEST_SERVER)
		relay_clear(g);
	relay_fail_clients_of(rr, call->pid, TOCK_ERR_UNINSTALLED);
	return hk_cmd_success();
}

/*
 * Round robin: of the clients waiting on server, the one with the smallest ProcessId above the
 * one served last, else (wrapping) the smallest. ProcessIds are unique and ordered, so this serves
 * every waiting client once before any client twice, whatever the slot order; a restarted client
 * (new, larger id) simply joins at the back.
 */
static bool relay_pick_round_robin(struct ipc_relay_request *rr, hk_pid server, const struct relay_grant *sg,
                                   hk_pid *ret_client)
{
	bool after_found = false, any_found = false;
	hk_pid after = 0, any = 0, pid;
	size_t cursor = 0;

	while (hk_process_next(rr->kernel, &cursor, &pid)) {
		const struct relay_grant *g = relay_grant_of(rr, pid);

		if (pid == server || !g || g->role != IPC_RELAY_REQUEST_CLIENT_WAITING ||
		    ipc_identifier_pid(g->peer) != server)
			continue;
		if (!any_found || pid < any)
			any = pid, any_found = true;
		if (sg->served_any && pid > sg->last_served && (!after_found || pid < after))
			after = pid, after_found = true;
	}
	if (!any_found)
		return false;
	*ret_client = after_found ? after : any;
	return true;
}

/* 0x23's client: it must be live and waiting on this server. */
static bool relay_pick_from(struct ipc_relay_request *rr, hk_pid server, uint64_t client_id, hk_pid *ret_client)
{
	const struct relay_grant *g;
	hk_pid client;

	if (!ipc_identifier_resolve(rr->kernel, client_id, &client) || client == server)
		return false;
	g = relay_grant_of(rr, client);
	if (!g || g->role != IPC_RELAY_REQUEST_CLIENT_WAITING || ipc_identifier_pid(g->peer) != server)
		return false;
	*ret_client = client;
	return true;
}

/* Start serving client: copy its request into the server's RW allow 0 and record the transaction. */
static struct hk_cmd_ret relay_take(struct ipc_relay_request *rr, const struct hk_call *call, hk_pid client)
{
	struct relay_grant *sg = call->grant;
	struct relay_grant *cg = relay_grant_of(rr, client);
	struct hk_robuf request;
	size_t copied = 0;
	uint64_t client_id;

	if (hk_allow_ro_get(rr->kernel, call->driver, client, TOCK_IPC_RELAY_REQUEST_ALLOW_RO_OUTGOING, &request) < 0)
		return hk_cmd_failure_u64(TOCK_ERR_FAIL, 0);
	if (request.len > 0 && hk_copy_allow(rr->kernel, call->driver, client, TOCK_IPC_RELAY_REQUEST_ALLOW_RO_OUTGOING, 0, call->pid,
	                                     TOCK_IPC_RELAY_REQUEST_ALLOW_RW_INCOMING, 0, request.len, &copied) < 0)
		return hk_cmd_failure_u64(TOCK_ERR_FAIL, 0);

	client_id = ipc_identifier_of(rr->kernel, client);
	cg->role = IPC_RELAY_REQUEST_CLIENT_IN_SERVICE;
	sg->role = IPC_RELAY_REQUEST_SERVER;
	sg->peer = client_id;
	sg->last_served = client;
	sg->served_any = true;
	/* The "request waiting" upcall for this request is moot now that it is taken; left queued it
	 * would only fill the server's queue (a busy server taking requests without waiting would
	 * lose its other upcalls, e.g. an alarm). */
	hk_upcall_retract(rr->kernel, call->driver, call->pid, TOCK_IPC_RELAY_REQUEST_UPCALL_SERVER_REQUEST,
	                  ipc_identifier_low(client_id), ipc_identifier_high(client_id));
	if (copied < request.len)
		return hk_cmd_failure_u64(TOCK_ERR_SIZE, client_id);
	return hk_cmd_success_u32_u64((uint32_t)copied, client_id);
}

static struct hk_cmd_ret relay_get_next(struct ipc_relay_request *rr, const struct hk_call *call, bool from_one,
                                        uint64_t client_id)
{
	const struct relay_grant *sg = call->grant;
	hk_pid client;
	bool found;

	if (sg->role != IPC_RELAY_REQUEST_IDLE)
		return hk_cmd_failure_u64(TOCK_ERR_ALREADY, 0);
	if (from_one)
		found = relay_pick_from(rr, call->pid, client_id, &client);
	else
		found = relay_pick_round_robin(rr, call->pid, sg, &client);
	if (!found)
		return hk_cmd_failure_u64(TOCK_ERR_NODEVICE, 0);
	return relay_take(rr, call, client);
}

static struct hk_cmd_ret relay_respond(struct ipc_relay_request *rr, const struct hk_call *call)
{
	struct relay_grant *sg = call->grant;
	struct relay_grant *cg;
	struct hk_robuf response;
	size_t copied = 0;
	uint64_t client_id;
	hk_pid client;

	if (sg->role != IPC_RELAY_REQUEST_SERVER)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	/* The transaction ends here, whatever happens to the response (upstream order). */
	client_id = sg->peer;
	relay_clear(sg);

	if (!ipc_identifier_resolve(rr->kernel, client_id, &client))
		return hk_cmd_failure(TOCK_ERR_NODEVICE);
	cg = relay_grant_of(rr, client);
	/* IN_SERVICE with this server: a cancelled-and-resent request is WAITING, so it never gets this response. */
	if (!cg || cg->role != IPC_RELAY_REQUEST_CLIENT_IN_SERVICE || ipc_identifier_pid(cg->peer) != call->pid)
		return hk_cmd_failure(TOCK_ERR_NODEVICE);

	if (hk_allow_ro_get(rr->kernel, call->driver, call->pid, TOCK_IPC_RELAY_REQUEST_ALLOW_RO_OUTGOING, &response) < 0 ||
	    (response.len > 0 && hk_copy_allow(rr->kernel, call->driver, call->pid, TOCK_IPC_RELAY_REQUEST_ALLOW_RO_OUTGOING, 0, client,
	                                       TOCK_IPC_RELAY_REQUEST_ALLOW_RW_INCOMING, 0, response.len, &copied) < 0)) {
		relay_finish_client(rr, client, cg, TOCK_ERR_FAIL, 0);
		return hk_cmd_failure(TOCK_ERR_FAIL);
	}
	relay_finish_client(rr, client, cg, copied < response.len ? TOCK_ERR_SIZE : 0, (uint32_t)copied);
	return hk_cmd_success();
}

static struct hk_cmd_ret relay_command(void *self, const struct hk_call *call, uint32_t command, uint32_t arg0,
                                       uint32_t arg1)
{
	struct ipc_relay_request *rr = self;

	switch (command) {
	case TOCK_IPC_RELAY_REQUEST_CMD_EXISTS:
		return hk_cmd_success();
	case TOCK_IPC_RELAY_REQUEST_CMD_SEND:
		return relay_send(rr, call, ipc_identifier_from_args(arg0, arg1));
	case TOCK_IPC_RELAY_REQUEST_CMD_CANCEL:
		return relay_cancel(rr, call);
	case TOCK_IPC_RELAY_REQUEST_CMD_ENABLE:
		return relay_enable(call);
	case TOCK_IPC_RELAY_REQUEST_CMD_DISABLE:
		return relay_disable(rr, call);
	case TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT:
		return relay_get_next(rr, call, false, 0);
	case TOCK_IPC_RELAY_REQUEST_CMD_GET_NEXT_FROM:
		return relay_get_next(rr, call, true, ipc_identifier_from_args(arg0, arg1));
	case TOCK_IPC_RELAY_REQUEST_CMD_RESPOND:
		return relay_respond(rr, call);
	default:
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

/* ---- process-state extension ---- */

/*
 * The dead incarnation's own grant is already gone (the kernel frees it before calling us). Its
 * clients are told at once; a server that was serving it keeps its transaction and learns at
 * respond time (NODEVICE), since its identifier can never name a live process again.
 */
static void relay_process_event(struct hk_process_listener *l, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                                enum hk_process_event event)
{
	struct ipc_relay_request *rr =
		(struct ipc_relay_request *)(void *)((char *)l - offsetof(struct ipc_relay_request, listener));

	(void)k;
	(void)new_pid;
	if (event == HK_EVENT_FAULTED || event == HK_EVENT_TERMINATED || event == HK_EVENT_RESTARTED)
		relay_fail_clients_of(rr, pid, TOCK_ERR_NODEVICE);
}

struct ipc_relay_request *ipc_relay_request_new(struct hk_kernel *k, uint32_t driver,
                                                const struct hk_cap_process_state *cap)
{
	struct ipc_relay_request *rr = calloc(1, sizeof(*rr));

	if (!rr)
		return NULL;
	rr->kernel = k;
	rr->driver = driver;
	rr->listener.notify = relay_process_event;
	if (cap && hk_process_listener_register(k, cap, &rr->listener) < 0) {
		free(rr);
		return NULL;
	}
	return rr;
}

void ipc_relay_request_free(struct ipc_relay_request *rr)
{
	free(rr);
}

/* ---- introspection ---- */

static uint32_t relay_count_waiting(struct ipc_relay_request *rr, hk_pid server)
{
	uint32_t n = 0;
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(rr->kernel, &cursor, &pid)) {
		const struct relay_grant *g = relay_grant_of(rr, pid);

		if (pid != server && g && g->role == IPC_RELAY_REQUEST_CLIENT_WAITING &&
		    ipc_identifier_pid(g->peer) == server)
			n++;
	}
	return n;
}

bool ipc_relay_request_get(struct ipc_relay_request *rr, hk_pid pid, struct ipc_relay_request_info *ret)
{
	const struct relay_grant *g;

	if (!hk_process_alive(rr->kernel, pid))
		return false;
	g = relay_grant_of(rr, pid);
	if (!g)
		return false;
	ret->pid = pid;
	ret->id = ipc_identifier_of(rr->kernel, pid);
	ret->enabled = g->enabled;
	ret->role = (enum ipc_relay_request_role)g->role;
	ret->peer = g->peer;
	ret->peer_alive = g->role != IPC_RELAY_REQUEST_IDLE && ipc_identifier_is_live(rr->kernel, g->peer);
	ret->waiting = relay_count_waiting(rr, pid);
	return true;
}

bool ipc_relay_request_next(struct ipc_relay_request *rr, size_t *cursor, struct ipc_relay_request_info *ret)
{
	hk_pid pid;

	while (hk_process_next(rr->kernel, cursor, &pid))
		if (ipc_relay_request_get(rr, pid, ret))
			return true;
	return false;
}

const struct hk_driver_ops ipc_relay_request_ops = {
	.name = "ipc_relay_request",
	.grant_size = sizeof(struct relay_grant),
	.num_upcalls = 2,
	.num_allow_ro = 1,
	.num_allow_rw = 1,
	.num_allow_ur = 0,
	.notification_upcalls = 0,
	.command = relay_command,
	.abi = &tock_ipc_relay_request_abi,
};
