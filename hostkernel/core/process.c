/* Process table: creation, ProcessIds, memory attachment, lookups, accessors and stats. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/array.h"
#include "hostkernel/core/core.h"
#include "hostkernel/kernel_ext.h"

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

struct hk_process *hk_process_create(struct hk_kernel *k, const struct hk_process_desc *desc)
{
	struct hk_process *p;

	if (!k || !desc)
		return NULL;
	if (!basic_array_reserve((void **)&k->procs, &k->cap_procs, k->n_procs, sizeof(*k->procs)))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->queue = calloc(k->cfg.upcall_queue_depth, sizeof(*p->queue));
	p->name = dup_or_empty(desc->name);
	p->package = dup_or_empty(desc->package_name);
	if (!p->queue || !p->name || !p->package) {
		free(p->queue);
		free(p->name);
		free(p->package);
		free(p);
		return NULL;
	}
	p->kernel = k;
	p->q_depth = k->cfg.upcall_queue_depth;
	p->slot = k->n_procs;
	p->pid = k->next_pid++;
	p->short_id = desc->short_id;
	p->policy = desc->fault_policy;
	p->backend = desc->backend;
	p->header = desc->header;
	p->state = HK_STATE_UNSTARTED;
	p->host_alive = true;
	k->procs[k->n_procs++] = p;
	return p;
}

void hk_process_set_memory(struct hk_process *p, const struct hk_memory_map *map)
{
	if (!p || !map)
		return;
	p->mem = *map;
	p->has_memory = true;
	p->app_break = map->initial_break;
	p->allow_high_water = map->ram_start;
}

void hk_process_ready(struct hk_kernel *k, struct hk_process *p)
{
	if (!k || !p || p->state != HK_STATE_UNSTARTED || p->ready)
		return;
	p->ready = true;
	p->start_pending = true;
	p->host_alive = true;
	hk_core_notify(k, p->pid, p->pid, HK_EVENT_STARTED);
}

bool hk_core_alive(const struct hk_process *p)
{
	switch (p->state) {
	case HK_STATE_UNSTARTED:
		return p->ready;
	case HK_STATE_RUNNING:
	case HK_STATE_YIELDED:
	case HK_STATE_YIELDED_FOR:
	case HK_STATE_STOPPED:
		return true;
	default:
		return false;
	}
}

struct hk_process *hk_process_lookup(struct hk_kernel *k, hk_pid pid)
{
	if (!k)
		return NULL;
	for (size_t i = 0; i < k->n_procs; i++)
		if (k->procs[i]->pid == pid)
			return k->procs[i];
	return NULL;
}

struct hk_process *hk_process_at(struct hk_kernel *k, size_t slot)
{
	return k && slot < k->n_procs ? k->procs[slot] : NULL;
}

size_t hk_process_count(struct hk_kernel *k)
{
	return k ? k->n_procs : 0;
}

bool hk_process_alive(struct hk_kernel *k, hk_pid pid)
{
	struct hk_process *p = hk_process_lookup(k, pid);

	return p && hk_core_alive(p);
}

uint32_t hk_process_short_id(struct hk_kernel *k, hk_pid pid)
{
	struct hk_process *p = hk_process_lookup(k, pid);

	return p ? p->short_id : 0;
}

bool hk_process_next(struct hk_kernel *k, size_t *cursor, hk_pid *ret_pid)
{
	if (!k || !cursor)
		return false;
	while (*cursor < k->n_procs) {
		struct hk_process *p = k->procs[(*cursor)++];

		if (hk_core_alive(p)) {
			if (ret_pid)
				*ret_pid = p->pid;
			return true;
		}
	}
	return false;
}

hk_pid hk_process_pid(const struct hk_process *p) { return p->pid; }
const char *hk_process_name(const struct hk_process *p) { return p->name; }
const char *hk_process_package(const struct hk_process *p) { return p->package; }
enum hk_state hk_process_state(const struct hk_process *p) { return p->state; }
void *hk_process_backend(const struct hk_process *p) { return p->backend; }
const void *hk_process_header(const struct hk_process *p) { return p->header; }
uint32_t hk_process_restart_count(const struct hk_process *p) { return p->restart_count; }
uint32_t hk_process_completion_code(const struct hk_process *p) { return p->completion_code; }
bool hk_process_has_completion_code(const struct hk_process *p) { return p->has_completion_code; }
const char *hk_process_fault_cause(const struct hk_process *p) { return p->fault.cause; }

bool hk_process_fault_info(const struct hk_process *p, struct hk_fault_info *ret)
{
	if (!p->fault.cause)
		return false;
	*ret = p->fault;
	return true;
}

void hk_process_get_stats(const struct hk_process *p, struct hk_process_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->syscalls = p->n_syscalls;
	ret->upcalls_delivered = p->n_delivered;
	ret->upcalls_dropped = p->n_dropped;
	ret->upcalls_coalesced = p->n_coalesced;
	ret->upcalls_queued = p->q_count;
	ret->grant_bytes_used = p->grant_used;
	if (p->has_memory && p->mem.ram_end > p->mem.grant_start)
		ret->grant_bytes_budget = (size_t)(p->mem.ram_end - p->mem.grant_start);
	ret->app_break = p->app_break;
}

const char *hk_state_name(enum hk_state s)
{
	static const char *const names[] = {
		[HK_STATE_UNSTARTED] = "Unstarted", [HK_STATE_RUNNING] = "Running",
		[HK_STATE_YIELDED] = "Yielded",     [HK_STATE_YIELDED_FOR] = "YieldedFor",
		[HK_STATE_STOPPED] = "Stopped",     [HK_STATE_FAULTED] = "Faulted",
		[HK_STATE_TERMINATED] = "Terminated",
	};

	if ((unsigned)s < sizeof(names) / sizeof(names[0]))
		return names[s];
	return "Unknown";
}

const uint8_t *hk_process_package_name(struct hk_kernel *k, const struct hk_cap_process_info *cap, hk_pid pid,
                                       size_t *ret_len)
{
	struct hk_process *p;

	if (ret_len)
		*ret_len = 0;
	if (!k || cap != &k->cap_info)
		return NULL;
	p = hk_process_lookup(k, pid);
	if (!p || !p->package || !p->package[0])
		return NULL;
	if (ret_len)
		*ret_len = strlen(p->package);
	return (const uint8_t *)p->package;
}
