/* Unit tests of the alarm capsule on fake processes and virtual time: commands, ordering, wraparound, no early fire. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "capsule_test.h"
#include "capsules/alarm.h"

#define ALM TOCK_DRIVER_ALARM
#define US 1000ull /* ns */
#define MS 1000000ull

static struct hk_fake_world *w;
static struct capsule_alarm *alarm_capsule;

static void start_world(uint32_t frequency)
{
	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	alarm_capsule = capsule_alarm_new(hk_fake_kernel(w), ALM, frequency);
	ck_assert_ptr_nonnull(alarm_capsule);
	ck_assert_int_eq(hk_fake_register_driver(w, ALM, &capsule_alarm_ops, alarm_capsule), 0);
}

static void setup(void)
{
	start_world(0); /* default 1 MHz: 1 tick = 1 µs */
}

static void teardown(void)
{
	capsule_alarm_free(alarm_capsule);
	hk_fake_world_free(w);
}

static uint32_t now_ticks(struct hk_process *p)
{
	struct hk_fake_ret r = hk_fake_command(w, p, ALM, 2, 0, 0);

	ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS_U32);
	return (uint32_t)r.r1;
}

static bool fired(struct hk_process *p, struct hk_fake_upcall *ret)
{
	return hk_fake_yield_wait_for(w, p, ALM, 0, ret);
}

/* ---- commands ---- */

static const struct {
	uint32_t cmd;
	uint32_t variant, value;
} simple_cmds[] = {
	{ 0, TOCK_RET_SUCCESS, 0 },
	{ 1, TOCK_RET_SUCCESS_U32, 1000000 },
	{ 2, TOCK_RET_SUCCESS_U32, 0 },
	{ 3, TOCK_RET_FAILURE, TOCK_ERR_ALREADY }, /* nothing armed */
	{ 4, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 7, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0x80000000u, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
};

START_TEST(test_simple_commands)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);

	ck_assert_cmd(hk_fake_command(w, p, ALM, simple_cmds[_i].cmd, 5, 6), simple_cmds[_i].variant,
	              simple_cmds[_i].value);
}
END_TEST

/* Frequency and the tick counter at board-set frequencies. */
static const struct {
	uint32_t board_hz, reported_hz;
	uint64_t advance_ns;
	uint32_t ticks;
} freq_cases[] = {
	{ 0, 1000000, 1 * MS, 1000 },
	{ 1000000, 1000000, 1500 * US + 999, 1500 }, /* truncated, never rounded up */
	{ 32768, 32768, 1000 * MS, 32768 },
	{ 1000, 1000, 2500 * MS, 2500 },
	{ 1000000000, 1000000000, 1234, 1234 },
};

START_TEST(test_frequency_and_now)
{
	struct hk_process *p;

	teardown();
	start_world(freq_cases[_i].board_hz);
	p = hk_fake_spawn(w, NULL);
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 1, 0, 0), freq_cases[_i].reported_hz);
	hk_fake_advance(w, freq_cases[_i].advance_ns);
	ck_assert_uint_eq(now_ticks(p), freq_cases[_i].ticks);
}
END_TEST

/* ---- firing ---- */

START_TEST(test_relative_fires_on_time_with_args)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint64_t fn = hk_fake_upcall_fn(w, p, 0);
	struct hk_fake_upcall up;

	ck_assert_uint_eq(hk_fake_subscribe(w, p, ALM, 0, fn, 77).r0, TOCK_RET_SUCCESS_U32_U32);
	hk_fake_advance(w, 5 * US);
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 5, 1000, 0), 1005);
	hk_fake_advance(w, 999 * US);
	ck_assert(!hk_fake_yield_wait(w, p, &up));
	hk_fake_advance(w, 1 * US);
	ck_assert(hk_fake_yield_wait(w, p, &up));
	ck_assert_uint_eq(up.fn, fn);
	ck_assert_uint_eq(up.appdata, 77);
	ck_assert_upcall(up, 1005, 1005, 0);
	/* It fired once and is disarmed now. */
	ck_assert_failure(hk_fake_command(w, p, ALM, 3, 0, 0), TOCK_ERR_ALREADY);
	hk_fake_advance(w, 10 * MS);
	ck_assert(!fired(p, &up));
}
END_TEST

