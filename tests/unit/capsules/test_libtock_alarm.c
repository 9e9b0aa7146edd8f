/* libtock's virtual alarms (and libtock-sync's delays) run against the real alarm capsule on a fake process. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/services/alarm.h>

#include "capsules/alarm.h"
#include "hostkernel/fake/fake_backend.h"
#include "libtock_shim.h"

#define MS 1000000ull /* ns */

static struct hk_fake_world *w;
static struct capsule_alarm *alarm_capsule;
static struct hk_process *proc;

static void start_world(uint32_t frequency)
{
	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	alarm_capsule = capsule_alarm_new(hk_fake_kernel(w), TOCK_DRIVER_ALARM, frequency);
	ck_assert_ptr_nonnull(alarm_capsule);
	ck_assert_int_eq(hk_fake_register_driver(w, TOCK_DRIVER_ALARM, &capsule_alarm_ops, alarm_capsule), 0);
	proc = hk_fake_spawn(w, NULL);
	ck_assert_ptr_nonnull(proc);
	libtock_shim_attach(w, proc);
}

static void setup(void)
{
	start_world(0); /* 1 MHz */
}

static void teardown(void)
{
	capsule_alarm_free(alarm_capsule);
	hk_fake_world_free(w);
}

/* What fired, in order: the alarm's label and the virtual time in ms since the test started. */
struct fire {
	int label;
	uint32_t ms;
};
static struct fire fires[16];
static int nfires;
static uint64_t start_ns;
static libtock_alarm_t repeating;

static void record(uint32_t now, uint32_t scheduled, void *opaque)
{
	(void)now;
	(void)scheduled;
	ck_assert_int_lt(nfires, 16);
	fires[nfires++] = (struct fire){ (int)(intptr_t)opaque, (uint32_t)((hk_fake_now(w) - start_ns) / MS) };
}

static void run_until(int count)
{
	while (nfires < count)
		yield();
}

static void expect_fires(const struct fire *want, int count)
{
	ck_assert_int_eq(nfires, count);
	for (int i = 0; i < count; i++) {
		ck_assert_int_eq(fires[i].label, want[i].label);
		ck_assert_uint_eq(fires[i].ms, want[i].ms);
	}
}

/* The timer_order app's scenario: one-shots at 300, 100, 200 ms and a 50 ms repeating alarm cancelled after 3. */
static int repeats;
static void repeat_three_times(uint32_t now, uint32_t scheduled, void *opaque)
{
	record(now, scheduled, opaque);
	if (++repeats == 3)
		libtock_alarm_ms_cancel(&repeating);
}

static void timer_order_scenario(void)
{
	static libtock_alarm_t oneshot[3];
	static const struct fire want[] = { { 50, 50 }, { 100, 100 }, { 50, 100 }, { 50, 150 }, { 200, 200 }, { 300, 300 } };

	nfires = 0;
	repeats = 0;
	start_ns = hk_fake_now(w);
	ck_assert_int_eq(libtock_alarm_in_ms(300, record, (void *)(intptr_t)300, &oneshot[0]), RETURNCODE_SUCCESS);
	ck_assert_int_eq(libtock_alarm_in_ms(100, record, (void *)(intptr_t)100, &oneshot[1]), RETURNCODE_SUCCESS);
	ck_assert_int_eq(libtock_alarm_in_ms(200, record, (void *)(intptr_t)200, &oneshot[2]), RETURNCODE_SUCCESS);
	libtock_alarm_repeating_every_ms(50, repeat_three_times, (void *)(intptr_t)50, &repeating);
	run_until(6);
	expect_fires(want, 6);
	/* Nothing is left: the kernel alarm was stopped. */
	ck_assert_uint_eq(hk_next_deadline(hk_fake_kernel(w)), UINT64_MAX);
}

START_TEST(test_timer_order)
{
	timer_order_scenario();
}
END_TEST

/* The same scenario straddling the 32-bit tick wrap (at 1 MHz, 2^32 ticks = about 71.6 minutes). */
START_TEST(test_timer_order_across_wrap)
{
	hk_fake_advance(w, ((1ull << 32) - 120000) * 1000); /* 120 ms before the wrap */
	timer_order_scenario();
}
END_TEST

/* An alarm longer than the tick counter's range is chained and still fires exactly on time. */
START_TEST(test_longer_than_counter)
{
	static libtock_alarm_t a;
	static const struct fire want[] = { { 1, 5000000 } };

	nfires = 0;
	start_ns = hk_fake_now(w);
	ck_assert_int_eq(libtock_alarm_in_ms(5000000, record, (void *)(intptr_t)1, &a), RETURNCODE_SUCCESS);
	run_until(1);
	expect_fires(want, 1);
}
END_TEST

