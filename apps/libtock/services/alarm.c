/* Virtual alarms: a list of tick alarms sorted by time left, the earliest armed on the kernel alarm. */
#include "alarm.h"

#define ALARM_MAX_STEP UINT32_MAX /* longest single kernel alarm, in ticks */

static libtock_alarm_ticks_t* pending; /* sorted: soonest first; equal expiries in insertion order */

/* ---- ticks ---- */

/* Asked each time (one cheap command) rather than cached, so nothing goes stale across a restart. */
static uint32_t frequency(void)
{
	uint32_t hz = 0;

	if (libtock_alarm_command_get_frequency(&hz) != RETURNCODE_SUCCESS)
		return 0;
	return hz;
}

static uint32_t now_ticks(void)
{
	uint32_t now = 0;

	libtock_alarm_command_read(&now);
	return now;
}

uint32_t libtock_alarm_ticks_to_ms(uint32_t ticks)
{
	uint32_t hz = frequency();

	return hz ? (uint32_t)((uint64_t)ticks * 1000 / hz) : 0;
}

/* Rounded up, so an alarm in ms never fires early. */
static uint64_t ms_to_ticks(uint32_t ms)
{
	return ((uint64_t)ms * frequency() + 999) / 1000;
}

static bool expired(const libtock_alarm_ticks_t* a, uint32_t now)
{
	return now - a->reference >= a->dt;
}

/* Ticks until a fires, seen from now (0 once expired). */
static uint32_t time_left(const libtock_alarm_ticks_t* a, uint32_t now)
{
	return expired(a, now) ? 0 : a->dt - (now - a->reference);
}

/* ---- the sorted list ---- */

static bool list_contains(const libtock_alarm_ticks_t* a)
{
	for (const libtock_alarm_ticks_t* it = pending; it; it = it->next)
		if (it == a)
			return true;
	return false;
}

static void list_remove(libtock_alarm_ticks_t* a)
{
	if (a->prev)
		a->prev->next = a->next;
	else
		pending = a->next;
	if (a->next)
		a->next->prev = a->prev;
	a->next = a->prev = NULL;
}

static void list_insert(libtock_alarm_ticks_t* a, uint32_t now)
{
	libtock_alarm_ticks_t* prev = NULL;
	libtock_alarm_ticks_t* it = pending;
	uint32_t left = time_left(a, now);

	while (it && time_left(it, now) <= left) {
		prev = it;
		it = it->next;
	}
	a->prev = prev;
	a->next = it;
	if (it)
		it->prev = a;
	if (prev)
		prev->next = a;
	else
		pending = a;
}

/* ---- the kernel alarm ---- */

static void kernel_alarm_upcall(int now, int scheduled, int unused, void* opaque);

/* Put the soonest alarm on the kernel alarm, or stop it when none is left. */
static int arm_kernel(void)
{
	int ret;

	if (!pending) {
		libtock_alarm_command_stop(); /* EALREADY when it had just fired: fine */
		return RETURNCODE_SUCCESS;
	}
	ret = libtock_alarm_set_upcall(kernel_alarm_upcall, NULL);
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	return libtock_alarm_command_set_absolute(pending->reference, pending->dt);
}

/* Run every expired alarm, soonest first; callbacks may set or cancel alarms. */
static void kernel_alarm_upcall(int now, int scheduled, int unused, void* opaque)
{
	(void)now;
	(void)scheduled;
	(void)unused;
	(void)opaque;
	while (pending) {
		libtock_alarm_ticks_t* a = pending;
		uint32_t t = now_ticks();

		if (!expired(a, t))
			break;
		list_remove(a);
		a->callback(t, a->reference + a->dt, a->ud);
	}
	arm_kernel();
}

