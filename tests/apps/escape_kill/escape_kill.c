/* Hostile test app: tries to kill(1, 0) through syscall(2); the sandbox must fault it first. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;

	printf("escape_kill: about to kill(1, 0)\n");
	r = syscall(SYS_kill, 1L, 0L);
	printf("ESCAPED (escape_kill returned %ld)\n", r);
	exit(3);
}
