/* Unit tests of the MPU models: which sizes and (start, size) regions each can express, and region budgets. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "hostkernel/mpu_model.h"

static const struct {
	enum hk_mpu_kind kind;
	uint64_t size;
	bool ok;
} sizes[] = {
	{ HK_MPU_CORTEX_M, 0, false },
	{ HK_MPU_CORTEX_M, 16, false },     /* below the 32-byte minimum */
	{ HK_MPU_CORTEX_M, 32, true },
	{ HK_MPU_CORTEX_M, 48, false },     /* not a power of two */
	{ HK_MPU_CORTEX_M, 64, true },
	{ HK_MPU_CORTEX_M, 100, false },
	{ HK_MPU_CORTEX_M, 4096, true },
	{ HK_MPU_CORTEX_M, 4097, false },
	{ HK_MPU_CORTEX_M, 12288, false },
	{ HK_MPU_CORTEX_M, 1u << 20, true },
	{ HK_MPU_CORTEX_M, 1ull << 32, true },
	{ HK_MPU_CORTEX_M, 1ull << 33, false },
	{ HK_MPU_PMP, 0, false },
	{ HK_MPU_PMP, 2, false },
	{ HK_MPU_PMP, 4, true },
	{ HK_MPU_PMP, 6, false },           /* not a 4-byte granule */
	{ HK_MPU_PMP, 100, true },
	{ HK_MPU_PMP, 12288, true },
	{ HK_MPU_PMP, 4097, false },
	{ HK_MPU_HOST, 0, false },
	{ HK_MPU_HOST, 32, false },         /* below a page */
	{ HK_MPU_HOST, 4096, true },
	{ HK_MPU_HOST, 6000, false },
	{ HK_MPU_HOST, 12288, true },
	{ HK_MPU_HOST, 1u << 20, true },
};

START_TEST(size_table)
{
	const struct hk_mpu_model *m = hk_mpu_model_get(sizes[_i].kind);

	ck_assert_ptr_nonnull(m);
	ck_assert_msg(hk_mpu_size_ok(m, sizes[_i].size) == sizes[_i].ok, "%s size %llu", m->name,
	              (unsigned long long)sizes[_i].size);
}
END_TEST

static const struct {
	enum hk_mpu_kind kind;
	uint64_t start, size;
	bool ok;
} regions[] = {
	{ HK_MPU_CORTEX_M, 0x80000000, 4096, true },
	{ HK_MPU_CORTEX_M, 0x80001000, 8192, false }, /* not aligned to its size */
	{ HK_MPU_CORTEX_M, 0x80002000, 8192, true },
	{ HK_MPU_CORTEX_M, 0x80000020, 32, true },
	{ HK_MPU_CORTEX_M, 0x80000010, 32, false },
	{ HK_MPU_CORTEX_M, 0x80100000, 1u << 20, true },
	{ HK_MPU_CORTEX_M, 0x80080000, 1u << 20, false },
	{ HK_MPU_PMP, 0x80000004, 12, true },
	{ HK_MPU_PMP, 0x80000002, 12, false },
	{ HK_MPU_PMP, 0x80001000, 8192, true },
	{ HK_MPU_HOST, 0x80001000, 8192, true },
	{ HK_MPU_HOST, 0x80000800, 4096, false },
	{ HK_MPU_HOST, UINT64_MAX - 4095, 8192, false }, /* wraps */
};

START_TEST(region_table)
{
	const struct hk_mpu_model *m = hk_mpu_model_get(regions[_i].kind);

	ck_assert_msg(hk_mpu_region_ok(m, regions[_i].start, regions[_i].size) == regions[_i].ok, "%s [%llx, +%llx)",
	              m->name, (unsigned long long)regions[_i].start, (unsigned long long)regions[_i].size);
}
END_TEST

static const struct {
	const char *name;
	enum hk_mpu_kind kind;
	uint32_t override, regions;
} budgets[] = {
	{ "cortex-m", HK_MPU_CORTEX_M, 0, 8 },
	{ "pmp", HK_MPU_PMP, 0, 16 },
	{ "host", HK_MPU_HOST, 0, 64 },
	{ "cortex-m", HK_MPU_CORTEX_M, 16, 16 },
	{ "pmp", HK_MPU_PMP, 1, HK_MPU_FIXED_REGIONS },   /* never below flash + RAM */
	{ "host", HK_MPU_HOST, 100000, HK_MPU_MAX_REGIONS },
};

START_TEST(budget_table)
{
	const struct hk_mpu_model *m = hk_mpu_model_find(budgets[_i].name);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, budgets[_i].kind);
	ck_assert_uint_eq(hk_mpu_regions(m, budgets[_i].override), budgets[_i].regions);
}
END_TEST

START_TEST(unknown_models)
{
	ck_assert_ptr_null(hk_mpu_model_find("armv9"));
	ck_assert_ptr_null(hk_mpu_model_find(NULL));
	ck_assert_ptr_null(hk_mpu_model_get(7));
	ck_assert(!hk_mpu_size_ok(NULL, 4096));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mpu_model");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, size_table, 0, sizeof(sizes) / sizeof(sizes[0]));
	tcase_add_loop_test(tc, region_table, 0, sizeof(regions) / sizeof(regions[0]));
	tcase_add_loop_test(tc, budget_table, 0, sizeof(budgets) / sizeof(budgets[0]));
	tcase_add_test(tc, unknown_models);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
