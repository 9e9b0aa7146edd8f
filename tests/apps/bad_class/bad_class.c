/* Hostile test app: sends a well-formed SYSCALL frame with the undefined class 9; Tock faults the process. */
#include <stdio.h>
#include <unistd.h>

#include "tock/trap_frame.h"

/* The runner's own frame transport (socket or ring, whichever this run uses): exported by tock-proc. */
extern int tock_proc_trap_send(const struct tock_trap_frame *frame);
extern int tock_proc_trap_recv(struct tock_trap_frame *frame);

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
	if (tock_proc_trap_send(&f) < 0)
		return 4;
	if (tock_proc_trap_recv(&answer) == 0)
		printf("ESCAPED (bad_class got an answer, kind %u)\n", (unsigned)answer.kind);
	return 3;
}
