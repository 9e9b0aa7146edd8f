/* Hostile test app: writes 56 bytes of garbage on the trap socket; the supervisor must fault it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tock/trap_frame.h"

int main(void)
{
	unsigned char garbage[sizeof(struct tock_trap_frame)];
	unsigned char answer[sizeof(struct tock_trap_frame)];

	for (size_t i = 0; i < sizeof(garbage); i++)
		garbage[i] = (unsigned char)(0xa5 ^ (i * 37));
	printf("bad_frame: about to send a garbage frame\n");
	if (write(TOCK_TRAP_FD, garbage, sizeof(garbage)) != (ssize_t)sizeof(garbage))
		return 4;
	/* Wait to be killed; an answer or EOF means the supervisor did not fault us. */
	if (read(TOCK_TRAP_FD, answer, sizeof(answer)) > 0)
		printf("ESCAPED (bad_frame got an answer)\n");
	return 3;
}
