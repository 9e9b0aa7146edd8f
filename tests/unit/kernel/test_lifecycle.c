/* Kernel unit tests: fault policies, process listeners and capabilities, grants, scheduler, stop/resume, clock. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/kernel_ext.h"
#include "test_driver.h"

struct rec_listener {
	struct hk_process_listener l;
	struct {
		hk_pid pid, new_pid;
		enum hk_process_event ev;
		uint32_t grant_bytes; /* the process's grant use when notified: teardown comes first */
	} log[16];
	int n;
};

static void rec_notify(struct hk_process_listener *self, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                       enum hk_process_event ev)
{
	struct rec_listener *r = (struct rec_listener *)self;
	struct hk_process *p = hk_process_lookup(k, new_pid);
	struct hk_process_stats st = { 0 };

	if (p)
		hk_process_get_stats(p, &st);
	if (r->n < 16) {
		r->log[r->n].pid = pid;
		r->log[r->n].new_pid = new_pid;
		r->log[r->n].ev = ev;
		r->log[r->n].grant_bytes = (uint32_t)st.grant_bytes_used;
		r->n++;
	}
}

static void listen(struct hk_fake_world *w, struct rec_listener *r)
{
	memset(r, 0, sizeof(*r));
	r->l.notify = rec_notify;
	ck_assert_int_eq(hk_process_listener_register(hk_fake_kernel(w), hk_fake_caps(w)->process_state, &r->l), 0);
}

/* ---- fault policies ---- */

struct policy_case {
	struct hk_fault_policy policy;
	uint32_t prior_restarts; /* restarts before the fault */
	enum hk_state after;
	bool panics, new_pid;
	int events; /* listener events caused by the fault */
};

static const struct policy_case policy_cases[] = {
	{ { HK_FAULT_PANIC, 0 }, 0, HK_STATE_FAULTED, true, false, 0 },
	{ { HK_FAULT_STOP, 0 }, 0, HK_STATE_FAULTED, false, false, 1 },
	{ { HK_FAULT_RESTART, 0 }, 0, HK_STATE_UNSTARTED, false, true, 3 }, /* FAULTED, RESTARTED, STARTED */
	{ { HK_FAULT_RESTART, 0 }, 5, HK_STATE_UNSTARTED, false, true, 3 },
	{ { HK_FAULT_RESTART_UP_TO, 2 }, 1, HK_STATE_UNSTARTED, false, true, 3 },
	{ { HK_FAULT_RESTART_UP_TO, 2 }, 2, HK_STATE_FAULTED, false, false, 1 },
	{ { HK_FAULT_RESTART_UP_TO, 0 }, 0, HK_STATE_FAULTED, false, false, 1 },
};

