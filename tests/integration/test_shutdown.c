/* Integration tests: preemption of a spinning app (wall time, and CPU time under virtual time), --run-for, and clean SIGTERM/SIGINT shutdown. */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "th_suite.h"

#define MAX_DESCENDANTS 64

/* 13. an app that never yields does not starve hello; --run-for ends the run with status 0. */
START_TEST(test_spinner_preempted)
{
	struct th_result r;
	struct th_fault f[1];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--run-for", "2", th_app("spinner"), th_app("hello")));
	th_expect_clean(&r);
	th_expect(&r, th_has_line(r.out, "[spinner] spinning"), "spinner never ran");
	th_expect(&r, th_has_line(r.out, "[hello] Hello from Tock on tockhost!"), "hello starved by spinner");
	th_expect(&r, th_count(r.out, "[hello] ") == 2, "hello did not finish");
	th_expect(&r, th_faults(r.err, "spinner", f, 1) == 0, "spinner faulted: %s", f[0].cause);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0 (--run-for expiry)", r.exit_code);
	th_result_free(&r);
}
END_TEST

/* A process identity that survives pid reuse: pid plus start time (field 22 of /proc/pid/stat). */
struct proc_id {
	pid_t pid;
	unsigned long long start;
};

/* Read state and start time of pid; false if it no longer exists. */
static bool proc_stat(pid_t pid, char *ret_state, unsigned long long *ret_start)
{
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* comm may contain spaces */
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 ret_state, ret_start) != 2)
		return false;
	return true;
}

/* Append every descendant of pid (children via /proc/pid/task/N/children, recursively). */
static void collect_descendants(pid_t pid, struct proc_id *ids, size_t *n)
{
	char pattern[64];
	glob_t g;

	snprintf(pattern, sizeof(pattern), "/proc/%d/task/*/children", (int)pid);
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "re");
		int child;
		char state;

		while (f && *n < MAX_DESCENDANTS && fscanf(f, "%d", &child) == 1) {
			ids[*n].pid = child;
			if (proc_stat(child, &state, &ids[*n].start)) {
				(*n)++;
				collect_descendants(child, ids, n);
			}
		}
		if (f)
			fclose(f);
	}
	globfree(&g);
}

