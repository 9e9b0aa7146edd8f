/* Unit tests of the IPC Share capsule (0xA0020) on fake processes: commands, errors, MPU models, budgets. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "share_test.h"

struct hk_fake_world *w;
struct ipc_share *share;

static void setup(void)
{
	share_world_new(HK_MPU_CORTEX_M, 0);
}

static void teardown(void)
{
	share_world_free();
}

START_TEST(exists_and_unknown_command)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);

	ck_assert_ok(hk_fake_command(w, a, SHARE, 0, 0, 0));
	ck_assert_fail(hk_fake_command(w, a, SHARE, 6, 0, 0), TOCK_ERR_NOSUPPORT);
}
END_TEST

/* Producer writes, consumer reads, and back: the same bytes, no copy. */
START_TEST(data_visible_both_ways)
{
	struct hk_process *a = ipc_test_spawn(w, "producer", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "consumer", 7, HK_FAULT_STOP);
	uint64_t aa, ba, aid = ipc_test_id(w, a);
	uint32_t region = share_create(a, 4096, &aa);
	uint8_t *ap, *bp;
	bool writable;

	ck_assert_uint_ge(region, 1);
	ck_assert_uint_ge(aa, TOCK_SHARE_WINDOW_START);
	ck_assert_uint_lt(aa, TOCK_SHARE_WINDOW_START + TOCK_SHARE_WINDOW_SIZE);
	ck_assert_ok(share_grant(a, ipc_test_id(w, b), region, 1));
	ck_assert_upcall(w, b, SHARE, 0, (uint32_t)aid, (uint32_t)(aid >> 32), region);
	ck_assert_ok_u32_u64(share_map(b, region, &ba), 4096, ba);
	ap = hk_fake_share_ptr(w, a, aa, 4096, &writable);
	ck_assert(writable);
	bp = hk_fake_share_ptr(w, b, ba, 4096, &writable);
	ck_assert(writable);
	ck_assert_ptr_nonnull(ap);
	ck_assert_ptr_eq(ap, bp);
	memcpy(ap, "ping", 4);
	ck_assert_mem_eq(bp, "ping", 4);
	ck_assert_uint_eq(share_used(a), 3);
	ck_assert_uint_eq(share_used(b), 3);
}
END_TEST

START_TEST(read_only_grant_maps_read_only)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	uint32_t region = share_create(a, 64, NULL);
	uint64_t ba;
	bool writable = true;

	ck_assert_ok(share_grant(a, ipc_test_id(w, b), region, 0));
	ck_assert_ok_u32_u64(share_map(b, region, &ba), 64, ba);
	ck_assert_ptr_nonnull(hk_fake_share_ptr(w, b, ba, 64, &writable));
	ck_assert(!writable);
}
END_TEST

/* cmd 1 sizes per model: (model, size, expected error or 0). */
static const struct {
	enum hk_mpu_kind model;
	uint32_t size, err;
} create_sizes[] = {
	{ HK_MPU_CORTEX_M, 0, TOCK_ERR_INVAL },
	{ HK_MPU_CORTEX_M, 16, TOCK_ERR_INVAL },
	{ HK_MPU_CORTEX_M, 32, 0 },
	{ HK_MPU_CORTEX_M, 100, TOCK_ERR_INVAL },
	{ HK_MPU_CORTEX_M, 3 << 12, TOCK_ERR_INVAL },
	{ HK_MPU_CORTEX_M, 1 << 24, 0 },
	{ HK_MPU_CORTEX_M, 1 << 25, TOCK_ERR_SIZE },
	{ HK_MPU_CORTEX_M, UINT32_MAX, TOCK_ERR_SIZE },
	{ HK_MPU_PMP, 4, 0 },
	{ HK_MPU_PMP, 6, TOCK_ERR_INVAL },
	{ HK_MPU_PMP, 100, 0 },
	{ HK_MPU_PMP, 3 << 12, 0 },
	{ HK_MPU_HOST, 100, TOCK_ERR_INVAL },
	{ HK_MPU_HOST, 3 << 12, 0 },
	{ HK_MPU_HOST, 0, TOCK_ERR_INVAL },
};

