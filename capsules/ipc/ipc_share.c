/* IPC Share capsule (0xA0020): region records and grants; the kernel does the memory (hk_share_*). */
#include "capsules/ipc/ipc_share.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "basic/array.h"
#include "capsules/ipc/ipc_identifier.h"

struct share_grant {
	hk_pid receiver;
	uint64_t receiver_id;
	bool writable;
	bool mapped; /* by cmd 3, until cmd 4 or revoke: who must hear upcall 1 */
};

/* One region this capsule created: its owner and who it was granted to. */
struct share_entry {
	uint32_t region;
	hk_pid owner;
	uint64_t owner_id;
	struct share_grant *grants;
	size_t n_grants, cap_grants;
};

struct ipc_share {
	struct hk_process_listener listener;
	struct hk_kernel *kernel;
	uint32_t driver;
	const struct hk_cap_memory_map *cap;
	struct share_entry *entries;
	size_t n_entries, cap_entries;
};

static struct share_entry *share_find(struct ipc_share *s, uint32_t region)
{
	for (size_t i = 0; i < s->n_entries; i++)
		if (s->entries[i].region == region)
			return &s->entries[i];
	return NULL;
}

static struct share_grant *share_grant_of(struct share_entry *e, hk_pid receiver)
{
	for (size_t i = 0; i < e->n_grants; i++)
		if (e->grants[i].receiver == receiver)
			return &e->grants[i];
	return NULL;
}

static bool share_mapped(struct ipc_share *s, uint32_t region, hk_pid pid)
{
	return hk_share_address(s->kernel, region, pid, NULL, NULL) == 0;
}

/*
 * Tell a receiver that had the region mapped that it is gone (upcall 1); a dead receiver is
 * skipped by the kernel. Only mappers are told: they lost memory, and since mapping is the
 * receiver's own choice, no owner can flood a receiver's queue with create/grant/destroy loops.
 */
static void share_notify_gone(struct ipc_share *s, const struct share_entry *e, const struct share_grant *g)
{
	if (!g->mapped)
		return;
	hk_upcall_schedule(s->kernel, s->driver, g->receiver, TOCK_IPC_SHARE_UPCALL_GONE, ipc_identifier_low(e->owner_id),
	                   ipc_identifier_high(e->owner_id), e->region);
}

/* Drop the record (the kernel's region is already gone or destroyed by the caller). */
static void share_remove(struct ipc_share *s, struct share_entry *e)
{
	free(e->grants);
	*e = s->entries[--s->n_entries];
}

static uint32_t share_errno_to_error(int err)
{
	switch (err) {
	case -EINVAL: return TOCK_ERR_INVAL;
	case -E2BIG: return TOCK_ERR_SIZE;
	case -ENOSPC:
	case -ENOMEM: return TOCK_ERR_NOMEM;
	case -EEXIST: return TOCK_ERR_ALREADY;
	case -ENOENT: return TOCK_ERR_INVAL;
	default: return TOCK_ERR_FAIL;
	}
}

static struct hk_cmd_ret share_create(struct ipc_share *s, hk_pid caller, uint32_t size)
{
	uint32_t region;
	uint64_t address;
	int err;

	if (!basic_array_reserve((void **)&s->entries, &s->cap_entries, s->n_entries, sizeof(*s->entries)))
		return hk_cmd_failure(TOCK_ERR_NOMEM);
	err = hk_share_create(s->kernel, s->cap, caller, size, &region, &address);
	if (err < 0)
		return hk_cmd_failure(share_errno_to_error(err));
	s->entries[s->n_entries++] = (struct share_entry){
		.region = region, .owner = caller, .owner_id = ipc_identifier_of(s->kernel, caller),
	};
	return hk_cmd_success_u32_u64(region, address);
}

/* The RO allow 0 request of cmd 2 / cmd 5, copied out (the view is valid only during this call). */
static uint32_t share_read_request(struct ipc_share *s, hk_pid caller, size_t need, uint8_t ret[16])
{
	struct hk_robuf b;

	if (hk_allow_ro_get(s->kernel, s->driver, caller, TOCK_IPC_SHARE_ALLOW_RO_REQUEST, &b) < 0)
		return TOCK_ERR_FAIL;
	if (b.len < need)
		return TOCK_ERR_SIZE;
	memcpy(ret, b.ptr, need);
	return 0;
}

