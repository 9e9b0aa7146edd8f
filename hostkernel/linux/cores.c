/* Core placement for the fast trap path: the supervisor on one core, app processes on the others. */
#include <errno.h>
#include <sched.h>

#include "hostkernel/linux/backend_internal.h"

/*
 * Both sides of a ring channel spin for each other (trap_channel_ring.c, event_loop.c). That
 * only pays when they run at the same time: a supervisor spinning for a frame from an app that
 * the host scheduler queued behind it on the same core burns its whole budget for nothing, and
 * an app woken onto a core that had gone idle costs a far dearer wake-up. The board runs one app
 * at a time, so the apps never need more than one core between them: keeping the supervisor on
 * the core it started on and the apps on the rest of the cores we may use makes both spins real.
 * Fewer than two usable cores: no split and no spinning (the caller then sleeps every time).
 */
int lx_cores_split(struct hk_linux *lx)
{
	cpu_set_t allowed, self;
	int here = sched_getcpu();

	lx->cores_split = false;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0 || CPU_COUNT(&allowed) < 2 || here < 0 ||
	    !CPU_ISSET(here, &allowed))
		return -ENODEV;
	CPU_ZERO(&self);
	CPU_SET(here, &self);
	if (sched_setaffinity(0, sizeof(self), &self) < 0)
		return -errno;
	lx->app_cores = allowed;
	CPU_CLR(here, &lx->app_cores);
	lx->cores_split = true;
	return 0;
}

/* Put a runner on the app cores once it is set up (its set-up, before HELLO, may use every core). */
void lx_cores_place_app(struct hk_linux *lx, pid_t pid)
{
	if (lx->cores_split)
		(void)sched_setaffinity(pid, sizeof(lx->app_cores), &lx->app_cores); /* only speed is at stake */
}
