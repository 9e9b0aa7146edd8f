/* Hostile test app: sends 56 bytes of garbage as a trap frame (on either transport); the supervisor must fault it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tock/trap_frame.h"

/* The runner's own frame transport (socket or ring, whichever this run uses): exported by tock-proc. */
extern int tock_proc_trap_send(const struct tock_trap_frame *frame);
extern int tock_proc_trap_recv(struct tock_trap_frame *frame);

int main(void)
{
	unsigned char garbage[sizeof(struct tock_trap_frame)];
	struct tock_trap_frame frame, answer;

	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (unsigned char)(0xa5 ^ (i * 37));
	printf("bad_frame: about to send a garbage frame\n");
	memcpy(&frame, garbage, sizeof(frame));
	if (tock_proc_trap_send(&frame) < 0)
		return 4;
	/* Wait to be killed; an answer or EOF means the supervisor did not fault us. */
	if (tock_proc_trap_recv(&answer) == 0)
		printf("ESCAPED (bad_frame got an answer)\n");
	return 3;
}
