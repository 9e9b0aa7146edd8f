/* Process lifecycle: terminate, restart, fault policies, stop/resume, and the listeners they notify. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/core/core.h"
#include "hostkernel/core/share.h"
#include "hostkernel/core/trace_emit.h"

/* Everything the incarnation owned in the kernel goes: queue, grants (with allow/subscribe tables). */
static void teardown(struct hk_process *p)
{
	hk_core_queue_clear(p);
	hk_core_grants_free(p);
	hk_core_share_process_gone(p->kernel, p); /* revoked before the memory can be reused */
	p->allow_high_water = p->has_memory ? p->mem.ram_start : 0;
	p->on_cpu = false;
	p->ready = false;
	p->start_pending = false;
	p->deferred_valid = false;
}

static void kill_host(struct hk_kernel *k, struct hk_process *p)
{
	if (!p->host_alive)
		return;
	p->host_alive = false;
	if (k->ops->process_kill)
		k->ops->process_kill(k->ctx, p);
	/* The backend may unmap the memory now. */
	p->has_memory = false;
}

int hk_process_terminate(struct hk_kernel *k, struct hk_process *p, uint32_t completion_code)
{
	if (!k || !p)
		return -EINVAL;
	if (p->state == HK_STATE_TERMINATED)
		return -EALREADY;
	teardown(p);
	p->completion_code = completion_code;
	p->has_completion_code = true;
	p->state = HK_STATE_TERMINATED;
	hk_core_notify(k, p->pid, p->pid, HK_EVENT_TERMINATED);
	kill_host(k, p);
	return 0;
}

/* Tock's try_restart: teardown, new identifier in the same slot, fresh host process. */
int hk_process_restart(struct hk_kernel *k, struct hk_process *p)
{
	hk_pid old;
	int r = 0;

	if (!k || !p)
		return -EINVAL;
	old = p->pid;
	teardown(p);
	p->pid = k->next_pid++;
	p->restart_count++;
	p->state = HK_STATE_UNSTARTED;
	hk_core_notify(k, old, p->pid, HK_EVENT_RESTARTED);
	kill_host(k, p);
	if (k->ops->process_spawn)
		r = k->ops->process_spawn(k->ctx, p); /* may call hk_process_ready() at once */
	if (r < 0) {
		p->state = HK_STATE_FAULTED;
		p->ready = false;
		return r;
	}
	p->host_alive = true;
	return 0;
}

/* Keep the whole fault info; the cause is copied (the caller's may be a stack buffer). */
static void record_fault(struct hk_process *p, const struct hk_fault_info *info)
{
	free(p->fault_cause_owned);
	p->fault_cause_owned = strdup(info->cause ? info->cause : "fault");
	p->fault = *info;
	p->fault.cause = p->fault_cause_owned ? p->fault_cause_owned : "fault";
}

static void stop_faulted(struct hk_kernel *k, struct hk_process *p)
{
	teardown(p);
	p->state = HK_STATE_FAULTED;
	hk_core_notify(k, p->pid, p->pid, HK_EVENT_FAULTED);
	kill_host(k, p);
}

static void fault_apply(struct hk_kernel *k, struct hk_process *p, const struct hk_fault_info *info)
{
	bool restart;

	record_fault(p, info);
	switch (p->policy.kind) {
	case HK_FAULT_STOP:
		stop_faulted(k, p);
		return;
	case HK_FAULT_RESTART:
	case HK_FAULT_RESTART_UP_TO:
		restart = p->policy.kind == HK_FAULT_RESTART || p->restart_count < p->policy.max_restarts;
		if (!restart) {
			stop_faulted(k, p);
			return;
		}
		teardown(p);
		p->state = HK_STATE_FAULTED;
		hk_core_notify(k, p->pid, p->pid, HK_EVENT_FAULTED);
		hk_process_restart(k, p);
		return;
	case HK_FAULT_PANIC:
	default:
		p->state = HK_STATE_FAULTED;
		p->on_cpu = false;
		if (k->ops->panic)
			k->ops->panic(k->ctx, p, p->fault.cause);
		return;
	}
}

void hk_core_fault(struct hk_kernel *k, struct hk_process *p, const char *cause)
{
	struct hk_fault_info info = { .cause = cause };

	fault_apply(k, p, &info);
}

void hk_process_fault(struct hk_kernel *k, struct hk_process *p, const struct hk_fault_info *info)
{
	if (!k || !p || p->state == HK_STATE_FAULTED || p->state == HK_STATE_TERMINATED)
		return;
	if (info)
		fault_apply(k, p, info);
	else
		hk_core_fault(k, p, NULL);
}

int hk_process_stop(struct hk_kernel *k, struct hk_process *p)
{
	if (!k || !p)
		return -EINVAL;
	if (p->state == HK_STATE_STOPPED)
		return -EALREADY;
	if (p->state != HK_STATE_RUNNING && p->state != HK_STATE_YIELDED && p->state != HK_STATE_YIELDED_FOR)
		return -ESRCH;
	p->stopped_from = p->state;
	p->state = HK_STATE_STOPPED;
	p->on_cpu = false;
	if (k->tracer)
		hk_trace_state(k, p->pid, p->pid, HK_TRACE_STOPPED);
	return 0;
}

/* Back to the state it was stopped in; a Running one waits in the run queue (CONTINUE or its deferred syscall). */
int hk_process_resume(struct hk_kernel *k, struct hk_process *p)
{
	if (!k || !p)
		return -EINVAL;
	if (p->state != HK_STATE_STOPPED)
		return -EALREADY;
	p->state = p->stopped_from;
	p->on_cpu = false;
	if (k->tracer)
		hk_trace_state(k, p->pid, p->pid, HK_TRACE_RESUMED);
	return 0;
}
