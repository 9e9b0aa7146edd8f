/* The io_uring event loop: trap channels, pidfds, signalfd and stdin in; timers, timeslices and the clock. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostkernel/linux/backend_internal.h"

static struct io_uring_sqe *get_sqe(struct hk_linux *lx)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&lx->ring);

	if (!sqe) {
		io_uring_submit(&lx->ring);
		sqe = io_uring_get_sqe(&lx->ring);
	}
	return sqe;
}

void lx_arm_conn(struct hk_linux *lx, struct lx_conn *c)
{
	struct io_uring_sqe *sqe;

	if (c->state == LX_DEAD)
		return;
	/* A stashed frame is handled first: until then the next one stays where it is. */
	if (!c->recv_armed && !c->eof && !c->stash_valid &&
	    lx_channel_arm_recv(&c->chan, &lx->ring, c->recv_buf, sizeof(c->recv_buf), &c->recv_op) == 0) {
		c->recv_armed = true;
		lx_life_hold(&c->life);
	}
	if (!c->poll_armed && !c->exited && c->pidfd >= 0 && (sqe = get_sqe(lx))) {
		io_uring_prep_poll_add(sqe, c->pidfd, POLLIN);
		io_uring_sqe_set_data(sqe, &c->poll_op);
		c->poll_armed = true;
		lx_life_hold(&c->life);
	}
}

static void arm_signal(struct hk_linux *lx)
{
	struct io_uring_sqe *sqe;

	if (lx->signal_armed || lx->signal_fd < 0 || !(sqe = get_sqe(lx)))
		return;
	io_uring_prep_read(sqe, lx->signal_fd, lx->signal_buf, sizeof(struct signalfd_siginfo), 0);
	io_uring_sqe_set_data(sqe, &lx->signal_op);
	lx->signal_armed = true;
}

static void arm_stdin(struct hk_linux *lx)
{
	struct io_uring_sqe *sqe;

	if (!lx->stdin_enabled || lx->stdin_armed || lx->stdin_eof || lx->stdin_off < lx->stdin_len ||
	    !(sqe = get_sqe(lx)))
		return;
	io_uring_prep_read(sqe, STDIN_FILENO, lx->stdin_buf, sizeof(lx->stdin_buf), (uint64_t)-1);
	io_uring_sqe_set_data(sqe, &lx->stdin_op);
	lx->stdin_armed = true;
}

/* Offer buffered input to the console; what it cannot take yet waits (and stdin is not read meanwhile). */
static void feed_stdin(struct hk_linux *lx)
{
	while (lx->stdin_off < lx->stdin_len) {
		size_t n = lx->stdin_sink.receive(lx->stdin_sink.ctx, lx->stdin_buf + lx->stdin_off,
		                                  lx->stdin_len - lx->stdin_off);
		if (n == 0)
			break;
		lx->stdin_off += n;
	}
	arm_stdin(lx);
}

/* A frame taken from the channel (res: its length, or recv_result's -errno): act on it, then arm again. */
static void take_result(struct hk_linux *lx, struct lx_conn *c, const uint8_t *buf, size_t cap, int res)
{
	if (res == -EAGAIN) {
		lx_arm_conn(lx, c); /* a wake-up that brought nothing (it was taken by spinning) */
		return;
	}
	if (res == -EPROTO || res == -EBADMSG) {
		lx_fault(lx, c->app,
		         res == -EPROTO ? "malformed trap frame: the app corrupted its trap ring"
		                        : "malformed trap frame: the app wakes the supervisor without sending frames",
		         0, 0, -1);
		return;
	}
	/* EOF or error: the app's end is gone; its pidfd tells why. Else res is the frame's length. */
	if (res < 0) {
		c->eof = true;
		return;
	}
	lx_handle_frame(lx, c, buf, (size_t)res > cap ? cap : (size_t)res);
	/* The rest of a chain was published with it: run it now, not a loop turn later. */
	for (unsigned i = 1; i < TOCK_CHAIN_MAX && c->chain == LX_CHAIN_RUN && lx->running == c && !c->eof &&
	                     lx_channel_pollable(&c->chan);
	     i++) {
		uint8_t next[LX_RECV_BUF];
		int n = lx_channel_try_recv(&c->chan, next, sizeof(next));

		if (n < 0)
			break; /* -EAGAIN: not there yet; a broken ring shows at the next armed receive */
		lx_handle_frame(lx, c, next, (size_t)n > sizeof(next) ? sizeof(next) : (size_t)n);
	}
	/* An answer could not be sent to a live app: it sends syscalls without reading the answers. */
	if (c->eof && c->state != LX_DEAD && c->app && lx_channel_peer_open(&c->chan))
		lx_fault(lx, c->app, "malformed trap frame: the app does not read its answers", 0, 0, -1);
	lx_arm_conn(lx, c);
}

