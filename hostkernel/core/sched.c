/* Scheduler: round robin over processes that can run now; idle and all-done predicates. */
#include <errno.h>
#include <string.h>

#include "hostkernel/core/core.h"
#include "hostkernel/kernel_ext.h"
#include "hostkernel/core/trace_emit.h"

static void run(struct hk_process *p)
{
	p->state = HK_STATE_RUNNING;
	p->on_cpu = true;
}

static void deliver_upcall(struct hk_process *p, const struct hk_upcall_entry *e, struct hk_resume *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->kind = HK_RESUME_UPCALL;
	ret->arg[0] = e->fn;
	ret->arg[1] = e->a0;
	ret->arg[2] = e->a1;
	ret->arg[3] = e->a2;
	ret->arg[4] = e->appdata;
	p->n_delivered++;
	run(p);
	if (p->kernel->tracer)
		hk_trace_upcall(p->kernel, p, e->driver, e->slot, e->a0, e->a1, e->a2, false, false);
}

/* A syscall that arrived while it was being stopped: handle it now that it runs again. */
static bool replay_deferred(struct hk_kernel *k, struct hk_process *p, struct hk_resume *ret)
{
	struct hk_syscall sc = p->deferred;

	p->deferred_valid = false;
	switch (hk_syscall(k, p, &sc, ret)) {
	case HK_SYSCALL_RESUME:
		return true;
	case HK_SYSCALL_BLOCKED:
		return hk_sched_take(k, p, ret);
	default:
		return false;
	}
}

bool hk_sched_take(struct hk_kernel *k, struct hk_process *p, struct hk_resume *ret)
{
	struct hk_upcall_entry e;

	switch (p->state) {
	case HK_STATE_UNSTARTED:
		if (!p->ready || !p->start_pending)
			return false;
		p->start_pending = false;
		memset(ret, 0, sizeof(*ret));
		ret->kind = HK_RESUME_START;
		run(p);
		return true;
	case HK_STATE_RUNNING:
		if (p->on_cpu)
			return false;
		if (p->deferred_valid) {
			run(p);
			return replay_deferred(k, p, ret);
		}
		memset(ret, 0, sizeof(*ret));
		ret->kind = HK_RESUME_CONTINUE;
		run(p);
		return true;
	case HK_STATE_YIELDED:
		hk_core_queue_drop_head_nulls(p);
		if (!hk_core_queue_pop(p, &e))
			return false;
		deliver_upcall(p, &e, ret);
		return true;
	case HK_STATE_YIELDED_FOR:
		if (!hk_core_queue_take(p, p->wait_driver, p->wait_slot, &e))
			return false;
		hk_core_set_return(ret, e.a0, e.a1, e.a2, 0);
		p->n_delivered++;
		run(p);
		if (k->tracer)
			hk_trace_upcall(k, p, e.driver, e.slot, e.a0, e.a1, e.a2, e.fn == 0, true);
		return true;
	default:
		return false;
	}
}

/*
 * Directed hand-off, as L4 and seL4 hand the CPU from a server's reply straight to its caller:
 * the process the last runner queued an upcall for (a Relay Request response, a message) goes
 * first if it can run now. At most n_procs such picks in a row, then one by round robin (whose
 * place they do not move), so two processes talking to each other cannot starve the rest.
 * Deterministic: it depends only on the order of syscalls and upcalls.
 */
static struct hk_process *take_handoff(struct hk_kernel *k, struct hk_resume *ret)
{
	struct hk_process *p = k->handoff_valid ? hk_process_lookup(k, k->handoff_pid) : NULL;

	k->handoff_valid = false;
	if (p && k->handoffs_in_a_row < k->n_procs && hk_sched_take(k, p, ret)) {
		k->handoffs_in_a_row++;
		return p;
	}
	k->handoffs_in_a_row = 0;
	return NULL;
}

struct hk_process *hk_schedule_next(struct hk_kernel *k, struct hk_resume *ret)
{
	struct hk_process *directed;
	size_t start;

	if (!k || !ret || k->n_procs == 0)
		return NULL;
	directed = take_handoff(k, ret);
	if (directed)
		return directed;
	start = k->any_scheduled ? (k->last_scheduled + 1) % k->n_procs : 0;
	for (size_t i = 0; i < k->n_procs; i++) {
		size_t slot = (start + i) % k->n_procs;
		struct hk_process *p = k->procs[slot];

		if (hk_sched_take(k, p, ret)) {
			k->last_scheduled = slot;
			k->any_scheduled = true;
			return p;
		}
	}
	return NULL;
}

int hk_sched_make_current(struct hk_kernel *k, struct hk_process *p)
{
	switch (p->state) {
	case HK_STATE_UNSTARTED:
		if (!p->ready)
			return -ESRCH;
		p->start_pending = false;
		break;
	case HK_STATE_RUNNING:
		if (p->deferred_valid)
			return -EBUSY;
		break;
	case HK_STATE_YIELDED:
	case HK_STATE_YIELDED_FOR:
		break;
	default:
		return -ESRCH;
	}
	(void)k;
	run(p);
	return 0;
}

void hk_process_preempted(struct hk_kernel *k, struct hk_process *p)
{
	(void)k;
	if (p && p->state == HK_STATE_RUNNING)
		p->on_cpu = false;
}

/* Could it run now (or is it running, or about to be spawned)? Stopped ones cannot. */
static bool busy(const struct hk_process *p)
{
	switch (p->state) {
	case HK_STATE_UNSTARTED:
		return true;
	case HK_STATE_RUNNING:
		return true;
	case HK_STATE_YIELDED:
		return hk_core_queue_has_function(p);
	case HK_STATE_YIELDED_FOR:
		for (uint32_t i = 0; i < p->q_count; i++) {
			const struct hk_upcall_entry *e = &p->queue[(p->q_head + i) % p->q_depth];

			if (e->driver == p->wait_driver && e->slot == p->wait_slot)
				return true;
		}
		return false;
	default:
		return false;
	}
}

bool hk_kernel_idle(struct hk_kernel *k)
{
	for (size_t i = 0; k && i < k->n_procs; i++)
		if (busy(k->procs[i]))
			return false;
	return true;
}

bool hk_kernel_all_done(struct hk_kernel *k)
{
	for (size_t i = 0; k && i < k->n_procs; i++)
		if (k->procs[i]->state != HK_STATE_FAULTED && k->procs[i]->state != HK_STATE_TERMINATED)
			return false;
	return true;
}