static struct hk_cmd_ret share_grant(struct ipc_share *s, hk_pid caller)
{
	uint8_t req[16];
	uint64_t id;
	uint32_t region, flags, err = share_read_request(s, caller, TOCK_IPC_SHARE_GRANT_REQUEST_LEN, req);
	struct share_entry *e;
	struct share_grant *g;
	hk_pid receiver;

	if (err)
		return hk_cmd_failure(err);
	memcpy(&id, req, 8);
	memcpy(&region, req + 8, 4);
	memcpy(&flags, req + 12, 4);
	e = share_find(s, region);
	if ((flags & ~(uint32_t)TOCK_IPC_SHARE_FLAG_WRITABLE) || !e || e->owner != caller)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	if (!ipc_identifier_resolve(s->kernel, id, &receiver))
		return hk_cmd_failure(TOCK_ERR_NODEVICE);
	if (receiver == caller)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	g = share_grant_of(e, receiver);
	if (g && share_mapped(s, region, receiver))
		return hk_cmd_failure(TOCK_ERR_ALREADY);
	if (!g) {
		if (!basic_array_reserve((void **)&e->grants, &e->cap_grants, e->n_grants, sizeof(*e->grants)))
			return hk_cmd_failure(TOCK_ERR_NOMEM);
		g = &e->grants[e->n_grants++];
	}
	*g = (struct share_grant){ receiver, id, (flags & TOCK_IPC_SHARE_FLAG_WRITABLE) != 0, false };
	hk_upcall_schedule(s->kernel, s->driver, receiver, TOCK_IPC_SHARE_UPCALL_GRANTED, ipc_identifier_low(e->owner_id),
	                   ipc_identifier_high(e->owner_id), region);
	return hk_cmd_success();
}

static struct hk_cmd_ret share_map(struct ipc_share *s, hk_pid caller, uint32_t region)
{
	struct share_entry *e = share_find(s, region);
	struct share_grant *g;
	struct hk_share_region_info info;
	uint64_t address;
	int err;

	if (!e)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	if (e->owner == caller)
		return hk_cmd_failure(TOCK_ERR_ALREADY);
	if (!(g = share_grant_of(e, caller)))
		return hk_cmd_failure(TOCK_ERR_INVAL);
	if (hk_share_region_get(s->kernel, region, &info) < 0)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	err = hk_share_map(s->kernel, s->cap, region, caller, g->writable, &address);
	if (err < 0)
		return hk_cmd_failure(share_errno_to_error(err));
	g->mapped = true;
	return hk_cmd_success_u32_u64((uint32_t)info.size, address);
}

static struct hk_cmd_ret share_unmap_or_destroy(struct ipc_share *s, hk_pid caller, uint32_t region)
{
	struct share_entry *e = share_find(s, region);
	struct share_grant *g;

	if (!e)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	if (e->owner == caller) {
		/* Revoke everywhere first, then tell: by the time an upcall runs the mapping is gone. */
		hk_share_destroy(s->kernel, s->cap, region);
		for (size_t i = 0; i < e->n_grants; i++)
			share_notify_gone(s, e, &e->grants[i]);
		share_remove(s, e);
		return hk_cmd_success();
	}
	if (!(g = share_grant_of(e, caller)))
		return hk_cmd_failure(TOCK_ERR_INVAL);
	if (hk_share_unmap(s->kernel, s->cap, region, caller) < 0)
		return hk_cmd_failure(TOCK_ERR_ALREADY);
	g->mapped = false;
	return hk_cmd_success();
}

static struct hk_cmd_ret share_revoke(struct ipc_share *s, hk_pid caller, uint32_t region)
{
	struct share_entry *e = share_find(s, region);
	uint8_t req[16];
	uint32_t err;
	uint64_t id;

	if (!e || e->owner != caller)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	err = share_read_request(s, caller, TOCK_IPC_SHARE_REVOKE_REQUEST_LEN, req);
	if (err)
		return hk_cmd_failure(err);
	memcpy(&id, req, 8);
	if (!ipc_identifier_is_live(s->kernel, id))
		return hk_cmd_failure(TOCK_ERR_NODEVICE);
	for (size_t i = 0; i < e->n_grants; i++)
		if (e->grants[i].receiver_id == id) {
			struct share_grant g = e->grants[i];

			hk_share_unmap(s->kernel, s->cap, region, g.receiver); /* -ENOENT: it never mapped it */
			e->grants[i] = e->grants[--e->n_grants];
			share_notify_gone(s, e, &g);
			return hk_cmd_success();
		}
	return hk_cmd_failure(TOCK_ERR_INVAL);
}