START_TEST(create_size_table)
{
	struct hk_process *a;
	struct hk_fake_ret r;

	share_world_free();
	share_world_new(create_sizes[_i].model, 0);
	a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	r = hk_fake_command(w, a, SHARE, 1, create_sizes[_i].size, 0);
	if (create_sizes[_i].err) {
		ck_assert_fail(r, create_sizes[_i].err);
		ck_assert_uint_eq(hk_share_region_count(hk_fake_kernel(w)), 0);
		return;
	}
	ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS_U32_U64);
	/* Cortex-M: the start is aligned to the size, as RBAR demands. */
	if (create_sizes[_i].model == HK_MPU_CORTEX_M)
		ck_assert_uint_eq((r.r2 | (r.r3 << 32)) % create_sizes[_i].size, 0);
}
END_TEST

/* Budget per model: flash + RAM + (regions - 2) shares; the next one is NOMEM, for create and map alike. */
static const struct {
	enum hk_mpu_kind model;
	uint32_t override, shares;
} budgets[] = {
	{ HK_MPU_CORTEX_M, 0, 6 },
	{ HK_MPU_PMP, 0, 14 },
	{ HK_MPU_HOST, 0, 62 },
	{ HK_MPU_CORTEX_M, 4, 2 },
};

START_TEST(budget_table)
{
	struct hk_process *a, *b;
	uint32_t size = budgets[_i].model == HK_MPU_PMP ? 4 : 4096, first = 0, region = 0;

	share_world_free();
	share_world_new(budgets[_i].model, budgets[_i].override);
	a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	b = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	for (uint32_t i = 0; i < budgets[_i].shares; i++) {
		region = share_create(a, size, NULL);
		if (i == 0)
			first = region;
	}
	ck_assert_fail(hk_fake_command(w, a, SHARE, 1, size, 0), TOCK_ERR_NOMEM);
	ck_assert_uint_eq(share_used(a), budgets[_i].shares + 2);
	/* b fills its own budget with one slot to spare, maps one of a's regions, then is full. */
	for (uint32_t i = 0; i + 1 < budgets[_i].shares; i++)
		share_create(b, size, NULL);
	ck_assert_ok(share_grant(a, ipc_test_id(w, b), first, 0));
	ck_assert_ok(share_grant(a, ipc_test_id(w, b), region, 0));
	ck_assert_uint_eq(share_map(b, first, NULL).r0, TOCK_RET_SUCCESS_U32_U64);
	ck_assert_fail(share_map(b, region, NULL), TOCK_ERR_NOMEM);
	/* Freeing a slot (destroying one of a's) makes room again. */
	ck_assert_ok(hk_fake_command(w, a, SHARE, 4, first, 0));
	ck_assert_uint_eq(share_map(b, region, NULL).r0, TOCK_RET_SUCCESS_U32_U64);
}
END_TEST

START_TEST(grant_errors)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "b", 5, HK_FAULT_STOP);
	struct hk_process *c = ipc_test_spawn(w, "c", 0, HK_FAULT_STOP);
	uint32_t region = share_create(a, 4096, NULL), other = share_create(c, 4096, NULL);
	uint64_t bid = ipc_test_id(w, b), cid = ipc_test_id(w, c);
	uint8_t shortreq[15] = { 0 };

	ipc_test_allow_ro(w, a, SHARE, 0, shortreq, sizeof(shortreq));
	ck_assert_fail(hk_fake_command(w, a, SHARE, 2, 0, 0), TOCK_ERR_SIZE);
	ck_assert_fail(share_grant(a, bid, region, 2), TOCK_ERR_INVAL);          /* unknown flag */
	ck_assert_fail(share_grant(a, bid, other, 0), TOCK_ERR_INVAL);           /* not a's region */
	ck_assert_fail(share_grant(a, bid, 999, 0), TOCK_ERR_INVAL);             /* no such region */
	ck_assert_fail(share_grant(a, ipc_test_id(w, a), region, 0), TOCK_ERR_INVAL); /* self */
	ck_assert_fail(share_grant(a, bid ^ (1ull << 32), region, 0), TOCK_ERR_NODEVICE); /* forged ShortId */
	ck_assert_fail(share_grant(a, 77, region, 0), TOCK_ERR_NODEVICE);        /* no such process */
	hk_fake_exit(w, c, TOCK_EXIT_TERMINATE, 0);
	ck_assert_fail(share_grant(a, cid, region, 0), TOCK_ERR_NODEVICE);       /* dead */
	ck_assert_no_upcall(w, b, SHARE, 0);
	/* Mapped: the flags cannot change under it. Unmapped: a new grant replaces them. */
	ck_assert_ok(share_grant(a, bid, region, 0));
	ck_assert_uint_eq(share_map(b, region, NULL).r0, TOCK_RET_SUCCESS_U32_U64);
	ck_assert_fail(share_grant(a, bid, region, 1), TOCK_ERR_ALREADY);
	ck_assert_ok(hk_fake_command(w, b, SHARE, 4, region, 0));
	ck_assert_ok(share_grant(a, bid, region, 1));
}
END_TEST

