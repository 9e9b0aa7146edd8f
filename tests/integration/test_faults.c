/* Integration tests: hostile and crashing apps fault cleanly, policies apply, other apps are unharmed. */
#include <inttypes.h>
#include <stdio.h>

#include "th_suite.h"

#define MAX_EVENTS 128

/* Linux x86-64 syscall numbers the escape apps may end up making. */
struct syscall_name {
	const char *name;
	int nr;
};

struct escape_case {
	const char *app;
	struct syscall_name accept[4]; /* any of these is the right report */
};

static const struct escape_case escape_cases[] = {
	{ "escape_open", { { "open", 2 }, { "openat", 257 }, { "openat2", 437 } } },
	{ "escape_socket", { { "socket", 41 } } },
	{ "escape_fork", { { "fork", 57 }, { "clone", 56 }, { "vfork", 58 }, { "clone3", 435 } } },
	{ "escape_execve", { { "execve", 59 }, { "execveat", 322 } } },
	{ "escape_ptrace", { { "ptrace", 101 } } },
	{ "escape_kill", { { "kill", 62 }, { "tgkill", 234 }, { "tkill", 200 } } },
	{ "escape_mmap_exec", { { "mmap", 9 }, { "mprotect", 10 } } },
};

/* Whether cause is "forbidden Linux syscall <name> (<nr>)" for one of the accepted pairs. */
static bool cause_accepted(const char *cause, const struct syscall_name *accept)
{
	char want[96];

	for (size_t i = 0; i < 4 && accept[i].name; i++) {
		snprintf(want, sizeof(want), "forbidden Linux syscall %s (%d)", accept[i].name, accept[i].nr);
		if (strcmp(cause, want) == 0)
			return true;
	}
	return false;
}

static void expect_no_escape(const struct th_result *r)
{
	th_expect(r, strstr(r->out, "ESCAPED") == NULL && strstr(r->err, "ESCAPED") == NULL,
		  "an escape app printed ESCAPED");
}

/* 6. each forbidden syscall faults the app; the stop policy makes the supervisor exit 1. */
START_TEST(test_escape)
{
	const struct escape_case *c = &escape_cases[_i];
	struct th_result r;
	struct th_fault f[2];
	unsigned stopped[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--fault-policy", "stop", th_app(c->app)));
	th_expect_clean(&r);
	expect_no_escape(&r);
	th_expect(&r, th_faults(r.err, c->app, f, 2) == 1, "%s: want exactly one fault report", c->app);
	th_expect(&r, f[0].pid == 0 && cause_accepted(f[0].cause, c->accept), "%s: cause '%s'", c->app, f[0].cause);
	th_expect(&r, f[0].has_pc, "%s: fault report without pc", c->app);
	th_expect(&r, th_process_events(r.err, c->app, "stopped after fault", stopped, 2) == 1 && stopped[0] == 0,
		  "%s: want one 'stopped after fault' for ProcessId 0", c->app);
	th_expect(&r, r.exit_code == 1, "%s: exit status %d, want 1", c->app, r.exit_code);
	th_result_free(&r);
}
END_TEST

/* The panic policy: the first fault ends the whole run with status 2. */
START_TEST(test_panic_policy)
{
	struct th_result r;
	struct th_fault f[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--fault-policy", "panic", th_app("escape_socket"),
				 th_app("blink_timer")));
	th_expect_clean(&r);
	expect_no_escape(&r);
	th_expect(&r, th_faults(r.err, "escape_socket", f, 2) == 1, "want one fault report");
	th_expect(&r, r.exit_code == 2, "exit status %d, want 2", r.exit_code);
	th_expect(&r, !strstr(r.out, "[blink_timer] blink_timer done"), "the run went on after a panic");
	th_result_free(&r);
}
END_TEST

enum region { ANYWHERE, IN_FLASH, IN_RAM };

struct memory_case {
	const char *app;
	const char *cause_prefix;  /* the cause starts with this */
	const char *alt_prefix;    /* or with this (NULL: no alternative) */
	const char *access;        /* address line access kind, NULL: not checked */
	enum region where;         /* where the reported address must lie */
	const char *printed;       /* app line announcing the address: this prefix, then %p; NULL: none */
};

