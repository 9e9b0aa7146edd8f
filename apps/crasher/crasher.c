/* crasher: counts a few ticks, then dereferences NULL on purpose so the fault policy restarts it. */
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

int main(void)
{
	for (int i = 1; i <= 3; i++) {
		printf("crasher alive, tick %d\n", i);
		libtocksync_alarm_delay_ms(300);
	}
	printf("crasher: about to write through a NULL pointer\n");
	volatile int *null_pointer = NULL;
	*null_pointer = 42;
	printf("crasher: survived?!\n");
	return 1;
}
