/* Faults the backend finds (trap frames, host deaths, broken protocols): the whole fault goes to the kernel, whose policy decides. */
#include <inttypes.h>

#include "hostkernel/linux/backend_internal.h"

void lx_fault(struct hk_linux *lx, struct lx_app *app, const char *cause, uint64_t pc, uint64_t address, int access)
{
	struct lx_conn *c = app->conn;
	struct hk_fault_info info = {
		.cause = cause, .pc = pc, .address = address, .has_address = access >= 0,
		.access = access >= 0 ? (uint32_t)access : 0,
	};
	enum hk_state st;

	hk_process_fault(lx->k, app->p, &info); /* the listener or the panic op prints the report */
	/* A process the kernel had already ended still has its host process reaped here. */
	st = hk_process_state(app->p);
	if (c && app->conn == c && (st == HK_STATE_FAULTED || st == HK_STATE_TERMINATED))
		lx_conn_kill(lx, c);
	lx_check_stopped(lx);
}

void lx_check_stopped(struct hk_linux *lx)
{
	for (size_t i = 0; i < lx->n_apps && !lx->panicked; i++) {
		struct lx_app *app = lx->apps[i];

		if (app->stop_reported || hk_process_state(app->p) != HK_STATE_FAULTED)
			continue;
		app->stop_reported = true;
		lx_report(lx, "process '%s' (ProcessId %" PRIu32 ") stopped after fault", app->name,
		          hk_process_pid(app->p));
	}
}