static const struct memory_case memory_cases[] = {
	{ "wild_write", "memory access violation: write at 0x10", NULL, "write", ANYWHERE, NULL },
	{ "flash_write", "memory access violation: write at 0x", NULL, "write", IN_FLASH,
	  "flash_write: about to write to flash at " },
	{ "grant_touch", "memory access violation: read at 0x", NULL, "read", IN_RAM,
	  "grant_touch: about to read the grant region at " },
	{ "stack_overflow", "memory access violation: ", "process died: ", NULL, ANYWHERE, NULL },
	{ "bad_frame", "malformed trap frame", NULL, NULL, ANYWHERE, NULL },
	{ "bad_class", "invalid syscall class 9", NULL, NULL, ANYWHERE, NULL },
};

static bool starts_with(const char *s, const char *prefix)
{
	return prefix && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The address an app announced before touching it (flash_write, grant_touch). */
static uint64_t printed_address(const struct th_result *r, const char *app, const char *prefix)
{
	struct th_lines l;
	uint64_t address = 0;
	bool found = false;

	th_app_lines(r->out, app, &l);
	for (size_t i = 0; i < l.n && !found; i++) {
		found = starts_with(l.v[i], prefix);
		if (found)
			address = strtoull(l.v[i] + strlen(prefix), NULL, 16);
	}
	th_lines_free(&l);
	th_expect(r, found, "%s did not announce its target address", app);
	return address;
}

/* 7. memory and protocol faults: the right cause, the right address, the stop policy applied. */
START_TEST(test_memory_fault)
{
	const struct memory_case *c = &memory_cases[_i];
	struct th_result r;
	struct th_fault f[2];
	struct th_loaded ld[2];
	unsigned stopped[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--fault-policy", "stop", th_app(c->app)));
	th_expect_clean(&r);
	expect_no_escape(&r);
	th_expect(&r, th_loaded(r.err, c->app, ld, 2) == 1, "%s: want one loaded line", c->app);
	th_expect(&r, th_faults(r.err, c->app, f, 2) == 1, "%s: want exactly one fault report", c->app);
	th_expect(&r, starts_with(f[0].cause, c->cause_prefix) || starts_with(f[0].cause, c->alt_prefix),
		  "%s: cause '%s'", c->app, f[0].cause);
	if (strcmp(c->app, "wild_write") == 0)
		th_expect(&r, strcmp(f[0].cause, c->cause_prefix) == 0, "wild_write: cause '%s'", f[0].cause);
	if (c->access) {
		th_expect(&r, f[0].has_address && strcmp(f[0].access, c->access) == 0,
			  "%s: want an address line with (%s)", c->app, c->access);
		th_expect(&r, strtoull(strstr(f[0].cause, " at 0x") + 4, NULL, 16) == f[0].address,
			  "%s: address line disagrees with the cause", c->app);
	}
	if (c->where == IN_FLASH)
		th_expect(&r, f[0].address >= ld[0].flash_start && f[0].address < ld[0].flash_end,
			  "flash_write: %#" PRIx64 " is not in flash", f[0].address);
	if (c->where == IN_RAM) /* the grant region is the top of the RAM block */
		th_expect(&r, f[0].address >= ld[0].ram_start && f[0].address < ld[0].ram_end,
			  "grant_touch: %#" PRIx64 " is not in the RAM block", f[0].address);
	if (c->printed)
		th_expect(&r, printed_address(&r, c->app, c->printed) == f[0].address,
			  "%s: fault address is not the one the app touched", c->app);
	th_expect(&r, th_process_events(r.err, c->app, "stopped after fault", stopped, 2) == 1,
		  "%s: want one 'stopped after fault'", c->app);
	th_expect(&r, r.exit_code == 1, "%s: exit status %d, want 1", c->app, r.exit_code);
	th_result_free(&r);
}
END_TEST

/* 8. restart:2 alone: restarted as ProcessId 1 then 2 (restart 1, 2), then stopped as 2; exit 1. */
START_TEST(test_restart_alone)
{
	struct th_result r;
	struct th_restart rs[8];
	struct th_fault f[8];
	unsigned stopped[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--fault-policy", "restart:2", th_app("crasher")));
	th_expect_clean(&r);
	th_expect(&r, th_restarts(r.err, "crasher", rs, 8) == 2, "want two restarts of crasher");
	th_expect(&r, rs[0].pid == 1 && rs[0].count == 1 && rs[1].pid == 2 && rs[1].count == 2,
		  "restarts as %u (%u), %u (%u); want 1 (1), 2 (2)", rs[0].pid, rs[0].count, rs[1].pid, rs[1].count);
	th_expect(&r, th_faults(r.err, "crasher", f, 8) == 3 && f[0].pid == 0 && f[1].pid == 1 && f[2].pid == 2,
		  "want faults as ProcessId 0, 1, 2");
	th_expect(&r, th_process_events(r.err, "crasher", "stopped after fault", stopped, 2) == 1 && stopped[0] == 2,
		  "want crasher stopped as ProcessId 2");
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1", r.exit_code);
	th_result_free(&r);
}
END_TEST

/* 8. with a second app: restart:2 restarts crasher twice with fresh ProcessIds, then stops it; blink_timer keeps its id. */
START_TEST(test_restart_new_pid)
{
	struct th_result r;
	struct th_restart rs[8];
	struct th_fault f[8];
	struct th_loaded ld[2];
	unsigned stopped[2], other[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--fault-policy", "restart:2", th_app("crasher"),
				 th_app("blink_timer")));
	th_expect_clean(&r);
	th_expect(&r, th_loaded(r.err, "crasher", ld, 2) == 1 && ld[0].pid == 0, "crasher must load as 0");
	th_expect(&r, th_loaded(r.err, "blink_timer", ld, 2) == 1 && ld[0].pid == 1, "blink_timer must load as 1");
	th_expect(&r, th_restarts(r.err, "crasher", rs, 8) == 2, "want two restarts of crasher");
	/* The counter is kernel-wide: the restarts draw 2 and 3, since blink_timer holds 1. */
	th_expect(&r, rs[0].pid == 2 && rs[0].count == 1 && rs[1].pid == 3 && rs[1].count == 2,
		  "restarts as %u (%u), %u (%u); want 2 (1), 3 (2)", rs[0].pid, rs[0].count, rs[1].pid, rs[1].count);
	th_expect(&r, th_faults(r.err, "crasher", f, 8) == 3, "want three crasher faults");
	th_expect(&r, f[0].pid == 0 && f[1].pid == 2 && f[2].pid == 3, "faults reported under the wrong ids");
	for (int i = 0; i < 3; i++)
		th_expect(&r, starts_with(f[i].cause, "memory access violation: write at 0x0"), "cause '%s'",
			  f[i].cause);
	th_expect(&r, th_process_events(r.err, "crasher", "stopped after fault", stopped, 2) == 1 && stopped[0] == 3,
		  "want crasher stopped as ProcessId 3");
	th_expect(&r, th_count(r.out, "[crasher] crasher alive, tick 1\n") == 3, "crasher did not run 3 times");
	th_expect(&r, th_restarts(r.err, "blink_timer", rs, 8) == 0 && th_faults(r.err, "blink_timer", f, 8) == 0,
		  "blink_timer was disturbed");
	th_expect(&r, th_process_events(r.err, "blink_timer", "exited with code 0", other, 2) <= 1, "double exit");
	th_expect(&r, strstr(r.out, "[blink_timer] blink_timer done\n") != NULL, "blink_timer did not finish");
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1 (crasher stopped)", r.exit_code);
	th_result_free(&r);
}
END_TEST

/* An app calling tock_restart voluntarily gets a fresh ProcessId every time. */
START_TEST(test_voluntary_restart)
{
	struct th_result r;
	struct th_restart rs[MAX_EVENTS];
	size_t n;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--run-for", "1", th_app("restarter"), th_app("hello")));
	th_expect_clean(&r);
	n = th_restarts(r.err, "restarter", rs, MAX_EVENTS);
	th_expect(&r, n >= 2, "restarter restarted %zu times, want >= 2", n);
	th_expect(&r, rs[0].pid >= 2, "first restart reused ProcessId %u", rs[0].pid);
	for (size_t i = 1; i < n; i++)
		th_expect(&r, rs[i].pid > rs[i - 1].pid, "ProcessIds not increasing at restart %zu", i);
	th_expect(&r, th_count(r.out, "[restarter] restarter run\n") >= n, "restarter did not run each time");
	th_expect(&r, th_has_line(r.out, "[hello] Hello from Tock on tockhost!"), "hello disturbed");
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0 (--run-for expiry)", r.exit_code);
	th_result_free(&r);
}
END_TEST

/* blink_timer's lines of one run, joined with newlines. */
static char *blink_lines(const char *out)
{
	struct th_lines l;
	char *s = calloc(1, strlen(out) + 1);

	ck_assert_msg(s != NULL, "out of memory");
	th_app_lines(out, "blink_timer", &l);
	for (size_t i = 0; i < l.n; i++) {
		strcat(s, l.v[i]);
		strcat(s, "\n");
	}
	th_lines_free(&l);
	return s;
}

/* blink_timer's lines when it runs alone: the reference for the isolation tests. */
static char *blink_alone(void)
{
	struct th_result r;
	char *s;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", th_app("blink_timer")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "blink_timer alone: exit %d", r.exit_code);
	s = blink_lines(r.out);
	th_expect(&r, th_count(s, "\n") == 12, "blink_timer alone printed %zu lines", th_count(s, "\n"));
	th_result_free(&r);
	return s;
}

/* 9a. crasher faulting 51 times (restart:50) next to blink_timer. */
START_TEST(test_isolation_restarts)
{
	char *want = blink_alone(), *got;
	struct th_result r;
	struct th_restart rs[MAX_EVENTS];
	struct th_fault f[MAX_EVENTS];
	unsigned stopped[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--fault-policy", "restart:50", th_app("crasher"),
				 th_app("blink_timer")));
	th_expect_clean(&r);
	got = blink_lines(r.out);
	th_expect(&r, strcmp(got, want) == 0, "blink_timer's output changed next to crasher:\n%s", got);
	th_expect(&r, th_faults(r.err, "crasher", f, MAX_EVENTS) == 51, "want 51 crasher faults");
	th_expect(&r, th_restarts(r.err, "crasher", rs, MAX_EVENTS) == 50, "want 50 restarts");
	for (size_t i = 1; i < 50; i++)
		th_expect(&r, rs[i].pid > rs[i - 1].pid && rs[i].count == i + 1, "restart %zu: id/count wrong", i);
	th_expect(&r, th_process_events(r.err, "crasher", "stopped after fault", stopped, 2) == 1,
		  "crasher not stopped after its 51st fault");
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1 (crasher stopped)", r.exit_code);
	free(got);
	free(want);
	th_result_free(&r);
}
END_TEST

/* 9b. 50 copies of an escape app on the command line next to blink_timer. */
START_TEST(test_isolation_escapes)
{
	enum { COPIES = 50 };
	const char *args[COPIES + 8];
	const char *escape = th_app("escape_socket");
	char *want = blink_alone(), *got;
	struct th_result r;
	struct th_fault f[MAX_EVENTS];
	unsigned stopped[MAX_EVENTS];
	size_t n = 0, nf, ns;
	bool seen[COPIES + 1] = { 0 };

	args[n++] = "run";
	args[n++] = "--no-color";
	args[n++] = "--virtual-time";
	args[n++] = "--fault-policy";
	args[n++] = "stop";
	for (int i = 0; i < COPIES; i++)
		args[n++] = escape;
	args[n++] = th_app("blink_timer");
	args[n] = NULL;
	th_run(&r, NULL, args);
	th_expect_clean(&r);
	expect_no_escape(&r);
	got = blink_lines(r.out);
	th_expect(&r, strcmp(got, want) == 0, "blink_timer's output changed next to 50 escapes:\n%s", got);
	nf = th_faults(r.err, "escape_socket", f, MAX_EVENTS);
	ns = th_process_events(r.err, "escape_socket", "stopped after fault", stopped, MAX_EVENTS);
	th_expect(&r, nf == COPIES && ns == COPIES, "%zu faults, %zu stopped; want %d each", nf, ns, COPIES);
	for (size_t i = 0; i < nf; i++) {
		th_expect(&r, strcmp(f[i].cause, "forbidden Linux syscall socket (41)") == 0, "cause '%s'", f[i].cause);
		th_expect(&r, f[i].pid < COPIES && !seen[f[i].pid], "fault for odd ProcessId %u", f[i].pid);
		seen[f[i].pid] = true;
	}
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1 (apps stopped)", r.exit_code);
	free(got);
	free(want);
	th_result_free(&r);
}
END_TEST

static Suite *faults_suite(void)
{
	Suite *s = suite_create("integration-faults");
	TCase *tc = th_tcase("faults");

	tcase_add_loop_test(tc, test_escape, 0, TH_ARRAY_SIZE(escape_cases));
	tcase_add_test(tc, test_panic_policy);
	tcase_add_loop_test(tc, test_memory_fault, 0, TH_ARRAY_SIZE(memory_cases));
	tcase_add_test(tc, test_restart_alone);
	tcase_add_test(tc, test_restart_new_pid);
	tcase_add_test(tc, test_voluntary_restart);
	tcase_add_test(tc, test_isolation_restarts);
	tcase_add_test(tc, test_isolation_escapes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run_suite(faults_suite());
}
