/* libFuzzer harness: random syscall sequences from several fake processes against the IPC capsules, with invariants. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_identifier.h"
#include "capsules/ipc/ipc_registry_package_name.h"
#include "capsules/ipc/ipc_registry_string_name.h"
#include "capsules/ipc/ipc_relay_message.h"
#include "capsules/ipc/ipc_relay_request.h"
#include "hostkernel/core/core.h" /* read-only peeks at upcall queues: which entries an operation added */
#include "hostkernel/fake/fake_backend.h"

/*
 * The input is a sequence of operations (spawn, command, allows, subscribe, yields, faults,
 * exits, kernel process control, time, the app scribbling on its own slice). Around each one
 * the harness snapshots what it can observe, and afterwards checks invariants: the documented
 * capsule state machine (through the capsules' introspection), every upcall the operation
 * queued (a queue only grows at its tail except for the actor's own yields and subscribes),
 * Relay Message's slice arithmetic, and the kernel's per-process bookkeeping.
 */

#define FZ_MAX_PROCS 6
#define FZ_RAM 16384u
#define FZ_DATA (FZ_RAM / 2) /* below the initial break: valid for every allow */
#define FZ_MAX_ENDED 16
#define FZ_MAX_GONE 16

#define STR TOCK_DRIVER_IPC_REGISTRY_STRING_NAME
#define PKG TOCK_DRIVER_IPC_REGISTRY_PACKAGE_NAME
#define RR TOCK_DRIVER_IPC_RELAY_REQUEST
#define RM TOCK_DRIVER_IPC_RELAY_MESSAGE
#define BOGUS 0xA00FFu

