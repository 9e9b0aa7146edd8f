/* Unit tests for the TBF Permissions filter (Tock's TbfHeaderFilterDefaultAllow). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "loader/tbf.h"
#include "tock/abi.h"
#include "tock/drivers/alarm.h"
#include "tock/drivers/console.h"
#include "tock/drivers/ipc_relay_request.h"
#include "tock/drivers/rng.h"

enum { SET_NONE, SET_EMPTY, SET_MAIN };

/* SET_MAIN: console cmds 0-3; alarm cmd 64+5 and 127 only; RNG listed with mask 0;
 * driver 9 listed twice at offset 0 (the first entry decides, as in Tock). */
static void make_info(int set, struct tbf_info *info)
{
	static const struct tbf_permission main_set[] = {
		{ TOCK_DRIVER_CONSOLE, 0, 0xf },
		{ TOCK_DRIVER_ALARM, 1, (1ull << 5) | (1ull << 63) },
		{ TOCK_DRIVER_RNG, 0, 0 },
		{ 9, 0, 0x1 },
		{ 9, 0, 0x2 },
		{ 0xA0010, 0xffffffff / 64, 1ull << (0xffffffffu % 64) },
	};

	memset(info, 0, sizeof(*info));
	if (set == SET_NONE)
		return;
	info->has_permissions = true;
	if (set == SET_EMPTY)
		return;
	memcpy(info->permissions, main_set, sizeof(main_set));
	info->permission_count = sizeof(main_set) / sizeof(main_set[0]);
}

#define NODEV TOCK_ERR_NODEVICE

static const struct {
	int set;
	uint32_t driver, command;
	int want_command, want_driver;
} cases[] = {
	/* No Permissions TLV: everything allowed. */
	{ SET_NONE, TOCK_DRIVER_CONSOLE, 1, 0, 0 },
	{ SET_NONE, 0xdeadbeef, 0xffffffff, 0, 0 },
	/* A Permissions TLV with no entries: nothing allowed. */
	{ SET_EMPTY, TOCK_DRIVER_CONSOLE, 0, NODEV, NODEV },
	{ SET_EMPTY, TOCK_DRIVER_ALARM, 1, NODEV, NODEV },
	/* Listed commands. */
	{ SET_MAIN, TOCK_DRIVER_CONSOLE, 0, 0, 0 },
	{ SET_MAIN, TOCK_DRIVER_CONSOLE, 3, 0, 0 },
	{ SET_MAIN, TOCK_DRIVER_CONSOLE, 4, NODEV, 0 },
	{ SET_MAIN, TOCK_DRIVER_CONSOLE, 63, NODEV, 0 },
	{ SET_MAIN, TOCK_DRIVER_CONSOLE, 64, NODEV, 0 },  /* offset 1 not listed for console */
	{ SET_MAIN, TOCK_DRIVER_CONSOLE, 65, NODEV, 0 },
	/* Offset selects the 64-command window. */
	{ SET_MAIN, TOCK_DRIVER_ALARM, 5, NODEV, 0 },
	{ SET_MAIN, TOCK_DRIVER_ALARM, 69, 0, 0 },
	{ SET_MAIN, TOCK_DRIVER_ALARM, 68, NODEV, 0 },
	{ SET_MAIN, TOCK_DRIVER_ALARM, 127, 0, 0 },
	{ SET_MAIN, TOCK_DRIVER_ALARM, 128, NODEV, 0 },
	{ SET_MAIN, TOCK_DRIVER_ALARM, 191, NODEV, 0 },
	/* Listed with mask 0: driver reachable for subscribe/allow, no command allowed. */
	{ SET_MAIN, TOCK_DRIVER_RNG, 0, NODEV, 0 },
	{ SET_MAIN, TOCK_DRIVER_RNG, 1, NODEV, 0 },
	/* First matching entry decides. */
	{ SET_MAIN, 9, 0, 0, 0 },
	{ SET_MAIN, 9, 1, NODEV, 0 },
	/* Highest command number. */
	{ SET_MAIN, 0xA0010, 0xffffffff, 0, 0 },
	{ SET_MAIN, 0xA0010, 0xfffffffe, NODEV, 0 },
	{ SET_MAIN, 0xA0010, 0, NODEV, 0 },
	/* Unlisted drivers. */
	{ SET_MAIN, TOCK_DRIVER_IPC_RELAY_REQUEST + 1, 0, NODEV, NODEV },
	{ SET_MAIN, 2, 1, NODEV, NODEV },
	{ SET_MAIN, 0xffffffff, 0, NODEV, NODEV },
};

START_TEST(test_permission_table)
{
	struct tbf_info info;

	make_info(cases[_i].set, &info);
	ck_assert_msg(tbf_permission_check_command(&info, cases[_i].driver, cases[_i].command) == cases[_i].want_command,
		      "case %d: command check of driver 0x%x cmd %u", _i, cases[_i].driver, cases[_i].command);
	ck_assert_msg(tbf_permission_check_driver(&info, cases[_i].driver) == cases[_i].want_driver,
		      "case %d: driver check of 0x%x", _i, cases[_i].driver);
}
END_TEST

/* A corrupted count in a caller-built info must not read past the array. */
START_TEST(test_permission_count_clamped)
{
	struct tbf_info info;

	make_info(SET_MAIN, &info);
	info.permission_count = 0xffff;
	ck_assert_int_eq(tbf_permission_check_command(&info, TOCK_DRIVER_CONSOLE, 1), 0);
	ck_assert_int_eq(tbf_permission_check_driver(&info, 12345), NODEV);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tbf_permissions");
	TCase *tc = tcase_create("filter");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_permission_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_permission_count_clamped);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
