/* Unit tests for the board file parser: good keys -> values, bad lines -> errors with line and key. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_config.h"
#include "tock/drivers/console.h"

/* ---- single keys ---- */

struct good_case {
	const char *section, *key, *value;
	size_t offset; /* of a uint32_t or bool field, or SIZE_MAX for special checks below */
	uint64_t expect;
};

#define OFF(f) offsetof(struct board_config, f)

static const struct good_case good[] = {
	{ "kernel", "upcall_queue_depth", "1", OFF(upcall_queue_depth), 1 },
	{ "kernel", "upcall_queue_depth", "1024", OFF(upcall_queue_depth), 1024 },
	{ "kernel", "upcall_queue_depth", "0x20", OFF(upcall_queue_depth), 32 },
	{ "kernel", "timeslice_ms", "25", OFF(timeslice_ms), 25 },
	{ "kernel", "alarm_frequency_hz", "32768", OFF(alarm_frequency_hz), 32768 },
	{ "memory", "stack_size", "8K", OFF(stack_size), 8192 },
	{ "memory", "grant_size", "16384", OFF(grant_size), 16384 },
	{ "memory", "ram_size", "1M", OFF(ram_size), 1048576 },
	{ "memory", "ram_extra", "0", OFF(ram_extra), 0 },
	{ "memory", "ram_extra", "4k", OFF(ram_extra), 4096 },
	{ "drivers", "console", "0x2", OFF(console.number), 2 },
	{ "drivers", "alarm", "7", OFF(alarm.number), 7 },
	{ "drivers", "rng", "0x50000", OFF(rng.number), 0x50000 },
};

START_TEST(test_good_key)
{
	const struct good_case *t = &good[_i];
	struct board_config c;
	struct board_config_error err = { 0 };

	board_config_defaults(&c);
	ck_assert_int_eq(board_config_set(&c, t->section, t->key, t->value, &err), 0);
	ck_assert_uint_eq(*(const uint32_t *)((const char *)&c + t->offset), t->expect);
}
END_TEST

struct policy_case {
	const char *text;
	int ok;
	enum hk_fault_policy_kind kind;
	uint32_t max;
};

static const struct policy_case policies[] = {
	{ "panic", 1, HK_FAULT_PANIC, 0 },
	{ "stop", 1, HK_FAULT_STOP, 0 },
	{ "restart", 1, HK_FAULT_RESTART, 0 },
	{ "restart:0", 1, HK_FAULT_RESTART_UP_TO, 0 },
	{ "restart:5", 1, HK_FAULT_RESTART_UP_TO, 5 },
	{ "restart:", 0, 0, 0 },
	{ "restart:-1", 0, 0, 0 },
	{ "restart:x", 0, 0, 0 },
	{ "Restart", 0, 0, 0 },
	{ "", 0, 0, 0 },
	{ "stop2", 0, 0, 0 },
};

