/* fuzz_ipc: the result models (Relay Message send, Relay Request round robin) and the queries they share. */
#include "fuzz_ipc.h"

bool fz_ended_now(const struct fz *f, hk_pid pid)
{
	for (size_t i = 0; i < f->n_ended; i++)
		if (f->ended[i] == pid)
			return true;
	return false;
}

bool fz_alive(struct fz *f, size_t slot)
{
	return hk_process_alive(f->k, hk_process_pid(f->procs[slot]));
}

int fz_slot_of_pid(struct fz *f, hk_pid pid)
{
	for (size_t i = 0; i < f->nprocs; i++)
		if (hk_process_pid(f->procs[i]) == pid)
			return (int)i;
	return -1;
}

uint32_t fz_header_offset(const uint8_t *h)
{
	uint32_t v;

	memcpy(&v, h + 4, 4);
	return v;
}

/* ---- models of the documented command results ---- */

bool fz_slice_header_ok(const uint8_t *h)
{
	return h[0] == 0 && h[1] == 0 && h[2] == 0 && (h[3] & ~3u) == 0;
}

bool fz_list_has(const struct hk_robuf *list, uint64_t id)
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
uint32_t fz_model_rm_send(struct fz *f, struct fz_op *op, hk_pid sender, uint64_t rid)
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
	CHECK(hk_allow_ro_get(f->k, RM, r, TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_ALLOWLIST, &list) == 0);
	if (!fz_list_has(&list, ipc_identifier_of(f->k, sender)))
		return TOCK_ERR_NOACK;
	CHECK(hk_allow_rw_get(f->k, RM, r, TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE, &slice) == 0);
	CHECK(hk_allow_ro_get(f->k, RM, sender, TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_MESSAGE, &msg) == 0);
	op->msg_len = msg.len < sizeof(op->msg) ? msg.len : sizeof(op->msg);
	if (op->msg_len)
		memcpy(op->msg, msg.ptr, op->msg_len);
	op->rm_record = IPC_RELAY_MESSAGE_RECORD_HEADER + (uint64_t)msg.len;
	if (slice.len < 8)
		return TOCK_ERR_SIZE;
	if (!fz_slice_header_ok(slice.ptr))
		return TOCK_ERR_INVAL;
	if ((slice.ptr[3] & 3u) == 3u)
		return TOCK_ERR_BUSY;
	off = fz_header_offset(slice.ptr);
	if ((uint64_t)off + op->rm_record > UINT32_MAX)
		return TOCK_ERR_FAIL;
	if (8u + (uint64_t)off + op->rm_record > slice.len)
		return TOCK_ERR_SIZE;
	return 0;
}

/* Relay Request 0x22 / 0x23: the client the server must get (round robin), or -1 for NODEVICE. */
int fz_model_rr_pick(struct fz *f, size_t server, bool from_one, uint64_t id)
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

uint32_t fz_rr_role_now(struct fz *f, hk_pid pid, uint64_t *ret_peer)
{
	struct ipc_relay_request_info info;

	if (!ipc_relay_request_get(f->rr, pid, &info))
		return IPC_RELAY_REQUEST_IDLE;
	if (ret_peer)
		*ret_peer = info.peer;
	return info.role;
}

/* The expected answer to 0x22/0x23 and the state it leaves. */
