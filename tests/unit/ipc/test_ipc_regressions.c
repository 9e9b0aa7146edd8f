/* Regression tests for IPC capsule bugs found by tests/fuzz/fuzz_ipc.c, one case per finding. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock-sync/ipc/syscalls/ipc_registry_package_name_syscalls.h>
#include <libtock-sync/ipc/syscalls/ipc_registry_string_name_syscalls.h>
#include <libtock-sync/ipc/syscalls/ipc_relay_request_syscalls.h>
#include <libtock-sync/services/ipc_relay_request_timeout.h>
#include <libtock/util/streaming_process_slice.h>

#include "capsules/ipc/ipc_relay_message.h"
#include "ipc_test.h"

/*
 * apps/libtock must accept an app written for upstream libtock-c's new IPC unchanged (reference
 * §3.11). Each row is an upstream name with its published type; the build fails if one drifts.
 * Found by review: the string registry's registration callback had an extra bool, the 0x23
 * syscall wrapper took the id as a separate argument (upstream: in/out *ipc_id), the sync client
 * call had a separate received length (upstream: *response_len in/out), and several upstream
 * names (set_allow_name, set_allow_read/write_buffer, the sync get_next_request pair, the
 * yield-wait-for helpers, the timeout call, the callback typedef names) were missing.
 */
#define UPSTREAM_SIGNATURE(fn, ...)                                                                                \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&fn), __VA_ARGS__), #fn " differs from upstream libtock-c")
UPSTREAM_SIGNATURE(libtock_ipc_registry_string_name_exists, bool (*)(void));
UPSTREAM_SIGNATURE(libtock_ipc_registry_string_name_register_service,
                   returncode_t (*)(void (*)(returncode_t), uint8_t *, size_t));
UPSTREAM_SIGNATURE(libtock_ipc_registry_string_name_discover_service,
                   returncode_t (*)(void (*)(returncode_t, uint64_t), uint8_t *, size_t));
UPSTREAM_SIGNATURE(libtock_ipc_registry_package_name_exists, bool (*)(void));
UPSTREAM_SIGNATURE(libtock_ipc_registry_package_name_register_service, returncode_t (*)(void (*)(returncode_t)));
UPSTREAM_SIGNATURE(libtock_ipc_registry_package_name_discover_service,
                   returncode_t (*)(void (*)(returncode_t, uint64_t), uint8_t *, size_t));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_exists, bool (*)(void));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_client_send_request,
                   returncode_t (*)(void (*)(returncode_t, size_t), uint64_t, uint8_t *, size_t, uint8_t *, size_t));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_client_cancel_request, returncode_t (*)(void));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_server_enable_requests_with_callback,
                   returncode_t (*)(void (*)(uint64_t)));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_server_enable_requests_without_callback, returncode_t (*)(void));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_server_disable_requests, returncode_t (*)(void));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_server_get_next_request, returncode_t (*)(uint64_t *, uint8_t *, size_t *));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_server_get_next_request_from,
                   returncode_t (*)(uint64_t, uint8_t *, size_t *));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_server_send_response, returncode_t (*)(uint8_t *, size_t));
_Static_assert(__builtin_types_compatible_p(libtock_ipc_registry_string_name_registration_complete_callback,
                                            void (*)(returncode_t)), "string registration callback");
_Static_assert(__builtin_types_compatible_p(libtock_ipc_registry_string_name_discovery_complete_callback,
                                            void (*)(returncode_t, uint64_t)), "string discovery callback");
_Static_assert(__builtin_types_compatible_p(libtock_ipc_registry_package_name_registration_complete_callback,
                                            void (*)(returncode_t)), "package registration callback");
_Static_assert(__builtin_types_compatible_p(libtock_ipc_registry_package_name_discovery_complete_callback,
                                            void (*)(returncode_t, uint64_t)), "package discovery callback");
_Static_assert(__builtin_types_compatible_p(libtock_ipc_relay_request_client_response_received,
                                            void (*)(returncode_t, size_t)), "response callback");
_Static_assert(__builtin_types_compatible_p(libtock_ipc_relay_request_server_request_waiting, void (*)(uint64_t)),
               "request waiting callback");
/* Syscall layer. */
UPSTREAM_SIGNATURE(libtock_ipc_registry_string_name_set_allow_name, returncode_t (*)(void *, size_t));
UPSTREAM_SIGNATURE(libtock_ipc_registry_package_name_set_allow_name, returncode_t (*)(void *, size_t));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_set_allow_read_buffer, returncode_t (*)(void *, size_t));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_set_allow_write_buffer, returncode_t (*)(void *, size_t));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_command_client_send_request, returncode_t (*)(uint64_t));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_command_server_get_next_request, returncode_t (*)(uint32_t *, uint64_t *));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_command_server_get_next_request_from,
                   returncode_t (*)(uint32_t *, uint64_t *));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_command_server_send_response, returncode_t (*)(void));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_set_upcall_client_response_received,
                   returncode_t (*)(subscribe_upcall, void *));
UPSTREAM_SIGNATURE(libtock_ipc_relay_request_set_upcall_server_request_waiting,
                   returncode_t (*)(subscribe_upcall, void *));
/* libtock-sync (arguments upstream declares uint8_t * may be const here: callers are unaffected). */
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_client_send_request,
                   returncode_t (*)(uint64_t, uint8_t *, size_t, uint8_t *, size_t *));
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_client_send_request_with_timeout,
                   returncode_t (*)(uint64_t, uint8_t *, size_t, uint8_t *, size_t *, uint32_t));
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_server_enable_requests, returncode_t (*)(void));
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_server_disable_requests, returncode_t (*)(void));
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_server_get_next_request,
                   returncode_t (*)(uint64_t *, uint8_t *, size_t *));
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_server_get_next_request_from,
                   returncode_t (*)(uint64_t, uint8_t *, size_t *));
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_server_send_response, returncode_t (*)(uint8_t *, size_t));
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_yield_wait_for_client_response_received, returncode_t (*)(size_t *));
UPSTREAM_SIGNATURE(libtocksync_ipc_relay_request_yield_wait_for_server_request_waiting, returncode_t (*)(uint64_t *));
UPSTREAM_SIGNATURE(libtocksync_ipc_registry_string_name_yield_wait_for_registration_complete, returncode_t (*)(void));
UPSTREAM_SIGNATURE(libtocksync_ipc_registry_string_name_yield_wait_for_discovery_complete,
                   returncode_t (*)(uint64_t *));
UPSTREAM_SIGNATURE(libtocksync_ipc_registry_package_name_yield_wait_for_registration_complete, returncode_t (*)(void));
UPSTREAM_SIGNATURE(libtocksync_ipc_registry_package_name_yield_wait_for_discovery_complete,
                   returncode_t (*)(uint64_t *));
UPSTREAM_SIGNATURE(libtocksync_ipc_registry_package_name_register_service, returncode_t (*)(void));
/* StreamingProcessSlice (reference §4). */
UPSTREAM_SIGNATURE(streaming_process_slice_init, returncode_t (*)(streaming_process_slice_state_t *, uint32_t, uint32_t,
                                                                  void *, size_t, void *, size_t));
UPSTREAM_SIGNATURE(streaming_process_slice_get_and_swap,
                   returncode_t (*)(streaming_process_slice_state_t *, uint8_t **, uint32_t *, bool *));
UPSTREAM_SIGNATURE(streaming_process_slice_deinit,
                   returncode_t (*)(streaming_process_slice_state_t *, uint8_t **, size_t *, uint8_t **, size_t *));

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
