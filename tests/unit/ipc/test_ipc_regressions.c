/* Regression tests for IPC capsule bugs found by tests/fuzz/fuzz_ipc.c, one case per finding. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_relay_message.h"
#include "ipc_test.h"

#define RM TOCK_DRIVER_IPC_RELAY_MESSAGE

static struct hk_fake_world *w;
static struct ipc_relay_message *rm;

static void setup(void)
{
	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	rm = ipc_relay_message_new(hk_fake_kernel(w), RM, hk_fake_caps(w)->process_state);
	ck_assert_ptr_nonnull(rm);
	ck_assert_int_eq(hk_fake_register_driver(w, RM, &ipc_relay_message_ops, rm), 0);
}

static void teardown(void)
{
	hk_fake_world_free(w); /* the kernel holds the capsule's listener */
	ipc_relay_message_free(rm);
}

/*
 * Relay Message upcall 1 ("an allowlisted sender ended") is documented once per sender
 * incarnation. The capsule remembered only the last ProcessId it reported, so an end that
 * arrived as a second transition after another process's (fault with policy stop, another app
 * dies, then ipcctl restarts or terminates the faulted one) was reported twice.
 */
enum second_end { SECOND_RESTART, SECOND_TERMINATE, SECOND_FAULT_POLICY_RESTART };

static const struct {
	enum second_end how;
	bool other_dies_between; /* another listed sender ends between the two transitions */
} gone_cases[] = {
	{ SECOND_RESTART, true },
	{ SECOND_TERMINATE, true },
	{ SECOND_RESTART, false },
	{ SECOND_TERMINATE, false },
	{ SECOND_FAULT_POLICY_RESTART, true },
	{ SECOND_FAULT_POLICY_RESTART, false },
};

/* The receiver lists both senders and enables reception. */
static struct hk_process *receiver_listing(struct hk_process *a, struct hk_process *b)
{
	struct hk_process *r = ipc_test_spawn(w, "receiver", 0, HK_FAULT_STOP);
	uint64_t ids[2] = { ipc_test_id(w, a), ipc_test_id(w, b) };

	ipc_test_allow_rw(w, r, RM, 0, 64, 0); /* a zeroed slice: version 0, offset 0 */
	ipc_test_allow_ro(w, r, RM, 1, ids, sizeof(ids));
	ck_assert_ok(hk_fake_command(w, r, RM, 0x10, 0, 0));
	return r;
}

START_TEST(test_sender_gone_reported_once)
{
	bool policy_restart = gone_cases[_i].how == SECOND_FAULT_POLICY_RESTART;
	struct hk_process *s = ipc_test_spawn(w, "s", 0x11, policy_restart ? HK_FAULT_RESTART : HK_FAULT_STOP);
	struct hk_process *t = ipc_test_spawn(w, "t", 0x22, HK_FAULT_STOP);
	struct hk_process *r = receiver_listing(s, t);
	uint64_t s_id = ipc_test_id(w, s), t_id = ipc_test_id(w, t);

	hk_fake_fault(w, s, "first end");
	ck_assert_upcall(w, r, RM, 1, TOCK_ERR_NODEVICE, (uint32_t)s_id, (uint32_t)(s_id >> 32));
	if (gone_cases[_i].other_dies_between) {
		hk_fake_exit(w, t, TOCK_EXIT_TERMINATE, 0);
		ck_assert_upcall(w, r, RM, 1, TOCK_ERR_NODEVICE, (uint32_t)t_id, (uint32_t)(t_id >> 32));
	}
	/* The policy's second transition (restarted), or ipcctl acting on the already faulted s:
	 * that incarnation ended once, so nothing more. */
	if (policy_restart)
		ck_assert_uint_gt(hk_process_pid(s), ipc_identifier_pid(s_id)); /* restarted by the policy */
	else if (gone_cases[_i].how == SECOND_RESTART)
		ck_assert_int_eq(hk_process_restart(hk_fake_kernel(w), s), 0);
	else
		ck_assert_int_eq(hk_process_terminate(hk_fake_kernel(w), s, 0), 0);
	ck_assert_no_upcall(w, r, RM, 1);
	ck_assert(!hk_fake_panicked(w, NULL));
}
END_TEST

/* A restarted sender's new incarnation is tracked: its own end is reported (once) later. */
START_TEST(test_restarted_sender_end_reported)
{
	struct hk_process *s = ipc_test_spawn(w, "s", 0x11, HK_FAULT_STOP);
	struct hk_process *t = ipc_test_spawn(w, "t", 0, HK_FAULT_STOP);
	struct hk_process *r;
	uint64_t s_id;

	hk_fake_exit(w, s, TOCK_EXIT_RESTART, 0);
	r = receiver_listing(s, t);
	s_id = ipc_test_id(w, s);
	hk_fake_exit(w, s, TOCK_EXIT_TERMINATE, 0);
	ck_assert_upcall(w, r, RM, 1, TOCK_ERR_NODEVICE, (uint32_t)s_id, (uint32_t)(s_id >> 32));
	ck_assert_int_eq(hk_process_terminate(hk_fake_kernel(w), s, 0), -EALREADY);
	ck_assert_no_upcall(w, r, RM, 1);
}
END_TEST

static Suite *regressions_suite(void)
{
	Suite *s = suite_create("ipc_regressions");
	TCase *tc = tcase_create("relay_message");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_sender_gone_reported_once, 0, sizeof(gone_cases) / sizeof(gone_cases[0]));
	tcase_add_test(tc, test_restarted_sender_end_reported);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(regressions_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
