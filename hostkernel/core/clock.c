/* Clock and timers: virtual or real time, a deadline-sorted timer list, virtual jumps to the next deadline. */
#include "hostkernel/core/core.h"
#include "hostkernel/kernel_ext.h"

uint64_t hk_now_ns(struct hk_kernel *k)
{
	uint64_t now;

	if (k->cfg.virtual_time || !k->ops->now_ns)
		return k->virtual_now;
	now = k->ops->now_ns(k->ctx);
	return now >= k->real_t0 ? now - k->real_t0 : 0;
}

void hk_clock_set_virtual_ns(struct hk_kernel *k, uint64_t ns)
{
	if (k && ns > k->virtual_now)
		k->virtual_now = ns;
}

static void unlink_timer(struct hk_kernel *k, struct hk_timer *t)
{
	for (struct hk_timer **pp = &k->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->armed = false;
}

void hk_timer_arm(struct hk_kernel *k, struct hk_timer *t, uint64_t deadline_ns)
{
	struct hk_timer **pp;

	if (!k || !t)
		return;
	if (t->armed)
		unlink_timer(k, t);
	/* After every timer with the same deadline: equal deadlines fire in arming order. */
	for (pp = &k->timers; *pp && (*pp)->deadline_ns <= deadline_ns; pp = &(*pp)->next)
		;
	t->deadline_ns = deadline_ns;
	t->armed = true;
	t->next = *pp;
	*pp = t;
}

void hk_timer_cancel(struct hk_kernel *k, struct hk_timer *t)
{
	if (k && t && t->armed)
		unlink_timer(k, t);
}

uint64_t hk_next_deadline(struct hk_kernel *k)
{
	return k && k->timers ? k->timers->deadline_ns : UINT64_MAX;
}

/*
 * Fire at most as many timers as were due on entry, so a callback that re-arms itself for a time
 * already past cannot loop forever; it fires on the next call.
 */
int hk_run_timers(struct hk_kernel *k)
{
	uint64_t now;
	int due = 0, fired = 0;

	if (!k)
		return 0;
	now = hk_now_ns(k);
	for (struct hk_timer *t = k->timers; t && t->deadline_ns <= now; t = t->next)
		due++;
	while (fired < due && k->timers && k->timers->deadline_ns <= now) {
		struct hk_timer *t = k->timers;

		unlink_timer(k, t);
		fired++;
		t->fire(t, now);
	}
	return fired;
}

bool hk_clock_skip_to_next_deadline(struct hk_kernel *k)
{
	if (!k || !k->timers || !k->cfg.virtual_time || !hk_kernel_idle(k))
		return false;
	hk_clock_set_virtual_ns(k, k->timers->deadline_ns);
	return true;
}
