/* Unit tests of IPC Share across process deaths and many cycles: revocation, upcall 1, nothing left behind. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

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

enum death { DEATH_TERMINATE, DEATH_RESTART, DEATH_FAULT_STOP, DEATH_FAULT_RESTART };

static void kill_process(struct hk_process *p, enum death how)
{
	if (how == DEATH_TERMINATE)
		hk_fake_exit(w, p, TOCK_EXIT_TERMINATE, 0);
	else if (how == DEATH_RESTART)
		hk_fake_exit(w, p, TOCK_EXIT_RESTART, 0);
	else
		hk_fake_fault(w, p, "test fault");
	ck_assert(!hk_fake_panicked(w, NULL));
}

static enum hk_fault_policy_kind policy_for(enum death how)
{
	return how == DEATH_FAULT_RESTART ? HK_FAULT_RESTART : HK_FAULT_STOP;
}

/* The owner ends: every receiver loses the mapping, mappers get upcall 1; the region is gone. */
START_TEST(owner_death)
{
	enum death how = (enum death)_i;
	struct hk_process *a = ipc_test_spawn(w, "owner", 0, policy_for(how));
	struct hk_process *b = ipc_test_spawn(w, "r1", 0, HK_FAULT_STOP);
	struct hk_process *c = ipc_test_spawn(w, "r2", 0, HK_FAULT_STOP);
	uint64_t aid = ipc_test_id(w, a), ba;
	uint32_t region = share_create(a, 4096, NULL);
	struct ipc_share_region_info info;

	ck_assert_ok(share_grant(a, ipc_test_id(w, b), region, 1));
	ck_assert_ok(share_grant(a, ipc_test_id(w, c), region, 0));
	ck_assert_uint_eq(share_map(b, region, &ba).r0, TOCK_RET_SUCCESS_U32_U64);
	kill_process(a, how);
	ck_assert_ptr_null(hk_fake_share_ptr(w, b, ba, 1, NULL));
	ck_assert_uint_eq(hk_share_region_count(hk_fake_kernel(w)), 0);
	ck_assert(!ipc_share_region_at(share, 0, &info));
	ck_assert_upcall(w, b, SHARE, 0, (uint32_t)aid, (uint32_t)(aid >> 32), region);
	ck_assert_upcall(w, b, SHARE, 1, (uint32_t)aid, (uint32_t)(aid >> 32), region);
	ck_assert_upcall(w, c, SHARE, 0, (uint32_t)aid, (uint32_t)(aid >> 32), region);
	ck_assert_no_upcall(w, c, SHARE, 1); /* granted, never mapped: it loses nothing, hears nothing */
	ck_assert_fail(share_map(b, region, NULL), TOCK_ERR_INVAL);
	ck_assert_uint_eq(share_used(b), 2);
}
END_TEST

/* A receiver ends: its mapping and grant go, the owner keeps the region; a restarted receiver starts clean. */
START_TEST(receiver_death)
{
	enum death how = (enum death)_i;
	struct hk_process *a = ipc_test_spawn(w, "owner", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "r", 0, policy_for(how));
	uint32_t region = share_create(a, 4096, NULL);
	struct ipc_share_region_info info;
	struct hk_share_region_info kinfo;

	ck_assert_ok(share_grant(a, ipc_test_id(w, b), region, 1));
	ck_assert_uint_eq(share_map(b, region, NULL).r0, TOCK_RET_SUCCESS_U32_U64);
	kill_process(b, how);
	ck_assert(ipc_share_region_at(share, 0, &info));
	ck_assert_uint_eq(info.grants, 0);
	ck_assert_int_eq(hk_share_region_get(hk_fake_kernel(w), region, &kinfo), 0);
	ck_assert_uint_eq(kinfo.mappings, 1);
	if (how == DEATH_RESTART || how == DEATH_FAULT_RESTART) {
		ck_assert_fail(share_map(b, region, NULL), TOCK_ERR_INVAL);
		ck_assert_uint_eq(share_used(b), 2);
	}
}
END_TEST

/* 1,000 create/grant/map/unmap/destroy cycles: ids never reused, nothing accumulates (ASan checks the heap). */
START_TEST(thousand_cycles)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	uint64_t bid = ipc_test_id(w, b);
	uint32_t last = 0;

	for (int i = 0; i < 1000; i++) {
		uint32_t region = share_create(a, 4096, NULL);

		ck_assert_uint_gt(region, last);
		last = region;
		ck_assert_ok(share_grant(a, bid, region, i & 1));
		ck_assert_uint_eq(share_map(b, region, NULL).r0, TOCK_RET_SUCCESS_U32_U64);
		ck_assert_ok(hk_fake_command(w, b, SHARE, 4, region, 0));
		ck_assert_ok(hk_fake_command(w, a, SHARE, 4, region, 0));
		ck_assert(ipc_test_has_upcall(w, b, SHARE, 0));
		ck_assert(!ipc_test_has_upcall(w, b, SHARE, 1)); /* unmapped before the destroy */
	}
	ck_assert_uint_eq(hk_share_region_count(hk_fake_kernel(w)), 0);
	ck_assert_uint_eq(share_used(a), 2);
	ck_assert_uint_eq(share_used(b), 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipc_share_lifecycle");
	TCase *tc = tcase_create("lifecycle");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, owner_death, DEATH_TERMINATE, DEATH_FAULT_RESTART + 1);
	tcase_add_loop_test(tc, receiver_death, DEATH_TERMINATE, DEATH_FAULT_RESTART + 1);
	tcase_add_test(tc, thousand_cycles);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
