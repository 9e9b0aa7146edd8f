/* Hostile test app: sends a well-formed SYSCALL frame with the undefined class 9; Tock faults the process. */
#include <stdio.h>
#include <unistd.h>

#include "tock/trap_frame.h"

extern uint32_t tock_proc_trap_seq __attribute__((weak));

int main(void)
{
	struct tock_trap_frame f = {
		.magic = TOCK_TRAP_MAGIC, .version = TOCK_TRAP_VERSION, .kind = TOCK_TRAP_SYSCALL,
		.op = 9,
	};
	struct tock_trap_frame answer;

	printf("bad_class: about to make a syscall of class 9\n");
	/* Numbered after printf's own frames, from the counter the runner shares with libtock. */
	f.seq = &tock_proc_trap_seq ? ++tock_proc_trap_seq : 1000;
	if (write(TOCK_TRAP_FD, &f, sizeof(f)) != (ssize_t)sizeof(f))
		return 4;
	if (read(TOCK_TRAP_FD, &answer, sizeof(answer)) > 0)
		printf("ESCAPED (bad_class got an answer, kind %u)\n", (unsigned)answer.kind);
	return 3;
}
