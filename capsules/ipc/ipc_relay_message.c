/* IPC Relay Message capsule (0xA0011): checks a send, then appends one record to the receiver's slice in place. */
#include "capsules/ipc/ipc_relay_message.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/array.h"
#include "capsules/ipc/ipc_identifier.h"

/* Flag bits of the StreamingProcessSlice header, in the low byte of the big-endian u16 (byte 3). */
#define SLICE_FLAG_EXCEEDED 0x01u
#define SLICE_FLAG_HALT 0x02u
#define SLICE_FLAGS_KNOWN (SLICE_FLAG_EXCEEDED | SLICE_FLAG_HALT)

/* Per-process state; zeroed when allocated and freed with the incarnation. */
struct relay_message_grant {
	bool enabled;
	uint64_t messages, bytes, dropped;
};

struct ipc_relay_message {
	struct hk_kernel *kernel;
	uint32_t driver;
	struct hk_process_listener listener;
	/* Incarnations that started and whose end is not reported yet. One end can arrive as
	 * several transitions (faulted, then restarted or terminated by the fault policy or by
	 * ipcctl, possibly with other processes' transitions in between); receivers hear it
	 * once, for the first. Bounded by the number of live processes. */
	hk_pid *live;
	size_t n_live, cap_live;
	bool live_lost; /* an allocation failed: report ends of untracked ProcessIds too */
};

/* ---- the StreamingProcessSlice header ---- */

/* 0, or the ErrorCode a slice header earns (reference §4 step 1). */
static uint32_t slice_check(const struct hk_buf *slice)
{
	if (slice->len < IPC_RELAY_MESSAGE_SLICE_HEADER)
		return TOCK_ERR_SIZE;
	if (slice->ptr[0] != 0 || slice->ptr[1] != 0)
		return TOCK_ERR_INVAL;
	if (slice->ptr[2] != 0 || (slice->ptr[3] & ~SLICE_FLAGS_KNOWN) != 0)
		return TOCK_ERR_INVAL;
	return 0;
}

static uint32_t slice_offset(const struct hk_buf *slice)
{
	uint32_t offset;

	memcpy(&offset, slice->ptr + 4, sizeof(offset));
	return offset;
}

static void slice_set_offset(struct hk_buf *slice, uint32_t offset)
{
	memcpy(slice->ptr + 4, &offset, sizeof(offset));
}

/* ---- allowlist ---- */

/* True if RO allow 1 of pid is a whole array of u64 that contains id. */
static bool allowlist_has(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint64_t id)
{
	struct hk_robuf list;

	if (hk_allow_ro_get(k, driver, pid, TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_ALLOWLIST, &list) < 0)
		return false;
	if (list.len % sizeof(uint64_t) != 0)
		return false;
	for (size_t i = 0; i < list.len; i += sizeof(uint64_t)) {
		uint64_t entry;

		memcpy(&entry, list.ptr + i, sizeof(entry)); /* allowed buffers need not be aligned */
		if (entry == id)
			return true;
	}
	return false;
}

/* ---- receiver commands ---- */

static struct hk_cmd_ret relay_enable(struct ipc_relay_message *rm, const struct hk_call *call)
{
	struct relay_message_grant *g = call->grant;
	struct hk_buf slice;
	struct hk_robuf list;
	uint32_t err;

	if (hk_allow_rw_get(rm->kernel, call->driver, call->pid, TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE, &slice) < 0 ||
	    hk_allow_ro_get(rm->kernel, call->driver, call->pid, TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_ALLOWLIST, &list) < 0)
		return hk_cmd_failure(TOCK_ERR_FAIL);
	err = slice_check(&slice);
	if (err)
		return hk_cmd_failure(err);
	if (list.len % sizeof(uint64_t) != 0)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	g->enabled = true;
	return hk_cmd_success();
}

static struct hk_cmd_ret relay_disable(const struct hk_call *call)
{
	struct relay_message_grant *g = call->grant;

	g->enabled = false;
	return hk_cmd_success();
}

/* ---- send: decode ---- */

/* Everything a send needs, gathered and checked before anything is written. */
struct relay_send {
	hk_pid receiver;
	struct relay_message_grant *rgrant;
	struct hk_buf slice;
	size_t length;    /* payload bytes */
	uint32_t offset;  /* receiver's current fill */
	uint64_t record;  /* header + payload */
};

/* Checks up to the allowlist: the failures that say nothing about the receiver's buffer. */
static uint32_t send_resolve(struct ipc_relay_message *rm, const struct hk_call *call, uint64_t receiver_id,
                             struct relay_send *s)
{
	if (!ipc_identifier_resolve(rm->kernel, receiver_id, &s->receiver))
		return TOCK_ERR_NODEVICE;
	s->rgrant = hk_grant_get(rm->kernel, call->driver, s->receiver);
	if (!s->rgrant || !s->rgrant->enabled)
		return TOCK_ERR_OFF; /* never touched the driver, or reception off */
	if (!allowlist_has(rm->kernel, call->driver, s->receiver, ipc_identifier_of(rm->kernel, call->pid)))
		return TOCK_ERR_NOACK;
	return 0;
}