START_TEST(test_absolute_reference_plus_dt)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	struct hk_fake_upcall up;

	hk_fake_advance(w, 100 * US);
	/* Expiry is reference + dt, not dt as an absolute tick (reference §9 item 2). */
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 6, 50, 200), 250);
	hk_fake_advance(w, 149 * US);
	ck_assert(!fired(p, &up));
	hk_fake_advance(w, 1 * US);
	ck_assert(fired(p, &up));
	ck_assert_upcall(up, 250, 250, 0);
}
END_TEST

/* An expiry already in the past (wrapping: now - reference >= dt) fires at the next timer run. */
static const struct {
	uint32_t reference, dt; /* relative to now = 1000 ticks */
} past_cases[] = {
	{ 500, 100 },        /* expired 400 ticks ago */
	{ 0, 1000 },         /* expires exactly now */
	{ 1000, 0 },         /* dt 0 */
	{ 2000, 50 },        /* reference in the future: now - reference wraps past dt (Tock's arithmetic) */
};

START_TEST(test_past_expiry_fires_at_next_run)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	struct hk_fake_upcall up;
	uint32_t expiry = past_cases[_i].reference + past_cases[_i].dt;

	hk_fake_advance(w, 1000 * US);
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 6, past_cases[_i].reference, past_cases[_i].dt), expiry);
	ck_assert(!fired(p, &up)); /* timers run from the event loop, never inside the command */
	hk_fake_advance(w, 0);
	ck_assert(fired(p, &up));
	ck_assert_upcall(up, 1000, expiry, 0);
}
END_TEST

START_TEST(test_three_processes_fire_in_order)
{
	struct hk_process *p[3];
	static const uint32_t dt_ms[3] = { 300, 100, 200 };
	struct hk_fake_upcall up;

	for (int i = 0; i < 3; i++) {
		p[i] = hk_fake_spawn(w, NULL);
		ck_assert_success_u32(hk_fake_command(w, p[i], ALM, 5, dt_ms[i] * 1000, 0), dt_ms[i] * 1000);
	}
	/* Step through time: exactly one process fires at each deadline, earliest first. */
	hk_fake_advance(w, 100 * MS - 1);
	for (int i = 0; i < 3; i++)
		ck_assert(!fired(p[i], &up));
	hk_fake_advance(w, 1);
	ck_assert(fired(p[1], &up));
	ck_assert_upcall(up, 100000, 100000, 0);
	ck_assert(!fired(p[0], &up) && !fired(p[2], &up));
	hk_fake_advance(w, 100 * MS);
	ck_assert(fired(p[2], &up));
	ck_assert_upcall(up, 200000, 200000, 0);
	ck_assert(!fired(p[0], &up));
	/* One big jump: the last still fires at its own deadline (virtual time). */
	hk_fake_advance(w, 10000 * MS);
	ck_assert(fired(p[0], &up));
	ck_assert_upcall(up, 300000, 300000, 0);
}
END_TEST

START_TEST(test_stop)
{
	struct hk_process *a = hk_fake_spawn(w, NULL), *b = hk_fake_spawn(w, NULL);
	struct hk_fake_upcall up;

	ck_assert_success_u32(hk_fake_command(w, a, ALM, 5, 100, 0), 100);
	ck_assert_success_u32(hk_fake_command(w, b, ALM, 5, 200, 0), 200);
	ck_assert_success(hk_fake_command(w, a, ALM, 3, 0, 0));
	ck_assert_failure(hk_fake_command(w, a, ALM, 3, 0, 0), TOCK_ERR_ALREADY);
	hk_fake_advance(w, 150 * US);
	ck_assert(!fired(a, &up));
	ck_assert(!fired(b, &up));
	hk_fake_advance(w, 50 * US);
	ck_assert(fired(b, &up));
	ck_assert_upcall(up, 200, 200, 0);
	ck_assert(!fired(a, &up));
}
END_TEST

START_TEST(test_rearm_replaces)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	struct hk_fake_upcall up;

	ck_assert_success_u32(hk_fake_command(w, p, ALM, 5, 100, 0), 100);
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 5, 500, 0), 500);
	hk_fake_advance(w, 499 * US);
	ck_assert(!fired(p, &up));
	hk_fake_advance(w, 1 * US);
	ck_assert(fired(p, &up));
	ck_assert_upcall(up, 500, 500, 0);
	/* Re-arm after firing, to an earlier-than-before distance. */
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 5, 10, 0), 510);
	hk_fake_advance(w, 10 * US);
	ck_assert(fired(p, &up));
	ck_assert_upcall(up, 510, 510, 0);
	ck_assert(!fired(p, &up));
}
END_TEST