int libtock_alarm_at(uint32_t reference, uint32_t dt, libtock_alarm_callback callback, void* opaque,
                     libtock_alarm_ticks_t* alarm)
{
	uint32_t now;
	int ret = libtock_alarm_command_read(&now);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	if (list_contains(alarm))
		list_remove(alarm);
	alarm->reference = reference;
	alarm->dt = dt;
	alarm->callback = callback;
	alarm->ud = opaque;
	list_insert(alarm, now);
	if (pending != alarm)
		return RETURNCODE_SUCCESS; /* an earlier alarm is already on the kernel alarm */
	ret = arm_kernel();
	if (ret != RETURNCODE_SUCCESS)
		list_remove(alarm);
	return ret;
}

void libtock_alarm_cancel(libtock_alarm_ticks_t* alarm)
{
	bool was_first = pending == alarm;

	if (!list_contains(alarm))
		return;
	list_remove(alarm);
	if (was_first)
		arm_kernel();
}

int libtock_alarm_gettimeasticks(struct timeval* tv, void* tzvp)
{
	uint32_t hz = frequency();
	uint32_t now = now_ticks();

	(void)tzvp;
	if (hz == 0)
		hz = 1;
	tv->tv_sec = now / hz;
	tv->tv_usec = (suseconds_t)((uint64_t)(now % hz) * 1000000 / hz);
	return 0;
}

/* ---- millisecond alarms: chains of tick alarms ---- */

static void ms_load(libtock_alarm_t* a, uint32_t ms)
{
	uint64_t ticks = ms_to_ticks(ms);

	a->interval_ms = ms;
	a->overflows_left = (uint32_t)(ticks / ALARM_MAX_STEP);
	a->remaining_ticks = (uint32_t)(ticks % ALARM_MAX_STEP);
}

/* Arm the next step, counted from `reference` (the previous step's scheduled time: no drift). */
static int ms_next_step(libtock_alarm_t* a, uint32_t reference, libtock_alarm_callback step)
{
	uint32_t dt = a->overflows_left > 0 ? ALARM_MAX_STEP : a->remaining_ticks;

	return libtock_alarm_at(reference, dt, step, a, &a->alarm);
}

/* True if this fire was an intermediate step (and the next one is armed). */
static bool ms_step_was_intermediate(libtock_alarm_t* a, uint32_t scheduled, libtock_alarm_callback step)
{
	if (a->overflows_left == 0)
		return false;
	a->overflows_left--;
	ms_next_step(a, scheduled, step);
	return true;
}

static void ms_oneshot_step(uint32_t now, uint32_t scheduled, void* opaque)
{
	libtock_alarm_t* a = opaque;

	if (!ms_step_was_intermediate(a, scheduled, ms_oneshot_step))
		a->callback(now, scheduled, a->user_data);
}

static void ms_repeating_step(uint32_t now, uint32_t scheduled, void* opaque)
{
	libtock_alarm_t* a = opaque;

	if (ms_step_was_intermediate(a, scheduled, ms_repeating_step))
		return;
	/* Re-arm before the callback so that the callback may cancel it. */
	ms_load(a, a->interval_ms);
	ms_next_step(a, scheduled, ms_repeating_step);
	a->callback(now, scheduled, a->user_data);
}

static int ms_start(uint32_t ms, libtock_alarm_callback cb, void* opaque, libtock_alarm_t* a,
                    libtock_alarm_callback step)
{
	uint32_t now;
	int ret = libtock_alarm_command_read(&now);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	a->callback = cb;
	a->user_data = opaque;
	ms_load(a, ms);
	return ms_next_step(a, now, step);
}

int libtock_alarm_in_ms(uint32_t ms, libtock_alarm_callback cb, void* opaque, libtock_alarm_t* alarm)
{
	return ms_start(ms, cb, opaque, alarm, ms_oneshot_step);
}

void libtock_alarm_repeating_every_ms(uint32_t ms, libtock_alarm_callback cb, void* opaque, libtock_alarm_t* alarm)
{
	ms_start(ms, cb, opaque, alarm, ms_repeating_step);
}

void libtock_alarm_ms_cancel(libtock_alarm_t* alarm)
{
	libtock_alarm_cancel(&alarm->alarm);
}

void libtock_alarm_repeating_cancel(libtock_alarm_repeating_t* alarm)
{
	libtock_alarm_cancel(&alarm->alarm);
}