/* Checks on the message and the receiver's slice (reference §4 steps 1, 2 and 5). */
static uint32_t send_check_slice(struct ipc_relay_message *rm, const struct hk_call *call, struct relay_send *s)
{
	struct hk_robuf msg;
	uint32_t err;

	if (hk_allow_ro_get(rm->kernel, call->driver, call->pid, TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_MESSAGE, &msg) < 0 ||
	    hk_allow_rw_get(rm->kernel, call->driver, s->receiver, TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE, &s->slice) < 0)
		return TOCK_ERR_FAIL;
	if (msg.len > UINT32_MAX)
		return TOCK_ERR_SIZE; /* the length field is a u32 */
	s->length = msg.len;
	err = slice_check(&s->slice);
	if (err)
		return err;
	if ((s->slice.ptr[3] & SLICE_FLAGS_KNOWN) == SLICE_FLAGS_KNOWN)
		return TOCK_ERR_BUSY;
	s->offset = slice_offset(&s->slice);
	s->record = IPC_RELAY_MESSAGE_RECORD_HEADER + (uint64_t)s->length;
	if ((uint64_t)s->offset + s->record > UINT32_MAX)
		return TOCK_ERR_FAIL;
	return 0;
}

/* ---- send: invoke ---- */

static void notify_appended(struct ipc_relay_message *rm, const struct relay_send *s)
{
	uint32_t exceeded = s->slice.ptr[3] & SLICE_FLAG_EXCEEDED;

	hk_upcall_schedule(rm->kernel, rm->driver, s->receiver, TOCK_IPC_RELAY_MESSAGE_UPCALL_APPENDED,
	                   slice_offset(&s->slice), exceeded, 0);
}

/* The record does not fit: set E, keep the offset, tell the receiver its buffer is full. */
static struct hk_cmd_ret send_exceeded(struct ipc_relay_message *rm, struct relay_send *s)
{
	s->slice.ptr[3] |= SLICE_FLAG_EXCEEDED;
	s->rgrant->dropped++;
	notify_appended(rm, s);
	return hk_cmd_failure(TOCK_ERR_SIZE);
}

/* Write the record header into the receiver's view, then move the payload allow to allow. */
static struct hk_cmd_ret send_append(struct ipc_relay_message *rm, const struct hk_call *call, struct relay_send *s)
{
	size_t at = IPC_RELAY_MESSAGE_SLICE_HEADER + (size_t)s->offset;
	uint64_t sender_id = ipc_identifier_of(rm->kernel, call->pid);
	uint32_t length = (uint32_t)s->length;
	size_t copied = 0;

	if (s->record > s->slice.len - IPC_RELAY_MESSAGE_SLICE_HEADER ||
	    s->offset > s->slice.len - IPC_RELAY_MESSAGE_SLICE_HEADER - s->record)
		return send_exceeded(rm, s);

	memcpy(s->slice.ptr + at, &sender_id, sizeof(sender_id));
	memcpy(s->slice.ptr + at + sizeof(sender_id), &length, sizeof(length));
	if (length > 0 &&
	    (hk_copy_allow(rm->kernel, call->driver, call->pid, TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_MESSAGE, 0, s->receiver,
	                   TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE, at + IPC_RELAY_MESSAGE_RECORD_HEADER, length, &copied) < 0 ||
	     copied != length)) {
		/* Cannot happen after the checks above; bytes past the offset may be written, which
		 * the slice protocol permits, but the offset stays put. */
		s->rgrant->dropped++;
		return hk_cmd_failure(TOCK_ERR_FAIL);
	}
	slice_set_offset(&s->slice, s->offset + (uint32_t)s->record);
	s->rgrant->messages++;
	s->rgrant->bytes += length;
	notify_appended(rm, s);
	return hk_cmd_success();
}

static struct hk_cmd_ret relay_send(struct ipc_relay_message *rm, const struct hk_call *call, uint32_t id_low,
                                    uint32_t id_high)
{
	struct relay_send s = { 0 };
	uint32_t err = send_resolve(rm, call, ipc_identifier_from_args(id_low, id_high), &s);

	if (err)
		return hk_cmd_failure(err);
	err = send_check_slice(rm, call, &s);
	if (err) {
		s.rgrant->dropped++;
		return hk_cmd_failure(err);
	}
	return send_append(rm, call, &s);
}

