/* Test app: prints once, then spins forever without a syscall (the supervisor must still stop it). */
#include <stdio.h>

int main(void)
{
	volatile unsigned long spins = 0;

	printf("spinning\n");
	for (;;)
		spins++;
}