static void on_recv(struct hk_linux *lx, struct lx_conn *c, int res)
{
	c->recv_armed = false;
	if (c->state == LX_DEAD || !c->app)
		return;
	take_result(lx, c, c->recv_buf, sizeof(c->recv_buf), lx_channel_recv_result(&c->chan, res));
}

/* Adapt the spin budget: full again after a spin that paid off, halved (to a floor) after one that did not. */
#define LX_SPIN_FLOOR_NS 4000ull

static void spin_adapt(struct hk_linux *lx, bool paid_off)
{
	if (paid_off)
		lx->spin_ns = lx->spin_max_ns;
	else if (lx->spin_ns / 2 >= LX_SPIN_FLOOR_NS)
		lx->spin_ns /= 2;
}

/*
 * The fast path. Right after the supervisor answers the running app, its next trap usually comes
 * within microseconds: while a second core runs the app, watch its ring for that frame (and the
 * io_uring queue for anything else) instead of sleeping, so neither side makes a syscall. The
 * app is told not to wake us meanwhile; the flag goes back up (and the ring is looked at once
 * more) before the loop sleeps. True when a frame was handled.
 */
static bool spin_for_running(struct hk_linux *lx)
{
	struct lx_conn *c = lx->running;
	uint8_t buf[LX_RECV_BUF];
	uint64_t deadline;
	bool timed_out = false;
	int n = -EAGAIN;

	if (!c || !lx->spin_max_ns || c->state != LX_RUNNING || c->eof || !lx_channel_pollable(&c->chan))
		return false;
	lx_channel_set_wakeup(&c->chan, false);
	deadline = basic_mono_ns() + lx->spin_ns;
	for (unsigned i = 1;; i++) {
		n = lx_channel_try_recv(&c->chan, buf, sizeof(buf));
		if (n != -EAGAIN || io_uring_cq_ready(&lx->ring))
			break;
		if (i % 64 == 0 && basic_mono_ns() >= deadline) {
			timed_out = true;
			break;
		}
		__builtin_ia32_pause();
	}
	lx_channel_set_wakeup(&c->chan, true);
	if (n == -EAGAIN)
		n = lx_channel_try_recv(&c->chan, buf, sizeof(buf));
	if (n != -EAGAIN || timed_out)
		spin_adapt(lx, n != -EAGAIN);
	if (n == -EAGAIN)
		return false;
	lx_life_hold(&c->life);
	take_result(lx, c, buf, sizeof(buf), n);
	lx_conn_unref(lx, c);
	return true;
}

