/* Hostile test app: tries to fork through syscall(2); the sandbox must fault it first. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;

	printf("escape_fork: about to fork\n");
	r = syscall(SYS_fork);
	printf("ESCAPED (escape_fork returned %ld)\n", r);
	exit(3);
}
