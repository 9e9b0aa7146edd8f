/* Unit tests of IPC Relay Request (0xA0010) across process deaths: the process-state extension and leftover state. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relay_request_test.h"

struct hk_fake_world *w;
struct ipc_relay_request *rr;

static void setup(void)
{
	rr_world_new(true);
}

static void teardown(void)
{
	rr_world_free();
}

enum death { DEATH_TERMINATE, DEATH_RESTART, DEATH_FAULT_STOP, DEATH_FAULT_RESTART };

static const struct {
	enum death how;
	bool comes_back;
} deaths[] = {
	{ DEATH_TERMINATE, false },
	{ DEATH_RESTART, true },
	{ DEATH_FAULT_STOP, false },
	{ DEATH_FAULT_RESTART, true },
};

static enum hk_fault_policy_kind policy_for(enum death how)
{
	return how == DEATH_FAULT_RESTART ? HK_FAULT_RESTART : HK_FAULT_STOP;
}

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

/*
 * Nothing anywhere names dead as if it were alive: its own grant is gone, no client transaction
 * points at it, and a server transaction that still does shows the peer as dead (it ends with
 * NODEVICE at respond time). Returns how many such server transactions exist.
 */
static unsigned assert_no_live_reference_to(hk_pid dead)
{
	struct ipc_relay_request_info info;
	size_t cursor = 0;
	unsigned servers = 0;

	ck_assert(!hk_process_alive(hk_fake_kernel(w), dead));
	ck_assert_ptr_null(hk_grant_get(hk_fake_kernel(w), RR, dead));
	ck_assert(!ipc_relay_request_get(rr, dead, &info));
	while (ipc_relay_request_next(rr, &cursor, &info)) {
		ck_assert_uint_ne(info.pid, dead);
		if (info.role == IPC_RELAY_REQUEST_IDLE) {
			ck_assert_uint_eq(info.peer, 0);
			continue;
		}
		if (ipc_identifier_pid(info.peer) != dead)
			continue;
		ck_assert_int_eq(info.role, IPC_RELAY_REQUEST_SERVER);
		ck_assert(!info.peer_alive);
		servers++;
	}
	return servers;
}

/* ---- server dies: its clients hear NODEVICE at once (extension) ---- */

START_TEST(test_server_death_fails_clients)
{
	enum death how = deaths[_i].how;
	struct hk_process *s = rr_server("s", 0x42, policy_for(how));
	struct hk_process *s2 = rr_server("s2", 0, HK_FAULT_STOP);
	struct hk_process *in_service = rr_spawn("a", 0, HK_FAULT_STOP);
	struct hk_process *waiting = rr_spawn("b", 0, HK_FAULT_STOP);
	struct hk_process *bystander = rr_spawn("d", 0, HK_FAULT_STOP);
	uint64_t old_id = ipc_test_id(w, s);

	rr_send_ok(in_service, s);
	rr_send_ok(waiting, s);
	rr_send_ok(bystander, s2);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, in_service));

	kill_process(s, how);
	/* Immediately: both clients have exactly one NODEVICE response queued, and are idle. */
	ck_assert_upcall(w, in_service, RR, RR_UPCALL_RESPONSE, TOCK_ERR_NODEVICE, 0, 0);
	ck_assert_upcall(w, waiting, RR, RR_UPCALL_RESPONSE, TOCK_ERR_NODEVICE, 0, 0);
	ck_assert_no_upcall(w, in_service, RR, RR_UPCALL_RESPONSE);
	ck_assert_no_upcall(w, waiting, RR, RR_UPCALL_RESPONSE);
	ck_assert_role(in_service, IPC_RELAY_REQUEST_IDLE);
	ck_assert_role(waiting, IPC_RELAY_REQUEST_IDLE);
	ck_assert_role(bystander, IPC_RELAY_REQUEST_CLIENT_WAITING);
	ck_assert_no_upcall(w, bystander, RR, RR_UPCALL_RESPONSE);
	ck_assert_uint_eq(assert_no_live_reference_to(ipc_identifier_pid(old_id)), 0);

	/* The old identifier is dead for good. */
	ck_assert_fail(rr_send_id(waiting, old_id), TOCK_ERR_NODEVICE);
	ck_assert_fail(hk_fake_command(w, waiting, RR, RR_CANCEL, 0, 0), TOCK_ERR_INVAL);
	if (!deaths[_i].comes_back)
		return;
	/* The new incarnation starts from nothing: not enabled, no transaction, a new identifier. */
	ck_assert_uint_ne(ipc_test_id(w, s), old_id);
	ck_assert_fail(rr_send_id(waiting, ipc_test_id(w, s)), TOCK_ERR_NODEVICE); /* no grant yet */
	ck_assert_fail(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0), TOCK_ERR_INVAL);
	ck_assert_fail(rr_send_id(waiting, ipc_test_id(w, s)), TOCK_ERR_UNINSTALLED);
	ck_assert_ok(hk_fake_command(w, s, RR, RR_ENABLE, 0, 0));
	rr_send_ok(waiting, s);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, waiting));
	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_upcall(w, waiting, RR, RR_UPCALL_RESPONSE, 0, 0, 0);
}
END_TEST