/* Without pidfds, SIGCHLD says some child changed state: find which exited (leaving it to reap). */
static void check_children(struct hk_linux *lx)
{
	siginfo_t si;

	for (size_t i = 0; i < lx->n_apps; i++) {
		struct lx_conn *c = lx->apps[i]->conn;

		if (c && c->pidfd < 0 && !c->reaped && lx_conn_waitid(c, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid != 0)
			c->exited = true;
	}
}

static void on_recv_done(struct hk_linux *lx, struct lx_op *op, int res)
{
	struct lx_conn *c = lx_container_of(op, struct lx_conn, recv_op);

	on_recv(lx, c, res);
	lx_conn_unref(lx, c);
}

static void on_exit_polled(struct hk_linux *lx, struct lx_op *op, int res)
{
	struct lx_conn *c = lx_container_of(op, struct lx_conn, poll_op);

	c->poll_armed = false;
	if (c->state != LX_DEAD && res >= 0)
		c->exited = true; /* handled after the batch, once any frame it sent has been read */
	lx_conn_unref(lx, c);
}

static void on_signal_read(struct hk_linux *lx, struct lx_op *op, int res)
{
	(void)op;
	lx->signal_armed = false;
	if (res == (int)sizeof(struct signalfd_siginfo) &&
	    ((struct signalfd_siginfo *)lx->signal_buf)->ssi_signo != SIGCHLD)
		lx->stop_requested = true;
	else
		check_children(lx);
	arm_signal(lx);
}

static void on_stdin_read(struct hk_linux *lx, struct lx_op *op, int res)
{
	(void)op;
	lx->stdin_armed = false;
	if (res > 0) {
		lx->stdin_off = 0;
		lx->stdin_len = (size_t)res;
	} else if (res != -EINTR && res != -EAGAIN) {
		if (res < 0)
			lx_report(lx, "stdin: %s; no more input", strerror(-res));
		lx->stdin_eof = true;
	}
}

void lx_conn_init_ops(struct lx_conn *c)
{
	c->recv_op.complete = on_recv_done;
	c->poll_op.complete = on_exit_polled;
}

void lx_loop_init_ops(struct hk_linux *lx)
{
	lx->signal_op.complete = on_signal_read;
	lx->stdin_op.complete = on_stdin_read;
}

static void on_cqe(struct hk_linux *lx, struct io_uring_cqe *cqe)
{
	struct lx_op *op = io_uring_cqe_get_data(cqe);

	if (op) /* NULL: a cancel request's own completion */
		op->complete(lx, op, cqe->res);
}

static void process_completions(struct hk_linux *lx)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	io_uring_for_each_cqe(&lx->ring, head, cqe)
	{
		on_cqe(lx, cqe);
		n++;
	}
	io_uring_cq_advance(&lx->ring, n);
	for (size_t i = 0; i < lx->n_apps; i++) {
		struct lx_conn *c = lx->apps[i]->conn;

		/* Its channel first: a FAULT frame sent just before exit must win over "process died". */
		if (c && c->exited && (!c->recv_armed || lx_channel_pollable(&c->chan))) {
			lx_life_hold(&c->life);
			lx_handle_exit(lx, c);
			lx_conn_unref(lx, c);
		}
	}
}

static void run_due_timers(struct hk_linux *lx)
{
	if (hk_next_deadline(lx->k) <= hk_now_ns(lx->k))
		hk_run_timers(lx->k);
}

/* Virtual time: when nobody can run, jump to the next alarm. False when there is nothing to jump to. */
static bool virtual_skip(struct hk_linux *lx)
{
	uint64_t next = hk_next_deadline(lx->k);

	if (next == UINT64_MAX)
		return false;
	if (lx->cfg.run_for_ns && next > lx->start_virtual_ns + lx->cfg.run_for_ns)
		return false;
	hk_clock_skip_to_next_deadline(lx->k);
	hk_run_timers(lx->k);
	return true;
}

static bool run_for_over(struct hk_linux *lx, uint64_t now)
{
	if (!lx->cfg.run_for_ns)
		return false;
	if (lx->cfg.virtual_time)
		return hk_now_ns(lx->k) >= lx->start_virtual_ns + lx->cfg.run_for_ns;
	return now >= lx->start_real_ns + lx->cfg.run_for_ns;
}

/* How long the loop may sleep (ns; UINT64_MAX = until an event). */
static uint64_t wait_budget(struct hk_linux *lx, uint64_t now)
{
	uint64_t wake = UINT64_MAX, next, know;

	if (lx->running)
		wake = lx->running->slice_start_ns + (uint64_t)lx->cfg.timeslice_ms * 1000000ull;
	if (!lx->cfg.virtual_time) {
		next = hk_next_deadline(lx->k);
		know = hk_now_ns(lx->k);
		if (next != UINT64_MAX)
			wake = next <= know ? now : (now + (next - know) < wake ? now + (next - know) : wake);
		if (lx->cfg.run_for_ns && lx->start_real_ns + lx->cfg.run_for_ns < wake)
			wake = lx->start_real_ns + lx->cfg.run_for_ns;
	}
	if (wake == UINT64_MAX)
		return UINT64_MAX;
	return wake > now ? wake - now : 0;
}

