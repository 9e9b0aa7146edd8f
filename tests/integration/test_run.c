/* Integration tests: well-behaved apps under the real supervisor (output, ProcessIds, exit status, CLI). */
#include <inttypes.h>
#include <stdio.h>

#include "th_suite.h"

#define HELLO_GREETING "Hello from Tock on tockhost!"

/* 1. hello prints its greeting with its prefix, is ProcessId 0, and the run exits 0. */
START_TEST(test_hello)
{
	struct th_result r;
	struct th_loaded ld[4];
	struct th_lines lines;
	uint64_t ram_lo, ram_hi, flash_lo, flash_hi;

	th_run(&r, NULL, TH_ARGS(TH_RUN, th_app("hello")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_expect(&r, th_has_line(r.out, "[hello] " HELLO_GREETING), "greeting missing");
	th_expect(&r, th_loaded(r.err, "hello", ld, 4) == 1, "want exactly one loaded line for hello");
	th_expect(&r, ld[0].pid == 0, "hello is ProcessId %u, want 0", ld[0].pid);
	th_expect(&r, ld[0].flash_start < ld[0].flash_end && ld[0].ram_start < ld[0].ram_end, "empty region");
	th_expect(&r, ld[0].ram_end <= UINT64_C(0x100000000) && ld[0].flash_end <= ld[0].ram_start + 1,
		  "regions must sit below 4 GiB, flash below RAM");

	/* The app's own view of its memory (memops) must agree with what the supervisor reported. */
	th_app_lines(r.out, "hello", &lines);
	th_expect(&r, lines.n == 2, "hello printed %zu lines, want 2", lines.n);
	th_expect(&r, sscanf(lines.v[1], "My RAM is 0x%" SCNx64 "-0x%" SCNx64 ", my flash 0x%" SCNx64 "-0x%" SCNx64,
			     &ram_lo, &ram_hi, &flash_lo, &flash_hi) == 4, "cannot parse '%s'", lines.v[1]);
	th_expect(&r, ram_lo == ld[0].ram_start && ram_hi > ram_lo && ram_hi <= ld[0].ram_end,
		  "app RAM %#" PRIx64 "-%#" PRIx64 " vs supervisor's", ram_lo, ram_hi);
	th_expect(&r, flash_lo == ld[0].flash_start && flash_hi > flash_lo && flash_hi <= ld[0].flash_end,
		  "app flash %#" PRIx64 "-%#" PRIx64 " vs supervisor's", flash_lo, flash_hi);
	th_lines_free(&lines);
	th_result_free(&r);
}
END_TEST

/* blink_timer's own lines: header, "tick k at T ms" for k = 1..10 with T strictly rising, done. */
static void expect_blink_complete(const struct th_result *r)
{
	struct th_lines l;
	unsigned long last_ms = 0;

	th_app_lines(r->out, "blink_timer", &l);
	th_expect(r, l.n == 12, "blink_timer printed %zu lines, want 12", l.n);
	th_expect(r, strcmp(l.v[0], "blinking every 500 ms, 10 times") == 0, "first line '%s'", l.v[0]);
	for (size_t k = 1; k <= 10; k++) {
		int tick = 0;
		unsigned long ms = 0;

		th_expect(r, sscanf(l.v[k], "tick %d at %lu ms", &tick, &ms) == 2, "line '%s'", l.v[k]);
		th_expect(r, tick == (int)k && ms > last_ms, "tick line %zu out of order: '%s'", k, l.v[k]);
		last_ms = ms;
	}
	th_expect(r, strcmp(l.v[11], "blink_timer done") == 0, "last line '%s'", l.v[11]);
	th_lines_free(&l);
}

/* allow_buffers' exact lines: each buffer written from .data, the stack and the heap, all bytes written. */
static const char *const allow_buffers_expected[] = {
	"allow_buffers: static, stack and heap buffers",
	"static buffer: hello from .data",
	"allow_buffers: static result 32",
	"stack buffer: hello from the stack",
	"allow_buffers: stack result 35",
	"heap buffer: hello from malloc",
	"allow_buffers: heap result 31",
	"allow_buffers: malloc pointer inside RAM [memop 2, memop 3)",
};

static void expect_allow_buffers(const struct th_result *r)
{
	struct th_lines l;

	th_app_lines(r->out, "allow_buffers", &l);
	th_expect(r, l.n == TH_ARRAY_SIZE(allow_buffers_expected), "allow_buffers printed %zu lines, want %zu", l.n,
		  TH_ARRAY_SIZE(allow_buffers_expected));
	for (size_t i = 0; i < l.n; i++)
		th_expect(r, strcmp(l.v[i], allow_buffers_expected[i]) == 0, "allow_buffers line %zu '%s', want '%s'",
			  i, l.v[i], allow_buffers_expected[i]);
	th_lines_free(&l);
}

/* 2. three apps at once: every app's lines with its prefix and in its own order. */
START_TEST(test_several_apps)
{
	struct th_result r;
	struct th_loaded ld[2];
	static const char *const names[] = { "hello", "blink_timer", "allow_buffers" };
	struct th_lines hello;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--run-for", "60", th_app("hello"),
				 th_app("blink_timer"), th_app("allow_buffers")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	for (unsigned i = 0; i < TH_ARRAY_SIZE(names); i++) {
		th_expect(&r, th_loaded(r.err, names[i], ld, 2) == 1 && ld[0].pid == i,
			  "%s must load once as ProcessId %u", names[i], i);
	}
	th_app_lines(r.out, "hello", &hello);
	th_expect(&r, hello.n == 2 && strcmp(hello.v[0], HELLO_GREETING) == 0 &&
			      strncmp(hello.v[1], "My RAM is ", 10) == 0, "hello's lines wrong or out of order");
	th_lines_free(&hello);
	expect_blink_complete(&r);
	expect_allow_buffers(&r);
	th_result_free(&r);
}
END_TEST

/* 3. timer_order under virtual time: exact lines, and a second run gives byte-identical stdout. */
static const char *const timer_order_expected[] = {
	"fired repeat50 #1 at 50 ms",
	"fired 100 at 100 ms",
	"fired repeat50 #2 at 100 ms",
	"fired repeat50 #3 at 150 ms",
	"fired 200 at 200 ms",
	"fired 300 at 300 ms",
	"timer_order done",
};

START_TEST(test_timer_order)
{
	struct th_result a, b;
	struct th_lines l;

	th_run(&a, NULL, TH_ARGS(TH_RUN, "--virtual-time", th_app("timer_order")));
	th_run(&b, NULL, TH_ARGS(TH_RUN, "--virtual-time", th_app("timer_order")));
	th_expect_clean(&a);
	th_expect_clean(&b);
	th_expect(&a, a.exit_code == 0, "exit status %d, want 0", a.exit_code);
	th_lines_split(a.out, &l);
	if (l.n > 0 && l.v[l.n - 1][0] == '\0')
		l.n--; /* the final newline */
	th_expect(&a, l.n == TH_ARRAY_SIZE(timer_order_expected), "%zu stdout lines, want %zu", l.n,
		  TH_ARRAY_SIZE(timer_order_expected));
	for (size_t i = 0; i < l.n; i++) {
		th_expect(&a, strcmp(l.v[i] + strlen("[timer_order] "), timer_order_expected[i]) == 0 &&
				      strncmp(l.v[i], "[timer_order] ", 14) == 0,
			  "line %zu is '%s', want '[timer_order] %s'", i, l.v[i], timer_order_expected[i]);
	}
	th_lines_free(&l);
	th_expect(&b, a.out_len == b.out_len && memcmp(a.out, b.out, a.out_len) == 0,
		  "two virtual-time runs differ");
	th_result_free(&a);
	th_result_free(&b);
}
END_TEST

/* 4. buffers allowed from static data, the stack and the heap all work; the heap is in RAM. */
START_TEST(test_allow_buffers)
{
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, th_app("allow_buffers")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	expect_allow_buffers(&r);
	th_result_free(&r);
}
END_TEST

/* A single app that must print `line` and exit with status `status` without faulting. */
struct simple_case {
	const char *app;
	const char *line; /* full stdout line, prefix included */
	const char *line2; /* a second required line, or NULL */
	int status;
};

static const struct simple_case simple_cases[] = {
	{ "bad_allow", "[bad_allow] bad_allow: all rejected", NULL, 0 }, /* 5 */
	/* 10: rng is outside the Permissions TLV; console commands 0..3 are inside it. */
	{ "perm_denied", "[perm_denied] perm_denied: rng blocked", "[perm_denied] perm_denied: console exists: yes", 0 },
	{ "rng_app", "[rng_app] rng_app done", "[rng_app] differ: yes", 0 }, /* 16 */
};

START_TEST(test_simple)
{
	const struct simple_case *c = &simple_cases[_i];
	struct th_result r;
	struct th_fault f[1];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", th_app(c->app)));
	th_expect_clean(&r);
	th_expect(&r, th_has_line(r.out, c->line), "%s: missing line '%s'", c->app, c->line);
	th_expect(&r, !c->line2 || th_has_line(r.out, c->line2), "%s: missing line '%s'", c->app, c->line2);
	th_expect(&r, th_faults(r.err, c->app, f, 1) == 0, "%s faulted: %s", c->app, f[0].cause);
	th_expect(&r, r.exit_code == c->status, "%s: exit status %d, want %d", c->app, r.exit_code, c->status);
	th_result_free(&r);
}
END_TEST

/* 12. a non-zero return from main is reported and makes the supervisor exit 1. */
START_TEST(test_exit_code)
{
	struct th_result r;
	unsigned pid[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, th_app("exit_code")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1", r.exit_code);
	th_expect(&r, th_process_events(r.err, "exit_code", "exited with code 7", pid, 2) == 1 && pid[0] == 0,
		  "want one 'exited with code 7' for ProcessId 0");
	th_result_free(&r);
}
END_TEST

/* 15. --stdin-app routes the supervisor's stdin to the app's console reads. */
START_TEST(test_console_echo)
{
	struct th_result r;

	th_run(&r, "hi there\n", TH_ARGS(TH_RUN, "--stdin-app", "console_echo", th_app("console_echo")));
	th_expect_clean(&r);
	th_expect(&r, th_has_line(r.out, "[console_echo] echo: hi there"), "echo line missing");
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_result_free(&r);
}
END_TEST

/* A virtual --run-for ends once stdin is at EOF and every app waits: no input can ever come. */
START_TEST(test_stdin_eof_virtual_run_for)
{
	struct th_result r;

	th_run(&r, "no newline", TH_ARGS(TH_RUN, "--virtual-time", "--run-for", "5", "--stdin-app", "console_echo",
					 th_app("console_echo")));
	th_expect_clean(&r);
	th_expect(&r, !strstr(r.out, "echo:"), "console_echo finished a line it never got");
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0 (a requested stop)", r.exit_code);
	th_result_free(&r);
}
END_TEST

static Suite *run_suite(void)
{
	Suite *s = suite_create("integration-run");
	TCase *tc = th_tcase("run");

	tcase_add_test(tc, test_hello);
	tcase_add_test(tc, test_several_apps);
	tcase_add_test(tc, test_timer_order);
	tcase_add_test(tc, test_allow_buffers);
	tcase_add_loop_test(tc, test_simple, 0, TH_ARRAY_SIZE(simple_cases));
	tcase_add_test(tc, test_exit_code);
	tcase_add_test(tc, test_console_echo);
	tcase_add_test(tc, test_stdin_eof_virtual_run_for);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run_suite(run_suite());
}