/* Without the capability (upstream behaviour) a client of a dead server hears nothing and must cancel. */
START_TEST(test_server_death_without_listener)
{
	struct hk_process *s, *c;
	uint64_t sid;

	teardown();
	rr_world_new(false);
	s = rr_server("s", 0, HK_FAULT_STOP);
	c = rr_spawn("c", 0, HK_FAULT_STOP);
	sid = ipc_test_id(w, s);
	rr_send_ok(c, s);
	hk_fake_fault(w, s, "test fault");
	ck_assert_no_upcall(w, c, RR, RR_UPCALL_RESPONSE);
	ck_assert_role(c, IPC_RELAY_REQUEST_CLIENT_WAITING);
	ck_assert_uint_eq(rr_info(c).peer, sid);
	ck_assert(!rr_info(c).peer_alive);
	ck_assert_ok(hk_fake_command(w, c, RR, RR_CANCEL, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, TOCK_ERR_CANCEL, 0, 0);
	ck_assert_fail(rr_send_id(c, sid), TOCK_ERR_NODEVICE);
}
END_TEST

/* ---- client dies ---- */

START_TEST(test_client_death_while_waiting)
{
	enum death how = deaths[_i].how;
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, policy_for(how));
	struct hk_process *other = rr_spawn("o", 0, HK_FAULT_STOP);
	hk_pid old = ipc_test_pid(c);
	struct ipc_relay_request_info info;

	rr_send_ok(c, s);
	kill_process(c, how);
	ck_assert_uint_eq(assert_no_live_reference_to(old), 0);
	ck_assert_uint_eq(rr_info(s).waiting, 0);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), TOCK_ERR_NODEVICE, 0);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, old, 0), TOCK_ERR_NODEVICE, 0);
	ck_assert_no_upcall(w, s, RR, RR_UPCALL_RESPONSE);
	if (deaths[_i].comes_back) {
		/* The new incarnation has no grant until it uses the driver, then starts idle. */
		ck_assert(!ipc_relay_request_get(rr, ipc_test_pid(c), &info));
		ck_assert_ok(hk_fake_command(w, c, RR, 0, 0, 0));
		ck_assert_role(c, IPC_RELAY_REQUEST_IDLE);
		rr_send_ok(c, s);
	}
	/* The server goes on serving others. */
	rr_send_ok(other, s);
	ck_assert_uint_eq(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0).r0, TOCK_RET_SUCCESS_U32_U64);
}
END_TEST

START_TEST(test_client_death_in_service)
{
	enum death how = deaths[_i].how;
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, policy_for(how));
	struct hk_process *next = rr_spawn("n", 0, HK_FAULT_STOP);
	uint64_t cid = ipc_test_id(w, c);
	struct ipc_relay_request_info info;

	ipc_test_allow_ro(w, s, RR, 0, "response", 8);
	rr_send_ok(c, s);
	rr_send_ok(next, s);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, ipc_identifier_low(cid), 0), 0, cid);
	kill_process(c, how);

	/* The server's transaction names the dead client, which shows as dead. */
	ck_assert_uint_eq(assert_no_live_reference_to(ipc_identifier_pid(cid)), 1);
	info = rr_info(s);
	ck_assert_int_eq(info.role, IPC_RELAY_REQUEST_SERVER);
	ck_assert_uint_eq(info.peer, cid);
	ck_assert(!info.peer_alive);
	/* It must answer before taking another; the answer is dropped with NODEVICE. */
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), TOCK_ERR_ALREADY, 0);
	ck_assert_fail(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0), TOCK_ERR_NODEVICE);
	ck_assert_uint_eq(assert_no_live_reference_to(ipc_identifier_pid(cid)), 0);
	if (deaths[_i].comes_back && ipc_relay_request_get(rr, ipc_test_pid(c), &info))
		ck_assert_int_eq(info.role, IPC_RELAY_REQUEST_IDLE);
	ck_assert_no_upcall(w, c, RR, RR_UPCALL_RESPONSE);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, next));
}
END_TEST

