/* blink_timer: a periodic timer app; prints one line per period from a repeating virtual alarm. */
#include <stdio.h>

#include <libtock/services/alarm.h>
#include <libtock/tock.h>

#define PERIOD_MS 500
#define TICKS 10

static int ticks;
static bool done;

static void on_tick(uint32_t now, uint32_t scheduled, void *opaque)
{
	libtock_alarm_repeating_t *repeating = opaque;
	ticks++;
	printf("tick %d at %lu ms\n", ticks, (unsigned long)libtock_alarm_ticks_to_ms(now));
	if (ticks == TICKS) {
		libtock_alarm_repeating_cancel(repeating);
		done = true;
	}
	(void)scheduled;
}

int main(void)
{
	static libtock_alarm_repeating_t repeating;
	printf("blinking every %d ms, %d times\n", PERIOD_MS, TICKS);
	libtock_alarm_repeating_every_ms(PERIOD_MS, on_tick, &repeating, &repeating);
	yield_for(&done);
	printf("blink_timer done\n");
	return 0;
}
