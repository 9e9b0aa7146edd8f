/* Hostile test app: tries to mmap executable memory through syscall(2); the sandbox must fault it first. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;

	printf("escape_mmap_exec: about to mmap PROT_EXEC memory\n");
	r = syscall(SYS_mmap, 0L, 4096L, (long)(PROT_READ | PROT_EXEC), (long)(MAP_PRIVATE | MAP_ANONYMOUS), -1L, 0L);
	printf("ESCAPED (escape_mmap_exec returned %#lx)\n", r);
	exit(3);
}
