/* Per-process upcall queue: a FIFO ring of FunctionCall and null-upcall entries, with drop and coalesce rules. */
#include <errno.h>
#include <string.h>

#include "hostkernel/core/core.h"
#include "hostkernel/core/trace_emit.h"

static struct hk_upcall_entry *q_at(const struct hk_process *p, uint32_t i)
{
	return &p->queue[(p->q_head + i) % p->q_depth];
}

void hk_core_queue_clear(struct hk_process *p)
{
	p->q_head = 0;
	p->q_count = 0;
}

bool hk_core_queue_has_function(const struct hk_process *p)
{
	for (uint32_t i = 0; i < p->q_count; i++)
		if (q_at(p, i)->fn != 0)
			return true;
	return false;
}

const struct hk_upcall_entry *hk_process_queued(const struct hk_process *p, uint32_t i)
{
	return i < p->q_count ? &p->queue[(p->q_head + i) % p->q_depth] : NULL;
}

bool hk_core_queue_pop(struct hk_process *p, struct hk_upcall_entry *ret)
{
	if (p->q_count == 0)
		return false;
	*ret = *q_at(p, 0);
	p->q_head = (p->q_head + 1) % p->q_depth;
	p->q_count--;
	return true;
}

void hk_core_queue_drop_head_nulls(struct hk_process *p)
{
	struct hk_upcall_entry e;

	while (p->q_count > 0 && q_at(p, 0)->fn == 0)
		hk_core_queue_pop(p, &e);
}

/* Remove entry i, keeping the order of the rest. */
static void q_remove(struct hk_process *p, uint32_t i)
{
	for (uint32_t j = i; j + 1 < p->q_count; j++)
		*q_at(p, j) = *q_at(p, j + 1);
	p->q_count--;
}

bool hk_core_queue_take(struct hk_process *p, uint32_t driver, uint32_t slot, struct hk_upcall_entry *ret)
{
	for (uint32_t i = 0; i < p->q_count; i++) {
		struct hk_upcall_entry *e = q_at(p, i);

		if (e->driver == driver && e->slot == slot) {
			*ret = *e;
			q_remove(p, i);
			return true;
		}
	}
	return false;
}

void hk_core_queue_remove_functions(struct hk_process *p, uint32_t driver, uint32_t slot)
{
	uint32_t i = 0;

	while (i < p->q_count) {
		struct hk_upcall_entry *e = q_at(p, i);

		if (e->driver == driver && e->slot == slot && e->fn != 0)
			q_remove(p, i);
		else
			i++;
	}
}

int hk_upcall_retract(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, uint32_t a0, uint32_t a1)
{
	struct hk_process *p = hk_process_lookup(k, pid);
	uint32_t i = 0;
	int removed = 0;

	if (!p || !hk_core_alive(p))
		return 0;
	while (i < p->q_count) {
		struct hk_upcall_entry *e = q_at(p, i);

		if (e->driver == driver && e->slot == slot && e->a0 == a0 && e->a1 == a1) {
			q_remove(p, i);
			removed++;
		} else {
			i++;
		}
	}
	return removed;
}

static bool queued(const struct hk_process *p, uint32_t driver, uint32_t slot)
{
	for (uint32_t i = 0; i < p->q_count; i++)
		if (q_at(p, i)->driver == driver && q_at(p, i)->slot == slot)
			return true;
	return false;
}

int hk_upcall_schedule(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, uint32_t a0, uint32_t a1,
                       uint32_t a2)
{
	struct hk_process *p = hk_process_lookup(k, pid);
	struct hk_driver_entry *d;
	struct hk_grant *g;
	struct hk_upcall_entry e = { driver, slot, 0, 0, a0, a1, a2 };

	if (!p || !hk_core_alive(p))
		return -ESRCH;
	d = hk_core_driver(k, driver);
	if (!d || slot >= d->ops->num_upcalls)
		return -EINVAL;
	if (k->caller && k->caller != p) { /* e.g. a response for a waiting client: it may go next (sched.c) */
		k->handoff_pid = p->pid;
		k->handoff_valid = true;
	}
	/* The subscription is read now: a later re-subscribe does not redirect this event. */
	g = hk_core_grant_find(p, driver);
	if (g) {
		e.fn = g->upcalls[slot].fn;
		e.appdata = g->upcalls[slot].appdata;
	}
	if (slot < 32 && (d->ops->notification_upcalls & (1u << slot)) && queued(p, driver, slot)) {
		p->n_coalesced++;
		return 0;
	}
	if (p->q_count == p->q_depth) {
		p->n_dropped++;
		if (k->tracer)
			hk_trace_upcall_dropped(k, p, driver, slot);
		return -ENOSPC;
	}
	*q_at(p, p->q_count) = e;
	p->q_count++;
	return 0;
}