/*
 * An app left for its parker to wake (trap.c) that has not sent a frame yet: give the hand-off
 * LX_HANDOFF_GRACE_NS, then wake it ourselves. Returns the sleep budget, shortened to the grace.
 */
static uint64_t owed_wake_budget(struct hk_linux *lx, uint64_t budget)
{
	struct lx_conn *c = lx->wake_owed;
	uint64_t now;

	if (!c)
		return budget;
	if (!c->chan.wake_owed) { /* it woke and trapped: the hand-off worked */
		lx->wake_owed = NULL;
		return budget;
	}
	now = basic_mono_ns();
	if (now >= lx->wake_owed_deadline_ns) {
		lx_channel_pay_wake(&c->chan);
		lx->wake_owed = NULL;
		return budget;
	}
	return budget < lx->wake_owed_deadline_ns - now ? budget : lx->wake_owed_deadline_ns - now;
}

static void wait_events(struct hk_linux *lx, uint64_t budget)
{
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;
	int r;

	if (lx->ctlsock)
		lx_ctlsock_flush(lx); /* trace events and replies queued during this turn */
	if (spin_for_running(lx))
		return;
	budget = owed_wake_budget(lx, budget);
	ts = (struct __kernel_timespec){ .tv_sec = (long long)(budget / 1000000000ull),
		                         .tv_nsec = (long long)(budget % 1000000000ull) };
	r = io_uring_submit_and_wait_timeout(&lx->ring, &cqe, 1, budget == UINT64_MAX ? NULL : &ts, NULL);
	if (r < 0 && r != -ETIME && r != -EINTR && r != -EAGAIN && r != -EBUSY) {
		lx_report(lx, "io_uring wait failed: %s", strerror(-r));
		lx->stop_requested = true;
	}
	process_completions(lx);
}

/* One turn: timers, preemption, input, scheduling; false when the run is over. */
static bool turn(struct hk_linux *lx)
{
	uint64_t now = basic_mono_ns();

	run_due_timers(lx);
	lx_preempt_if_due(lx, now);
	if (lx->stdin_enabled)
		feed_stdin(lx);
	lx_schedule(lx);
	lx_check_stopped(lx);
	if (lx->stop_requested || lx->panicked || hk_kernel_all_done(lx->k) || run_for_over(lx, now))
		return false;
	if (lx->cfg.virtual_time && !lx->running && hk_kernel_idle(lx->k)) {
		if (virtual_skip(lx)) {
			wait_events(lx, 0);
			return true;
		}
		/* Nothing can ever happen but input or a signal: a virtual --run-for ends here. */
		if (lx->cfg.run_for_ns && (!lx->stdin_enabled || lx->stdin_eof))
			return false;
	}
	wait_events(lx, wait_budget(lx, now));
	return true;
}

static int exit_status(struct hk_linux *lx)
{
	int status = 0;

	if (lx->panicked)
		return 2;
	for (size_t i = 0; i < lx->n_apps; i++) {
		struct hk_process *p = lx->apps[i]->p;
		enum hk_state st = hk_process_state(p);

		if (st == HK_STATE_FAULTED ||
		    (st == HK_STATE_TERMINATED && hk_process_has_completion_code(p) && hk_process_completion_code(p)))
			status = 1;
	}
	return status;
}

void lx_shutdown_all(struct hk_linux *lx)
{
	for (size_t i = 0; i < lx->n_apps; i++)
		if (lx->apps[i]->conn)
			lx_conn_kill(lx, lx->apps[i]->conn);
	lx->running = NULL;
}

void hk_linux_shutdown(struct hk_linux *lx)
{
	if (lx)
		lx_shutdown_all(lx);
}

int hk_linux_run(struct hk_linux *lx)
{
	lx->start_real_ns = basic_mono_ns();
	lx->start_virtual_ns = hk_now_ns(lx->k);
	arm_signal(lx);
	arm_stdin(lx);
	while (turn(lx))
		;
	lx_shutdown_all(lx);
	return exit_status(lx);
}
