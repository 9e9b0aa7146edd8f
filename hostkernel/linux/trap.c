/* The supervisor's side of the trap channel: frames in, resumes out, single-CPU scheduling, deaths. */
#include <errno.h>
#include <inttypes.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostkernel/kernel_ext.h"
#include "hostkernel/transport/trap_codec.h"
#include "hostkernel/linux/backend_internal.h"

static int send_frame(struct lx_conn *c, const struct tock_trap_frame *f)
{
	int r = lx_channel_send(&c->chan, f, -1);

	/* The channel holds the one frame in flight, so any failure means the app is gone. */
	if (r < 0)
		c->eof = true;
	return r;
}

/* The answer to a linked syscall decides whether the rest of its chain runs (tock/trap_frame.h). */
static void chain_after_answer(struct lx_conn *c, const struct tock_trap_frame *answer)
{
	if (c->link == TOCK_CHAIN_NONE)
		return;
	c->chain = tock_chain_continues(c->link, c->class_id, answer->kind, answer->arg[0], answer->arg[1])
	                   ? LX_CHAIN_RUN
	                   : LX_CHAIN_SKIP;
	c->link = TOCK_CHAIN_NONE;
}

static void send_resume(struct hk_linux *lx, struct lx_conn *c, const struct hk_resume *res)
{
	struct tock_trap_frame f;

	if (hk_trap_encode(res, c->seq, &f) < 0)
		return;
	chain_after_answer(c, &f);
	/* A failed send is not handled here: the pidfd reports the death and the fault policy applies. */
	send_frame(c, &f);
	lx_share_answer_sent(c);
	(void)lx;
}

/* Handle the frame kept aside (it came while the app was stopped, or behind a blocked chained syscall). */
static void handle_stash(struct hk_linux *lx, struct lx_conn *c)
{
	uint8_t frame[sizeof(struct tock_trap_frame)];

	memcpy(frame, c->stash, sizeof(frame));
	c->stash_valid = false;
	lx_life_hold(&c->life);
	lx_handle_frame(lx, c, frame, sizeof(frame));
	lx_arm_conn(lx, c); /* not armed while the stash was full */
	lx_conn_unref(lx, c);
}