static struct hk_cmd_ret relay_message_command(void *self, const struct hk_call *call, uint32_t command,
                                               uint32_t arg0, uint32_t arg1)
{
	struct ipc_relay_message *rm = self;

	switch (command) {
	case TOCK_IPC_RELAY_MESSAGE_CMD_EXISTS:
		return hk_cmd_success();
	case TOCK_IPC_RELAY_MESSAGE_CMD_ENABLE:
		return relay_enable(rm, call);
	case TOCK_IPC_RELAY_MESSAGE_CMD_DISABLE:
		return relay_disable(call);
	case TOCK_IPC_RELAY_MESSAGE_CMD_SEND:
		return relay_send(rm, call, arg0, arg1);
	default:
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

const struct hk_driver_ops ipc_relay_message_ops = {
	.name = "ipc_relay_message",
	.grant_size = sizeof(struct relay_message_grant),
	.num_upcalls = 2,
	.num_allow_ro = 2,
	.num_allow_rw = 1,
	.num_allow_ur = 0,
	.notification_upcalls = 1u << TOCK_IPC_RELAY_MESSAGE_UPCALL_APPENDED,
	.command = relay_message_command,
	.abi = &tock_ipc_relay_message_abi,
};

/* ---- senders that end ---- */

/* Tell every enabled receiver that lists `gone` that this sender incarnation ended. */
static void report_sender_gone(struct ipc_relay_message *rm, uint64_t gone)
{
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(rm->kernel, &cursor, &pid)) {
		struct relay_message_grant *g = hk_grant_get(rm->kernel, rm->driver, pid);

		if (!g || !g->enabled || !allowlist_has(rm->kernel, rm->driver, pid, gone))
			continue;
		hk_upcall_schedule(rm->kernel, rm->driver, pid, TOCK_IPC_RELAY_MESSAGE_UPCALL_SENDER_GONE, TOCK_ERR_NODEVICE,
		                   ipc_identifier_low(gone), ipc_identifier_high(gone));
	}
}

static void live_add(struct ipc_relay_message *rm, hk_pid pid)
{
	if (!basic_array_reserve((void **)&rm->live, &rm->cap_live, rm->n_live, sizeof(*rm->live))) {
		rm->live_lost = true;
		return;
	}
	rm->live[rm->n_live++] = pid;
}

/* True (and forgotten) if pid started and its end was not reported yet. */
static bool live_take(struct ipc_relay_message *rm, hk_pid pid)
{
	for (size_t i = 0; i < rm->n_live; i++) {
		if (rm->live[i] == pid) {
			rm->live[i] = rm->live[--rm->n_live];
			return true;
		}
	}
	return rm->live_lost;
}

static void relay_process_event(struct hk_process_listener *self, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                                enum hk_process_event event)
{
	struct ipc_relay_message *rm = (struct ipc_relay_message *)((char *)self - offsetof(struct ipc_relay_message,
	                                                                                     listener));
	/* After a restart the old ProcessId no longer names the slot; the ShortId survives restarts. */
	uint32_t short_id = hk_process_short_id(k, event == HK_EVENT_RESTARTED ? new_pid : pid);

	if (event == HK_EVENT_STARTED) {
		live_add(rm, pid);
		return;
	}
	if (!live_take(rm, pid))
		return; /* already reported, or never ran */
	report_sender_gone(rm, ipc_identifier_make(pid, short_id));
}

/* ---- lifetime and introspection ---- */

struct ipc_relay_message *ipc_relay_message_new(struct hk_kernel *k, uint32_t driver,
                                                const struct hk_cap_process_state *cap)
{
	struct ipc_relay_message *rm = calloc(1, sizeof(*rm));
	hk_pid pid;

	if (!rm)
		return NULL;
	rm->kernel = k;
	rm->driver = driver;
	rm->listener.notify = relay_process_event;
	if (hk_process_listener_register(k, cap, &rm->listener) < 0) {
		free(rm);
		return NULL;
	}
	for (size_t cursor = 0; hk_process_next(k, &cursor, &pid);) /* processes that started before us */
		live_add(rm, pid);
	return rm;
}

void ipc_relay_message_free(struct ipc_relay_message *rm)
{
	if (rm)
		free(rm->live);
	free(rm);
}

int ipc_relay_message_info(struct ipc_relay_message *rm, hk_pid pid, struct ipc_relay_message_info *ret)
{
	struct relay_message_grant *g;
	struct hk_buf slice = { 0 };
	struct hk_robuf list = { 0 };

	if (!hk_process_alive(rm->kernel, pid))
		return -ENOENT;
	g = hk_grant_get(rm->kernel, rm->driver, pid);
	if (!g)
		return -ENOENT;
	memset(ret, 0, sizeof(*ret));
	ret->enabled = g->enabled;
	ret->messages = g->messages;
	ret->bytes = g->bytes;
	ret->dropped = g->dropped;
	if (hk_allow_rw_get(rm->kernel, rm->driver, pid, TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE, &slice) == 0) {
		ret->slice_len = slice.len;
		if (slice_check(&slice) == 0) {
			ret->offset = slice_offset(&slice);
			ret->exceeded = slice.ptr[3] & SLICE_FLAG_EXCEEDED;
			ret->halted = slice.ptr[3] & SLICE_FLAG_HALT;
		}
	}
	if (hk_allow_ro_get(rm->kernel, rm->driver, pid, TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_ALLOWLIST, &list) == 0)
		ret->allowlist_entries = list.len / sizeof(uint64_t);
	return 0;
}
