/* Hostile test app: tries to execve /bin/sh through syscall(2); the sandbox must fault it first. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	static char *const argv[] = {"/bin/sh", "-c", "echo ESCAPED", NULL};
	static char *const envp[] = {NULL};
	long r;

	printf("escape_execve: about to execve /bin/sh\n");
	r = syscall(SYS_execve, "/bin/sh", argv, envp);
	printf("ESCAPED (escape_execve returned %ld)\n", r);
	exit(3);
}
