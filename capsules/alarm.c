/* Alarm capsule (driver 0x0): per-process alarms in grants, multiplexed onto one kernel timer. */
#include "capsules/alarm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#define NS_PER_SECOND 1000000000u

/* Per-process state, in the process's grant (zeroed: disarmed). */
struct alarm_grant {
	bool armed;
	uint32_t reference, dt; /* as the process gave them: the upcall reports reference + dt */
	uint64_t expiry_tick;   /* the same instant on the 64-bit tick line, fixed when armed */
};

struct capsule_alarm {
	struct hk_timer timer; /* first member: the fire callback gets back to us from it */
	struct hk_kernel *kernel;
	uint32_t driver;
	uint32_t frequency;
};

static void alarm_timer_fire(struct hk_timer *t, uint64_t now_ns);

struct capsule_alarm *capsule_alarm_new(struct hk_kernel *k, uint32_t driver, uint32_t frequency_hz)
{
	struct capsule_alarm *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->kernel = k;
	a->driver = driver;
	a->frequency = frequency_hz ? frequency_hz : CAPSULE_ALARM_DEFAULT_HZ;
	a->timer.fire = alarm_timer_fire;
	return a;
}

void capsule_alarm_free(struct capsule_alarm *a)
{
	if (!a)
		return;
	hk_timer_cancel(a->kernel, &a->timer);
	free(a);
}

/* ---- time conversion ---- */

static uint64_t ticks_at(const struct capsule_alarm *a, uint64_t ns)
{
	return (uint64_t)((unsigned __int128)ns * a->frequency / NS_PER_SECOND);
}

/* The first nanosecond at which the tick counter reads `tick` or more: never early. */
static uint64_t deadline_for(const struct capsule_alarm *a, uint64_t tick)
{
	unsigned __int128 ns = ((unsigned __int128)tick * NS_PER_SECOND + a->frequency - 1) / a->frequency;

	return ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

/* ---- the shared timer ---- */

/* Arm the one kernel timer at the earliest pending expiry of any process, or cancel it. */
static void alarm_rearm(struct capsule_alarm *a)
{
	uint64_t earliest = UINT64_MAX;
	bool any = false;
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(a->kernel, &cursor, &pid)) {
		const struct alarm_grant *g = hk_grant_get(a->kernel, a->driver, pid);

		if (g && g->armed && g->expiry_tick <= earliest) {
			earliest = g->expiry_tick;
			any = true;
		}
	}
	if (any)
		hk_timer_arm(a->kernel, &a->timer, deadline_for(a, earliest));
	else
		hk_timer_cancel(a->kernel, &a->timer);
}

static void alarm_timer_fire(struct hk_timer *t, uint64_t now_ns)
{
	struct capsule_alarm *a = (struct capsule_alarm *)t;
	uint64_t now = ticks_at(a, now_ns);
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(a->kernel, &cursor, &pid)) {
		struct alarm_grant *g = hk_grant_get(a->kernel, a->driver, pid);

		if (!g || !g->armed || g->expiry_tick > now)
			continue;
		g->armed = false;
		hk_upcall_schedule(a->kernel, a->driver, pid, TOCK_ALARM_UPCALL_FIRED, (uint32_t)now, g->reference + g->dt,
		                   0);
	}
	alarm_rearm(a);
}

/* ---- commands: decode (all checks) first, then invoke ---- */

/* Arm the caller's alarm at reference + dt (wrapping), replacing any earlier one. `now` is the
 * 64-bit tick count sampled once for this command, so cmd 5's reference is exactly now. */
static struct hk_cmd_ret alarm_set(struct capsule_alarm *a, const struct hk_call *call, uint64_t now,
                                   uint32_t reference, uint32_t dt)
{
	struct alarm_grant *g = call->grant;
	uint32_t elapsed = (uint32_t)now - reference;

	g->armed = true;
	g->reference = reference;
	g->dt = dt;
	g->expiry_tick = elapsed >= dt ? now : now + (dt - elapsed);
	alarm_rearm(a);
	return hk_cmd_success_u32(reference + dt);
}

static struct hk_cmd_ret alarm_stop(struct capsule_alarm *a, const struct hk_call *call)
{
	struct alarm_grant *g = call->grant;

	if (!g->armed)
		return hk_cmd_failure(TOCK_ERR_ALREADY);
	g->armed = false;
	alarm_rearm(a);
	return hk_cmd_success();
}

static struct hk_cmd_ret alarm_command(void *self, const struct hk_call *call, uint32_t command, uint32_t arg0,
                                       uint32_t arg1)
{
	struct capsule_alarm *a = self;
	uint64_t now = ticks_at(a, hk_now_ns(a->kernel));

	switch (command) {
	case TOCK_ALARM_CMD_EXISTS:
		return hk_cmd_success();
	case TOCK_ALARM_CMD_FREQUENCY:
		return hk_cmd_success_u32(a->frequency);
	case TOCK_ALARM_CMD_READ:
		return hk_cmd_success_u32((uint32_t)now);
	case TOCK_ALARM_CMD_STOP:
		return alarm_stop(a, call);
	case TOCK_ALARM_CMD_SET_RELATIVE:
		return alarm_set(a, call, now, (uint32_t)now, arg0);
	case TOCK_ALARM_CMD_SET_ABSOLUTE:
		return alarm_set(a, call, now, arg0, arg1);
	default: /* 4 (deprecated) included */
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

const struct hk_driver_ops capsule_alarm_ops = {
	.name = "alarm",
	.grant_size = sizeof(struct alarm_grant),
	.num_upcalls = 1,
	.num_allow_ro = 0,
	.num_allow_rw = 0,
	.num_allow_ur = 0,
	.notification_upcalls = 0,
	.command = alarm_command,
	.abi = &tock_alarm_abi,
};