START_TEST(map_errors)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	struct hk_process *c = ipc_test_spawn(w, "c", 0, HK_FAULT_STOP);
	uint32_t region = share_create(a, 4096, NULL);

	ck_assert_fail(share_map(b, region, NULL), TOCK_ERR_INVAL);       /* not granted */
	ck_assert_fail(share_map(b, region + 100, NULL), TOCK_ERR_INVAL); /* no such region */
	ck_assert_fail(share_map(a, region, NULL), TOCK_ERR_ALREADY);     /* the owner's is always mapped */
	ck_assert_ok(share_grant(a, ipc_test_id(w, b), region, 0));
	ck_assert_fail(share_map(c, region, NULL), TOCK_ERR_INVAL);       /* granted to b, not c */
	ck_assert_uint_eq(share_map(b, region, NULL).r0, TOCK_RET_SUCCESS_U32_U64);
	ck_assert_fail(share_map(b, region, NULL), TOCK_ERR_ALREADY);     /* twice */
	ck_assert_fail(hk_fake_command(w, c, SHARE, 4, region, 0), TOCK_ERR_INVAL);
	ck_assert_fail(hk_fake_command(w, c, SHARE, 5, region, 0), TOCK_ERR_INVAL);
}
END_TEST

/* Receiver unmap, remap, owner revoke, owner destroy: each leaves the receiver without the memory. */
START_TEST(unmap_revoke_destroy_sequence)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	uint64_t aid = ipc_test_id(w, a), bid = ipc_test_id(w, b), ba;
	uint32_t region = share_create(a, 4096, NULL);

	ck_assert_ok(share_grant(a, bid, region, 1));
	ck_assert_upcall(w, b, SHARE, 0, (uint32_t)aid, (uint32_t)(aid >> 32), region);
	ck_assert_uint_eq(share_map(b, region, &ba).r0, TOCK_RET_SUCCESS_U32_U64);
	ck_assert_ok(hk_fake_command(w, b, SHARE, 4, region, 0));
	ck_assert_ptr_null(hk_fake_share_ptr(w, b, ba, 1, NULL));
	ck_assert_uint_eq(share_used(b), 2);
	ck_assert_fail(hk_fake_command(w, b, SHARE, 4, region, 0), TOCK_ERR_ALREADY);
	ck_assert_uint_eq(share_map(b, region, &ba).r0, TOCK_RET_SUCCESS_U32_U64);
	/* Revoke: short allow, dead/forged id, then the real one. */
	ipc_test_allow_ro(w, a, SHARE, 0, "1234567", 7);
	ck_assert_fail(hk_fake_command(w, a, SHARE, 5, region, 0), TOCK_ERR_SIZE);
	ck_assert_fail(share_revoke(a, region, bid + (1ull << 32)), TOCK_ERR_NODEVICE);
	ck_assert_fail(share_revoke(a, region, aid), TOCK_ERR_INVAL);
	ck_assert_fail(share_revoke(b, region, bid), TOCK_ERR_INVAL); /* not b's region */
	ck_assert_ok(share_revoke(a, region, bid));
	ck_assert_upcall(w, b, SHARE, 1, (uint32_t)aid, (uint32_t)(aid >> 32), region);
	ck_assert_ptr_null(hk_fake_share_ptr(w, b, ba, 1, NULL));
	ck_assert_fail(share_map(b, region, NULL), TOCK_ERR_INVAL);
	ck_assert_fail(share_revoke(a, region, bid), TOCK_ERR_INVAL); /* no longer granted */
	/* Destroy: every receiver told, the region gone for all. */
	ck_assert_ok(share_grant(a, bid, region, 0));
	ck_assert_upcall(w, b, SHARE, 0, (uint32_t)aid, (uint32_t)(aid >> 32), region);
	ck_assert_uint_eq(share_map(b, region, &ba).r0, TOCK_RET_SUCCESS_U32_U64);
	ck_assert_ok(hk_fake_command(w, a, SHARE, 4, region, 0));
	ck_assert_upcall(w, b, SHARE, 1, (uint32_t)aid, (uint32_t)(aid >> 32), region);
	ck_assert_ptr_null(hk_fake_share_ptr(w, b, ba, 1, NULL));
	ck_assert_uint_eq(hk_share_region_count(hk_fake_kernel(w)), 0);
	ck_assert_fail(hk_fake_command(w, a, SHARE, 4, region, 0), TOCK_ERR_INVAL);
	ck_assert_fail(share_map(b, region, NULL), TOCK_ERR_INVAL);
	ck_assert_uint_eq(share_used(a), 2);
	ck_assert_uint_eq(share_used(b), 2);
}
END_TEST

