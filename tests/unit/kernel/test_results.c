/* Kernel unit tests: the one place answers leave for the app (a misbehaving capsule cannot send a malformed variant; one errno table). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/kernel_ext.h"
#include "test_driver.h"

#define BAD_NUM 0x777u

/* A capsule that answers command n with bad_rets[n], whatever that is. */
struct ret_case {
	struct hk_cmd_ret ret;
	bool well_formed;
};

static const struct ret_case ret_cases[] = {
	/* Every TRD104 command variant, its registers full: passed on untouched. */
	{ { TOCK_RET_FAILURE, TOCK_ERR_NOACK, 0, 0 }, true },
	{ { TOCK_RET_FAILURE_U32, TOCK_ERR_FAIL, 0xFFFFFFFFu, 0 }, true },
	{ { TOCK_RET_FAILURE_U32_U32, TOCK_ERR_SIZE, 1, 0xFFFFFFFFu }, true },
	{ { TOCK_RET_FAILURE_U64, TOCK_ERR_BUSY, 0xFFFFFFFFu, 0xFFFFFFFFu }, true },
	{ { TOCK_RET_SUCCESS, 0, 0, 0 }, true },
	{ { TOCK_RET_SUCCESS_U32, 0xFFFFFFFFu, 0, 0 }, true },
	{ { TOCK_RET_SUCCESS_U32_U32, 7, 0xFFFFFFFFu, 0 }, true },
	{ { TOCK_RET_SUCCESS_U64, 0xFFFFFFFFu, 0xFFFFFFFFu, 0 }, true },
	{ { TOCK_RET_SUCCESS_U32_U32_U32, 1, 2, 0xFFFFFFFFu }, true },
	{ { TOCK_RET_SUCCESS_U32_U64, 1, 0xFFFFFFFFu, 0xFFFFFFFFu }, true },
	/* Variants a command may not return (reserved, 64-bit-only, or nonsense). */
	{ { 4, TOCK_ERR_FAIL, 0, 0 }, false },
	{ { 5, TOCK_ERR_FAIL, 0, 0 }, false },
	{ { 127, 0, 0, 0 }, false },
	{ { 134, 1, 2, 0 }, false },
	{ { 137, 1, 0, 0 }, false },
	{ { 0xFFFFFFFFu, 0, 0, 0 }, false },
	/* A failure must carry an ErrorCode 1..13 (a capsule passing a -errno through is caught here). */
	{ { TOCK_RET_FAILURE, 0, 0, 0 }, false },
	{ { TOCK_RET_FAILURE, TOCK_ERR_MAX + 1, 0, 0 }, false },
	{ { TOCK_RET_FAILURE_U32, (uint32_t)-ENOMEM, 5, 0 }, false },
	{ { TOCK_RET_FAILURE_U64, 0, 1, 1 }, false },
	/* Registers the variant does not carry must be zero: no stale capsule data reaches the app. */
	{ { TOCK_RET_SUCCESS, 1, 0, 0 }, false },
	{ { TOCK_RET_SUCCESS, 0, 0, 1 }, false },
	{ { TOCK_RET_SUCCESS_U32, 1, 2, 0 }, false },
	{ { TOCK_RET_SUCCESS_U32_U32, 1, 2, 3 }, false },
	{ { TOCK_RET_SUCCESS_U64, 1, 2, 3 }, false },
	{ { TOCK_RET_FAILURE, TOCK_ERR_FAIL, 9, 0 }, false },
	{ { TOCK_RET_FAILURE_U32, TOCK_ERR_FAIL, 9, 9 }, false },
};
#define N_RET_CASES (sizeof(ret_cases) / sizeof(ret_cases[0]))

static struct hk_cmd_ret bad_command(void *self, const struct hk_call *call, uint32_t command, uint32_t arg0,
                                     uint32_t arg1)
{
	(void)self;
	(void)call;
	(void)arg0;
	(void)arg1;
	return command < N_RET_CASES ? ret_cases[command].ret : hk_cmd_success();
}

static const struct hk_driver_ops bad_ops = { .command = bad_command };

