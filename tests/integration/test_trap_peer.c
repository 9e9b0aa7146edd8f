/* Integration tests: a runner that breaks the trap-channel protocol is faulted alone, and the run ends. */
#include <stdio.h>

#include "th_suite.h"

struct peer_case {
	const char *mode;  /* $TRAP_PEER_MODE for tests/integration/trap_peer.c */
	const char *cause; /* the fault cause starts with this */
};

static const struct peer_case peer_cases[] = {
	{ "zero_length", "malformed trap frame: trap frame has the wrong length" },
	{ "oversized", "malformed trap frame: trap frame has the wrong length" },
	{ "second_hello", "malformed trap frame: a second HELLO" },
	{ "odd_fault", "memory access violation: unknown access at 0x1234" },
	{ "no_read", "malformed trap frame: the app does not read its answers" },
};

/* The scripted runner stands in for tock-proc; hello.tbf only names the app. --run-for bounds a hang. */
START_TEST(test_bad_peer)
{
	const struct peer_case *c = &peer_cases[_i];
	const char *peer = getenv("TRAP_PEER");
	struct th_result r;
	struct th_fault f[2];
	unsigned stopped[2];

	ck_assert_msg(peer != NULL, "TRAP_PEER is not set");
	setenv("TOCKHOST_PROC", peer, 1);
	setenv("TRAP_PEER_MODE", c->mode, 1);
	/* The script speaks the socketpair transport's frames, so that is the transport it is run on. */
	th_run(&r, NULL, TH_ARGS(TH_RUN, "--quiet", "--no-control-socket", "--trap-channel", "socket", "--fault-policy",
				 "stop", "--run-for", "60", th_app("hello")));
	th_expect_clean(&r);
	th_expect(&r, th_faults(r.err, "hello", f, 2) == 1, "%s: want exactly one fault report", c->mode);
	th_expect(&r, strncmp(f[0].cause, c->cause, strlen(c->cause)) == 0, "%s: cause '%s'", c->mode, f[0].cause);
	th_expect(&r, th_process_events(r.err, "hello", "stopped after fault", stopped, 2) == 1,
		  "%s: want one 'stopped after fault'", c->mode);
	th_expect(&r, r.exit_code == 1, "%s: exit status %d, want 1", c->mode, r.exit_code);
	th_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trap_peer");
	TCase *tc = th_tcase("bad_peer");

	tcase_add_loop_test(tc, test_bad_peer, 0, TH_ARRAY_SIZE(peer_cases));
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