/* Descendants recorded before shutdown that still run afterwards (killed here so none outlive us). */
static size_t count_survivors(const struct proc_id *ids, size_t n)
{
	size_t alive = 0;

	for (size_t i = 0; i < n; i++) {
		char state;
		unsigned long long start;

		if (proc_stat(ids[i].pid, &state, &start) && start == ids[i].start && state != 'Z') {
			alive++;
			kill(ids[i].pid, SIGKILL);
		}
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		; /* orphans re-parented to us (we are a subreaper) */
	return alive;
}

/* Under virtual time a spinner's slices are charged as its CPU time, so alarms still come, on the same virtual ms every run. */
START_TEST(test_virtual_spinner_moves_clock)
{
	const char *board = th_tmp_file("slice50.ini", "[kernel]\ntimeslice_ms = 50\n");
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--quiet", "--board", board, "--virtual-time", "--run-for", "2", th_app("spinner"),
				 th_app("blink_timer")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0 (--run-for expiry)", r.exit_code);
	th_expect(&r, th_has_line(r.out, "[blink_timer] tick 1 at 600 ms") &&
			      th_has_line(r.out, "[blink_timer] tick 3 at 1600 ms") && !strstr(r.out, "tick 4"),
		  "the spinner's slices did not move the virtual clock as they should");
	th_result_free(&r);
}
END_TEST

/* The number of the last "batch N" line trap_loop printed so far (-1: none). */
static long last_batch(const char *out)
{
	const char *p = out, *last = NULL;

	while ((p = strstr(p, "] batch ")) != NULL)
		last = p++;
	return last ? strtol(last + strlen("] batch "), NULL, 10) : -1;
}

/*
 * Under virtual time a slice is CPU time the app used, not wall time: an app held off the host CPU
 * from outside (here SIGSTOP, on a busy host the scheduler or the hypervisor) while it is on the
 * board's CPU is not charged for it, so the virtual clock, and the run's output, do not depend on
 * host load. trap_loop never yields, so only a charged slice could move its clock from 0.
 */
START_TEST(test_virtual_slice_is_cpu_time)
{
	const char *board = th_tmp_file("slice100.ini", "[kernel]\ntimeslice_ms = 100\n");
	struct proc_id ids[MAX_DESCENDANTS];
	struct timespec held = { 0, 300 * 1000 * 1000 };
	struct th_proc p;
	struct th_result r;
	char next[64];
	size_t n = 0;
	bool started, resumed;

	ck_assert_int_eq(th_start(&p, TH_ARGS(TH_RUN, "--quiet", "--board", board, "--virtual-time", th_app("trap_loop")),
				  NULL), 0);
	started = th_wait_stdout(&p, "[trap_loop] batch 1 at ");
	collect_descendants(p.pid, ids, &n);
	for (int round = 0; started && round < 3; round++) {
		for (size_t i = 0; i < n; i++)
			kill(ids[i].pid, SIGSTOP);
		nanosleep(&held, NULL);
		for (size_t i = 0; i < n; i++)
			kill(ids[i].pid, SIGCONT);
	}
	snprintf(next, sizeof(next), "[trap_loop] batch %ld at ", last_batch(p.out.data) + 2);
	resumed = started && th_wait_stdout(&p, next);
	kill(p.pid, SIGTERM);
	th_finish(&p, &r);
	th_expect(&r, started && n >= 1, "trap_loop did not start (%zu app processes)", n);
	th_expect(&r, resumed, "trap_loop did not go on after being held");
	th_expect_clean(&r);
	th_expect(&r, th_count(r.out, "[trap_loop] batch ") == th_count(r.out, " at 0 ms\n"),
		  "time the app was held off the host CPU was charged to the virtual clock");
	th_result_free(&r);
}
END_TEST

static const int shutdown_signals[] = { SIGTERM, SIGINT };

/* 14. SIGTERM / SIGINT: the supervisor exits 0 and takes every app process with it. */
START_TEST(test_signal_shutdown)
{
	int sig = shutdown_signals[_i];
	struct th_proc p;
	struct th_result r;
	struct proc_id ids[MAX_DESCENDANTS];
	size_t n = 0, survivors;
	bool started;

	/* Orphaned app processes get re-parented to this test, so we can see and kill them. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	/* spinner never ends on its own, so only the signal can end this run. */
	ck_assert_int_eq(th_start(&p, TH_ARGS(TH_RUN, th_app("blink_timer"), th_app("spinner")), NULL), 0);
	started = th_wait_stdout(&p, "[blink_timer] blinking every") && th_wait_stdout(&p, "[spinner] spinning\n");
	collect_descendants(p.pid, ids, &n);
	kill(p.pid, sig);
	th_finish(&p, &r);
	survivors = count_survivors(ids, n);
	th_expect(&r, started, "apps did not start");
	th_expect(&r, n >= 2, "found %zu app processes under the supervisor, want >= 2", n);
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d after %s, want 0", r.exit_code, strsignal(sig));
	th_expect(&r, survivors == 0, "%zu app processes outlived the supervisor", survivors);
	th_result_free(&r);
}
END_TEST

/*
 * A test process that dies mid-run (a failed assertion exits it) takes the tockhost it started
 * with it: a child here starts echo_server through the harness, waits until it serves, reports the
 * supervisor's pid and exits; the supervisor must then end on its own (PR_SET_PDEATHSIG in the harness).
 */
START_TEST(test_harness_child_dies_with_test)
{
	int fds[2];
	pid_t child, sup = 0;
	int status;

	ck_assert_int_eq(pipe(fds), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct th_proc p;

		close(fds[0]);
		if (th_start(&p, TH_ARGS(TH_RUN, "--quiet", "--no-control-socket", th_app("echo_server")), NULL) != 0 ||
		    !th_wait_stdout(&p, "echo_server: serving as"))
			_exit(2);
		(void)!write(fds[1], &p.pid, sizeof(p.pid));
		_exit(1); /* as a failing test would: no cleanup */
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &sup, sizeof(sup)), (int)sizeof(sup));
	close(fds[0]);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(sup > 0);
	for (int i = 0; i < 1000 && kill(sup, 0) == 0; i++)
		usleep(10000);
	if (kill(sup, 0) == 0) {
		kill(-sup, SIGKILL);
		ck_abort_msg("tockhost %d outlived the test process that started it", (int)sup);
	}
}
END_TEST

static Suite *shutdown_suite(void)
{
	Suite *s = suite_create("integration-shutdown");
	TCase *tc = th_tcase("shutdown");

	tcase_add_test(tc, test_spinner_preempted);
	tcase_add_test(tc, test_virtual_spinner_moves_clock);
	tcase_add_test(tc, test_virtual_slice_is_cpu_time);
	tcase_add_loop_test(tc, test_signal_shutdown, 0, TH_ARRAY_SIZE(shutdown_signals));
	tcase_add_test(tc, test_harness_child_dies_with_test);
	suite_add_tcase(s, tc);
	return s;
}


int main(void)
{
	return th_run_suite(shutdown_suite());
}
