/* Hostile test app: tries to create a socket through syscall(2); the sandbox must fault it first. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;

	printf("escape_socket: about to create a socket\n");
	r = syscall(SYS_socket, 1L, 1L, 0L);
	printf("ESCAPED (escape_socket returned %ld)\n", r);
	exit(3);
}
