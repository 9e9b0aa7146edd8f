/* Unit tests for `tockhost test`: the spec parser's values and path rule, and the matcher's verdicts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/testrun.h"

static char dir[] = "/tmp/tockhost-testrun-XXXXXX";
static char spec_path[sizeof(dir) + 16];

/* Writes the spec into a fresh directory that also holds an "a.tbf" (the parser only checks it exists). */
static int load(struct tr_spec *s, const char *text)
{
	char img[sizeof(dir) + 16];
	FILE *f;

	strcpy(dir, "/tmp/tockhost-testrun-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(spec_path, sizeof(spec_path), "%s/t.ini", dir);
	snprintf(img, sizeof(img), "%s/a.tbf", dir);
	f = fopen(img, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	f = fopen(spec_path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return tr_spec_load(s, spec_path);
}

static void cleanup(struct tr_spec *s)
{
	char img[sizeof(dir) + 16];

	tr_spec_free(s);
	snprintf(img, sizeof(img), "%s/a.tbf", dir);
	unlink(img);
	unlink(spec_path);
	rmdir(dir);
}

START_TEST(test_values_and_paths)
{
	struct tr_spec s;
	char want[sizeof(dir) + 16];

	ck_assert_int_eq(load(&s, "[test]\nname = n\ntimeout = 2.5\nvirtual_time = false\nstrict = yes\n"
	                          "options = --trap-channel  socket\t--quiet\n[app x]\nimage = a.tbf\nexpect = one\n"
	                          "expect_re = ^t.o$\nexit = -3\n[app y]\nimage = a.tbf\nfault = NULL\n"),
	                 0);
	ck_assert_str_eq(s.name, "n");
	ck_assert(s.timeout_s == 2.5);
	ck_assert(!s.virtual_time);
	ck_assert(s.strict);
	ck_assert_uint_eq(s.n_options, 3);
	ck_assert_str_eq(s.options[0], "--trap-channel");
	ck_assert_str_eq(s.options[1], "socket");
	ck_assert_str_eq(s.options[2], "--quiet");
	ck_assert_uint_eq(s.n_apps, 2);
	snprintf(want, sizeof(want), "%s/a.tbf", dir);
	ck_assert_str_eq(s.apps[0].image, want); /* relative to the spec's directory, not the cwd */
	ck_assert_uint_eq(s.apps[0].n_lines, 2);
	ck_assert(!s.apps[0].lines[0].is_re && s.apps[0].lines[1].is_re);
	ck_assert(s.apps[0].has_exit && s.apps[0].exit_code == -3);
	ck_assert_str_eq(s.apps[1].fault.text, "NULL");
	cleanup(&s);
}
END_TEST

START_TEST(test_defaults)
{
	struct tr_spec s;

	ck_assert_int_eq(load(&s, "[app x]\nimage = a.tbf\n"), 0);
	ck_assert(s.virtual_time);
	ck_assert(!s.strict);
	ck_assert(s.timeout_s == 10);
	ck_assert_str_eq(s.name, spec_path);
	cleanup(&s);
}
END_TEST

static const char *const bad_specs[] = {
	"[test]\nbogus = 1\n[app x]\nimage = a.tbf\n",
	"[app x]\nexpect = 1\n",
	"[app x]\nimage = missing.tbf\n",
	"[app x]\nimage = a.tbf\nexpect_re = (\n",
	"[test]\ntimeout = 1\n",
	"[app x]\nimage = a.tbf\n[app x]\nimage = a.tbf\n",
	"[test]\ntimeout = -1\n[app x]\nimage = a.tbf\n",
	"[app x]\nimage = a.tbf\nexit = 99999999999\n",
	"[app x]\nimage = a.tbf\nexit = 0\nfault = x\n",
	"[app x]\nimage = a.tbf\nimage = a.tbf\n",
	"[app a b]\nimage = a.tbf\n",
	"[test]\nvirtual_time = maybe\n[app x]\nimage = a.tbf\n",
	"[test]\ntimeout = 1\nno equals sign\n[app x]\nimage = a.tbf\n",
};

START_TEST(test_bad_spec)
{
	struct tr_spec s;

	ck_assert_int_eq(load(&s, bad_specs[_i]), -1);
	cleanup(&s);
}
END_TEST

static const char two_apps[] = "[app x]\nimage = a.tbf\nexpect = x1\nexpect_re = ^x2 [0-9]+$\nexit = 0\n"
                               "[app y]\nimage = a.tbf\nexpect = y1\n";

START_TEST(test_match_interleaved)
{
	struct tr_spec s;

	ck_assert_int_eq(load(&s, two_apps), 0);
	tr_on_kernel(&s, "loaded 'x' as ProcessId 0 (flash 0x0-0x1, RAM 0x2-0x3)");
	tr_on_console(&s, "y", "y1");
	tr_on_console(&s, "x", "x1 early"); /* console lines may be read before the load report */ /* order across apps does not matter */
	tr_on_console(&s, "x", "x1");
	tr_on_console(&s, "x", "noise"); /* not strict: lines between are allowed */
	ck_assert(!tr_all_met(&s));
	tr_on_console(&s, "x", "x2 42");
	ck_assert(!tr_all_met(&s)); /* the exit code is still due */
	tr_on_kernel(&s, "process 'x' (ProcessId 0) exited with code 0");
	ck_assert(!tr_all_met(&s)); /* y's load report has not been read yet */
	tr_on_kernel(&s, "loaded 'y' as ProcessId 1 (flash 0x0-0x1, RAM 0x2-0x3)");
	ck_assert(tr_all_met(&s));
	ck_assert(!tr_any_broken(&s));
	cleanup(&s);
}
END_TEST

START_TEST(test_match_order_per_app)
{
	struct tr_spec s;

	ck_assert_int_eq(load(&s, two_apps), 0);
	tr_on_console(&s, "x", "x2 1"); /* before x1: does not count */
	tr_on_console(&s, "x", "x1");
	tr_on_kernel(&s, "process 'x' (ProcessId 0) exited with code 0");
	ck_assert(tr_any_broken(&s));
	ck_assert_ptr_nonnull(strstr(s.apps[0].broken, "before expected line 2"));
	cleanup(&s);
}
END_TEST

START_TEST(test_match_strict)
{
	struct tr_spec s;

	ck_assert_int_eq(load(&s, "[test]\nstrict = true\n[app x]\nimage = a.tbf\nexpect = a\n"), 0);
	tr_on_console(&s, "x", "b");
	ck_assert(tr_any_broken(&s));
	ck_assert_ptr_nonnull(strstr(s.apps[0].broken, "got \"b\" where expected line 1 was due"));
	cleanup(&s);
}
END_TEST

START_TEST(test_match_exit_and_fault)
{
	struct tr_spec s;

	ck_assert_int_eq(load(&s, "[app x]\nimage = a.tbf\nexit = 2\n[app y]\nimage = a.tbf\nfault = NULL\n"), 0);
	tr_on_kernel(&s, "loaded 'y' as ProcessId 1 (flash 0x0-0x1, RAM 0x2-0x3)");
	tr_on_kernel(&s, "process 'y' (ProcessId 1) faulted: write through NULL pointer");
	ck_assert(s.apps[1].fault_ok);
	tr_on_kernel(&s, "process 'x' (ProcessId 0) exited with code 1");
	ck_assert_ptr_nonnull(s.apps[0].broken);
	ck_assert_ptr_nonnull(strstr(s.apps[0].broken, "exited with code 1, expected 2"));
	cleanup(&s);
}
END_TEST

START_TEST(test_match_unexpected_fault_and_end)
{
	struct tr_spec s;

	ck_assert_int_eq(load(&s, two_apps), 0);
	tr_on_kernel(&s, "process 'y' (ProcessId 1) faulted: memory access violation");
	ck_assert_ptr_nonnull(strstr(s.apps[1].broken, "no fault was expected"));
	ck_assert_ptr_null(s.apps[0].broken);
	tr_on_kernel(&s, "loaded 'x' as ProcessId 0 (flash 0x0-0x1, RAM 0x2-0x3)");
	tr_on_end(&s);
	ck_assert_ptr_nonnull(strstr(s.apps[0].broken, "the run ended before expected line 1"));
	cleanup(&s);
}
END_TEST

START_TEST(test_match_unknown_app)
{
	struct tr_spec s;

	ck_assert_int_eq(load(&s, two_apps), 0);
	tr_on_kernel(&s, "loaded 'z' as ProcessId 2 (flash 0x0-0x1, RAM 0x2-0x3)");
	ck_assert(tr_any_broken(&s));
	tr_on_end(&s);
	ck_assert_ptr_nonnull(strstr(s.apps[0].broken, "no image loaded under this name"));
	cleanup(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("testrun");
	TCase *tc = tcase_create("spec");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_values_and_paths);
	tcase_add_test(tc, test_defaults);
	tcase_add_loop_test(tc, test_bad_spec, 0, sizeof(bad_specs) / sizeof(bad_specs[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("match");
	tcase_add_test(tc, test_match_interleaved);
	tcase_add_test(tc, test_match_order_per_app);
	tcase_add_test(tc, test_match_strict);
	tcase_add_test(tc, test_match_exit_and_fault);
	tcase_add_test(tc, test_match_unexpected_fault_and_end);
	tcase_add_test(tc, test_match_unknown_app);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
