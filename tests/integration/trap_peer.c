/* A scripted stand-in for tock-proc (TOCKHOST_PROC): speaks the trap channel badly on purpose, as $TRAP_PEER_MODE says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tock/abi.h"
#include "tock/trap_frame.h"

static void put(uint16_t kind, uint32_t op, uint64_t a0, uint64_t a1, uint64_t a2, size_t len)
{
	struct tock_trap_frame f = { .magic = TOCK_TRAP_MAGIC, .version = TOCK_TRAP_VERSION, .kind = kind,
		                     .seq = 1, .op = op, .arg = { a0, a1, a2, 0, 0 } };
	uint8_t buf[256] = { 0 };

	memcpy(buf, &f, sizeof(f));
	if (len > sizeof(buf) || write(TOCK_TRAP_FD, buf, len) != (ssize_t)len)
		_exit(3);
}

static void await_start(void)
{
	struct tock_trap_frame f;

	if (read(TOCK_TRAP_FD, &f, sizeof(f)) != (ssize_t)sizeof(f) || f.kind != TOCK_TRAP_START)
		_exit(4);
}

/* Whatever the script did, wait for the supervisor to end us; an answer or EOF means it did not. */
static void linger(void)
{
	uint8_t buf[256];

	while (read(TOCK_TRAP_FD, buf, sizeof(buf)) > 0)
		;
	_exit(5);
}

int main(void)
{
	const char *mode = getenv("TRAP_PEER_MODE");

	if (!mode)
		return 2;
	put(TOCK_TRAP_HELLO, 0, 0, 0, 0, sizeof(struct tock_trap_frame));
	await_start();
	if (!strcmp(mode, "zero_length")) {
		put(TOCK_TRAP_SYSCALL, 0, 0, 0, 0, 0);
	} else if (!strcmp(mode, "oversized")) {
		put(TOCK_TRAP_SYSCALL, TOCK_CLASS_COMMAND, 1, 0, 0, 200);
	} else if (!strcmp(mode, "second_hello")) {
		put(TOCK_TRAP_HELLO, 0, 0, 0, 0, sizeof(struct tock_trap_frame));
	} else if (!strcmp(mode, "odd_fault")) {
		put(TOCK_TRAP_FAULT, TOCK_FAULT_MEMORY, 0x1234, 0x5678, UINT64_MAX, sizeof(struct tock_trap_frame));
	} else if (!strcmp(mode, "no_read")) {
		/* Syscalls back to back, never reading an answer: the answers pile up until the channel is full. */
		for (;;)
			put(TOCK_TRAP_SYSCALL, TOCK_CLASS_COMMAND, 1, 0, 0, sizeof(struct tock_trap_frame));
	} else {
		return 2;
	}
	linger();
}