START_TEST(test_fault_policy)
{
	const struct policy_case *c = &policy_cases[_i];
	struct hk_fake_proc_config pc = { .fault_policy = c->policy };
	struct hk_fake_world *w = td_world(NULL, 0);
	struct hk_process *p = hk_fake_spawn(w, &pc);
	struct rec_listener r;
	const char *why;
	hk_pid before;

	for (uint32_t i = 0; i < c->prior_restarts; i++)
		ck_assert_int_eq(hk_process_restart(hk_fake_kernel(w), p), 0);
	hk_fake_command(w, p, TD_NUM, 2, 0, 0);
	listen(w, &r);
	before = hk_process_pid(p);
	hk_fake_fault(w, p, "memory fault at 0x0");
	ck_assert_int_eq(hk_process_state(p), c->after);
	ck_assert_int_eq(hk_fake_panicked(w, &why), c->panics);
	if (c->panics)
		ck_assert_str_eq(why, "memory fault at 0x0");
	ck_assert_int_eq(hk_process_pid(p) != before, c->new_pid);
	ck_assert_int_eq(r.n, c->events);
	if (c->events) {
		ck_assert_int_eq(r.log[0].ev, HK_EVENT_FAULTED);
		ck_assert_uint_eq(r.log[0].pid, before);
	}
	if (c->new_pid) {
		ck_assert_int_eq(r.log[1].ev, HK_EVENT_RESTARTED);
		ck_assert_uint_eq(r.log[1].pid, before);
		ck_assert_uint_eq(r.log[1].new_pid, hk_process_pid(p));
		ck_assert_uint_eq(r.log[1].grant_bytes, 0); /* notified after teardown */
		ck_assert_int_eq(r.log[2].ev, HK_EVENT_STARTED);
		ck_assert_uint_eq(hk_process_restart_count(p), c->prior_restarts + 1);
	}
	ck_assert_str_eq(hk_process_fault_cause(p), "memory fault at 0x0");
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_listener_terminate_and_caps)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	struct rec_listener r, r2;
	struct hk_kernel_caps caps;
	static struct hk_process_listener forged_target;
	const struct hk_cap_process_state *forged = (const void *)&caps;
	size_t len = 0;
	const uint8_t *name;

	hk_kernel_mint_caps(k, &caps);
	ck_assert_ptr_eq(caps.process_state, hk_fake_caps(w)->process_state);
	forged_target.notify = rec_notify;
	ck_assert_int_eq(hk_process_listener_register(k, forged, &forged_target), -EPERM);
	ck_assert_int_eq(hk_process_listener_register(k, NULL, &forged_target), -EPERM);
	listen(w, &r);
	listen(w, &r2);
	hk_fake_exit(w, p, TOCK_EXIT_TERMINATE, 0);
	ck_assert_int_eq(r.n, 1);
	ck_assert_int_eq(r.log[0].ev, HK_EVENT_TERMINATED);
	ck_assert_int_eq(r2.n, 1);
	/* Package name needs the process_info capability. */
	struct hk_process *q = hk_fake_spawn(w, &(struct hk_fake_proc_config){ .name = "n", .package_name = "org.pkg" });
	name = hk_process_package_name(k, caps.process_info, hk_process_pid(q), &len);
	ck_assert_uint_eq(len, 7);
	ck_assert_int_eq(memcmp(name, "org.pkg", 7), 0);
	ck_assert_ptr_null(hk_process_package_name(k, (const void *)caps.process_state, hk_process_pid(q), &len));
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(r.n, 2);
	ck_assert_int_eq(r.log[1].ev, HK_EVENT_STARTED);
	ck_assert_uint_eq(r.log[1].pid, hk_process_pid(q));
	hk_fake_world_free(w);
}
END_TEST

/* What a listener sees of the fault it is told about: the kernel keeps it whole, cause copied. */
struct info_listener {
	struct hk_process_listener l;
	struct hk_fault_info seen;
	bool had;
};

static void info_notify(struct hk_process_listener *self, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                        enum hk_process_event ev)
{
	struct info_listener *r = (struct info_listener *)self;

	(void)new_pid;
	if (ev == HK_EVENT_FAULTED)
		r->had = hk_process_fault_info(hk_process_lookup(k, pid), &r->seen);
}

START_TEST(test_fault_info_kept_whole)
{
	struct hk_process *p, *q;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	struct hk_fake_proc_config qc = { .name = "q", .fault_policy = { HK_FAULT_RESTART, 0 } };
	struct info_listener r = { .l.notify = info_notify };
	struct hk_fault_info got;
	char cause[32] = "memory access violation";
	struct hk_fault_info info = { .cause = cause, .pc = 0x1234, .address = 0x40, .has_address = true, .access = 1 };

	q = hk_fake_spawn(w, &qc);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(hk_process_listener_register(k, hk_fake_caps(w)->process_state, &r.l), 0);
	ck_assert(!hk_process_fault_info(p, &got));
	ck_assert_ptr_null(hk_process_fault_cause(p));
	hk_process_fault(k, p, &info);
	memset(cause, 'x', sizeof(cause) - 1); /* the kernel copied it */
	ck_assert(r.had);
	ck_assert_str_eq(r.seen.cause, "memory access violation");
	ck_assert(hk_process_fault_info(p, &got));
	ck_assert_str_eq(got.cause, "memory access violation");
	ck_assert_uint_eq(got.pc, 0x1234);
	ck_assert_uint_eq(got.address, 0x40);
	ck_assert(got.has_address);
	ck_assert_uint_eq(got.access, 1);
	ck_assert_str_eq(hk_process_fault_cause(p), "memory access violation");
	/* A fault of another process leaves p's alone; a restarted process keeps its last fault. */
	hk_fake_fault(w, q, "aborted");
	ck_assert_int_eq(hk_process_state(q), HK_STATE_UNSTARTED);
	ck_assert(r.had && !r.seen.has_address && r.seen.pc == 0);
	ck_assert(hk_process_fault_info(q, &got));
	ck_assert_str_eq(got.cause, "aborted");
	ck_assert(!got.has_address && got.pc == 0);
	ck_assert(hk_process_fault_info(p, &got));
	ck_assert_uint_eq(got.pc, 0x1234);
	/* A later fault replaces the whole record: no pc or address survive from the one before. */
	hk_process_fault(k, q, &info);
	ck_assert(hk_process_fault_info(q, &got) && got.has_address && got.pc == 0x1234);
	hk_fake_fault(w, q, NULL);
	ck_assert(hk_process_fault_info(q, &got));
	ck_assert_str_eq(got.cause, "injected fault");
	ck_assert(!got.has_address && got.pc == 0 && got.address == 0);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_restart_spawn_failure)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);

	hk_fake_fail_next_spawn(w);
	ck_assert_int_eq(hk_process_restart(hk_fake_kernel(w), p), -ENOMEM);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_FAULTED);
	ck_assert(hk_kernel_all_done(hk_fake_kernel(w)));
	hk_fake_world_free(w);
}
END_TEST

