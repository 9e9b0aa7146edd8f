/* Integration tests of syscall chains (tock/trap_frame.h) on the run's transport: the rules hold, and rule breakers fault alone. */
#include <stdio.h>
#include <string.h>

#include "th_suite.h"

/* The rules, checked by the app from its answers; under virtual time, so the alarm wait is instant. */
START_TEST(test_chain_rules_hold)
{
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--quiet", "--no-control-socket", "--virtual-time", th_app("chain_ok")));
	th_expect_clean(&r);
	th_expect(&r, th_has_line(r.out, "[chain_ok] chain_ok: all rules hold"), "the chain rules do not hold");
	th_expect(&r, strstr(r.out, "FAILED") == NULL, "a chain check failed");
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_result_free(&r);
}
END_TEST

struct chain_case {
	const char *app;
	const char *cause;
};

static const struct chain_case chain_cases[] = {
	{ "chain_too_long", "malformed trap frame: a chain of more than 4 syscalls" },
	{ "chain_bad_link", "malformed trap frame: trap frame has an unknown chain link" },
	{ "chain_out_of_seq", "malformed trap frame: a chained syscall out of sequence" },
	{ "chain_exit", "malformed trap frame: an exit syscall cannot be chained" },
};

/* Each rule breaker runs beside hello: it alone faults, with its own cause, and hello finishes. */
START_TEST(test_chain_breakers_fault_alone)
{
	const struct chain_case *c = &chain_cases[_i];
	struct th_result r;
	struct th_fault f[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--quiet", "--no-control-socket", "--fault-policy", "stop", th_app(c->app),
				 th_app("hello")));
	th_expect_clean(&r);
	th_expect(&r, strstr(r.out, "ESCAPED") == NULL, "%s escaped", c->app);
	th_expect(&r, th_faults(r.err, c->app, f, 2) == 1, "%s: want exactly one fault report", c->app);
	th_expect(&r, strcmp(f[0].cause, c->cause) == 0, "%s: cause '%s', want '%s'", c->app, f[0].cause, c->cause);
	th_expect(&r, th_faults(r.err, "hello", f, 2) == 0, "hello faulted beside %s", c->app);
	th_expect(&r, th_count(r.out, "[hello] ") == 2, "hello did not finish beside %s", c->app);
	th_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration-chain");
	TCase *tc = th_tcase("chain");

	tcase_add_test(tc, test_chain_rules_hold);
	tcase_add_loop_test(tc, test_chain_breakers_fault_alone, 0, TH_ARRAY_SIZE(chain_cases));
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
