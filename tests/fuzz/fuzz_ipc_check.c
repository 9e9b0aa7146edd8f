/* fuzz_ipc: snapshots before each operation and the invariant checks after it (results, upcalls, slices, kernel). */
#include "fuzz_ipc.h"

/* ---- snapshots ---- */

static void fz_snap_slot(struct fz *f, size_t i, struct fz_slot_snap *s)
{
	struct hk_process *p = f->procs[i];
	struct hk_process_stats st;

	memset(s, 0, sizeof(*s));
	s->pid = hk_process_pid(p);
	s->alive = fz_alive(f, i);
	hk_process_get_stats(p, &st);
	s->q_count = st.upcalls_queued;
	s->dropped = st.upcalls_dropped;
	s->rr_valid = ipc_relay_request_get(f->rr, s->pid, &s->rr);
	s->rm_valid = ipc_relay_message_info(f->rm, s->pid, &s->rm) == 0;
	if (hk_allow_rw_get(f->k, RM, s->pid, TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE, &s->slice) == 0 && s->slice.len >= 8)
		memcpy(s->header, s->slice.ptr, 8);
}

void fz_snapshot(struct fz *f)
{
	for (size_t i = 0; i < f->nprocs; i++)
		fz_snap_slot(f, i, &f->before[i]);
	f->nsnap = f->nprocs;
	f->n_ended = 0;
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

static void check_rr_take(struct fz *f, const struct fz_op *op, size_t a)
{
	const struct fz_slot_snap *b = &f->before[a];
	int c = b->rr.role != IPC_RELAY_REQUEST_IDLE ? -2 : fz_model_rr_pick(f, a, op->cmd == 0x23, op->id);
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
	CHECK(fz_rr_role_now(f, b->pid, &peer) == IPC_RELAY_REQUEST_SERVER && peer == cid);
	CHECK(fz_rr_role_now(f, f->before[c].pid, &peer) == IPC_RELAY_REQUEST_CLIENT_IN_SERVICE);
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
	CHECK(fz_rr_role_now(f, b->pid, NULL) == IPC_RELAY_REQUEST_IDLE);
	if (!ipc_identifier_is_live(f->k, b->rr.peer) || c < 0 || !f->before[c].rr_valid ||
	    f->before[c].rr.role != IPC_RELAY_REQUEST_CLIENT_IN_SERVICE ||
	    ipc_identifier_pid(f->before[c].rr.peer) != b->pid) {
		expect_err(op, TOCK_ERR_NODEVICE);
		return;
	}
	expect_err(op, 0);
	CHECK(fz_rr_role_now(f, cpid, NULL) == IPC_RELAY_REQUEST_IDLE);
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
			CHECK(fz_rr_role_now(f, b->pid, &peer) == IPC_RELAY_REQUEST_CLIENT_WAITING && peer == op->id);
		}
		return;
	case 0x11:
		expect_err(op, role == IPC_RELAY_REQUEST_CLIENT_WAITING || role == IPC_RELAY_REQUEST_CLIENT_IN_SERVICE
		                       ? 0 : TOCK_ERR_INVAL);
		if (role != IPC_RELAY_REQUEST_SERVER)
			CHECK(fz_rr_role_now(f, b->pid, NULL) == IPC_RELAY_REQUEST_IDLE);
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
		err = slice.len < 8 ? TOCK_ERR_SIZE : !fz_slice_header_ok(slice.ptr) || list.len % 8 ? TOCK_ERR_INVAL : 0;
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
	uint32_t off0 = fz_header_offset(b->header), off1;

	if (!b->alive || b->pid != hk_process_pid(f->procs[i]) || !fz_alive(f, i) || b->slice.len < 8)
		return;
	if (hk_allow_rw_get(f->k, RM, b->pid, 0, &now) != 0 || now.ptr != b->slice.ptr || now.len != b->slice.len)
		return;
	if (op->touches_actor_slice && op->actor == f->procs[i])
		return;
	/* Relay Request may legally copy into an RW buffer of this process that overlaps the slice. */
	if (hk_allow_rw_get(f->k, RR, b->pid, 0, &rrbuf) == 0 && overlaps(&rrbuf, now.ptr, now.len))
		return;
	off1 = fz_header_offset(now.ptr);
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
		CHECK(e->a2 == 0 && fz_rr_role_now(f, me, NULL) == IPC_RELAY_REQUEST_IDLE);
	} else if (e->driver == RR && e->slot == 1) {
		id = ipc_identifier_from_args(e->a0, e->a1);
		CHECK(e->a2 == 0 && cmd_ok && op->cmd == 0x10 && op->actor != f->procs[i]);
		CHECK(ipc_identifier_resolve(f->k, id, &who) && who == hk_process_pid(op->actor));
		CHECK(fz_rr_role_now(f, who, &id) == IPC_RELAY_REQUEST_CLIENT_WAITING && ipc_identifier_pid(id) == me);
	} else if (e->driver == RM && e->slot == 0) {
		CHECK(cmd_ok && op->cmd == 0x20 && op->rm_target == (int)i && e->a2 == 0);
		CHECK(hk_allow_rw_get(f->k, RM, me, 0, &slice) == 0 && slice.len >= 8);
		CHECK(e->a0 == fz_header_offset(slice.ptr) && e->a1 == (slice.ptr[3] & 1u));
	} else if (e->driver == RM && e->slot == 1) {
		CHECK(op->lifecycle && e->a0 == TOCK_ERR_NODEVICE && fz_ended_now(f, ipc_identifier_pid(id)));
		CHECK(!hk_process_alive(f->k, ipc_identifier_pid(id)));
		CHECK(hk_allow_ro_get(f->k, RM, me, 1, &ro) == 0 && fz_list_has(&ro, id));
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

static uint32_t fz_queued(const struct hk_process *p)
{
	struct hk_process_stats st;

	hk_process_get_stats(p, &st);
	return st.upcalls_queued;
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
		/* A Relay Request take withdraws the taken request's upcall 1 from the server's own queue. */
		if (op->is_command && op->driver == RR && (op->cmd == 0x22 || op->cmd == 0x23) && op->actor == p)
			continue;
		CHECK(fz_queued(p) >= b->q_count);
		for (uint32_t j = b->q_count; j < fz_queued(p); j++)
			check_new_entry(f, op, i, hk_process_queued(p, j));
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
			struct hk_process_stats st;
			bool told;

			hk_process_get_stats(p, &st);
			told = st.upcalls_dropped > b->dropped;

			if (!b->alive || hk_process_pid(p) != b->pid || !fz_alive(f, i) || !b->rr_valid ||
			    (b->rr.role != IPC_RELAY_REQUEST_CLIENT_WAITING &&
			     b->rr.role != IPC_RELAY_REQUEST_CLIENT_IN_SERVICE) ||
			    ipc_identifier_pid(b->rr.peer) != f->ended[e])
				continue;
			CHECK(fz_rr_role_now(f, b->pid, NULL) == IPC_RELAY_REQUEST_IDLE);
			for (uint32_t j = b->q_count; j < st.upcalls_queued; j++) {
				const struct hk_upcall_entry *q = hk_process_queued(p, j);

				told = told || (q->driver == RR && q->slot == 0 && q->a0 == TOCK_ERR_NODEVICE);
			}
			CHECK(told);
		}
	}
}

void fz_check_all(struct fz *f, const struct fz_op *op)
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