/* ---- grants ---- */

START_TEST(test_grants)
{
	struct hk_fake_proc_config pc = { .grant_budget = 256 };
	struct hk_fake_world *w = td_world(NULL, 0);
	struct hk_process *a = hk_fake_spawn(w, &pc), *b = hk_fake_spawn(w, NULL);
	struct hk_kernel *k = hk_fake_kernel(w);
	struct hk_process_stats st;
	struct td_grant *g;
	int err = 0;

	/* Lazy: nothing until first use. */
	ck_assert_ptr_null(hk_grant_get(k, TD_NUM, hk_process_pid(a)));
	hk_process_get_stats(a, &st);
	ck_assert_uint_eq(st.grant_bytes_used, 0);
	ck_assert_uint_eq(st.grant_bytes_budget, 256);
	/* A capsule entering another process's grant allocates it, zeroed. */
	g = hk_grant_enter(k, TD_NUM, hk_process_pid(a), &err);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->counter, 0);
	ck_assert_ptr_eq(hk_grant_get(k, TD_NUM, hk_process_pid(a)), g);
	hk_process_get_stats(a, &st);
	/* 16 bytes of grant + 3 upcall slots + 5 allow slots of 16 bytes each. */
	ck_assert_uint_eq(st.grant_bytes_used, 16 + 3 * 16 + 5 * 16);
	/* The grant is per process: b's command sees its own zeroed grant, a's stays. */
	g->counter = 41;
	ck_assert_uint_eq(hk_fake_command(w, b, TD_NUM, 2, 0, 0).r1, 0);
	ck_assert_uint_eq(hk_fake_command(w, a, TD_NUM, 2, 0, 0).r1, 41);
	ck_assert_uint_eq(hk_fake_command(w, a, TD_NUM, 2, 0, 0).r1, 42);
	/* Freed at terminate. */
	hk_fake_exit(w, a, TOCK_EXIT_TERMINATE, 0);
	hk_process_get_stats(a, &st);
	ck_assert_uint_eq(st.grant_bytes_used, 0);
	ck_assert_ptr_null(hk_grant_enter(k, TD_NUM, hk_process_pid(a), &err));
	ck_assert_int_eq(err, -ENODEV);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_grant_budget)
{
	struct hk_fake_proc_config pc = { .grant_budget = 200 };
	struct hk_fake_world *w = td_world(NULL, 0);
	struct hk_process *a = hk_fake_spawn(w, &pc);
	struct hk_kernel *k = hk_fake_kernel(w);
	static const struct hk_driver_ops small = { .name = "small", .grant_size = 100, .command = td_command };
	int err = 0;

	ck_assert_int_eq(hk_fake_register_driver(w, 0x400, &small, NULL), 0);
	ck_assert_int_eq(hk_fake_register_driver(w, 0x401, &small, NULL), 0);
	ck_assert_ptr_nonnull(hk_grant_enter(k, 0x400, hk_process_pid(a), &err)); /* 104 of 200 */
	ck_assert_ptr_null(hk_grant_enter(k, 0x401, hk_process_pid(a), &err));
	ck_assert_int_eq(err, -ENOMEM);
	ck_assert_uint_eq(hk_fake_command(w, a, 0x401, 0, 0, 0).r1, TOCK_ERR_NOMEM);
	ck_assert_ptr_null(hk_grant_enter(k, 0x999, hk_process_pid(a), &err));
	ck_assert_int_eq(err, -ENODEV);
	ck_assert_ptr_null(hk_grant_enter(k, 0x400, 4242, &err));
	ck_assert_int_eq(err, -ENODEV);
	/* Freed on restart: the budget is whole again, the stale pid fails. */
	hk_pid old = hk_process_pid(a);
	hk_process_restart(k, a);
	ck_assert_ptr_null(hk_grant_enter(k, 0x400, old, &err));
	ck_assert_ptr_nonnull(hk_grant_enter(k, 0x401, hk_process_pid(a), &err));
	hk_fake_world_free(w);
}
END_TEST