/* CPU time the app's host process has used (ns), or 0 when its clock cannot be read. */
static uint64_t conn_cpu_ns(const struct lx_conn *c)
{
	struct timespec ts;

	if (!c->has_cpu_clock || clock_gettime(c->cpu_clock, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void become_running(struct hk_linux *lx, struct lx_conn *c)
{
	c->state = LX_RUNNING;
	c->slice_start_ns = basic_mono_ns();
	if (lx->cfg.virtual_time)
		c->slice_cpu_start_ns = conn_cpu_ns(c);
	lx->running = c;
}

void lx_dispatch(struct hk_linux *lx, struct hk_process *p, const struct hk_resume *res)
{
	struct lx_app *app = hk_process_backend(p);
	struct lx_conn *c = app ? app->conn : NULL;
	bool was_preempted;

	if (!c || c->state == LX_DEAD || c->state == LX_AWAIT_HELLO) {
		if (app)
			lx_fault(lx, app, "scheduled without a host process", 0, 0, -1);
		return;
	}
	was_preempted = c->state == LX_PREEMPTED;
	become_running(lx, c);
	if (res->kind != HK_RESUME_CONTINUE)
		send_resume(lx, c, res);
	else if (was_preempted && lx_conn_signal(c, SIGCONT) < 0)
		c->eof = true;
	/* It trapped just as it was stopped, or chained a syscall behind the one just answered: now it has the CPU. */
	if (c->stash_valid)
		handle_stash(lx, c);
}

/* Is some incarnation still setting up (spawned, no HELLO yet)? */
static bool any_starting(const struct hk_linux *lx)
{
	for (size_t i = 0; i < lx->n_apps; i++)
		if (lx->apps[i]->conn && lx->apps[i]->conn->state == LX_AWAIT_HELLO)
			return true;
	return false;
}

/*
 * Dispatch the next app. While another app is parking on the app cores (lx->park_pending), a
 * sleeping next app is not woken by the send but left owed (*ret_owed): the parker wakes it.
 */
static void dispatch_next(struct hk_linux *lx, struct hk_process *p, const struct hk_resume *res,
                          struct lx_conn **ret_owed)
{
	struct lx_app *app = hk_process_backend(p);
	struct lx_conn *next = app ? app->conn : NULL, *parker = lx->park_pending;
	bool defer = next && parker && next != parker && parker->state == LX_PARKED && next->chan.wake_word &&
	             parker->chan.wake_word && lx->cores_split;

	if (!defer) {
		lx_dispatch(lx, p, res);
		return;
	}
	lx_life_hold(&next->life); /* the dispatch may kill it */
	next->chan.defer_wake = true;
	lx_dispatch(lx, p, res);
	next->chan.defer_wake = false;
	if (next->state != LX_DEAD && next->chan.wake_owed)
		*ret_owed = next;
	lx_conn_unref(lx, next);
}

void lx_schedule(struct hk_linux *lx)
{
	struct lx_conn *owed = NULL;
	struct hk_resume res;
	struct hk_process *p;

	/* Under virtual time nothing runs while an app is still starting: how long a runner takes to
	 * set up is host timing, and letting others run meanwhile would make the order depend on it. */
	if (lx->cfg.virtual_time && any_starting(lx))
		return;
	while (!lx->running && !lx->stop_requested && !lx->panicked) {
		p = hk_schedule_next(lx->k, &res);
		if (!p)
			break;
		dispatch_next(lx, p, &res, &owed);
	}
	/*
	 * Only now tell the app that blocked to stop spinning and sleep, waking the next app on its way
	 * if that one sleeps: the wake-up then comes from the app core itself, and that core never
	 * halts in between (waking a halted core, or any core from another, costs far more than the
	 * hand-over, above all in a VM). A parker that does not hand off only delays the next app
	 * until the supervisor pays the wake-up itself (event_loop.c).
	 */
	if (lx->park_pending) {
		struct lx_conn *parker = lx->park_pending;

		lx->park_pending = NULL;
		if (parker->state == LX_PARKED)
			lx_channel_hint_blocked(&parker->chan, parker->seq, owed ? &owed->chan : NULL);
		else if (owed)
			lx_channel_pay_wake(&owed->chan);
	}
	if (owed && owed->chan.wake_owed) {
		lx->wake_owed = owed;
		lx->wake_owed_deadline_ns = basic_mono_ns() + LX_HANDOFF_GRACE_NS;
	}
}

/*
 * Under virtual time, has the running app really used its slice? Wall time says little on a
 * busy host (the app may have waited for a core, or the VM for its vCPU), and charging a slice
 * the app never used would move the virtual clock by host load. So the slice is the app's own CPU
 * time: one it has not used yet goes on for the rest. The app then sat idle for a whole slice of
 * wall time while on the CPU; if it sleeps with its answer unread it gets a wake-up, which is
 * harmless: it was held (stopped from outside, or starved), or a wake-up went missing, and a lost
 * wake-up must not hang a virtual-time run.
 */
static bool virtual_slice_used(struct hk_linux *lx, struct lx_conn *c, uint64_t now, uint64_t slice)
{
	uint64_t used;

	if (!c->has_cpu_clock)
		return true;
	used = conn_cpu_ns(c) - c->slice_cpu_start_ns;
	if (used >= slice)
		return true;
	c->slice_start_ns = now - used; /* look again when it could have used the rest */
	lx_channel_nudge(&c->chan);
	return false;
}

void lx_preempt_if_due(struct hk_linux *lx, uint64_t now)
{
	struct lx_conn *c = lx->running;
	uint64_t slice = (uint64_t)lx->cfg.timeslice_ms * 1000000ull;

	if (!c || c->state != LX_RUNNING || now - c->slice_start_ns < slice)
		return;
	if (lx->cfg.virtual_time && !virtual_slice_used(lx, c, now, slice))
		return;
	lx_conn_signal(c, SIGSTOP);
	c->state = LX_PREEMPTED;
	lx->running = NULL;
	hk_process_preempted(lx->k, c->app->p);
	/* Under virtual time a used-up slice counts as that much time: an app that never
	 * yields (a spinner) cannot freeze the clock, so alarms and --run-for still come. */
	if (lx->cfg.virtual_time)
		hk_clock_set_virtual_ns(lx->k, hk_now_ns(lx->k) + slice);
}

static void syscall_fault(struct hk_linux *lx, struct lx_app *app, const struct hk_trap_msg *m)
{
	uint32_t arch = (uint32_t)m->fault_arg[2];
	int nr = (int)(uint32_t)m->fault_arg[0];
	char *name = seccomp_syscall_resolve_num_arch(arch ? arch : SCMP_ARCH_NATIVE, nr);
	char cause[160];

	snprintf(cause, sizeof(cause), "forbidden Linux syscall %s (%d)", name ? name : "unknown", nr);
	free(name);
	lx_fault(lx, app, cause, m->fault_arg[1], 0, -1);
}

static void fault_frame(struct hk_linux *lx, struct lx_app *app, const struct hk_trap_msg *m)
{
	char cause[160];

	switch (m->cause) {
	case TOCK_FAULT_SYSCALL:
		syscall_fault(lx, app, m);
		return;
	case TOCK_FAULT_MEMORY:
		snprintf(cause, sizeof(cause), "memory access violation: %s at 0x%" PRIx64, hk_trap_access_name(m->fault_arg[2]),
		         m->fault_arg[0]);
		lx_fault(lx, app, cause, m->fault_arg[1], m->fault_arg[0], (int)(m->fault_arg[2] & 0xff));
		return;
	case TOCK_FAULT_ILLEGAL:
		lx_fault(lx, app, m->fault_arg[2] == SIGFPE ? "arithmetic fault" : "illegal instruction", m->fault_arg[1],
		         0, -1);
		return;
	case TOCK_FAULT_ABORT:
	default:
		lx_fault(lx, app, "aborted", m->fault_arg[1], 0, -1);
		return;
	}
}

static void malformed(struct hk_linux *lx, struct lx_app *app, const char *reason)
{
	char cause[160];

	snprintf(cause, sizeof(cause), "malformed trap frame: %s", reason);
	lx_fault(lx, app, cause, 0, 0, -1);
}

static void syscall_frame(struct hk_linux *lx, struct lx_conn *c, const struct hk_trap_msg *m)
{
	struct lx_app *app = c->app;
	struct hk_resume res;

	c->seq = m->seq;
	c->link = m->link;
	c->class_id = m->syscall.class_id;
	c->chain = LX_CHAIN_NONE;
	switch (hk_syscall(lx->k, app->p, &m->syscall, &res)) {
	case HK_SYSCALL_RESUME:
		send_resume(lx, c, &res);
		return;
	case HK_SYSCALL_BLOCKED:
	case HK_SYSCALL_ENDED:
		/* Blocked: the scheduler answers later. Ended: the ops already ended it (or no answer is owed). */
		if (c->state != LX_DEAD) {
			c->state = LX_PARKED;
			lx->park_pending = c; /* see lx_schedule */
		}
		if (lx->running == c)
			lx->running = NULL;
		lx_check_stopped(lx);
		return;
	}
}

/*
 * A SYSCALL frame came. One that continues a chain must follow the last by seq; if its link broke
 * it is dropped unanswered (as if never made); if the syscall before it still blocks, or the app
 * is being stopped, it is kept until the app has the CPU again (one frame: the channel is not
 * read meanwhile). Anything else must come from the running app.
 */
static void syscall_arrived(struct hk_linux *lx, struct lx_conn *c, const struct hk_trap_msg *m, const void *buf)
{
	bool continues = c->chain != LX_CHAIN_NONE || c->link != TOCK_CHAIN_NONE;

	if (continues && m->seq != c->seq + 1) {
		malformed(lx, c->app, "a chained syscall out of sequence");
		return;
	}
	if (m->link != TOCK_CHAIN_NONE && (continues ? c->chain_len + 1 : 1) >= TOCK_CHAIN_MAX) {
		malformed(lx, c->app, "a chain of more than 4 syscalls");
		return;
	}
	if (c->chain == LX_CHAIN_SKIP) {
		c->seq = m->seq;
		c->chain_len++;
		if (m->link == TOCK_CHAIN_NONE)
			c->chain = LX_CHAIN_NONE;
		return;
	}
	if ((c->state == LX_PREEMPTED || (c->state == LX_PARKED && c->link != TOCK_CHAIN_NONE)) && !c->stash_valid) {
		memcpy(c->stash, buf, sizeof(c->stash));
		c->stash_valid = true;
		return;
	}
	if (c->state != LX_RUNNING || lx->running != c) {
		malformed(lx, c->app, "a syscall while not running");
		return;
	}
	/* A chained syscall was sent before the answers it follows: the share check waits for the chain's end. */
	if (!continues && !lx_share_syscall_ok(lx, c))
		return;
	c->chain_len = continues ? c->chain_len + 1 : 1;
	syscall_frame(lx, c, m);
}

void lx_handle_frame(struct hk_linux *lx, struct lx_conn *c, const void *buf, size_t len)
{
	struct lx_app *app = c->app;
	struct hk_trap_msg m;
	const char *why;

	if (!app || c->state == LX_DEAD)
		return;
	if (hk_trap_decode(buf, len, &m, &why) < 0) {
		malformed(lx, app, why);
		return;
	}
	switch (m.kind) {
	case TOCK_TRAP_HELLO:
		if (c->state != LX_AWAIT_HELLO) {
			malformed(lx, app, "a second HELLO");
			return;
		}
		c->state = LX_PARKED;
		lx_cores_place_app(lx, c->pid);
		hk_process_ready(lx->k, app->p);
		return;
	case TOCK_TRAP_FAULT:
		fault_frame(lx, app, &m);
		return;
	case TOCK_TRAP_SHARE_DONE:
		if (c->state == LX_AWAIT_HELLO) {
			malformed(lx, app, "SHARE_DONE before HELLO");
			return;
		}
		lx_share_done(lx, c, m.seq, m.share_status);
		return;
	case TOCK_TRAP_SYSCALL:
		syscall_arrived(lx, c, &m, buf);
		return;
	default:
		malformed(lx, app, "unexpected kind");
		return;
	}
}

/* "exit status 3", "killed by SIGSEGV". */
static void death_reason(struct lx_conn *c, char *buf, size_t len)
{
	siginfo_t si;
	const char *abbrev;

	if (c->reaped || lx_conn_waitid(c, &si, WEXITED | WNOHANG) < 0 || si.si_pid == 0) {
		snprintf(buf, len, "host process ended");
		return;
	}
	c->reaped = true;
	if (si.si_code == CLD_EXITED) {
		snprintf(buf, len, "exit status %d", si.si_status);
		return;
	}
	abbrev = sigabbrev_np(si.si_status);
	if (abbrev)
		snprintf(buf, len, "killed by SIG%s%s", abbrev, si.si_code == CLD_DUMPED ? " (core dumped)" : "");
	else
		snprintf(buf, len, "killed by signal %d", si.si_status);
}

void lx_handle_exit(struct hk_linux *lx, struct lx_conn *c)
{
	uint8_t buf[LX_RECV_BUF];
	char why[96], cause[128];
	int n;

	c->exited = false;
	/* A frame it sent just before dying (usually FAULT) says more than its exit status. */
	for (int i = 0; i < 4 && c->state != LX_DEAD && (!c->recv_armed || lx_channel_pollable(&c->chan)); i++) {
		n = lx_channel_try_recv(&c->chan, buf, sizeof(buf));
		if (n <= 0)
			break;
		lx_handle_frame(lx, c, buf, (size_t)n > sizeof(buf) ? sizeof(buf) : (size_t)n);
	}
	if (c->state == LX_DEAD || !c->app)
		return;
	death_reason(c, why, sizeof(why));
	snprintf(cause, sizeof(cause), "process died: %s", why);
	lx_fault(lx, c->app, cause, 0, 0, -1);
}
