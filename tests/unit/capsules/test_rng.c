/* Unit tests of the RNG capsule on fake processes: fill, truncation to the allowed buffer, source failure. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "capsule_test.h"
#include "capsules/rng.h"

#define RNG TOCK_DRIVER_RNG

static struct hk_fake_world *w;
static struct capsule_rng *rng;
static bool source_fails;
static size_t source_requested;

/* Deterministic "entropy": 0xA0, 0xA1, ... so a test can see exactly which bytes were written. */
static int fake_fill(void *ctx, uint8_t *buf, size_t len)
{
	ck_assert_ptr_eq(ctx, &source_fails);
	source_requested += len;
	if (source_fails)
		return -EIO;
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(0xA0 + i);
	return 0;
}

static void setup(void)
{
	const struct capsule_rng_source src = { fake_fill, &source_fails };

	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	rng = capsule_rng_new(hk_fake_kernel(w), RNG, &src);
	ck_assert_ptr_nonnull(rng);
	ck_assert_int_eq(hk_fake_register_driver(w, RNG, &capsule_rng_ops, rng), 0);
	source_fails = false;
	source_requested = 0;
}

static void teardown(void)
{
	capsule_rng_free(rng);
	hk_fake_world_free(w);
}

static const struct {
	uint32_t cmd;
	uint32_t variant, err;
} simple_cmds[] = {
	{ 0, TOCK_RET_SUCCESS, 0 },
	{ 2, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 3, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0xffffffffu, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
};

START_TEST(test_simple_commands)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);

	ck_assert_cmd(hk_fake_command(w, p, RNG, simple_cmds[_i].cmd, 4, 0), simple_cmds[_i].variant,
	              simple_cmds[_i].err);
	ck_assert_uint_eq(source_requested, 0);
}
END_TEST

/* fill min(n, buffer length) bytes; the rest of the buffer is untouched. */
static const struct {
	uint32_t requested;
	size_t buffer_len; /* 0: nothing allowed */
	uint32_t filled;
} fill_cases[] = {
	{ 16, 32, 16 }, { 32, 32, 32 }, { 100, 10, 10 }, { 0, 8, 0 }, { 8, 0, 0 }, { 0xffffffffu, 64, 64 },
};

START_TEST(test_fill)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint64_t fn = hk_fake_upcall_fn(w, p, 3);
	struct hk_fake_upcall up;
	uint8_t *buf = NULL;
	size_t len = fill_cases[_i].buffer_len;

	ck_assert_uint_eq(hk_fake_subscribe(w, p, RNG, 0, fn, 9).r0, TOCK_RET_SUCCESS_U32_U32);
	if (len) {
		uint64_t addr = test_buffer(w, p, len, &buf);

		ck_assert_uint_eq(hk_fake_allow_rw(w, p, RNG, 0, addr, len).r0, TOCK_RET_SUCCESS_U32_U32);
	}
	ck_assert_success(hk_fake_command(w, p, RNG, 1, fill_cases[_i].requested, 0));
	ck_assert(hk_fake_yield_wait(w, p, &up));
	ck_assert_uint_eq(up.fn, fn);
	ck_assert_uint_eq(up.appdata, 9);
	ck_assert_upcall(up, 0, fill_cases[_i].filled, 0);
	ck_assert_uint_eq(source_requested, fill_cases[_i].filled);
	for (size_t i = 0; i < len; i++)
		ck_assert_uint_eq(buf[i], i < fill_cases[_i].filled ? 0xA0 + i : 0);
}
END_TEST

START_TEST(test_source_failure)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint8_t *buf;
	uint64_t addr = test_buffer(w, p, 8, &buf);

	source_fails = true;
	ck_assert_uint_eq(hk_fake_allow_rw(w, p, RNG, 0, addr, 8).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_success(hk_fake_command(w, p, RNG, 1, 8, 0));
	ck_assert_upcall(test_upcall(w, p, RNG, 0), TOCK_ERR_FAIL, 0, 0);
}
END_TEST

START_TEST(test_two_processes_get_their_own_buffers)
{
	struct hk_process *a = hk_fake_spawn(w, NULL), *b = hk_fake_spawn(w, NULL);
	uint8_t *abuf, *bbuf;
	uint64_t aaddr = test_buffer(w, a, 4, &abuf), baddr = test_buffer(w, b, 4, &bbuf);

	ck_assert_uint_eq(hk_fake_allow_rw(w, a, RNG, 0, aaddr, 4).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_rw(w, b, RNG, 0, baddr, 4).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_success(hk_fake_command(w, b, RNG, 1, 2, 0));
	ck_assert(!test_has_upcall(w, a, RNG, 0));
	ck_assert_upcall(test_upcall(w, b, RNG, 0), 0, 2, 0);
	ck_assert_uint_eq(abuf[0], 0);
	ck_assert_uint_eq(bbuf[1], 0xA1);
	ck_assert_uint_eq(bbuf[2], 0);
}
END_TEST

START_TEST(test_free_null)
{
	capsule_rng_free(NULL);
}
END_TEST

static Suite *rng_suite(void)
{
	Suite *s = suite_create("capsule_rng");
	TCase *tc = tcase_create("rng");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_simple_commands, 0, sizeof(simple_cmds) / sizeof(simple_cmds[0]));
	tcase_add_loop_test(tc, test_fill, 0, sizeof(fill_cases) / sizeof(fill_cases[0]));
	tcase_add_test(tc, test_source_failure);
	tcase_add_test(tc, test_two_processes_get_their_own_buffers);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rng_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
