/* Unit tests of libtock's allow cache: a re-allow is answered locally only when the kernel holds exactly that buffer. */
#include <check.h>
#include <stdlib.h>

#include "apps/libtock/allow_cache.h"

#define RO 3u /* TOCK_CLASS_ALLOW_RO */
#define RW 4u /* TOCK_CLASS_ALLOW_RW */

static void setup(void)
{
	tock_allow_cache_clear();
}

START_TEST(test_hit_only_for_the_same_pair)
{
	ck_assert(!tock_allow_cache_holds(RO, 0xA0010, 0, 0x1000, 16));
	tock_allow_cache_store(RO, 0xA0010, 0, 0x1000, 16);
	ck_assert(tock_allow_cache_holds(RO, 0xA0010, 0, 0x1000, 16));
	ck_assert(!tock_allow_cache_holds(RO, 0xA0010, 0, 0x1000, 17));  /* other size */
	ck_assert(!tock_allow_cache_holds(RO, 0xA0010, 0, 0x1008, 16));  /* other pointer */
	ck_assert(!tock_allow_cache_holds(RO, 0xA0010, 1, 0x1000, 16));  /* other slot */
	ck_assert(!tock_allow_cache_holds(RO, 0xA0011, 0, 0x1000, 16));  /* other driver */
	ck_assert(!tock_allow_cache_holds(RW, 0xA0010, 0, 0x1000, 16));  /* other class */
}
END_TEST

START_TEST(test_store_replaces_the_slot)
{
	tock_allow_cache_store(RW, 1, 0, 0x1000, 16);
	tock_allow_cache_store(RW, 1, 0, 0x2000, 32);
	ck_assert(!tock_allow_cache_holds(RW, 1, 0, 0x1000, 16)); /* the kernel swapped it out */
	ck_assert(tock_allow_cache_holds(RW, 1, 0, 0x2000, 32));
	tock_allow_cache_store(RW, 1, 0, 0, 0); /* un-allow */
	ck_assert(!tock_allow_cache_holds(RW, 1, 0, 0x2000, 32));
	ck_assert(tock_allow_cache_holds(RW, 1, 0, 0, 0));
}
END_TEST

START_TEST(test_forget_and_clear)
{
	tock_allow_cache_store(RO, 1, 0, 0x1000, 16);
	tock_allow_cache_store(RO, 2, 0, 0x3000, 16);
	tock_allow_cache_forget(RO, 1, 0); /* a refused allow: what the kernel holds is unknown */
	ck_assert(!tock_allow_cache_holds(RO, 1, 0, 0x1000, 16));
	ck_assert(tock_allow_cache_holds(RO, 2, 0, 0x3000, 16));
	tock_allow_cache_clear(); /* the break moved */
	ck_assert(!tock_allow_cache_holds(RO, 2, 0, 0x3000, 16));
}
END_TEST

/* More slots than the table holds: an evicted one is a miss (a trap), never a wrong hit. */
START_TEST(test_eviction_is_a_miss)
{
	for (uint32_t d = 0; d < 40; d++)
		tock_allow_cache_store(RO, d, 0, 0x1000 + d, 8);
	for (uint32_t d = 0; d < 40; d++) {
		ck_assert(!tock_allow_cache_holds(RO, d, 0, 0x2000 + d, 8));
		ck_assert(!tock_allow_cache_holds(RO, d, 0, 0x1000 + d, 9));
	}
	ck_assert(tock_allow_cache_holds(RO, 39, 0, 0x1000 + 39, 8)); /* the newest survive */
	ck_assert(!tock_allow_cache_holds(RO, 0, 0, 0x1000, 8));      /* the oldest went */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("allow_cache");
	TCase *tc = tcase_create("allow_cache");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_hit_only_for_the_same_pair);
	tcase_add_test(tc, test_store_replaces_the_slot);
	tcase_add_test(tc, test_forget_and_clear);
	tcase_add_test(tc, test_eviction_is_a_miss);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
