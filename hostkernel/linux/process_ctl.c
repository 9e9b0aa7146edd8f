/* Process control for the control service: the kernel's stop/resume/fault/restart plus what the host process needs. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "hostkernel/linux/backend_internal.h"
#include "hostkernel/linux/process_ctl.h"

static struct lx_app *app_of(struct hk_linux *lx, const struct hk_process *p)
{
	struct lx_app *app = p ? hk_process_backend(p) : NULL;

	return app && app->lx == lx ? app : NULL;
}

/*
 * A process on the CPU is taken off it as a timeslice preemption would (SIGSTOP, PREEMPTED):
 * a trap it sends meanwhile is stashed and handled after the resume, when the scheduler
 * CONTINUEs it with SIGCONT. A parked one is SIGSTOPped too, so the host sees it stopped.
 */
int hk_linux_process_stop(struct hk_linux *lx, struct hk_process *p)
{
	struct lx_app *app = app_of(lx, p);
	struct lx_conn *c = app ? app->conn : NULL;
	int r;

	if (!app)
		return -ENOENT;
	r = hk_process_stop(lx->k, p);
	if (r < 0 || !c)
		return r;
	switch (c->state) {
	case LX_RUNNING:
		lx_conn_signal(c, SIGSTOP);
		c->state = LX_PREEMPTED;
		if (lx->running == c)
			lx->running = NULL;
		break;
	case LX_PARKED:
	case LX_AWAIT_HELLO:
		lx_conn_signal(c, SIGSTOP);
		break;
	default:
		break; /* PREEMPTED: already stopped; DEAD: nothing to stop */
	}
	return 0;
}

int hk_linux_process_resume(struct hk_linux *lx, struct hk_process *p)
{
	struct lx_app *app = app_of(lx, p);
	struct lx_conn *c = app ? app->conn : NULL;
	int r;

	if (!app)
		return -ENOENT;
	r = hk_process_resume(lx->k, p);
	/* PREEMPTED gets its SIGCONT from the dispatch that puts it back on the CPU. */
	if (r == 0 && c && c->state != LX_PREEMPTED && c->state != LX_DEAD)
		lx_conn_signal(c, SIGCONT);
	return r;
}

int hk_linux_process_fault(struct hk_linux *lx, struct hk_process *p, const char *cause)
{
	struct lx_app *app = app_of(lx, p);
	enum hk_state st;

	if (!app)
		return -ENOENT;
	st = hk_process_state(p);
	if (st == HK_STATE_FAULTED || st == HK_STATE_TERMINATED)
		return -ESRCH;
	/* The same path as a fault the backend detects: report, policy, listeners, host process killed. */
	lx_fault(lx, app, cause, 0, 0, -1);
	return 0;
}

int hk_linux_process_restart(struct hk_linux *lx, struct hk_process *p)
{
	struct lx_app *app = app_of(lx, p);

	if (!app)
		return -ENOENT;
	app->stop_reported = false; /* a later fault-stop is reported again */
	return hk_process_restart(lx->k, p);
}

int hk_linux_process_info(struct hk_linux *lx, const struct hk_process *p, struct hk_linux_process_info *ret)
{
	struct lx_app *app = app_of(lx, p);
	const struct ldr_layout *l;

	memset(ret, 0, sizeof(*ret));
	if (!app)
		return -ENOENT;
	l = &app->layout;
	ret->host_pid = app->conn && !app->conn->reaped ? app->conn->pid : 0;
	ret->flash_start = l->flash_start;
	ret->flash_size = l->flash_size;
	ret->ram_start = l->ram_start;
	ret->ram_size = l->ram_size;
	ret->stack_size = l->stack_top > l->guard_end ? l->stack_top - l->guard_end : 0;
	ret->grant_start = l->grant_start;
	return 0;
}