/* A flood of grants leaves one queued notification; revoking an unmapped grantee sends nothing. */
START_TEST(grant_flood_is_coalesced)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	uint64_t aid = ipc_test_id(w, a), bid = ipc_test_id(w, b);
	uint32_t first = share_create(a, 4096, NULL), second = share_create(a, 4096, NULL);
	struct hk_process_stats st;

	for (int i = 0; i < 50; i++) {
		ck_assert_ok(share_grant(a, bid, first, 0));
		ck_assert_ok(share_grant(a, bid, second, 0));
	}
	hk_process_get_stats(b, &st);
	ck_assert_uint_eq(st.upcalls_queued, 1);
	ck_assert_uint_eq(st.upcalls_dropped, 0);
	ck_assert_upcall(w, b, SHARE, 0, (uint32_t)aid, (uint32_t)(aid >> 32), first);
	ck_assert_no_upcall(w, b, SHARE, 0);
	ck_assert_ok(share_revoke(a, first, bid));
	ck_assert_ok(hk_fake_command(w, a, SHARE, 4, second, 0));
	ck_assert_no_upcall(w, b, SHARE, 1);
}
END_TEST

/* Allows must lie in the process's own RAM/flash: never in a share, so a share never overlaps one. */
START_TEST(allow_into_share_is_refused)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	uint64_t aa;

	share_create(a, 4096, &aa);
	ck_assert_uint_eq(hk_fake_allow_ro(w, a, SHARE, 0, aa, 16).r0, TOCK_RET_FAILURE_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_rw(w, a, TOCK_DRIVER_IPC_SHARE, 0, aa, 16).r0, TOCK_RET_FAILURE_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_ro(w, a, SHARE, 0, aa, 16).r1, TOCK_ERR_INVAL);
}
END_TEST

/* Addresses stay inside the window, distinct per process, and freed slots are reused. */
START_TEST(placement)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	uint64_t x, y, z;
	uint32_t rx = share_create(a, 8192, &x);

	share_create(a, 32, &y);
	ck_assert(y >= x + 8192 || y + 4096 <= x);
	ck_assert_ok(hk_fake_command(w, a, SHARE, 4, rx, 0));
	share_create(a, 4096, &z);
	ck_assert_uint_eq(z, x);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipc_share");
	TCase *tc = tcase_create("commands");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, exists_and_unknown_command);
	tcase_add_test(tc, data_visible_both_ways);
	tcase_add_test(tc, read_only_grant_maps_read_only);
	tcase_add_loop_test(tc, create_size_table, 0, sizeof(create_sizes) / sizeof(create_sizes[0]));
	tcase_add_loop_test(tc, budget_table, 0, sizeof(budgets) / sizeof(budgets[0]));
	tcase_add_test(tc, grant_errors);
	tcase_add_test(tc, map_errors);
	tcase_add_test(tc, unmap_revoke_destroy_sequence);
	tcase_add_test(tc, grant_flood_is_coalesced);
	tcase_add_test(tc, allow_into_share_is_refused);
	tcase_add_test(tc, placement);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