START_TEST(test_fault_policy)
{
	const struct policy_case *t = &policies[_i];
	struct hk_fault_policy p = { HK_FAULT_STOP, 99 };
	int r = board_parse_fault_policy(t->text, &p);

	if (!t->ok) {
		ck_assert_int_lt(r, 0);
		ck_assert_int_eq(p.kind, HK_FAULT_STOP); /* untouched on failure */
		ck_assert_uint_eq(p.max_restarts, 99);
		return;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(p.kind, t->kind);
	ck_assert_uint_eq(p.max_restarts, t->max);
}
END_TEST

struct bad_case {
	const char *section, *key, *value;
	const char *message; /* exact */
};

static const struct bad_case bad[] = {
	{ "kernel", "foo", "1", "unknown key 'foo' in [kernel]" },
	{ "memory", "console", "0x1", "unknown key 'console' in [memory]" },
	{ "network", "port", "1", "unknown section [network]" },
	{ "", "time", "real", "key 'time' outside a section" },
	{ "kernel", "upcall_queue_depth", "0",
	  "bad value '0' for key 'upcall_queue_depth' in [kernel]: expected an integer from 1 to 1024" },
	{ "kernel", "upcall_queue_depth", "1025",
	  "bad value '1025' for key 'upcall_queue_depth' in [kernel]: expected an integer from 1 to 1024" },
	{ "kernel", "upcall_queue_depth", "10x",
	  "bad value '10x' for key 'upcall_queue_depth' in [kernel]: expected an integer from 1 to 1024" },
	{ "kernel", "upcall_queue_depth", "-3",
	  "bad value '-3' for key 'upcall_queue_depth' in [kernel]: expected an integer from 1 to 1024" },
	{ "kernel", "upcall_queue_depth", "",
	  "bad value '' for key 'upcall_queue_depth' in [kernel]: expected an integer from 1 to 1024" },
	{ "kernel", "upcall_queue_depth", "8K",
	  "bad value '8K' for key 'upcall_queue_depth' in [kernel]: expected an integer from 1 to 1024" },
	{ "kernel", "time", "fast", "bad value 'fast' for key 'time' in [kernel]: expected real or virtual" },
	{ "kernel", "fault_policy", "reboot",
	  "bad value 'reboot' for key 'fault_policy' in [kernel]: expected panic, stop, restart or restart:N" },
	{ "kernel", "timeslice_ms", "0",
	  "bad value '0' for key 'timeslice_ms' in [kernel]: expected an integer from 1 to 60000" },
	{ "memory", "stack_size", "100", "bad value '100' for key 'stack_size' in [memory]: expected a size from 4096 to 16777216" },
	{ "memory", "grant_size", "99999999999999999999999",
	  "bad value '99999999999999999999999' for key 'grant_size' in [memory]: expected a size from 4096 to 16777216" },
	{ "drivers", "rng", "0x100000000", "bad value '0x100000000' for key 'rng' in [drivers]: expected a driver number or off" },
	{ "drivers", "console", "on", "bad value 'on' for key 'console' in [drivers]: expected a driver number or off" },
	{ "ipc_names", "a_name_longer_than_20b", "org.example",
	  "bad name 'a_name_longer_than_20b' in [ipc_names]: a string-registry name has 1 to 20 bytes" },
	{ "ipc_names", "svc", "", "bad value for 'svc' in [ipc_names]: expected the TBF package name (1 to 255 bytes)" },
};

START_TEST(test_bad_key)
{
	const struct bad_case *t = &bad[_i];
	struct board_config c, before;
	struct board_config_error err = { 0 };

	board_config_defaults(&c);
	before = c;
	ck_assert_int_lt(board_config_set(&c, t->section, t->key, t->value, &err), 0);
	ck_assert_str_eq(err.message, t->message);
	ck_assert_mem_eq(&c, &before, sizeof(c)); /* a bad value changes nothing */
}
END_TEST

START_TEST(test_defaults)
{
	struct board_config c;
	struct board_config_error err = { 0 };

	board_config_defaults(&c);
	ck_assert_int_eq(c.fault_policy.kind, HK_FAULT_RESTART_UP_TO);
	ck_assert_uint_eq(c.fault_policy.max_restarts, 3);
	ck_assert_uint_eq(c.upcall_queue_depth, 10);
	ck_assert(!c.virtual_time);
	ck_assert_uint_eq(c.timeslice_ms, 0); /* 0: the time mode picks (board.c) */
	ck_assert_uint_eq(c.alarm_frequency_hz, 1000000);
	ck_assert_uint_eq(c.stack_size, 16384);
	ck_assert_uint_eq(c.grant_size, 8192);
	ck_assert(c.console.enabled && c.console.number == 0x1);
	ck_assert(c.alarm.enabled && c.alarm.number == 0x0);
	ck_assert(c.rng.enabled && c.rng.number == 0x40001);
	ck_assert_int_eq(board_config_check(&c, &err), 0);
}
END_TEST

START_TEST(test_driver_off_and_time)
{
	struct board_config c;
	struct board_config_error err = { 0 };

	board_config_defaults(&c);
	ck_assert_int_eq(board_config_set(&c, "drivers", "rng", "off", &err), 0);
	ck_assert(!c.rng.enabled);
	ck_assert_int_eq(board_config_set(&c, "kernel", "time", "virtual", &err), 0);
	ck_assert(c.virtual_time);
	ck_assert_int_eq(board_config_set(&c, "kernel", "time", "real", &err), 0);
	ck_assert(!c.virtual_time);
	ck_assert_int_eq(board_config_set(&c, "kernel", "fault_policy", "stop", &err), 0);
	ck_assert_int_eq(c.fault_policy.kind, HK_FAULT_STOP);
}
END_TEST

/* ---- whole files: the error names the right line ---- */

struct file_case {
	const char *text;
	unsigned line;       /* 0: parses fine */
	const char *message; /* exact, when line != 0 */
};

static const struct file_case files[] = {
	{ "", 0, NULL },
	{ "; a comment\n# another\n\n[kernel]\nfault_policy = stop\ntime = virtual\n", 0, NULL },
	{ "[kernel]\nupcall_queue_depth = 4 ; inline comment\n[drivers]\nrng = off\n", 0, NULL },
	{ "[kernel]\nfault_policy = stop\n\n\n\n\nfoo = 1\n", 7, "unknown key 'foo' in [kernel]" },
	{ "[kernel]\n[bogus]\n", 2, "unknown section [bogus]" },
	{ "[bogus]\nkey = 1\n", 1, "unknown section [bogus]" },
	{ "time = real\n", 1, "key 'time' outside a section" },
	{ "[kernel]\nthis line has no equals sign\n", 2, "syntax error (expected [section] or key = value)" },
	{ "[kernel]\ntime = virtual\n[memory]\nstack_size = 12\n", 4,
	  "bad value '12' for key 'stack_size' in [memory]: expected a size from 4096 to 16777216" },
	{ "[kernel]\nnot ok\nfoo = 1\n", 2, "syntax error (expected [section] or key = value)" },
	{ "[kernel]\nfoo = 1\nnot ok\n", 2, "unknown key 'foo' in [kernel]" },
};

START_TEST(test_file)
{
	const struct file_case *t = &files[_i];
	struct board_config c;
	struct board_config_error err = { 0 };
	FILE *f = fmemopen((void *)t->text, strlen(t->text), "r");
	int r;

	if (!*t->text) {
		fclose(f);
		f = fopen("/dev/null", "r");
	}
	ck_assert_ptr_nonnull(f);
	board_config_defaults(&c);
	r = board_config_parse_stream(&c, f, &err);
	fclose(f);
	if (!t->line) {
		ck_assert_int_eq(r, 0);
		return;
	}
	ck_assert_int_lt(r, 0);
	ck_assert_uint_eq(err.line, t->line);
	ck_assert_str_eq(err.message, t->message);
}
END_TEST

START_TEST(test_file_values_applied)
{
	static const char text[] = "[kernel]\nfault_policy = restart:7\nupcall_queue_depth = 32\ntimeslice_ms = 5\n"
	                           "[memory]\nram_extra = 8K\n[drivers]\nconsole = 0x10\nalarm = off\n";
	struct board_config c;
	struct board_config_error err = { 0 };
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	board_config_defaults(&c);
	ck_assert_int_eq(board_config_parse_stream(&c, f, &err), 0);
	fclose(f);
	ck_assert_int_eq(c.fault_policy.kind, HK_FAULT_RESTART_UP_TO);
	ck_assert_uint_eq(c.fault_policy.max_restarts, 7);
	ck_assert_uint_eq(c.upcall_queue_depth, 32);
	ck_assert_uint_eq(c.timeslice_ms, 5);
	ck_assert_uint_eq(c.ram_extra, 8192);
	ck_assert_uint_eq(c.console.number, 0x10);
	ck_assert(!c.alarm.enabled);
}
END_TEST

START_TEST(test_long_line)
{
	char text[600];
	struct board_config c;
	struct board_config_error err = { 0 };
	FILE *f;

	snprintf(text, sizeof(text), "[kernel]\ntime = %0500d\n", 1);
	f = fmemopen(text, strlen(text), "r");
	board_config_defaults(&c);
	ck_assert_int_lt(board_config_parse_stream(&c, f, &err), 0);
	fclose(f);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_ptr_nonnull(strstr(err.message, "line too long"));
}
END_TEST

START_TEST(test_missing_file)
{
	struct board_config c;
	struct board_config_error err = { 0 };

	board_config_defaults(&c);
	ck_assert_int_lt(board_config_parse_file(&c, "/nonexistent/board.ini", &err), 0);
	ck_assert_uint_eq(err.line, 0);
	ck_assert_str_eq(err.message, "No such file or directory");
}
END_TEST

/* Not a regular file: refused before reading (a board file of /dev/zero must not eat memory). */
static const struct {
	const char *path, *message;
	int error;
} not_files[] = {
	{ "/dev/zero", "not a regular file", -EINVAL },
	{ "/dev/null", "not a regular file", -EINVAL },
	{ "/", "Is a directory", -EISDIR },
};

START_TEST(test_not_a_regular_file)
{
	struct board_config c, before;
	struct board_config_error err = { 0 };

	board_config_defaults(&c);
	before = c;
	ck_assert_int_eq(board_config_parse_file(&c, not_files[_i].path, &err), not_files[_i].error);
	ck_assert_str_eq(err.message, not_files[_i].message);
	ck_assert_mem_eq(&c, &before, sizeof(c));
}
END_TEST

START_TEST(test_reserved_names)
{
	struct board_config c;
	struct board_config_error err = { 0 };
	char name[8];

	board_config_defaults(&c);
	ck_assert_uint_eq(c.n_reserved_names, 0);
	ck_assert_int_eq(board_config_set(&c, "ipc_names", "sensor_hub", "org.example.hub", &err), 0);
	ck_assert_uint_eq(c.n_reserved_names, 1);
	ck_assert_str_eq(c.reserved_names[0].name, "sensor_hub");
	ck_assert_str_eq(c.reserved_names[0].package, "org.example.hub");
	/* The same name twice is an error and keeps the first reservation. */
	ck_assert_int_lt(board_config_set(&c, "ipc_names", "sensor_hub", "org.example.other", &err), 0);
	ck_assert_str_eq(err.message, "name 'sensor_hub' is reserved twice in [ipc_names]");
	ck_assert_str_eq(c.reserved_names[0].package, "org.example.hub");
	/* The table is bounded. */
	for (unsigned i = 1; i < BOARD_MAX_RESERVED_NAMES; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		ck_assert_int_eq(board_config_set(&c, "ipc_names", name, "p", &err), 0);
	}
	ck_assert_int_lt(board_config_set(&c, "ipc_names", "one_more", "p", &err), 0);
	ck_assert_uint_eq(c.n_reserved_names, BOARD_MAX_RESERVED_NAMES);
}
END_TEST

START_TEST(test_check_duplicate_numbers)
{
	struct board_config c;
	struct board_config_error err = { 0 };

	board_config_defaults(&c);
	c.rng.number = TOCK_DRIVER_CONSOLE;
	ck_assert_int_lt(board_config_check(&c, &err), 0);
	ck_assert_str_eq(err.message, "drivers console and rng both use number 0x1");
	c.rng.enabled = false; /* a disabled driver's number does not count */
	ck_assert_int_eq(board_config_check(&c, &err), 0);
}
END_TEST

static Suite *board_config_suite(void)
{
	Suite *s = suite_create("board_config");
	TCase *tc = tcase_create("keys");

	tcase_add_loop_test(tc, test_good_key, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, test_bad_key, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_loop_test(tc, test_fault_policy, 0, sizeof(policies) / sizeof(policies[0]));
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_driver_off_and_time);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_loop_test(tc, test_file, 0, sizeof(files) / sizeof(files[0]));
	tcase_add_test(tc, test_file_values_applied);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_missing_file);
	tcase_add_loop_test(tc, test_not_a_regular_file, 0, sizeof(not_files) / sizeof(not_files[0]));
	tcase_add_test(tc, test_check_duplicate_numbers);
	tcase_add_test(tc, test_reserved_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(board_config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
