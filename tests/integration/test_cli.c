/* Integration tests: the tockhost command line and board files (help, bad options, --quiet, --board). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "th_suite.h"

/* 17. --help documents every option; --version works. */
START_TEST(test_help)
{
	static const char *const options[] = { "--board", "--virtual-time", "--fault-policy", "--stdin-app",
					       "--run-for", "--no-color", "--quiet", "--help", "--version",
					       "panic", "stop", "restart" };
	struct th_result r;

	th_run(&r, NULL, TH_ARGS("--help"));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "--help exit status %d", r.exit_code);
	for (size_t i = 0; i < TH_ARRAY_SIZE(options); i++)
		th_expect(&r, strstr(r.out, options[i]) != NULL, "--help does not mention %s", options[i]);
	th_result_free(&r);

	th_run(&r, NULL, TH_ARGS("--version"));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0 && strstr(r.out, "tockhost") != NULL, "--version");
	th_result_free(&r);
}
END_TEST

/* A bad command line: non-zero status, nothing runs, and stderr says what is wrong. */
struct bad_cli_case {
	const char *args[4]; /* "HELLO" stands for hello.tbf */
	const char *hint;    /* stderr must contain this (case-insensitive) */
};

static const struct bad_cli_case bad_cli[] = {
	{ { "run", "--no-such-option", "HELLO", NULL }, "--help" },   /* unknown option: usage hint */
	{ { "--no-such-option", NULL }, "--help" },
	{ { "run", NULL }, "usage" },                                  /* no app */
	{ { "run", "--fault-policy", "sometimes", "HELLO" }, "--fault-policy" }, /* bad value: names it */
	{ { "run", "--run-for", "soon", "HELLO" }, "--run-for" },
	{ { "run", "--stdin-app", NULL }, "--stdin-app" },            /* missing argument */
};

START_TEST(test_bad_cli)
{
	const struct bad_cli_case *c = &bad_cli[_i];
	const char *args[5] = { 0 };
	struct th_result r;

	for (size_t i = 0; i < 4 && c->args[i]; i++)
		args[i] = strcmp(c->args[i], "HELLO") == 0 ? th_app("hello") : c->args[i];
	th_run(&r, NULL, args);
	th_expect_clean(&r);
	th_expect(&r, r.exit_code != 0, "bad command line %d accepted", _i);
	th_expect(&r, strcasestr(r.err, c->hint) != NULL, "stderr does not mention '%s'", c->hint);
	th_expect(&r, strstr(r.out, "[hello]") == NULL, "an app ran despite a bad command line");
	th_result_free(&r);
}
END_TEST

/* --quiet drops the 'loaded' lines but keeps app output and fault reports. */
START_TEST(test_quiet)
{
	struct th_result r;
	struct th_loaded ld[1];
	struct th_fault f[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--quiet", "--fault-policy", "stop", th_app("hello"), th_app("escape_kill")));
	th_expect_clean(&r);
	th_expect(&r, th_loaded(r.err, "hello", ld, 1) == 0, "--quiet still prints 'loaded'");
	th_expect(&r, th_has_line(r.out, "[hello] Hello from Tock on tockhost!"), "hello's output missing");
	th_expect(&r, th_faults(r.err, "escape_kill", f, 2) == 1, "--quiet hid the fault report");
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1", r.exit_code);
	th_result_free(&r);
}
END_TEST

/* §9: a board file's fault policy and time mode apply without command-line options. */
START_TEST(test_board_policy)
{
	const char *board = th_tmp_file("stop.ini", "[kernel]\nfault_policy = stop\ntime = virtual\n");
	struct th_result r;
	unsigned stopped[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--board", board, th_app("escape_ptrace"), th_app("timer_order")));
	th_expect_clean(&r);
	th_expect(&r, th_process_events(r.err, "escape_ptrace", "stopped after fault", stopped, 2) == 1,
		  "board fault_policy = stop not applied");
	th_expect(&r, th_has_line(r.out, "[timer_order] fired 300 at 300 ms"), "board time = virtual not applied");
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1", r.exit_code);
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

/* --fault-policy overrides the board file's. */
START_TEST(test_board_policy_override)
{
	const char *board = th_tmp_file("panic.ini", "[kernel]\nfault_policy = panic\n");
	struct th_result r;
	struct th_restart rs[4];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--board", board, "--virtual-time", "--fault-policy", "restart:1",
				 th_app("crasher")));
	th_expect_clean(&r);
	th_expect(&r, th_restarts(r.err, "crasher", rs, 4) == 1, "want exactly one restart");
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1 (not 2: the panic policy was overridden)",
		  r.exit_code);
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

/* §9: an unknown key or a bad value is an error naming the file and line; no app runs. */
static const char *const bad_boards[] = {
	"[kernel]\nbogus_key = 1\n",
	"[kernel]\nfault_policy = sometimes\n",
	"[kernel]\nupcall_queue_depth = -3\n",
	"[kernel]\n[no_such_section]\n",
};

START_TEST(test_bad_board)
{
	const char *board = th_tmp_file("bad.ini", bad_boards[_i]);
	char want[4200];
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--board", board, th_app("hello")));
	th_expect_clean(&r);
	snprintf(want, sizeof(want), "tockhost: %s:2: ", board);
	th_expect(&r, r.exit_code != 0, "bad board file %d accepted", _i);
	th_expect(&r, strstr(r.err, want) != NULL, "no error naming '%s'", want);
	th_expect(&r, strstr(r.out, "[hello]") == NULL, "an app ran despite a bad board file");
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

/* Started with stdin closed: fd 0 must not become one of the supervisor's own fds (read as "stdin"). */
START_TEST(test_closed_stdin)
{
	char err[4096];
	size_t len = 0;
	ssize_t n;
	int pipefd[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		close(0);
		execl(th_tockhost(), "tockhost", "run", "--quiet", "--no-control-socket", "--virtual-time", "--run-for",
		      "5", "--stdin-app", "console_echo", th_app("console_echo"), (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while (len < sizeof(err) - 1 && (n = read(pipefd[0], err + len, sizeof(err) - 1 - len)) > 0)
		len += (size_t)n;
	err[len] = '\0';
	close(pipefd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x, stderr: %s", status, err);
	ck_assert_msg(!strstr(err, "stdin:"), "stdin was not treated as empty: %s", err);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("integration-cli");
	TCase *tc = th_tcase("cli");

	tcase_add_test(tc, test_help);
	tcase_add_loop_test(tc, test_bad_cli, 0, TH_ARRAY_SIZE(bad_cli));
	tcase_add_test(tc, test_quiet);
	tcase_add_test(tc, test_board_policy);
	tcase_add_test(tc, test_board_policy_override);
	tcase_add_loop_test(tc, test_bad_board, 0, TH_ARRAY_SIZE(bad_boards));
	tcase_add_test(tc, test_closed_stdin);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run_suite(cli_suite());
}
