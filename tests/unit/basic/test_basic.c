/* Unit tests of basic/: array growth and its overflow guard, bounded file read, monotonic clock, ErrorCode names. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/array.h"
#include "basic/clock.h"
#include "basic/error_code.h"
#include "basic/file.h"
#include "tock/abi.h"

START_TEST(test_array_grows_and_keeps)
{
	uint32_t *a = NULL;
	size_t cap = 0;

	for (size_t n = 0; n < 1000; n++) {
		ck_assert(basic_array_reserve((void **)&a, &cap, n, sizeof(*a)));
		ck_assert_uint_gt(cap, n);
		a[n] = (uint32_t)n * 7u;
	}
	for (size_t n = 0; n < 1000; n++)
		ck_assert_uint_eq(a[n], n * 7u);
	ck_assert_uint_eq(cap, 1024);
	free(a);
}
END_TEST

START_TEST(test_array_refuses_overflow)
{
	void *a = NULL;
	size_t cap = SIZE_MAX / 2 + 1;

	/* Doubling would wrap: refused, nothing touched. */
	ck_assert(!basic_array_reserve(&a, &cap, cap, 1));
	ck_assert_ptr_null(a);
	cap = 8;
	ck_assert(!basic_array_reserve(&a, &cap, 8, SIZE_MAX / 8));
	ck_assert(!basic_array_reserve(&a, &cap, 8, 0));
	ck_assert_uint_eq(cap, 8);
}
END_TEST

static char *tmp_file(const void *data, size_t len)
{
	char *path = strdup("/tmp/test_basic_XXXXXX");
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

START_TEST(test_read_file)
{
	static const uint8_t bytes[] = { 1, 2, 3, 0, 5 };
	char *path = tmp_file(bytes, sizeof(bytes));
	char *empty = tmp_file("", 0);
	uint8_t *data = NULL;
	size_t len = 0;

	ck_assert_int_eq(basic_read_file(path, sizeof(bytes), &data, &len), 0);
	ck_assert_uint_eq(len, sizeof(bytes));
	ck_assert_mem_eq(data, bytes, sizeof(bytes));
	ck_assert_uint_eq(data[len], 0);
	free(data);
	ck_assert_int_eq(basic_read_file(path, sizeof(bytes) - 1, &data, &len), -EFBIG);
	ck_assert_int_eq(basic_read_file(empty, 16, &data, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_uint_eq(data[0], 0);
	free(data);
	ck_assert_int_eq(basic_read_file("/tmp", 16, &data, &len), -EISDIR);
	ck_assert_int_eq(basic_read_file("/dev/null", 16, &data, &len), -EINVAL);
	ck_assert_int_eq(basic_read_file("/nonexistent/test_basic", 16, &data, &len), -ENOENT);
	unlink(path);
	unlink(empty);
	free(path);
	free(empty);
}
END_TEST

START_TEST(test_clock_monotonic)
{
	uint64_t a = basic_mono_ns(), b;
	double s = basic_mono_s();

	usleep(2000);
	b = basic_mono_ns();
	ck_assert_uint_ge(b - a, 2000000u);
	ck_assert(basic_mono_s() - s >= 0.002);
	/* The two views are the same clock. */
	ck_assert(s * 1e9 >= (double)a - 1e6 && s * 1e9 <= (double)b + 1e6);
}
END_TEST

START_TEST(test_error_code_names)
{
	ck_assert_ptr_null(basic_error_code_name(0));
	ck_assert_str_eq(basic_error_code_name(TOCK_ERR_FAIL), "FAIL");
	ck_assert_str_eq(basic_error_code_name(TOCK_ERR_RESERVE), "RESERVE");
	ck_assert_str_eq(basic_error_code_name(TOCK_ERR_NOMEM), "NOMEM");
	ck_assert_str_eq(basic_error_code_name(TOCK_ERR_NODEVICE), "NODEVICE");
	ck_assert_str_eq(basic_error_code_name(TOCK_ERR_NOACK), "NOACK");
	for (uint32_t e = 1; e <= TOCK_ERR_MAX; e++)
		ck_assert_ptr_nonnull(basic_error_code_name(e));
	ck_assert_ptr_null(basic_error_code_name(TOCK_ERR_MAX + 1));
	ck_assert_ptr_null(basic_error_code_name(UINT32_MAX));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("basic");
	TCase *tc = tcase_create("basic");

	tcase_add_test(tc, test_array_grows_and_keeps);
	tcase_add_test(tc, test_array_refuses_overflow);
	tcase_add_test(tc, test_read_file);
	tcase_add_test(tc, test_clock_monotonic);
	tcase_add_test(tc, test_error_code_names);
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
