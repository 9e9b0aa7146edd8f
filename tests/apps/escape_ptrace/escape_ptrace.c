/* Hostile test app: tries to ptrace(PTRACE_TRACEME) through syscall(2); the sandbox must fault it first. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;

	printf("escape_ptrace: about to ptrace(PTRACE_TRACEME)\n");
	r = syscall(SYS_ptrace, 0L, 0L, 0L, 0L);
	printf("ESCAPED (escape_ptrace returned %ld)\n", r);
	exit(3);
}