START_TEST(test_cancel_first_and_middle)
{
	static libtock_alarm_t a, b, c;
	static const struct fire want[] = { { 3, 30 } };

	nfires = 0;
	start_ns = hk_fake_now(w);
	libtock_alarm_in_ms(10, record, (void *)(intptr_t)1, &a);
	libtock_alarm_in_ms(20, record, (void *)(intptr_t)2, &b);
	libtock_alarm_in_ms(30, record, (void *)(intptr_t)3, &c);
	libtock_alarm_ms_cancel(&a); /* the one on the kernel alarm */
	libtock_alarm_ms_cancel(&b);
	libtock_alarm_ms_cancel(&b); /* twice: no effect */
	run_until(1);
	expect_fires(want, 1);
}
END_TEST

/* Tick alarms: a past expiry fires at once; equal expiries fire in the order they were set. */
START_TEST(test_ticks_past_and_ties)
{
	static libtock_alarm_ticks_t a, b, c;
	static const struct fire want[] = { { 3, 0 }, { 1, 5 }, { 2, 5 } };
	uint32_t now;

	nfires = 0;
	hk_fake_advance(w, 10 * MS);
	start_ns = hk_fake_now(w);
	ck_assert_int_eq(libtock_alarm_command_read(&now), RETURNCODE_SUCCESS);
	libtock_alarm_at(now, 5000, record, (void *)(intptr_t)1, &a);
	libtock_alarm_at(now, 5000, record, (void *)(intptr_t)2, &b);
	libtock_alarm_at(now - 3000, 1000, record, (void *)(intptr_t)3, &c);
	run_until(3);
	expect_fires(want, 3);
}
END_TEST

START_TEST(test_ticks_to_ms)
{
	ck_assert_uint_eq(libtock_alarm_ticks_to_ms(1000), 1);
	ck_assert_uint_eq(libtock_alarm_ticks_to_ms(2500000), 2500);
	ck_assert_uint_eq(libtock_alarm_ticks_to_ms(UINT32_MAX), 4294967);
}
END_TEST

/* At 32768 Hz a millisecond is 32.768 ticks: alarms in ms round up and never fire early. */
START_TEST(test_ms_never_early_at_32768_hz)
{
	static libtock_alarm_t a;
	uint64_t t0;

	teardown();
	start_world(32768);
	t0 = hk_fake_now(w);
	nfires = 0;
	start_ns = t0;
	libtock_alarm_in_ms(1, record, NULL, &a);
	run_until(1);
	ck_assert_uint_ge(hk_fake_now(w) - t0, 1 * MS);
	ck_assert_uint_eq(hk_fake_now(w) - t0, 1007081); /* ceil(33 ticks * 1e9 / 32768) ns */
	ck_assert_uint_eq(libtock_alarm_ticks_to_ms(32768), 1000);
}
END_TEST

START_TEST(test_sync_delay)
{
	uint64_t t0 = hk_fake_now(w);

	ck_assert_int_eq(libtocksync_alarm_delay_ms(20), RETURNCODE_SUCCESS);
	ck_assert_uint_eq(hk_fake_now(w) - t0, 20 * MS);
}
END_TEST

static bool cond;
static void set_cond(uint32_t now, uint32_t scheduled, void *opaque)
{
	(void)now;
	(void)scheduled;
	(void)opaque;
	cond = true;
}

START_TEST(test_sync_yield_for_with_timeout)
{
	static libtock_alarm_t a;
	uint64_t t0 = hk_fake_now(w);

	cond = false;
	ck_assert_int_eq(libtocksync_alarm_yield_for_with_timeout(&cond, 30), RETURNCODE_FAIL);
	ck_assert_uint_eq(hk_fake_now(w) - t0, 30 * MS);

	libtock_alarm_in_ms(10, set_cond, NULL, &a);
	ck_assert_int_eq(libtocksync_alarm_yield_for_with_timeout(&cond, 30), RETURNCODE_SUCCESS);
	ck_assert_uint_eq(hk_fake_now(w) - t0, 40 * MS);
	ck_assert_uint_eq(hk_next_deadline(hk_fake_kernel(w)), UINT64_MAX); /* the timeout was cancelled */
}
END_TEST

static Suite *libtock_alarm_suite(void)
{
	Suite *s = suite_create("libtock_alarm");
	TCase *tc = tcase_create("virtual_alarms");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_timer_order);
	tcase_add_test(tc, test_timer_order_across_wrap);
	tcase_add_test(tc, test_longer_than_counter);
	tcase_add_test(tc, test_cancel_first_and_middle);
	tcase_add_test(tc, test_ticks_past_and_ties);
	tcase_add_test(tc, test_ticks_to_ms);
	tcase_add_test(tc, test_ms_never_early_at_32768_hz);
	tcase_add_test(tc, test_sync_delay);
	tcase_add_test(tc, test_sync_yield_for_with_timeout);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(libtock_alarm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
