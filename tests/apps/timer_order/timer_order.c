/* timer_order: virtual alarms at 300, 100, 200 ms plus a 50 ms repeating one must fire in time order. */
#include <stdio.h>

#include <libtock/services/alarm.h>
#include <libtock/tock.h>

#define REPEATS 3
#define TOTAL_FIRES (3 + REPEATS)

static uint32_t start;
static int fires;
static bool done;
static bool out_of_order;
static uint32_t last_ms;
static int repeats;
static libtock_alarm_t oneshot[3];
static libtock_alarm_t repeating;

static uint32_t elapsed_ms(uint32_t now)
{
	return libtock_alarm_ticks_to_ms(now - start);
}

/* Fires must come in non-decreasing time order. */
static void note_fire(uint32_t ms)
{
	if (ms < last_ms)
		out_of_order = true;
	last_ms = ms;
	if (++fires == TOTAL_FIRES)
		done = true;
}

static void on_oneshot(uint32_t now, uint32_t scheduled, void* opaque)
{
	uint32_t ms = elapsed_ms(now);

	(void)scheduled;
	printf("fired %u at %u ms\n", (unsigned)(uintptr_t)opaque, (unsigned)ms);
	note_fire(ms);
}

static void on_repeat(uint32_t now, uint32_t scheduled, void* opaque)
{
	uint32_t ms = elapsed_ms(now);

	(void)scheduled;
	(void)opaque;
	repeats++;
	printf("fired repeat50 #%d at %u ms\n", repeats, (unsigned)ms);
	if (repeats == REPEATS)
		libtock_alarm_ms_cancel(&repeating);
	note_fire(ms);
}

int main(void)
{
	static const uint32_t delays_ms[3] = { 300, 100, 200 };

	if (libtock_alarm_command_read(&start) != RETURNCODE_SUCCESS) {
		printf("timer_order: no alarm driver\n");
		return 1;
	}
	for (int i = 0; i < 3; i++)
		libtock_alarm_in_ms(delays_ms[i], on_oneshot, (void*)(uintptr_t)delays_ms[i], &oneshot[i]);
	libtock_alarm_repeating_every_ms(50, on_repeat, NULL, &repeating);
	yield_for(&done);
	if (out_of_order)
		printf("timer_order: alarms fired out of order\n");
	printf("timer_order done\n");
	return out_of_order ? 1 : 0;
}