START_TEST(test_command_return_checked)
{
	const struct ret_case *c = &ret_cases[_i];
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_fake_ret r;

	ck_assert_int_eq(hk_fake_register_driver(w, BAD_NUM, &bad_ops, NULL), 0);
	r = hk_fake_command(w, p, BAD_NUM, (uint32_t)_i, 0, 0);
	ck_assert_int_eq(r.result, HK_SYSCALL_RESUME);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_RUNNING); /* the capsule's bug is not the app's fault */
	if (c->well_formed) {
		ck_assert_uint_eq(r.r0, c->ret.variant);
		ck_assert_uint_eq(r.r1, c->ret.r1);
		ck_assert_uint_eq(r.r2, c->ret.r2);
		ck_assert_uint_eq(r.r3, c->ret.r3);
	} else {
		ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE);
		ck_assert_uint_eq(r.r1, TOCK_ERR_FAIL);
		ck_assert_uint_eq(r.r2, 0);
		ck_assert_uint_eq(r.r3, 0);
	}
	/* The process goes on: the next (well-formed) command answers normally. */
	r = hk_fake_command(w, p, BAD_NUM, (uint32_t)N_RET_CASES, 0, 0);
	ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_errno_table)
{
	/* One errno per ErrorCode, both ways. */
	for (uint32_t code = 1; code <= TOCK_ERR_MAX; code++) {
		int err = hk_error_errno(code);

		ck_assert_int_lt(err, 0);
		ck_assert_uint_eq(hk_error_code(err), code);
		for (uint32_t other = 1; other < code; other++)
			ck_assert_int_ne(hk_error_errno(other), err);
	}
	ck_assert_uint_eq(hk_error_code(-ENOMEM), TOCK_ERR_NOMEM);
	ck_assert_uint_eq(hk_error_code(-ENODEV), TOCK_ERR_NODEVICE);
	ck_assert_uint_eq(hk_error_code(-EINVAL), TOCK_ERR_INVAL);
	ck_assert_uint_eq(hk_error_code(-EOPNOTSUPP), TOCK_ERR_NOSUPPORT);
	/* What has no ErrorCode of its own is FAIL; an ErrorCode that is none is -EIO. */
	ck_assert_uint_eq(hk_error_code(-ESRCH), TOCK_ERR_FAIL);
	ck_assert_uint_eq(hk_error_code(0), TOCK_ERR_FAIL);
	ck_assert_uint_eq(hk_error_code(12345), TOCK_ERR_FAIL);
	ck_assert_int_eq(hk_error_errno(0), -EIO);
	ck_assert_int_eq(hk_error_errno(TOCK_ERR_MAX + 1), -EIO);
}
END_TEST

/* The board filter's ErrorCode reaches the app unchanged; one that is no ErrorCode becomes FAIL. */
static uint32_t filter_code;

static uint32_t deny_with_code(void *ctx, struct hk_process *p, uint32_t class_id, uint32_t driver, uint32_t n)
{
	(void)ctx;
	(void)p;
	(void)class_id;
	(void)n;
	return driver == TD_NUM ? filter_code : 0;
}

START_TEST(test_filter_codes_pass_through)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_fake_ret r;

	hk_fake_set_syscall_filter(w, deny_with_code, NULL);
	for (uint32_t code = 1; code <= TOCK_ERR_MAX + 2; code++) {
		filter_code = code == TOCK_ERR_MAX + 2 ? 0xFFFFFFFFu : code;
		r = hk_fake_command(w, p, TD_NUM, 0, 0, 0);
		ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE);
		ck_assert_uint_eq(r.r1, code <= TOCK_ERR_MAX ? code : TOCK_ERR_FAIL);
		r = hk_fake_subscribe(w, p, TD_NUM, 0, 0, 0);
		ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE);
		ck_assert_uint_eq(r.r1, code <= TOCK_ERR_MAX ? code : TOCK_ERR_FAIL);
	}
	hk_fake_world_free(w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernel-results");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_command_return_checked, 0, (int)N_RET_CASES);
	tcase_add_test(tc, test_errno_table);
	tcase_add_test(tc, test_filter_codes_pass_through);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