/* Both ends gone mid-transaction: no state of either remains. */
START_TEST(test_both_ends_die_mid_transaction)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);
	struct hk_process *watcher = rr_spawn("w", 0, HK_FAULT_STOP);
	hk_pid spid = ipc_test_pid(s), cpid = ipc_test_pid(c);
	struct ipc_relay_request_info info;
	size_t cursor = 0, n = 0;

	ck_assert_ok(hk_fake_command(w, watcher, RR, 0, 0, 0));
	rr_send_ok(c, s);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, c));
	hk_fake_fault(w, c, "test fault");
	hk_fake_exit(w, s, TOCK_EXIT_TERMINATE, 0);
	ck_assert_uint_eq(assert_no_live_reference_to(spid), 0);
	ck_assert_uint_eq(assert_no_live_reference_to(cpid), 0);
	while (ipc_relay_request_next(rr, &cursor, &info)) {
		ck_assert_uint_eq(info.pid, ipc_test_pid(watcher));
		ck_assert_int_eq(info.role, IPC_RELAY_REQUEST_IDLE);
		n++;
	}
	ck_assert_uint_eq(n, 1);
	ck_assert_no_upcall(w, watcher, RR, RR_UPCALL_RESPONSE);
}
END_TEST

/* A restarted client keeps its slot but gets a larger ProcessId: round robin still serves everyone. */
START_TEST(test_round_robin_with_restarted_client)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *a = rr_spawn("a", 0, HK_FAULT_STOP);
	struct hk_process *b = rr_spawn("b", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);
	struct hk_process *cl[] = { a, b, c };
	unsigned served[9];

	hk_fake_exit(w, a, TOCK_EXIT_RESTART, 0);
	for (unsigned i = 0; i < 3; i++)
		rr_send_ok(cl[i], s);
	for (unsigned n = 0; n < 9; n++) {
		struct hk_fake_ret r = hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0);
		unsigned who = 3;

		ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS_U32_U64);
		for (unsigned i = 0; i < 3; i++)
			if (r.r2 == ipc_test_pid(cl[i]))
				who = i;
		ck_assert_uint_lt(who, 3);
		served[n] = who;
		ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
		ck_assert_upcall(w, cl[who], RR, RR_UPCALL_RESPONSE, 0, 0, 0);
		rr_send_ok(cl[who], s);
	}
	for (unsigned n = 2; n < 9; n++)
		ck_assert(served[n] != served[n - 1] && served[n] != served[n - 2] && served[n - 1] != served[n - 2]);
}
END_TEST

START_TEST(test_forged_capability_rejected)
{
	static const int not_a_capability = 1;

	ck_assert_ptr_null(ipc_relay_request_new(hk_fake_kernel(w), RR,
	                                         (const struct hk_cap_process_state *)(const void *)&not_a_capability));
}
END_TEST

static Suite *relay_request_lifecycle_suite(void)
{
	Suite *s = suite_create("ipc_relay_request_lifecycle");
	TCase *tc = tcase_create("lifecycle");
	size_t n_deaths = sizeof(deaths) / sizeof(deaths[0]);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_server_death_fails_clients, 0, n_deaths);
	tcase_add_test(tc, test_server_death_without_listener);
	tcase_add_loop_test(tc, test_client_death_while_waiting, 0, n_deaths);
	tcase_add_loop_test(tc, test_client_death_in_service, 0, n_deaths);
	tcase_add_test(tc, test_both_ends_die_mid_transaction);
	tcase_add_test(tc, test_round_robin_with_restarted_client);
	tcase_add_test(tc, test_forged_capability_rejected);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(relay_request_lifecycle_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