START_TEST(test_wraparound)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	struct hk_fake_upcall up;
	uint32_t now;

	/* 100 ticks before the 32-bit counter wraps (about 71.6 minutes at 1 MHz). */
	hk_fake_advance(w, (((uint64_t)1 << 32) - 100) * US);
	now = now_ticks(p);
	ck_assert_uint_eq(now, 0xffffff9cu);
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 6, now, 300), 200);
	hk_fake_advance(w, 299 * US);
	ck_assert(!fired(p, &up));
	hk_fake_advance(w, 1 * US);
	ck_assert(fired(p, &up));
	ck_assert_upcall(up, 200, 200, 0);
	/* Relative arming across the wrap too. */
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 5, 0xfffffff0u, 0), 200u + 0xfffffff0u);
	hk_fake_advance(w, (uint64_t)0xffffffefu * US);
	ck_assert(!fired(p, &up));
	hk_fake_advance(w, 1 * US);
	ck_assert(fired(p, &up));
	ck_assert_upcall(up, 200u + 0xfffffff0u, 200u + 0xfffffff0u, 0);
}
END_TEST

/* At 32768 Hz a tick is 30517.578125 ns: the alarm waits for the tick, never fires before it. */
START_TEST(test_never_early_at_odd_frequency)
{
	struct hk_process *p;
	struct hk_fake_upcall up;

	teardown();
	start_world(32768);
	p = hk_fake_spawn(w, NULL);
	ck_assert_success_u32(hk_fake_command(w, p, ALM, 5, 3, 0), 3);
	hk_fake_advance(w, 91552); /* 2.99999 ticks */
	ck_assert(!fired(p, &up));
	hk_fake_advance(w, 1); /* 91553 ns = ceil(3 * 1e9 / 32768) */
	ck_assert(fired(p, &up));
	ck_assert_upcall(up, 3, 3, 0);
	ck_assert_uint_eq(hk_fake_now(w), 91553);
}
END_TEST

/* A process that ends loses its alarm; the others are unaffected; a restarted process starts disarmed. */
START_TEST(test_dead_and_restarted_processes)
{
	struct hk_process *a = hk_fake_spawn(w, NULL), *b = hk_fake_spawn(w, NULL), *c = hk_fake_spawn(w, NULL);
	struct hk_fake_upcall up;

	ck_assert_success_u32(hk_fake_command(w, a, ALM, 5, 100, 0), 100);
	ck_assert_success_u32(hk_fake_command(w, b, ALM, 5, 200, 0), 200);
	ck_assert_success_u32(hk_fake_command(w, c, ALM, 5, 150, 0), 150);
	hk_fake_exit(w, a, TOCK_EXIT_TERMINATE, 0);
	hk_fake_exit(w, c, TOCK_EXIT_RESTART, 0);
	ck_assert_failure(hk_fake_command(w, c, ALM, 3, 0, 0), TOCK_ERR_ALREADY);
	hk_fake_advance(w, 1 * MS);
	ck_assert(fired(b, &up));
	ck_assert_upcall(up, 200, 200, 0);
	ck_assert(!fired(c, &up));
}
END_TEST

START_TEST(test_free_null)
{
	capsule_alarm_free(NULL);
}
END_TEST

static Suite *alarm_suite(void)
{
	Suite *s = suite_create("capsule_alarm");
	TCase *tc = tcase_create("alarm");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_simple_commands, 0, sizeof(simple_cmds) / sizeof(simple_cmds[0]));
	tcase_add_loop_test(tc, test_frequency_and_now, 0, sizeof(freq_cases) / sizeof(freq_cases[0]));
	tcase_add_test(tc, test_relative_fires_on_time_with_args);
	tcase_add_test(tc, test_absolute_reference_plus_dt);
	tcase_add_loop_test(tc, test_past_expiry_fires_at_next_run, 0, sizeof(past_cases) / sizeof(past_cases[0]));
	tcase_add_test(tc, test_three_processes_fire_in_order);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_rearm_replaces);
	tcase_add_test(tc, test_wraparound);
	tcase_add_test(tc, test_never_early_at_odd_frequency);
	tcase_add_test(tc, test_dead_and_restarted_processes);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(alarm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