/* ---- scheduler ---- */

/* p queues an upcall for `to` (command 5), then yields: it blocks. */
static void wake_then_yield(struct hk_fake_world *w, struct hk_process *p, struct hk_process *to)
{
	hk_fake_command(w, p, TD_NUM, 5, (uint32_t)hk_process_pid(to), 0);
	ck_assert_int_eq(hk_fake_syscall(w, p, TOCK_CLASS_YIELD, TOCK_YIELD_WAIT, 0, 0, 0).result, HK_SYSCALL_BLOCKED);
}

/*
 * Directed hand-off: when the CPU is free, the process the last runner queued an upcall for goes
 * before round robin's pick; n_procs such picks in a row, then round robin's turn comes.
 */
START_TEST(test_directed_handoff)
{
	struct hk_fake_world *w = td_world(NULL, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	struct hk_fake_proc_config pc = { .not_started = true };
	struct hk_process *p[3];
	struct hk_resume res;

	for (int i = 0; i < 3; i++)
		p[i] = hk_fake_spawn(w, &pc);
	for (int i = 0; i < 3; i++) {
		ck_assert_ptr_eq(hk_schedule_next(k, &res), p[i]);
		hk_fake_subscribe(w, p[i], TD_NUM, 0, hk_fake_upcall_fn(w, p[i], 0), (uint64_t)i);
		ck_assert_int_eq(hk_fake_syscall(w, p[i], TOCK_CLASS_YIELD, TOCK_YIELD_WAIT, 0, 0, 0).result,
		                 HK_SYSCALL_BLOCKED);
	}
	/* Upcalls from outside any syscall (a timer, say) direct nothing: round robin picks p0. */
	hk_upcall_schedule(k, TD_NUM, hk_process_pid(p[1]), 0, 0, 0, 0);
	hk_upcall_schedule(k, TD_NUM, hk_process_pid(p[0]), 0, 0, 0, 0);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p[0]);
	/* p0 answers p2 and waits: p2 goes next, ahead of p1 (round robin's next). */
	wake_then_yield(w, p[0], p[2]);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p[2]);
	ck_assert_int_eq(res.kind, HK_RESUME_UPCALL);
	ck_assert_uint_eq(res.arg[4], 2);
	/* p2 and p0 keep answering each other: three directed picks in a row (n_procs), then p1's turn. */
	wake_then_yield(w, p[2], p[0]);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p[0]);
	wake_then_yield(w, p[0], p[2]);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p[2]);
	wake_then_yield(w, p[2], p[0]);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p[1]);
	ck_assert_uint_eq(res.arg[4], 1);
	/* A hand-off to a process that cannot run (nothing for it) falls back to round robin. */
	ck_assert_int_eq(hk_fake_syscall(w, p[1], TOCK_CLASS_YIELD, TOCK_YIELD_WAIT, 0, 0, 0).result, HK_SYSCALL_BLOCKED);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p[0]);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_round_robin)
{
	struct hk_fake_world *w = td_world(NULL, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	struct hk_fake_proc_config pc = { .not_started = true };
	struct hk_process *p[3];
	struct hk_resume res;

	for (int i = 0; i < 3; i++)
		p[i] = hk_fake_spawn(w, &pc);
	ck_assert(!hk_kernel_idle(k));
	/* START for each in slot order. */
	for (int i = 0; i < 3; i++) {
		ck_assert_ptr_eq(hk_schedule_next(k, &res), p[i]);
		ck_assert_int_eq(res.kind, HK_RESUME_START);
		hk_process_preempted(k, p[i]);
	}
	/* All preempted: CONTINUE, round robin after the last picked. */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3; i++) {
			ck_assert_ptr_eq(hk_schedule_next(k, &res), p[i]);
			ck_assert_int_eq(res.kind, HK_RESUME_CONTINUE);
			hk_process_preempted(k, p[i]);
		}
	/* All yield: idle; upcalls to 2 and 0 are handed out starting after the last picked (2). */
	for (int i = 0; i < 3; i++) {
		hk_fake_subscribe(w, p[i], TD_NUM, 0, hk_fake_upcall_fn(w, p[i], 0), (uint64_t)i);
		ck_assert_int_eq(hk_fake_syscall(w, p[i], TOCK_CLASS_YIELD, TOCK_YIELD_WAIT, 0, 0, 0).result,
		                 HK_SYSCALL_BLOCKED);
	}
	ck_assert(hk_kernel_idle(k));
	ck_assert_ptr_null(hk_schedule_next(k, &res));
	hk_upcall_schedule(k, TD_NUM, hk_process_pid(p[2]), 0, 0, 0, 0);
	hk_upcall_schedule(k, TD_NUM, hk_process_pid(p[0]), 0, 0, 0, 0);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p[0]);
	ck_assert_int_eq(res.kind, HK_RESUME_UPCALL);
	ck_assert_uint_eq(res.arg[4], 0);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p[2]);
	ck_assert_uint_eq(res.arg[4], 2);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_stop_resume)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	struct hk_resume res;
	struct hk_syscall sc = { TOCK_CLASS_COMMAND, { TD_NUM, 2, 0, 0 } };

	hk_fake_subscribe(w, p, TD_NUM, 0, hk_fake_upcall_fn(w, p, 0), 0);
	ck_assert_int_eq(hk_process_stop(k, p), 0);
	ck_assert_int_eq(hk_process_stop(k, p), -EALREADY);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_STOPPED);
	/* A syscall caught mid-stop is answered after resume. */
	ck_assert_int_eq(hk_syscall(k, p, &sc, &res), HK_SYSCALL_BLOCKED);
	hk_upcall_schedule(k, TD_NUM, hk_process_pid(p), 0, 0, 0, 0);
	ck_assert(hk_kernel_idle(k)); /* stopped ones are not scheduled */
	ck_assert_ptr_null(hk_schedule_next(k, &res));
	ck_assert_int_eq(hk_process_resume(k, p), 0);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p);
	ck_assert_int_eq(res.kind, HK_RESUME_RETURN);
	ck_assert_uint_eq(res.arg[0], TOCK_RET_SUCCESS_U32);
	/* Stopped while yielded: resumes Yielded and gets its upcall. */
	ck_assert_int_eq(hk_fake_syscall(w, p, TOCK_CLASS_YIELD, TOCK_YIELD_WAIT, 0, 0, 0).result, HK_SYSCALL_BLOCKED);
	hk_process_stop(k, p);
	ck_assert_ptr_null(hk_schedule_next(k, &res));
	hk_process_resume(k, p);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_YIELDED);
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p);
	ck_assert_int_eq(res.kind, HK_RESUME_UPCALL);
	hk_fake_world_free(w);
}
END_TEST

