/* The kernel core's trace hook: builds trace events and hands them to the installed tracer. */
#include <string.h>

#include "hostkernel/core/core.h"
#include "hostkernel/core/trace_emit.h"

void hk_kernel_set_tracer(struct hk_kernel *k, struct hk_tracer *tracer)
{
	if (k)
		k->tracer = tracer && tracer->event ? tracer : NULL;
}

static void emit(struct hk_kernel *k, const struct hk_trace_event *ev)
{
	struct hk_tracer *t = k->tracer;

	if (t)
		t->event(t, k, ev);
}

void hk_trace_syscall(struct hk_kernel *k, const struct hk_process *p, hk_pid pid, const struct hk_syscall *sc,
                      enum hk_syscall_result result, const struct hk_resume *ret)
{
	struct hk_trace_event ev = { .kind = HK_TRACE_SYSCALL, .process = p, .pid = pid };

	ev.u.syscall.class_id = sc->class_id;
	memcpy(ev.u.syscall.arg, sc->r, sizeof(ev.u.syscall.arg));
	ev.u.syscall.result = result;
	if (result == HK_SYSCALL_RESUME && ret && ret->kind == HK_RESUME_RETURN)
		memcpy(ev.u.syscall.ret, ret->arg, sizeof(ev.u.syscall.ret));
	emit(k, &ev);
}

void hk_trace_upcall(struct hk_kernel *k, const struct hk_process *p, uint32_t driver, uint32_t slot, uint32_t a0,
                     uint32_t a1, uint32_t a2, bool null_upcall, bool wait_for)
{
	struct hk_trace_event ev = { .kind = HK_TRACE_UPCALL, .process = p, .pid = p->pid };

	ev.u.upcall = (struct hk_trace_upcall){ driver, slot, a0, a1, a2, null_upcall, wait_for };
	emit(k, &ev);
}

void hk_trace_upcall_dropped(struct hk_kernel *k, const struct hk_process *p, uint32_t driver, uint32_t slot)
{
	struct hk_trace_event ev = { .kind = HK_TRACE_UPCALL_DROPPED, .process = p, .pid = p->pid };

	ev.u.upcall.driver = driver;
	ev.u.upcall.slot = slot;
	emit(k, &ev);
}

void hk_trace_copy(struct hk_kernel *k, uint32_t driver, hk_pid src, hk_pid dst, size_t bytes, size_t src_len)
{
	struct hk_trace_event ev = { .kind = HK_TRACE_COPY, .process = hk_process_lookup(k, src), .pid = src };

	ev.u.copy = (struct hk_trace_copy){ driver, dst, bytes, src_len };
	emit(k, &ev);
}

void hk_trace_state(struct hk_kernel *k, hk_pid pid, hk_pid new_pid, enum hk_trace_state_change change)
{
	/* After a restart only the new identifier finds the process (same slot, same struct). */
	struct hk_process *p = hk_process_lookup(k, new_pid);
	struct hk_trace_event ev = { .kind = HK_TRACE_STATE, .process = p, .pid = pid };

	if (!p)
		return;
	ev.u.state.change = change;
	ev.u.state.new_pid = new_pid;
	ev.u.state.cause = change == HK_TRACE_FAULTED ? p->fault.cause : NULL;
	emit(k, &ev);
}
