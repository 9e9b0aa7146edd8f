/* Integration tests of the ring trap channel: hostile apps fault alone, and both transports tell one story. */
#include <stdio.h>
#include <string.h>

#include "th_suite.h"

struct ring_case {
	const char *app;
	const char *cause; /* prefix of the expected fault cause */
};

static const struct ring_case ring_cases[] = {
	{ "ring_bad_seq", "malformed trap frame: the app corrupted its trap ring" },
	{ "ring_garbage", "malformed trap frame: the app corrupted its trap ring" },
	{ "ring_write_sup", "memory access violation: write at 0x100001000" },
	{ "ring_futex_other", "forbidden Linux syscall futex" },
	{ "ring_no_read", "malformed trap frame: the app does not read its answers" },
	{ "ring_hammer", "malformed trap frame: the app wakes the supervisor without sending frames" },
	{ "ring_wait_other_word", "forbidden Linux syscall futex" },
};

/*
 * Waking other apps' words of the wake page is allowed (it is how hand-offs work) and harmless:
 * the woken apps look at their own rings and sleep again. IPC between two other apps runs to its
 * end beside an app doing nothing else, which is preempted like any spinner and never faults.
 */
START_TEST(test_stray_wakes_harm_nobody)
{
	struct th_result r;
	struct th_fault f[2];
	/* A 1 ms timeslice: the waker keeps its whole slice every round, and the echo takes 1000 rounds. */
	const char *board = th_tmp_file("short-slice.ini", "[kernel]\ntimeslice_ms = 1\n");

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--quiet", "--no-control-socket", "--trap-channel", "ring", "--board", board,
				 "--run-for", "30", th_app("ring_wake_others"), th_app("echo_server"), th_app("echo_client")));
	th_tmpdir_cleanup();
	th_expect_clean(&r);
	th_expect(&r, strstr(r.out, "[ring_wake_others] ring_wake_others: my word is ") != NULL &&
			      strstr(r.out, "my word is 0\n") == NULL,
		  "ring_wake_others has no wake-page word (no wake page on this host?)");
	th_expect(&r, th_faults(r.err, "ring_wake_others", f, 2) == 0, "ring_wake_others faulted: %s", f[0].cause);
	th_expect(&r, th_faults(r.err, "org.tockhost.echo_client", f, 2) == 0 &&
			      th_faults(r.err, "org.tockhost.echo_server", f, 2) == 0,
		  "an echo app faulted beside stray wakes");
	th_expect(&r, th_has_line(r.out, "[org.tockhost.echo_client] echo_client: 1000 RPCs ok, 0 errors"),
		  "echo_client did not finish beside stray wakes");
	th_result_free(&r);
}
END_TEST

/* Each hostile app runs beside hello on the ring: it alone faults, with its own cause, and hello finishes. */
START_TEST(test_hostile_faults_alone)
{
	const struct ring_case *c = &ring_cases[_i];
	struct th_result r;
	struct th_fault f[2];
	char line[96];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--quiet", "--no-control-socket", "--trap-channel", "ring", "--fault-policy",
				 "stop", th_app(c->app), th_app("hello")));
	th_expect_clean(&r);
	snprintf(line, sizeof(line), "[%s] %s: starting", c->app, c->app);
	th_expect(&r, th_has_line(r.out, line), "%s never ran", c->app);
	th_expect(&r, strstr(r.out, "ESCAPED") == NULL, "%s escaped", c->app);
	th_expect(&r, th_faults(r.err, c->app, f, 2) == 1, "%s: want exactly one fault report", c->app);
	th_expect(&r, strncmp(f[0].cause, c->cause, strlen(c->cause)) == 0, "%s: cause '%s', want '%s'", c->app,
		  f[0].cause, c->cause);
	if (!strcmp(c->app, "ring_write_sup")) /* it could read the page: the fault is the write alone */
		th_expect(&r, strstr(r.out, "[ring_write_sup] ring_write_sup: answers so far ") != NULL, "no read of the page");
	th_expect(&r, th_faults(r.err, "hello", f, 2) == 0, "hello faulted beside %s", c->app);
	th_expect(&r, th_count(r.out, "[hello] ") == 2, "hello did not finish beside %s", c->app);
	th_expect(&r, r.exit_code == 1, "%s: exit status %d, want 1", c->app, r.exit_code);
	th_result_free(&r);
}
END_TEST

/*
 * A frame whose stamp comes well before its head (the runner preempted between its two stores) is
 * taken by its stamp, and the lagging head is not a broken ring: the app gets its answer and ends
 * on its own (exit_group 0 says the answer was right; the kernel reports the raw exit as a death).
 */
START_TEST(test_lagging_head_is_not_corruption)
{
	struct th_result r;
	struct th_fault f[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--quiet", "--no-control-socket", "--trap-channel", "ring", "--fault-policy",
				 "stop", th_app("ring_lagging_head"), th_app("hello")));
	th_expect_clean(&r);
	th_expect(&r, th_faults(r.err, "ring_lagging_head", f, 2) == 1, "want exactly one report for ring_lagging_head");
	th_expect(&r, strcmp(f[0].cause, "process died: exit status 0") == 0,
		  "cause '%s', want 'process died: exit status 0' (5: a wrong answer)", f[0].cause);
	th_expect(&r, th_count(r.out, "[hello] ") == 2, "hello did not finish");
	th_result_free(&r);
}
END_TEST

/* Virtual time makes a run's output a pure function of the apps: the transport must not change a byte. */
static void run_demo(struct th_result *r, const char *channel)
{
	th_run(r, NULL, TH_ARGS(TH_RUN, "--quiet", "--no-control-socket", "--trap-channel", channel, "--fault-policy",
				"restart", "--virtual-time", "--run-for", "10", th_app("netserver"), th_app("netclient"),
				th_app("netclient"), th_app("echo_server"), th_app("echo_client")));
	th_expect_clean(r);
}

START_TEST(test_transports_byte_identical)
{
	struct th_result ring, socket;

	run_demo(&ring, "ring");
	run_demo(&socket, "socket");
	th_expect(&ring, th_count(ring.out, "\n") > 50, "the IPC story printed only %zu lines", th_count(ring.out, "\n"));
	th_expect(&ring, ring.out_len == socket.out_len && memcmp(ring.out, socket.out, ring.out_len) == 0,
		  "stdout differs between ring and socket; socket's was:\n%s", socket.out);
	th_expect(&ring, strcmp(ring.err, socket.err) == 0, "stderr differs between ring and socket; socket's was:\n%s",
		  socket.err);
	th_expect(&ring, ring.exit_code == socket.exit_code, "exit status %d on ring, %d on socket", ring.exit_code,
		  socket.exit_code);
	th_result_free(&ring);
	th_result_free(&socket);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration-ring");
	TCase *tc = th_tcase("ring");

	tcase_add_loop_test(tc, test_hostile_faults_alone, 0, TH_ARRAY_SIZE(ring_cases));
	tcase_add_test(tc, test_transports_byte_identical);
	tcase_add_test(tc, test_lagging_head_is_not_corruption);
	tcase_add_test(tc, test_stray_wakes_harm_nobody);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
