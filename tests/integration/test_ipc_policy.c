/* Integration: the board's registration policy ([ipc_names]) decides who may register a string name. */
#include <stdio.h>

#include "th_suite.h"

/* ipc_peer (package "ipc_peer") registers the string name "ipc_test_peer". */
static const struct policy_case {
	const char *board; /* [ipc_names] body */
	bool may_register;
} policy_cases[] = {
	{ "ipc_test_peer = org.example.other\n", false }, /* reserved for another package */
	{ "ipc_test_peer = ipc_peer\n", true },           /* reserved for ipc_peer itself */
	{ "some_other_name = org.example.other\n", true }, /* other names stay open */
};

START_TEST(test_reserved_names)
{
	const struct policy_case *c = &policy_cases[_i];
	char text[512];
	const char *path;
	struct th_result r;

	snprintf(text, sizeof(text), "[ipc_names]\n%s", c->board);
	path = th_tmp_file("board.ini", text);
	th_run(&r, NULL, TH_ARGS(TH_RUN, "--board", path, "--virtual-time", "--run-for", "1", th_app("ipc_peer")));
	th_expect_clean(&r);
	if (c->may_register) {
		th_expect(&r, strstr(r.out, "ipc_peer: serving as ipc_test_peer") != NULL, "registration was refused");
	} else {
		/* The policy's FAIL comes back from the register command as RETURNCODE_FAIL. */
		th_expect(&r, strstr(r.out, "ipc_peer: cannot serve: -1") != NULL, "registration was not refused");
		th_expect(&r, !strstr(r.out, "serving as"), "ipc_peer registered a reserved name");
	}
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration-ipc-policy");
	TCase *tc = th_tcase("policy");

	tcase_add_loop_test(tc, test_reserved_names, 0, TH_ARRAY_SIZE(policy_cases));
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