static struct hk_cmd_ret share_command(void *self, const struct hk_call *call, uint32_t command, uint32_t arg0,
                                       uint32_t arg1)
{
	struct ipc_share *s = self;

	(void)arg1;
	switch (command) {
	case TOCK_IPC_SHARE_CMD_EXISTS:
		return hk_cmd_success();
	case TOCK_IPC_SHARE_CMD_CREATE:
		return share_create(s, call->pid, arg0);
	case TOCK_IPC_SHARE_CMD_GRANT:
		return share_grant(s, call->pid);
	case TOCK_IPC_SHARE_CMD_MAP:
		return share_map(s, call->pid, arg0);
	case TOCK_IPC_SHARE_CMD_UNMAP_OR_DESTROY:
		return share_unmap_or_destroy(s, call->pid, arg0);
	case TOCK_IPC_SHARE_CMD_REVOKE:
		return share_revoke(s, call->pid, arg0);
	default:
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

const struct hk_driver_ops ipc_share_ops = {
	.name = "ipc_share",
	.grant_size = 0,
	.num_upcalls = 2,
	.num_allow_ro = 1,
	/* Grants are notifications: an owner granting in a loop cannot clog a receiver's queue. */
	.notification_upcalls = 1u << TOCK_IPC_SHARE_UPCALL_GRANTED,
	.command = share_command,
	.abi = &tock_ipc_share_abi,
};

/*
 * An incarnation ended: the kernel has already destroyed the regions it owned (and forgotten its
 * mappings). Receivers of those regions get upcall 1; grants to the dead one are dropped.
 */
static void share_process_event(struct hk_process_listener *l, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                                enum hk_process_event event)
{
	struct ipc_share *s = (struct ipc_share *)(void *)((char *)l - offsetof(struct ipc_share, listener));

	(void)k, (void)new_pid;
	if (event == HK_EVENT_STARTED)
		return;
	for (size_t i = s->n_entries; i-- > 0;) {
		struct share_entry *e = &s->entries[i];

		if (e->owner == pid) {
			hk_share_destroy(s->kernel, s->cap, e->region); /* -ENOENT: the kernel did it already */
			for (size_t j = 0; j < e->n_grants; j++)
				share_notify_gone(s, e, &e->grants[j]);
			share_remove(s, e);
			continue;
		}
		for (size_t j = e->n_grants; j-- > 0;)
			if (e->grants[j].receiver == pid)
				e->grants[j] = e->grants[--e->n_grants];
	}
}

struct ipc_share *ipc_share_new(struct hk_kernel *k, uint32_t driver, const struct hk_cap_memory_map *memory,
                                const struct hk_cap_process_state *state)
{
	struct ipc_share *s;

	if (!k || !memory)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->kernel = k;
	s->driver = driver;
	s->cap = memory;
	s->listener.notify = share_process_event;
	if (state && hk_process_listener_register(k, state, &s->listener) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

void ipc_share_free(struct ipc_share *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_entries; i++)
		free(s->entries[i].grants);
	free(s->entries);
	free(s);
}

bool ipc_share_region_at(struct ipc_share *s, size_t index, struct ipc_share_region_info *ret)
{
	struct hk_share_region_info info;
	const struct share_entry *e;

	if (!s || index >= s->n_entries)
		return false;
	e = &s->entries[index];
	if (hk_share_region_get(s->kernel, e->region, &info) < 0)
		info.size = 0;
	*ret = (struct ipc_share_region_info){ e->region, e->owner, e->owner_id, info.size, e->n_grants };
	return true;
}

bool ipc_share_grant_at(struct ipc_share *s, size_t index, size_t grant, struct ipc_share_grant_info *ret)
{
	const struct share_entry *e;
	const struct share_grant *g;

	if (!s || index >= s->n_entries || grant >= s->entries[index].n_grants)
		return false;
	e = &s->entries[index];
	g = &e->grants[grant];
	*ret = (struct ipc_share_grant_info){ g->receiver, g->receiver_id, g->writable, false, 0 };
	ret->mapped = hk_share_address(s->kernel, e->region, g->receiver, &ret->address, NULL) == 0;
	return true;
}
