/* Test app for syscall chains (tock/trap_frame.h): its name picks a run of rule checks or one way of breaking the rules. */
#include <stdio.h>
#include <string.h>

#include "tock/abi.h"
#include "tock/drivers/alarm.h"
#include "tock/drivers/console.h"
#include "tock/trap_frame.h"

/* The runner's exports (tock-proc), whichever transport this run uses. */
extern uint32_t tock_proc_trap_seq;
extern int tock_proc_trap_send_chain(const struct tock_trap_frame *frames, unsigned count);
extern int tock_proc_trap_recv_for(struct tock_trap_frame *frame, uint32_t seq);

#define NO_SUCH_DRIVER 0x9999u

static struct tock_trap_frame call(uint32_t class_id, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t link)
{
	return (struct tock_trap_frame){ .magic = TOCK_TRAP_MAGIC, .version = TOCK_TRAP_VERSION,
		                         .kind = TOCK_TRAP_SYSCALL, .seq = ++tock_proc_trap_seq, .op = class_id,
		                         .arg = { a0, a1, a2, 0, link } };
}

static struct tock_trap_frame exists(uint32_t driver, uint64_t link)
{
	return call(TOCK_CLASS_COMMAND, driver, 0, 0, link);
}

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		failures++;
		printf("chain_ok: FAILED %s\n", what);
	}
}

/* Send the chain, then take `want` answers (the ones that must run); each must echo its frame's seq. */
static void run(struct tock_trap_frame *c, unsigned n, unsigned want, struct tock_trap_frame *ret, const char *what)
{
	if (tock_proc_trap_send_chain(c, n) < 0) {
		check(0, what);
		return;
	}
	for (unsigned i = 0; i < want; i++)
		check(tock_proc_trap_recv_for(&ret[i], c[i].seq) == 0 && ret[i].seq == c[i].seq &&
		              ret[i].kind == TOCK_TRAP_RETURN,
		      what);
}

static int is_success(const struct tock_trap_frame *f)
{
	return (uint32_t)f->arg[0] >= TOCK_RET_SUCCESS;
}

static int is_error(const struct tock_trap_frame *f, uint32_t code)
{
	return f->arg[0] == TOCK_RET_FAILURE && f->arg[1] == code;
}

/* Every rule of a chain, checked from the answers: what runs, what is dropped, what blocks. */
static int chain_ok(void)
{
	struct tock_trap_frame c[4], r[4];

	c[0] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_IF_SUCCESS);
	c[1] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_NONE);
	run(c, 2, 2, r, "success, if-success: both run");
	check(is_success(&r[0]) && is_success(&r[1]), "both succeed");

	c[0] = exists(NO_SUCH_DRIVER, TOCK_CHAIN_IF_SUCCESS);
	c[1] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_ALWAYS);
	c[2] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_NONE);
	run(c, 3, 1, r, "failure, if-success: the rest is dropped");
	check(is_error(&r[0], TOCK_ERR_NODEVICE), "NODEVICE for a missing driver");

	/* The dropped frames got no answer: the next answer is this standalone syscall's. */
	c[0] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_NONE);
	run(c, 1, 1, r, "a syscall after a broken chain");
	check(is_success(&r[0]), "the syscall after a broken chain succeeds");

	c[0] = exists(NO_SUCH_DRIVER, tock_chain_if_error(TOCK_ERR_NODEVICE));
	c[1] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_NONE);
	run(c, 2, 2, r, "the awaited error: the next runs");
	check(is_error(&r[0], TOCK_ERR_NODEVICE) && is_success(&r[1]), "if-error(NODEVICE) after NODEVICE");

	c[0] = exists(NO_SUCH_DRIVER, tock_chain_if_error(TOCK_ERR_INVAL));
	c[1] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_NONE);
	run(c, 2, 1, r, "another error: the next is dropped");
	c[0] = exists(TOCK_DRIVER_CONSOLE, tock_chain_if_error(TOCK_ERR_NODEVICE));
	c[1] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_NONE);
	run(c, 2, 1, r, "success, if-error: the next is dropped");

	/* A blocking syscall holds the rest: alarm in 1 tick, wait for it, then one more command. */
	c[0] = call(TOCK_CLASS_COMMAND, TOCK_DRIVER_ALARM, 5, 1, TOCK_CHAIN_IF_SUCCESS);
	c[1] = call(TOCK_CLASS_YIELD, TOCK_YIELD_WAIT_FOR, TOCK_DRIVER_ALARM, 0, TOCK_CHAIN_ALWAYS);
	c[2] = call(TOCK_CLASS_COMMAND, TOCK_DRIVER_ALARM, 2, 0, TOCK_CHAIN_NONE);
	run(c, 3, 3, r, "set alarm, wait for it, read the clock");
	check(is_success(&r[0]) && r[2].arg[0] == TOCK_RET_SUCCESS_U32 && (uint32_t)r[2].arg[1] >= (uint32_t)r[1].arg[0],
	      "the clock read after the wait is not before the alarm fired");

	printf("chain_ok: %s\n", failures ? "FAILED" : "all rules hold");
	return failures ? 1 : 0;
}

/* Whatever was sent, the supervisor must now fault us; an answer means it did not. */
static int expect_fault(const char *name, struct tock_trap_frame *c, unsigned n)
{
	struct tock_trap_frame r;

	if (tock_proc_trap_send_chain(c, n) == 0)
		for (unsigned i = 0; i < n; i++)
			if (tock_proc_trap_recv_for(&r, c[i].seq) < 0)
				return 4;
	printf("ESCAPED (%s got its answers)\n", name);
	return 3;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	struct tock_trap_frame c[4];

	printf("%s: starting\n", name);
	fflush(stdout);
	if (!strcmp(name, "chain_ok"))
		return chain_ok();
	if (!strcmp(name, "chain_too_long")) {
		for (int i = 0; i < 4; i++)
			c[i] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_ALWAYS); /* the 4th must not link on */
		return expect_fault(name, c, 4);
	}
	if (!strcmp(name, "chain_bad_link")) {
		c[0] = exists(TOCK_DRIVER_CONSOLE, 0x77);
		return expect_fault(name, c, 1);
	}
	if (!strcmp(name, "chain_out_of_seq")) {
		c[0] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_ALWAYS);
		c[1] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_NONE);
		c[1].seq += 5;
		return expect_fault(name, c, 2);
	}
	if (!strcmp(name, "chain_exit")) {
		c[0] = call(TOCK_CLASS_EXIT, TOCK_EXIT_TERMINATE, 0, 0, TOCK_CHAIN_ALWAYS);
		c[1] = exists(TOCK_DRIVER_CONSOLE, TOCK_CHAIN_NONE);
		return expect_fault(name, c, 2);
	}
	printf("chain_rules: unknown case %s\n", name);
	return 2;
}