/* ---- clock ---- */

struct rec_timer {
	struct hk_timer t;
	int id, *order, *n;
	uint64_t seen, rearm_every;
	int rearms;
	struct hk_kernel *k;
};

static void rec_fire(struct hk_timer *t, uint64_t now)
{
	struct rec_timer *r = (struct rec_timer *)t;

	r->order[(*r->n)++] = r->id;
	r->seen = now;
	if (r->rearms > 0) {
		r->rearms--;
		hk_timer_arm(r->k, t, now + r->rearm_every);
	}
}

START_TEST(test_timers_order_and_rearm)
{
	struct hk_fake_world *w = td_world(NULL, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	int order[16], n = 0;
	struct rec_timer t[4] = {
		{ .id = 0, .order = order, .n = &n, .k = k }, { .id = 1, .order = order, .n = &n, .k = k },
		{ .id = 2, .order = order, .n = &n, .k = k }, { .id = 3, .order = order, .n = &n, .k = k },
	};

	for (int i = 0; i < 4; i++)
		t[i].t.fire = rec_fire;
	t[3].rearms = 2;
	t[3].rearm_every = 100;
	hk_timer_arm(k, &t[0].t, 300);
	hk_timer_arm(k, &t[1].t, 100);
	hk_timer_arm(k, &t[2].t, 100); /* same deadline: after t1 */
	hk_timer_arm(k, &t[3].t, 50);
	hk_timer_arm(k, &t[0].t, 250); /* re-arming moves it */
	ck_assert_uint_eq(hk_next_deadline(k), 50);
	ck_assert_uint_eq(hk_fake_now(w), 0);
	ck_assert_int_eq(hk_run_timers(k), 0);
	ck_assert_int_eq(hk_fake_advance(w, 260), 6); /* 3@50 1@100 2@100 3@150 0@250 3@250 (re-armed after 0) */
	int want[] = { 3, 1, 2, 3, 0, 3 };
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(order[i], want[i]);
	ck_assert_uint_eq(t[2].seen, 100);
	ck_assert_uint_eq(hk_fake_now(w), 260);
	ck_assert_uint_eq(hk_next_deadline(k), UINT64_MAX);
	hk_timer_arm(k, &t[1].t, 1000);
	hk_timer_cancel(k, &t[1].t);
	ck_assert(!t[1].t.armed);
	ck_assert_uint_eq(hk_next_deadline(k), UINT64_MAX);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_virtual_skip)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	int order[4], n = 0;
	struct rec_timer t = { .t.fire = rec_fire, .order = order, .n = &n, .k = k };

	ck_assert(!hk_clock_skip_to_next_deadline(k)); /* nothing armed */
	hk_timer_arm(k, &t.t, 5000);
	ck_assert(!hk_clock_skip_to_next_deadline(k)); /* p is Running: not idle */
	hk_fake_syscall(w, p, TOCK_CLASS_YIELD, TOCK_YIELD_WAIT, 0, 0, 0);
	ck_assert(hk_clock_skip_to_next_deadline(k));
	ck_assert_uint_eq(hk_now_ns(k), 5000);
	ck_assert_int_eq(hk_run_timers(k), 1);
	ck_assert_uint_eq(t.seen, 5000);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_real_time_mode)
{
	struct hk_kernel_config cfg = { .virtual_time = false };
	struct hk_fake_world *w = hk_fake_world_new(&cfg);
	struct hk_kernel *k = hk_fake_kernel(w);
	int order[4], n = 0;
	struct rec_timer t = { .t.fire = rec_fire, .order = order, .n = &n, .k = k };

	hk_timer_arm(k, &t.t, 10);
	ck_assert(!hk_clock_skip_to_next_deadline(k)); /* real time never jumps */
	ck_assert_int_eq(hk_fake_advance(w, 9), 0);
	ck_assert_int_eq(hk_fake_advance(w, 1), 1);
	ck_assert_uint_eq(hk_now_ns(k), 10);
	hk_fake_world_free(w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernel-lifecycle");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_fault_policy, 0, sizeof(policy_cases) / sizeof(policy_cases[0]));
	tcase_add_test(tc, test_listener_terminate_and_caps);
	tcase_add_test(tc, test_fault_info_kept_whole);
	tcase_add_test(tc, test_restart_spawn_failure);
	tcase_add_test(tc, test_grants);
	tcase_add_test(tc, test_grant_budget);
	tcase_add_test(tc, test_round_robin);
	tcase_add_test(tc, test_directed_handoff);
	tcase_add_test(tc, test_stop_resume);
	tcase_add_test(tc, test_timers_order_and_rearm);
	tcase_add_test(tc, test_virtual_skip);
	tcase_add_test(tc, test_real_time_mode);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
