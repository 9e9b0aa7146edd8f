/* Test app: never yields on its own; batches of quick traps, each batch reporting the virtual clock. */
#include <stdio.h>

#include "libtock/services/alarm.h"

/* Enough traps that an outside SIGSTOP almost surely lands inside a batch, few enough to take far less CPU than a slice. */
#define TRAPS_PER_BATCH 2000

int main(void)
{
	for (unsigned batch = 0;; batch++) {
		uint32_t ticks = 0;

		for (int i = 0; i < TRAPS_PER_BATCH; i++)
			libtock_alarm_command_read(&ticks);
		printf("batch %u at %lu ms\n", batch, (unsigned long)libtock_alarm_ticks_to_ms(ticks));
	}
}