#define CHECK(cond)                                                                                                \
	do {                                                                                                       \
		if (!(cond)) {                                                                                     \
			fprintf(stderr, "fuzz_ipc: invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);  \
			abort();                                                                                   \
		}                                                                                                  \
	} while (0)

static const uint32_t fz_drivers[] = { STR, PKG, RR, RM, BOGUS };
static const char *const fz_packages[] = { "svc.a", "svc.b", "svc.a", "", "client" };
static const uint32_t fz_short_ids[] = { 0, 0, 7, 0x1234, 0xffffffffu };
static const size_t fz_budgets[] = { 0, 96, 160, 256, 512 };
static const uint8_t fz_names[3][IPC_STRING_NAME_LEN] = { "echo.service.......", "clock", { 0xff, 1 } };

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static uint8_t in_u8(struct fz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t in_u32(struct fz_in *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | in_u8(in);
	return v;
}

/* What one slot looked like before an operation. */
struct fz_slot_snap {
	hk_pid pid;
	bool alive;
	uint32_t q_count;
	uint64_t dropped;
	bool rr_valid;
	struct ipc_relay_request_info rr;
	struct hk_buf slice; /* RM RW 0 view */
	uint8_t header[8];
	bool rm_valid;
	struct ipc_relay_message_info rm;
};

/* What the current operation is, so the checks know which changes it may make. */
struct fz_op {
	struct hk_process *actor; /* NULL for time and spawn */
	bool lifecycle;           /* may end or restart processes */
	bool pops_actor_queue;    /* yield / subscribe: the actor's queue may shrink */
	bool touches_actor_slice; /* the actor rewrote or re-allowed its own slice */
	uint32_t driver, cmd;     /* command only (driver 0 otherwise) */
	bool is_command;
	bool had_grant;             /* the actor's grant for driver existed before */
	uint64_t id;              /* the identifier argument */
	struct hk_fake_ret ret;
	int rm_target;            /* RM send: receiver slot, or -1 */
	uint32_t rm_expect;       /* the modelled result: 0 success, else the ErrorCode */
	uint64_t rm_record;       /* header + payload */
	uint8_t msg[1024];        /* the sender's message before the send (first bytes) */
	size_t msg_len;
};

struct fz {
	struct hk_fake_world *w;
	struct hk_kernel *k;
	struct ipc_registry_string_name *str;
	struct ipc_registry_package_name *pkg;
	struct ipc_relay_request *rr;
	struct ipc_relay_message *rm;
	struct hk_process_listener listener;
	uint32_t depth;
	bool policy;             /* the registries run fz_policy */
	size_t nsnap;            /* slots in before[] */
	struct hk_process *procs[FZ_MAX_PROCS];
	size_t nprocs;
	uint64_t old_ids[32]; /* identifiers of ended incarnations, for stale-id commands */
	size_t n_old;
	hk_pid ended[FZ_MAX_ENDED]; /* pids that ended during the current operation */
	size_t n_ended;
	struct fz_slot_snap before[FZ_MAX_PROCS];
	/* Relay Request round robin, as the harness models it: the client each server took last. */
	bool served_any[FZ_MAX_PROCS];
	hk_pid last_served[FZ_MAX_PROCS], served_by[FZ_MAX_PROCS];
	/* Relay Message upcall 1: the sender incarnations each receiver incarnation heard about. */
	hk_pid gone_for[FZ_MAX_PROCS];
	uint64_t gone[FZ_MAX_PROCS][FZ_MAX_GONE];
	size_t n_gone[FZ_MAX_PROCS];
};

static struct fz *fz_of_listener(struct hk_process_listener *l)
{
	return (struct fz *)(void *)((char *)l - offsetof(struct fz, listener));
}

static void fz_notify(struct hk_process_listener *l, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                      enum hk_process_event event)
{
	struct fz *f = fz_of_listener(l);

	(void)new_pid;
	if (event == HK_EVENT_STARTED)
		return;
	if (f->n_ended < FZ_MAX_ENDED)
		f->ended[f->n_ended++] = pid;
	if (f->n_old < sizeof(f->old_ids) / sizeof(f->old_ids[0]))
		f->old_ids[f->n_old++] = ipc_identifier_make(pid, hk_process_short_id(k, new_pid));
}

static bool fz_ended_now(const struct fz *f, hk_pid pid)
{
	for (size_t i = 0; i < f->n_ended; i++)
		if (f->ended[i] == pid)
			return true;
	return false;
}

static bool fz_alive(struct fz *f, size_t slot)
{
	return hk_process_alive(f->k, hk_process_pid(f->procs[slot]));
}

static int fz_slot_of_pid(struct fz *f, hk_pid pid)
{
	for (size_t i = 0; i < f->nprocs; i++)
		if (hk_process_pid(f->procs[i]) == pid)
			return (int)i;
	return -1;
}

static struct hk_process *fz_pick(struct fz *f, struct fz_in *in)
{
	return f->nprocs ? f->procs[in_u8(in) % f->nprocs] : NULL;
}

/* An identifier for a command: live, dead, stale, own, forged. */
static uint64_t fz_pick_id(struct fz *f, struct fz_in *in, struct hk_process *self)
{
	uint8_t sel = in_u8(in);

	switch (sel % 6) {
	case 0:
	case 1:
		return f->nprocs ? ipc_identifier_of(f->k, hk_process_pid(f->procs[(sel >> 3) % f->nprocs])) : 0;
	case 2:
		return f->n_old ? f->old_ids[(sel >> 3) % f->n_old] : 0;
	case 3:
		return self ? ipc_identifier_of(f->k, hk_process_pid(self)) : 0;
	case 4: /* right ProcessId, wrong ShortId */
		return f->nprocs ? ipc_identifier_of(f->k, hk_process_pid(f->procs[(sel >> 3) % f->nprocs])) ^
		                           ((uint64_t)(in_u8(in) | 1) << 32)
		                 : 0;
	default:
		return ((uint64_t)in_u32(in) << 32) | (sel >> 3);
	}
}

/* ---- snapshots ---- */

static void fz_snap_slot(struct fz *f, size_t i, struct fz_slot_snap *s)
{
	struct hk_process *p = f->procs[i];

	memset(s, 0, sizeof(*s));
	s->pid = hk_process_pid(p);
	s->alive = fz_alive(f, i);
	s->q_count = p->q_count;
	s->dropped = p->n_dropped;
	s->rr_valid = ipc_relay_request_get(f->rr, s->pid, &s->rr);
	s->rm_valid = ipc_relay_message_info(f->rm, s->pid, &s->rm) == 0;
	if (hk_allow_rw_get(f->k, RM, s->pid, IPC_RELAY_MESSAGE_RW_SLICE, &s->slice) == 0 && s->slice.len >= 8)
		memcpy(s->header, s->slice.ptr, 8);
}

static void fz_snapshot(struct fz *f)
{
	for (size_t i = 0; i < f->nprocs; i++)
		fz_snap_slot(f, i, &f->before[i]);
	f->nsnap = f->nprocs;
	f->n_ended = 0;
}

static uint32_t header_offset(const uint8_t *h)
{
	uint32_t v;

	memcpy(&v, h + 4, 4);
	return v;
}

/* ---- models of the documented command results ---- */

static bool slice_header_ok(const uint8_t *h)
{
	return h[0] == 0 && h[1] == 0 && h[2] == 0 && (h[3] & ~3u) == 0;
}

static bool list_has(const struct hk_robuf *list, uint64_t id)
{
	if (list->len % 8 != 0)
		return false;
	for (size_t i = 0; i < list->len; i += 8) {
		uint64_t v;

		memcpy(&v, list->ptr + i, 8);
		if (v == id)
			return true;
	}
	return false;
}

/* Relay Message send, in the documented order of checks: 0 or the ErrorCode. */
static uint32_t model_rm_send(struct fz *f, struct fz_op *op, hk_pid sender, uint64_t rid)
{
	struct ipc_relay_message_info info;
	struct hk_robuf list, msg;
	struct hk_buf slice;
	hk_pid r;
	uint32_t off;

	if (!ipc_identifier_resolve(f->k, rid, &r))
		return TOCK_ERR_NODEVICE;
	op->rm_target = fz_slot_of_pid(f, r);
	if (ipc_relay_message_info(f->rm, r, &info) != 0 || !info.enabled)
		return TOCK_ERR_OFF;
	CHECK(hk_allow_ro_get(f->k, RM, r, IPC_RELAY_MESSAGE_RO_ALLOWLIST, &list) == 0);
	if (!list_has(&list, ipc_identifier_of(f->k, sender)))
		return TOCK_ERR_NOACK;
	CHECK(hk_allow_rw_get(f->k, RM, r, IPC_RELAY_MESSAGE_RW_SLICE, &slice) == 0);
	CHECK(hk_allow_ro_get(f->k, RM, sender, IPC_RELAY_MESSAGE_RO_MESSAGE, &msg) == 0);
	op->msg_len = msg.len < sizeof(op->msg) ? msg.len : sizeof(op->msg);
	if (op->msg_len)
		memcpy(op->msg, msg.ptr, op->msg_len);
	op->rm_record = IPC_RELAY_MESSAGE_RECORD_HEADER + (uint64_t)msg.len;
	if (slice.len < 8)
		return TOCK_ERR_SIZE;
	if (!slice_header_ok(slice.ptr))
		return TOCK_ERR_INVAL;
	if ((slice.ptr[3] & 3u) == 3u)
		return TOCK_ERR_BUSY;
	off = header_offset(slice.ptr);
	if ((uint64_t)off + op->rm_record > UINT32_MAX)
		return TOCK_ERR_FAIL;
	if (8u + (uint64_t)off + op->rm_record > slice.len)
		return TOCK_ERR_SIZE;
	return 0;
}

/* Relay Request 0x22 / 0x23: the client the server must get (round robin), or -1 for NODEVICE. */
static int model_rr_pick(struct fz *f, size_t server, bool from_one, uint64_t id)
{
	hk_pid spid = f->before[server].pid;
	int any = -1, after = -1;

	for (size_t j = 0; j < f->nsnap; j++) {
		const struct fz_slot_snap *b = &f->before[j];

		if (!b->alive || !b->rr_valid || b->rr.role != IPC_RELAY_REQUEST_CLIENT_WAITING ||
		    ipc_identifier_pid(b->rr.peer) != spid || b->pid == spid)
			continue;
		if (from_one && ipc_identifier_of(f->k, b->pid) != id)
			continue;
		if (any < 0 || b->pid < f->before[any].pid)
			any = (int)j;
		if (f->served_any[server] && f->served_by[server] == spid && b->pid > f->last_served[server] &&
		    (after < 0 || b->pid < f->before[after].pid))
			after = (int)j;
	}
	return after >= 0 ? after : any;
}

static void expect_ret(const struct fz_op *op, uint32_t variant, uint32_t r1)
{
	CHECK(op->ret.r0 == variant);
	CHECK(op->ret.r1 == r1);
}

static void expect_err(const struct fz_op *op, uint32_t err)
{
	if (err)
		expect_ret(op, TOCK_RET_FAILURE, err);
	else
		expect_ret(op, TOCK_RET_SUCCESS, 0);
}

static uint32_t rr_role_now(struct fz *f, hk_pid pid, uint64_t *ret_peer)
{
	struct ipc_relay_request_info info;

	if (!ipc_relay_request_get(f->rr, pid, &info))
		return IPC_RELAY_REQUEST_IDLE;
	if (ret_peer)
		*ret_peer = info.peer;
	return info.role;
}

/* The expected answer to 0x22/0x23 and the state it leaves. */
static void check_rr_take(struct fz *f, const struct fz_op *op, size_t a)
{
	const struct fz_slot_snap *b = &f->before[a];
	int c = b->rr.role != IPC_RELAY_REQUEST_IDLE ? -2 : model_rr_pick(f, a, op->cmd == 0x23, op->id);
	struct hk_robuf req;
	struct hk_buf in;
	uint64_t cid, peer = 0;
	size_t n;

	if (c == -2 || c == -1) {
		CHECK(op->ret.r0 == TOCK_RET_FAILURE_U64 && op->ret.r2 == 0 && op->ret.r3 == 0);
		CHECK(op->ret.r1 == (c == -2 ? TOCK_ERR_ALREADY : TOCK_ERR_NODEVICE));
		return;
	}
	cid = ipc_identifier_of(f->k, f->before[c].pid);
	CHECK(hk_allow_ro_get(f->k, RR, f->before[c].pid, 0, &req) == 0);
	CHECK(hk_allow_rw_get(f->k, RR, b->pid, 0, &in) == 0);
	n = req.len < in.len ? req.len : in.len;
	CHECK(op->ret.r0 == (n < req.len ? TOCK_RET_FAILURE_U64 : TOCK_RET_SUCCESS_U32_U64));
	CHECK(op->ret.r1 == (n < req.len ? TOCK_ERR_SIZE : (uint32_t)n));
	CHECK(op->ret.r2 == (uint32_t)cid && op->ret.r3 == (uint32_t)(cid >> 32));
	CHECK(n == 0 || memcmp(in.ptr, req.ptr, n) == 0);
	CHECK(rr_role_now(f, b->pid, &peer) == IPC_RELAY_REQUEST_SERVER && peer == cid);
	CHECK(rr_role_now(f, f->before[c].pid, &peer) == IPC_RELAY_REQUEST_CLIENT_IN_SERVICE);
	CHECK(ipc_identifier_pid(peer) == b->pid);
	f->served_any[a] = true;
	f->served_by[a] = b->pid;
	f->last_served[a] = f->before[c].pid;
}

static void check_rr_respond(struct fz *f, const struct fz_op *op, size_t a)
{
	const struct fz_slot_snap *b = &f->before[a];
	hk_pid cpid = ipc_identifier_pid(b->rr.peer);
	int c = fz_slot_of_pid(f, cpid);
	struct hk_robuf out;
	struct hk_buf in;
	size_t n;

	if (b->rr.role != IPC_RELAY_REQUEST_SERVER) {
		expect_err(op, TOCK_ERR_INVAL);
		return;
	}
	CHECK(rr_role_now(f, b->pid, NULL) == IPC_RELAY_REQUEST_IDLE);
	if (!ipc_identifier_is_live(f->k, b->rr.peer) || c < 0 || !f->before[c].rr_valid ||
	    f->before[c].rr.role != IPC_RELAY_REQUEST_CLIENT_IN_SERVICE ||
	    ipc_identifier_pid(f->before[c].rr.peer) != b->pid) {
		expect_err(op, TOCK_ERR_NODEVICE);
		return;
	}
	expect_err(op, 0);
	CHECK(rr_role_now(f, cpid, NULL) == IPC_RELAY_REQUEST_IDLE);
	CHECK(hk_allow_ro_get(f->k, RR, b->pid, 0, &out) == 0);
	CHECK(hk_allow_rw_get(f->k, RR, cpid, 0, &in) == 0);
	n = out.len < in.len ? out.len : in.len;
	CHECK(n == 0 || memcmp(in.ptr, out.ptr, n) == 0);
}

static void check_rr_command(struct fz *f, const struct fz_op *op, size_t a)
{
	const struct fz_slot_snap *b = &f->before[a];
	uint32_t role = b->rr_valid ? b->rr.role : IPC_RELAY_REQUEST_IDLE;
	struct ipc_relay_request_info s;
	hk_pid spid;
	uint64_t peer = 0;

	switch (op->cmd) {
	case 0x10:
		if (role != IPC_RELAY_REQUEST_IDLE)
			expect_err(op, TOCK_ERR_ALREADY);
		else if (!ipc_identifier_resolve(f->k, op->id, &spid) || spid == b->pid ||
		         !ipc_relay_request_get(f->rr, spid, &s))
			expect_err(op, TOCK_ERR_NODEVICE);
		else if (!s.enabled)
			expect_err(op, TOCK_ERR_UNINSTALLED);
		else {
			expect_err(op, 0);
			CHECK(rr_role_now(f, b->pid, &peer) == IPC_RELAY_REQUEST_CLIENT_WAITING && peer == op->id);
		}
		return;
	case 0x11:
		expect_err(op, role == IPC_RELAY_REQUEST_CLIENT_WAITING || role == IPC_RELAY_REQUEST_CLIENT_IN_SERVICE
		                       ? 0 : TOCK_ERR_INVAL);
		if (role != IPC_RELAY_REQUEST_SERVER)
			CHECK(rr_role_now(f, b->pid, NULL) == IPC_RELAY_REQUEST_IDLE);
		return;
	case 0x20:
	case 0x21:
		expect_err(op, 0);
		CHECK(ipc_relay_request_get(f->rr, b->pid, &s) && s.enabled == (op->cmd == 0x20));
		CHECK(op->cmd == 0x20 || (s.role != IPC_RELAY_REQUEST_SERVER && s.waiting == 0));
		return;
	case 0x22:
	case 0x23:
		check_rr_take(f, op, a);
		return;
	case 0x24:
		check_rr_respond(f, op, a);
		return;
	default:
		expect_err(op, op->cmd == 0 ? 0 : TOCK_ERR_NOSUPPORT);
	}
}

/* The live registered holder (other than `exclude`, first in slot order) of a name, or -1. */
static int registry_holder(struct fz *f, uint32_t driver, const uint8_t *want, size_t len, hk_pid exclude)
{
	size_t cursor = 0, nlen = 0;
	const uint8_t *name;
	hk_pid pid;
	uint64_t id;

	while (driver == STR ? ipc_registry_string_name_next(f->str, &cursor, &pid, &id, &name)
	                     : ipc_registry_package_name_next(f->pkg, &cursor, &pid, &id, &name, &nlen)) {
		if (driver == STR)
			nlen = IPC_STRING_NAME_LEN;
		if (pid != exclude && len > 0 && nlen == len && memcmp(name, want, len) == 0)
			return fz_slot_of_pid(f, pid);
	}
	return -1;
}

static bool registered_as(struct fz *f, uint32_t driver, hk_pid who)
{
	size_t cursor = 0, len;
	const uint8_t *name;
	hk_pid pid;
	uint64_t id;

	while (driver == STR ? ipc_registry_string_name_next(f->str, &cursor, &pid, &id, &name)
	                     : ipc_registry_package_name_next(f->pkg, &cursor, &pid, &id, &name, &len))
		if (pid == who)
			return true;
	return false;
}

static void check_registry_command(struct fz *f, const struct fz_op *op, size_t a)
{
	hk_pid pid = f->before[a].pid;
	const char *pkg = hk_process_package(f->procs[a]);
	struct hk_robuf ro;
	uint32_t err = 0;
	bool zero = true;

	if (op->cmd == 0 || op->cmd > 2) {
		expect_err(op, op->cmd == 0 ? 0 : TOCK_ERR_NOSUPPORT);
		return;
	}
	CHECK(hk_allow_ro_get(f->k, op->driver, pid, 0, &ro) == 0);
	if (op->driver == STR) {
		for (size_t i = 0; i < ro.len; i++)
			zero = zero && ro.ptr[i] == 0;
		err = ro.len != IPC_STRING_NAME_LEN ? TOCK_ERR_SIZE : zero ? TOCK_ERR_INVAL : 0;
		if (!err && op->cmd == 1 && registry_holder(f, STR, ro.ptr, ro.len, pid) >= 0)
			err = TOCK_ERR_ALREADY;
		if (!err && op->cmd == 1 && f->policy && ro.ptr[0] == 0xff)
			err = TOCK_ERR_FAIL;
	} else if (op->cmd == 1) {
		err = pkg[0] == 0 ? TOCK_ERR_NOMEM : f->policy && strcmp(pkg, "client") == 0 ? TOCK_ERR_FAIL : 0;
	}
	expect_err(op, err);
	if (op->cmd == 1 && !err)
		CHECK(registered_as(f, op->driver, pid));
}

static void check_rm_command(struct fz *f, const struct fz_op *op, size_t a)
{
	struct ipc_relay_message_info info;
	struct hk_buf slice;
	struct hk_robuf list;
	uint32_t err;

	switch (op->cmd) {
	case 0x10:
		CHECK(hk_allow_rw_get(f->k, RM, f->before[a].pid, 0, &slice) == 0);
		CHECK(hk_allow_ro_get(f->k, RM, f->before[a].pid, 1, &list) == 0);
		err = slice.len < 8 ? TOCK_ERR_SIZE : !slice_header_ok(slice.ptr) || list.len % 8 ? TOCK_ERR_INVAL : 0;
		expect_err(op, err);
		CHECK(ipc_relay_message_info(f->rm, f->before[a].pid, &info) == 0);
		CHECK(err || info.enabled);
		return;
	case 0x11:
		expect_err(op, 0);
		CHECK(ipc_relay_message_info(f->rm, f->before[a].pid, &info) == 0 && !info.enabled);
		return;
	case 0x20:
		expect_err(op, op->rm_expect);
		return;
	default:
		expect_err(op, op->cmd == 0 ? 0 : TOCK_ERR_NOSUPPORT);
	}
}

static void check_command(struct fz *f, const struct fz_op *op)
{
	int a = fz_slot_of_pid(f, hk_process_pid(op->actor));

	CHECK(op->ret.result != HK_SYSCALL_BLOCKED);
	if (op->ret.result != HK_SYSCALL_RESUME) { /* not runnable: dead or stopped */
		CHECK(a < 0 || (size_t)a >= f->nsnap || !f->before[a].alive ||
		      hk_process_state(op->actor) == HK_STATE_STOPPED);
		return;
	}
	CHECK(a >= 0 && (size_t)a < f->nsnap && f->before[a].alive && f->before[a].pid == hk_process_pid(op->actor));
	if (op->driver == BOGUS) {
		expect_err(op, TOCK_ERR_NODEVICE);
		return;
	}
	if (hk_grant_get(f->k, op->driver, f->before[a].pid) == NULL) { /* budget spent: never called */
		CHECK(!op->had_grant);
		expect_err(op, TOCK_ERR_NOMEM);
		return;
	}
	if (op->driver == RR)
		check_rr_command(f, op, (size_t)a);
	else if (op->driver == RM)
		check_rm_command(f, op, (size_t)a);
	else
		check_registry_command(f, op, (size_t)a);
}

/* ---- invariants after every operation ---- */

static void check_kernel(struct fz *f)
{
	CHECK(!hk_fake_panicked(f->w, NULL));
	for (size_t i = 0; i < f->nprocs; i++) {
		struct hk_process_stats st;
		bool fresh = i < f->nsnap && f->before[i].pid != hk_process_pid(f->procs[i]);

		hk_process_get_stats(f->procs[i], &st);
		CHECK(st.upcalls_queued <= f->depth);
		if (!fz_alive(f, i) || fresh) { /* dead, or restarted by this operation */
			CHECK(st.grant_bytes_used == 0);
			CHECK(st.upcalls_queued == 0);
		}
		if (!fz_alive(f, i)) {
			struct ipc_relay_message_info info;
			struct ipc_relay_request_info rinfo;

			CHECK(!ipc_relay_request_get(f->rr, hk_process_pid(f->procs[i]), &rinfo));
			CHECK(ipc_relay_message_info(f->rm, hk_process_pid(f->procs[i]), &info) != 0);
		}
	}
}

/* No transaction names a dead process as a live peer, except a server's with a dead client. */
static void check_relay_request(struct fz *f)
{
	struct ipc_relay_request_info info, peer;
	size_t cursor = 0;

	while (ipc_relay_request_next(f->rr, &cursor, &info)) {
		CHECK(hk_process_alive(f->k, info.pid));
		CHECK(info.id == ipc_identifier_of(f->k, info.pid));
		CHECK(info.enabled || info.waiting == 0);
		if (info.role == IPC_RELAY_REQUEST_IDLE) {
			CHECK(info.peer == 0);
			continue;
		}
		CHECK(ipc_identifier_pid(info.peer) != info.pid);
		if (info.role == IPC_RELAY_REQUEST_SERVER) {
			CHECK(info.peer_alive == ipc_identifier_is_live(f->k, info.peer));
			continue;
		}
		/* A client: its server is alive (the fault listener clears the rest) and knows it. */
		CHECK(info.role == IPC_RELAY_REQUEST_CLIENT_WAITING || info.role == IPC_RELAY_REQUEST_CLIENT_IN_SERVICE);
		CHECK(info.peer_alive);
		CHECK(ipc_relay_request_get(f->rr, ipc_identifier_pid(info.peer), &peer));
		CHECK(peer.id == info.peer);
		if (info.role == IPC_RELAY_REQUEST_CLIENT_WAITING)
			CHECK(peer.enabled && peer.waiting > 0);
		else
			CHECK(peer.role == IPC_RELAY_REQUEST_SERVER && peer.peer == info.id);
	}
}

static void check_registries(struct fz *f)
{
	const uint8_t *seen[FZ_MAX_PROCS], *name;
	size_t cursor = 0, n = 0, len;
	hk_pid pid;
	uint64_t id;

	while (ipc_registry_string_name_next(f->str, &cursor, &pid, &id, &name)) {
		bool zero = true;

		CHECK(hk_process_alive(f->k, pid) && id == ipc_identifier_of(f->k, pid));
		for (size_t i = 0; i < IPC_STRING_NAME_LEN; i++)
			zero = zero && name[i] == 0;
		CHECK(!zero && n < FZ_MAX_PROCS);
		for (size_t j = 0; j < n; j++)
			CHECK(memcmp(seen[j], name, IPC_STRING_NAME_LEN) != 0);
		seen[n++] = name;
	}
	cursor = 0;
	while (ipc_registry_package_name_next(f->pkg, &cursor, &pid, &id, &name, &len)) {
		int s = fz_slot_of_pid(f, pid);

		CHECK(hk_process_alive(f->k, pid) && id == ipc_identifier_of(f->k, pid) && s >= 0);
		CHECK(len > 0 && len == strlen(hk_process_package(f->procs[s])));
		CHECK(memcmp(name, hk_process_package(f->procs[s]), len) == 0);
	}
}

static bool overlaps(const struct hk_buf *a, const uint8_t *p, size_t len)
{
	return a->len && len && a->ptr < p + len && p < a->ptr + a->len;
}

/* The StreamingProcessSlice only moves by whole records, and only when a send says so. */
static void check_slice(struct fz *f, const struct fz_op *op, size_t i)
{
	const struct fz_slot_snap *b = &f->before[i];
	struct hk_buf now, rrbuf;
	uint32_t off0 = header_offset(b->header), off1;

	if (!b->alive || b->pid != hk_process_pid(f->procs[i]) || !fz_alive(f, i) || b->slice.len < 8)
		return;
	if (hk_allow_rw_get(f->k, RM, b->pid, 0, &now) != 0 || now.ptr != b->slice.ptr || now.len != b->slice.len)
		return;
	if (op->touches_actor_slice && op->actor == f->procs[i])
		return;
	/* Relay Request may legally copy into an RW buffer of this process that overlaps the slice. */
	if (hk_allow_rw_get(f->k, RR, b->pid, 0, &rrbuf) == 0 && overlaps(&rrbuf, now.ptr, now.len))
		return;
	off1 = header_offset(now.ptr);
	if (op->rm_target == (int)i && op->ret.result == HK_SYSCALL_RESUME && op->ret.r0 == TOCK_RET_SUCCESS) {
		uint64_t sender = ipc_identifier_of(f->k, hk_process_pid(op->actor)), got_id;
		uint32_t got_len;

		CHECK((uint64_t)off1 == (uint64_t)off0 + op->rm_record);
		CHECK(off1 <= now.len - 8);
		CHECK(memcmp(now.ptr, b->header, 4) == 0);
		memcpy(&got_id, now.ptr + 8 + off0, 8);
		memcpy(&got_len, now.ptr + 8 + off0 + 8, 4);
		CHECK(got_id == sender && got_len == op->rm_record - IPC_RELAY_MESSAGE_RECORD_HEADER);
		if (op->actor != f->procs[i]) /* a self-send may overlap its own message */
			CHECK(memcmp(now.ptr + 8 + off0 + 12, op->msg, op->msg_len) == 0);
		return;
	}
	if (op->rm_target == (int)i && op->ret.r0 == TOCK_RET_FAILURE && op->ret.r1 == TOCK_ERR_SIZE) {
		CHECK(off1 == off0 && memcmp(now.ptr, b->header, 3) == 0 && now.ptr[3] == (b->header[3] | 1u));
		return;
	}
	CHECK(memcmp(now.ptr, b->header, 8) == 0);
}

/* One upcall the operation queued for slot i. */
static void check_new_entry(struct fz *f, const struct fz_op *op, size_t i, const struct hk_upcall_entry *e)
{
	hk_pid me = hk_process_pid(f->procs[i]), who;
	bool cmd_ok = op->is_command && op->driver == e->driver && op->ret.result == HK_SYSCALL_RESUME;
	uint64_t id = ipc_identifier_from_args(e->a1, e->a2);
	struct hk_robuf ro;
	struct hk_buf slice;
	int holder;

	if (e->driver == STR || e->driver == PKG) {
		CHECK(e->slot < 3 && cmd_ok && op->ret.r0 == TOCK_RET_SUCCESS);
		CHECK((e->slot == 2) == (op->actor != f->procs[i]));
		CHECK(op->cmd == (e->slot == 1 ? 2u : 1u));
		if (e->slot != 1) {
			CHECK(e->a0 == 0 && e->a1 == 0 && e->a2 == 0);
			return;
		}
		CHECK(hk_allow_ro_get(f->k, e->driver, me, 0, &ro) == 0);
		holder = registry_holder(f, e->driver, ro.ptr, ro.len, me);
		if (holder < 0)
			CHECK(e->a0 == TOCK_ERR_NODEVICE && e->a1 == 0 && e->a2 == 0);
		else
			CHECK(e->a0 == 0 && ipc_identifier_resolve(f->k, id, &who) && who == f->before[holder].pid);
	} else if (e->driver == RR && e->slot == 0) {
		CHECK(e->a0 == 0 || e->a0 == TOCK_ERR_SIZE || e->a0 == TOCK_ERR_CANCEL || e->a0 == TOCK_ERR_UNINSTALLED ||
		      e->a0 == TOCK_ERR_NODEVICE || e->a0 == TOCK_ERR_FAIL);
		CHECK(e->a2 == 0 && rr_role_now(f, me, NULL) == IPC_RELAY_REQUEST_IDLE);
	} else if (e->driver == RR && e->slot == 1) {
		id = ipc_identifier_from_args(e->a0, e->a1);
		CHECK(e->a2 == 0 && cmd_ok && op->cmd == 0x10 && op->actor != f->procs[i]);
		CHECK(ipc_identifier_resolve(f->k, id, &who) && who == hk_process_pid(op->actor));
		CHECK(rr_role_now(f, who, &id) == IPC_RELAY_REQUEST_CLIENT_WAITING && ipc_identifier_pid(id) == me);
	} else if (e->driver == RM && e->slot == 0) {
		CHECK(cmd_ok && op->cmd == 0x20 && op->rm_target == (int)i && e->a2 == 0);
		CHECK(hk_allow_rw_get(f->k, RM, me, 0, &slice) == 0 && slice.len >= 8);
		CHECK(e->a0 == header_offset(slice.ptr) && e->a1 == (slice.ptr[3] & 1u));
	} else if (e->driver == RM && e->slot == 1) {
		CHECK(op->lifecycle && e->a0 == TOCK_ERR_NODEVICE && fz_ended_now(f, ipc_identifier_pid(id)));
		CHECK(!hk_process_alive(f->k, ipc_identifier_pid(id)));
		CHECK(hk_allow_ro_get(f->k, RM, me, 1, &ro) == 0 && list_has(&ro, id));
		CHECK(f->before[i].rm_valid && f->before[i].rm.enabled); /* only while reception is on */
		if (f->gone_for[i] != me)
			f->n_gone[i] = 0;
		f->gone_for[i] = me;
		for (size_t j = 0; j < f->n_gone[i]; j++)
			CHECK(f->gone[i][j] != id); /* once per sender incarnation */
		if (f->n_gone[i] < FZ_MAX_GONE)
			f->gone[i][f->n_gone[i]++] = id;
	} else {
		CHECK(!"upcall on a driver or slot nobody schedules");
	}
}

static void check_new_upcalls(struct fz *f, const struct fz_op *op)
{
	for (size_t i = 0; i < f->nsnap; i++) {
		struct hk_process *p = f->procs[i];
		const struct fz_slot_snap *b = &f->before[i];

		if (!b->alive || hk_process_pid(p) != b->pid || !fz_alive(f, i))
			continue;
		if (op->pops_actor_queue && op->actor == p)
			continue;
		CHECK(p->q_count >= b->q_count);
		for (uint32_t j = b->q_count; j < p->q_count; j++)
			check_new_entry(f, op, i, &p->queue[(p->q_head + j) % p->q_depth]);
	}
}

/* Extension: clients of a server that ended are told NODEVICE at once and are idle. */
static void check_deaths(struct fz *f)
{
	for (size_t e = 0; e < f->n_ended; e++) {
		CHECK(!hk_process_alive(f->k, f->ended[e]));
		for (size_t i = 0; i < f->nsnap; i++) {
			const struct fz_slot_snap *b = &f->before[i];
			struct hk_process *p = f->procs[i];
			bool told = p->n_dropped > b->dropped;

			if (!b->alive || hk_process_pid(p) != b->pid || !fz_alive(f, i) || !b->rr_valid ||
			    (b->rr.role != IPC_RELAY_REQUEST_CLIENT_WAITING &&
			     b->rr.role != IPC_RELAY_REQUEST_CLIENT_IN_SERVICE) ||
			    ipc_identifier_pid(b->rr.peer) != f->ended[e])
				continue;
			CHECK(rr_role_now(f, b->pid, NULL) == IPC_RELAY_REQUEST_IDLE);
			for (uint32_t j = b->q_count; j < p->q_count; j++) {
				const struct hk_upcall_entry *q = &p->queue[(p->q_head + j) % p->q_depth];

				told = told || (q->driver == RR && q->slot == 0 && q->a0 == TOCK_ERR_NODEVICE);
			}
			CHECK(told);
		}
	}
}

static void fz_check_all(struct fz *f, const struct fz_op *op)
{
	check_kernel(f);
	if (op->is_command)
		check_command(f, op);
	check_relay_request(f);
	check_registries(f);
	check_new_upcalls(f, op);
	check_deaths(f);
	for (size_t i = 0; i < f->nsnap; i++)
		check_slice(f, op, i);
}

/* ---- operations ---- */

static uint32_t fz_policy(void *ctx, hk_pid pid, const uint8_t *name, size_t len)
{
	(void)ctx;
	(void)pid;
	if (len > 0 && name[0] == 0xff)
		return 99; /* out of range: the registry must turn it into FAIL */
	return len == 6 && memcmp(name, "client", 6) == 0 ? TOCK_ERR_FAIL : 0;
}

static void fz_setup_capsules(struct fz *f, uint8_t b)
{
	const struct hk_kernel_caps *caps = hk_fake_caps(f->w);

	f->policy = b & 1;
	f->str = ipc_registry_string_name_new(f->k, STR, f->policy ? fz_policy : NULL, NULL);
	f->pkg = ipc_registry_package_name_new(f->k, PKG, caps->process_info, f->policy ? fz_policy : NULL, NULL);
	f->rr = ipc_relay_request_new(f->k, RR, caps->process_state);
	f->rm = ipc_relay_message_new(f->k, RM, caps->process_state);
	CHECK(f->str && f->pkg && f->rr && f->rm);
	CHECK(hk_fake_register_driver(f->w, STR, &ipc_registry_string_name_ops, f->str) == 0);
	CHECK(hk_fake_register_driver(f->w, PKG, &ipc_registry_package_name_ops, f->pkg) == 0);
	CHECK(hk_fake_register_driver(f->w, RR, &ipc_relay_request_ops, f->rr) == 0);
	CHECK(hk_fake_register_driver(f->w, RM, &ipc_relay_message_ops, f->rm) == 0);
	f->listener.notify = fz_notify;
	CHECK(hk_process_listener_register(f->k, caps->process_state, &f->listener) == 0);
}

static void op_spawn(struct fz *f, struct fz_in *in)
{
	uint8_t a = in_u8(in), b = in_u8(in);
	static const struct hk_fault_policy policies[] = {
		{ HK_FAULT_STOP, 0 }, { HK_FAULT_RESTART, 0 }, { HK_FAULT_RESTART_UP_TO, 1 },
	};
	struct hk_fake_proc_config cfg = {
		.package_name = fz_packages[a % 5],
		.short_id = fz_short_ids[(a >> 3) % 5],
		.ram_size = FZ_RAM,
		.grant_budget = fz_budgets[b % 5],
		.flash_size = 4096,
		.fault_policy = policies[(b >> 3) % 3],
		.not_started = (b & 0x80) != 0,
	};

	if (f->nprocs >= FZ_MAX_PROCS)
		return;
	f->procs[f->nprocs] = hk_fake_spawn(f->w, &cfg);
	CHECK(f->procs[f->nprocs]);
	f->nprocs++;
}

static void op_command(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	static const uint32_t cmds[] = { 0, 1, 2, 3, 0x10, 0x11, 0x20, 0x21, 0x22, 0x23, 0x24, 0x20, 0x22, 0x10 };
	struct hk_process *p = fz_pick(f, in);
	uint8_t c;

	if (!p)
		return;
	op->actor = p;
	op->is_command = true;
	op->driver = fz_drivers[in_u8(in) % 5];
	c = in_u8(in);
	op->cmd = c == 0xff ? in_u32(in) : cmds[c % 14];
	op->id = fz_pick_id(f, in, p);
	op->had_grant = hk_grant_get(f->k, op->driver, hk_process_pid(p)) != NULL;
	if (op->driver == RM && op->cmd == 0x20 && fz_alive(f, (size_t)fz_slot_of_pid(f, hk_process_pid(p))))
		op->rm_expect = model_rm_send(f, op, hk_process_pid(p), op->id);
	op->ret = hk_fake_command(f->w, p, op->driver, op->cmd, ipc_identifier_low(op->id),
	                          ipc_identifier_high(op->id));
}

/* A buffer inside p's data area (valid for every allow), clipped; its host view or NULL. */
static uint8_t *fz_buffer(struct fz *f, struct hk_process *p, struct fz_in *in, uint64_t *addr, uint64_t *len)
{
	const struct hk_memory_map *m = hk_fake_memory_map(f->w, p);
	uint64_t off = (uint64_t)(in_u8(in) * 32u) % FZ_DATA;

	*addr = m->ram_start + off;
	if (*len > FZ_DATA - off)
		*len = FZ_DATA - off;
	return *len ? hk_fake_host_ptr(f->w, p, *addr, *len) : NULL;
}

static void fill(uint8_t *dst, size_t len, struct fz_in *in)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = i < 48 ? in_u8(in) : (uint8_t)(i * 7);
}

static void op_allow_ro(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint32_t driver = fz_drivers[in_u8(in) % 5], slot = in_u8(in) % 5 % 3, mode = in_u8(in) % 7;
	const struct hk_memory_map *m;
	uint64_t addr = 0, len = 0;
	uint8_t *h;

	if (!p)
		return;
	op->actor = p;
	op->touches_actor_slice = true;
	m = hk_fake_memory_map(f->w, p);
	if (mode == 0 || mode == 1) { /* a name: one of a few, or a package name */
		uint8_t k = in_u8(in);
		const char *pkg = fz_packages[k % 5];

		len = mode == 0 ? (k & 0x80 ? k % 24u : IPC_STRING_NAME_LEN) : strlen(pkg);
		h = fz_buffer(f, p, in, &addr, &len);
		if (h && mode == 0)
			memcpy(h, fz_names[k % 3], len < IPC_STRING_NAME_LEN ? len : IPC_STRING_NAME_LEN);
		else if (h)
			memcpy(h, pkg, len);
	} else if (mode == 2) { /* a message */
		len = in_u8(in) * 4u;
		h = fz_buffer(f, p, in, &addr, &len);
		if (h)
			fill(h, len, in);
	} else if (mode == 3) { /* an allowlist of identifiers, sometimes ragged */
		uint8_t k = in_u8(in);
		uint64_t ids[4];

		for (unsigned i = 0; i < k % 5u; i++)
			ids[i] = fz_pick_id(f, in, p);
		len = (k % 5u) * 8u + (k & 0x80 ? 3u : 0u);
		h = fz_buffer(f, p, in, &addr, &len);
		if (h)
			memcpy(h, ids, len < (k % 5u) * 8u ? len : (k % 5u) * 8u);
	} else if (mode == 4) { /* flash: fine for RO */
		addr = m->flash_app_start + in_u8(in);
		len = in_u8(in);
	} else if (mode == 5) { /* the guard, or beyond the break */
		addr = in_u8(in) & 1 ? m->guard_start : m->initial_break - 4;
		len = 16;
	}
	hk_fake_allow_ro(f->w, p, driver, slot, addr, len);
}

static void op_allow_rw(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint32_t driver = fz_drivers[in_u8(in) % 5], slot = in_u8(in) % 4 == 3 ? 1 : 0, mode = in_u8(in) % 6;
	uint64_t addr = 0, len = mode == 4 ? in_u8(in) % 8u : 8u + in_u8(in) * 4u;
	uint8_t *h;
	uint32_t off;

	if (!p)
		return;
	op->actor = p;
	op->touches_actor_slice = true;
	h = mode == 5 ? NULL : fz_buffer(f, p, in, &addr, &len);
	if (h && len >= 8) {
		memset(h, 0, 8); /* mode 0: a fresh, valid slice */
		if (mode == 1)
			fill(h, 8, in); /* junk */
		if (mode == 2) { /* almost full */
			off = (uint32_t)(len - 8 - in_u8(in) % 32u % (len - 7));
			memcpy(h + 4, &off, 4);
		}
		if (mode == 3)
			h[3] = in_u8(in) & 3; /* exceeded / halt */
	}
	if (mode == 5)
		addr = hk_fake_memory_map(f->w, p)->guard_start, len = 8;
	hk_fake_allow_rw(f->w, p, driver, slot, addr, len);
}

static void op_subscribe(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint32_t driver = fz_drivers[in_u8(in) % 5], slot = in_u8(in) % 4;
	uint8_t k = in_u8(in);

	if (!p)
		return;
	op->actor = p;
	op->pops_actor_queue = true;
	hk_fake_subscribe(f->w, p, driver, slot, k & 1 ? hk_fake_upcall_fn(f->w, p, k % 64u) : 0, k);
}

static void op_yield(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	struct hk_fake_upcall up;
	uint8_t k = in_u8(in);

	if (!p)
		return;
	op->actor = p;
	op->pops_actor_queue = true;
	if (k % 3 == 0)
		hk_fake_yield_wait(f->w, p, &up);
	else if (k % 3 == 1)
		hk_fake_yield_no_wait(f->w, p, &up);
	else
		hk_fake_yield_wait_for(f->w, p, fz_drivers[(k >> 2) % 5], (k >> 5) % 4, &up);
}

/* The app ends itself, or faults. */
static void op_fault_exit(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint8_t k = in_u8(in);

	if (!p)
		return;
	op->actor = p;
	op->lifecycle = true;
	if (k % 3 == 0)
		hk_fake_fault(f->w, p, "fuzz fault");
	else
		hk_fake_exit(f->w, p, k % 3 == 1 ? TOCK_EXIT_TERMINATE : TOCK_EXIT_RESTART, k);
}

/* Process control as ipcctl does it, in any state. */
static void op_control(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint8_t k = in_u8(in);

	if (!p)
		return;
	op->actor = p;
	op->lifecycle = true;
	switch (k % 5) {
	case 0:
		hk_process_stop(f->k, p);
		break;
	case 1:
		hk_process_resume(f->k, p);
		break;
	case 2:
		hk_process_terminate(f->k, p, k);
		break;
	case 3:
		hk_process_restart(f->k, p);
		break;
	default:
		hk_fake_fail_next_spawn(f->w);
		hk_process_restart(f->k, p);
		break;
	}
}

/* The receiving app consumes its slice (offset back to 0) or flips flags, as apps do. */
static void op_scribble(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	struct hk_buf s;
	uint8_t k = in_u8(in);
	uint32_t off = 0;

	if (!p || hk_allow_rw_get(f->k, RM, hk_process_pid(p), 0, &s) != 0 || s.len < 8)
		return;
	op->actor = p;
	op->touches_actor_slice = true;
	if (k % 4 == 0) {
		memset(s.ptr, 0, 8);
	} else if (k % 4 == 1) {
		s.ptr[3] = (k >> 2) & 3;
	} else if (k % 4 == 2) {
		off = in_u32(in);
		memcpy(s.ptr + 4, &off, 4);
	} else {
		s.ptr[k % 3] = in_u8(in);
	}
}

static void fz_one_op(struct fz *f, struct fz_in *in)
{
	struct fz_op op = { .rm_target = -1 };

	fz_snapshot(f);
	switch (in_u8(in) % 13) {
	case 0:
		op_spawn(f, in);
		break;
	case 1:
	case 2:
	case 3:
		op_command(f, in, &op);
		break;
	case 4:
		op_allow_ro(f, in, &op);
		break;
	case 5:
		op_allow_rw(f, in, &op);
		break;
	case 6:
		op_subscribe(f, in, &op);
		break;
	case 7:
	case 8:
		op_yield(f, in, &op);
		break;
	case 9:
		op_fault_exit(f, in, &op);
		break;
	case 10:
		op_control(f, in, &op);
		break;
	case 11:
		hk_fake_advance(f->w, in_u32(in));
		break;
	default:
		op_scribble(f, in, &op);
		break;
	}
	fz_check_all(f, &op);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct hk_kernel_config cfg = { .upcall_queue_depth = 1u + in_u8(&in) % 10u, .virtual_time = true };
	struct fz *f = calloc(1, sizeof(*f));
	unsigned ops = 0;

	if (!f)
		return 0;
	f->depth = cfg.upcall_queue_depth;
	f->w = hk_fake_world_new(&cfg);
	CHECK(f->w);
	f->k = hk_fake_kernel(f->w);
	fz_setup_capsules(f, in_u8(&in));
	while (in.n > 0 && ops++ < 400)
		fz_one_op(f, &in);
	hk_fake_world_free(f->w); /* the kernel keeps the capsules' listeners: free it first */
	ipc_registry_string_name_free(f->str);
	ipc_registry_package_name_free(f->pkg);
	ipc_relay_request_free(f->rr);
	ipc_relay_message_free(f->rm);
	free(f);
	return 0;
}
