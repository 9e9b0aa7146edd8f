/* Hostile test app: tries to open /etc/passwd through syscall(2); the sandbox must fault it first. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;

	printf("escape_open: about to open /etc/passwd\n");
	r = syscall(SYS_open, (long)"/etc/passwd", 0L);
	printf("ESCAPED (escape_open returned %ld)\n", r);
	exit(3);
}
