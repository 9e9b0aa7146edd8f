/* Blocking alarm helpers: a virtual alarm sets a flag, yield() runs until it is set. */
#include "alarm.h"

/* Virtual alarms share the one kernel alarm, so these yield (running every upcall) rather than
 * Yield-WaitFor, which would leave the other virtual alarms' upcalls queued. */
static void flag_set(uint32_t now, uint32_t scheduled, void* opaque)
{
	(void)now;
	(void)scheduled;
	*(bool*)opaque = true;
}

int libtocksync_alarm_delay_ms(uint32_t ms)
{
	libtock_alarm_t alarm;
	bool fired = false;
	int ret = libtock_alarm_in_ms(ms, flag_set, &fired, &alarm);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	yield_for(&fired);
	return RETURNCODE_SUCCESS;
}

int libtocksync_alarm_yield_for_with_timeout(bool* cond, uint32_t ms)
{
	libtock_alarm_t alarm;
	bool timed_out = false;
	int ret = libtock_alarm_in_ms(ms, flag_set, &timed_out, &alarm);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	while (!*cond) {
		if (timed_out)
			return RETURNCODE_FAIL;
		yield();
	}
	libtock_alarm_ms_cancel(&alarm);
	return RETURNCODE_SUCCESS;
}
