/* Unit tests of IPC Relay Request (0xA0010) commands on fake processes: errors, transfers, truncation, cancel, disable, fairness. */
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

/* ---- commands from a process with no transaction ---- */

static const struct {
	uint32_t cmd, arg0, arg1;
	uint32_t variant, err;
} idle_cmds[] = {
	{ 0, 0, 0, TOCK_RET_SUCCESS, 0 },
	{ RR_CANCEL, 0, 0, TOCK_RET_FAILURE, TOCK_ERR_INVAL },
	{ RR_RESPOND, 0, 0, TOCK_RET_FAILURE, TOCK_ERR_INVAL },
	{ RR_GET_NEXT, 0, 0, TOCK_RET_FAILURE_U64, TOCK_ERR_NODEVICE },
	{ RR_GET_NEXT_FROM, 99, 0, TOCK_RET_FAILURE_U64, TOCK_ERR_NODEVICE },
	{ RR_GET_NEXT_FROM, 0, 0, TOCK_RET_FAILURE_U64, TOCK_ERR_NODEVICE },
	{ RR_ENABLE, 0, 0, TOCK_RET_SUCCESS, 0 },
	{ RR_DISABLE, 0, 0, TOCK_RET_SUCCESS, 0 },
	{ RR_SEND, 99, 0, TOCK_RET_FAILURE, TOCK_ERR_NODEVICE },
	{ 1, 0, 0, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0x12, 0, 0, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0x25, 0, 0, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0xffffffffu, 0, 0, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
};

START_TEST(test_idle_commands)
{
	struct hk_process *p = rr_spawn("p", 0, HK_FAULT_STOP);

	ck_assert_ret(hk_fake_command(w, p, RR, idle_cmds[_i].cmd, idle_cmds[_i].arg0, idle_cmds[_i].arg1),
	              idle_cmds[_i].variant, idle_cmds[_i].err, 0, 0);
	ck_assert_role(p, IPC_RELAY_REQUEST_IDLE);
	ck_assert_no_upcall(w, p, RR, RR_UPCALL_RESPONSE);
	ck_assert_no_upcall(w, p, RR, RR_UPCALL_REQUEST);
}
END_TEST

/* ---- send (0x10): every way the server id can be wrong ---- */

enum target {
	TARGET_OK,
	TARGET_SELF,
	TARGET_FORGED_SHORT_ID,
	TARGET_NO_SUCH_PID,
	TARGET_TERMINATED,
	TARGET_RESTARTED_OLD_ID,
	TARGET_RESTARTED_NEW_ID, /* the new incarnation has not touched the driver */
	TARGET_NO_GRANT,
	TARGET_NOT_ENABLED,
	TARGET_DISABLED,
};

static const struct {
	enum target target;
	uint32_t err; /* 0 = Success */
} targets[] = {
	{ TARGET_OK, 0 },
	{ TARGET_SELF, TOCK_ERR_NODEVICE },
	{ TARGET_FORGED_SHORT_ID, TOCK_ERR_NODEVICE },
	{ TARGET_NO_SUCH_PID, TOCK_ERR_NODEVICE },
	{ TARGET_TERMINATED, TOCK_ERR_NODEVICE },
	{ TARGET_RESTARTED_OLD_ID, TOCK_ERR_NODEVICE },
	{ TARGET_RESTARTED_NEW_ID, TOCK_ERR_NODEVICE },
	{ TARGET_NO_GRANT, TOCK_ERR_NODEVICE },
	{ TARGET_NOT_ENABLED, TOCK_ERR_UNINSTALLED },
	{ TARGET_DISABLED, TOCK_ERR_UNINSTALLED },
};

static uint64_t make_target(enum target t, struct hk_process *client, struct hk_process *server)
{
	uint64_t id = ipc_test_id(w, server);

	switch (t) {
	case TARGET_OK:
		return id;
	case TARGET_SELF:
		ck_assert_ok(hk_fake_command(w, client, RR, RR_ENABLE, 0, 0));
		return ipc_test_id(w, client);
	case TARGET_FORGED_SHORT_ID:
		return id ^ ((uint64_t)1 << 40);
	case TARGET_NO_SUCH_PID:
		return ipc_identifier_make(4000, ipc_identifier_high(id));
	case TARGET_TERMINATED:
		hk_fake_exit(w, server, TOCK_EXIT_TERMINATE, 0);
		return id;
	case TARGET_RESTARTED_OLD_ID:
		hk_fake_exit(w, server, TOCK_EXIT_RESTART, 0);
		return id;
	case TARGET_RESTARTED_NEW_ID:
		hk_fake_exit(w, server, TOCK_EXIT_RESTART, 0);
		return ipc_test_id(w, server);
	case TARGET_NO_GRANT: {
		struct hk_process *untouched = rr_spawn("untouched", 0, HK_FAULT_STOP);

		return ipc_test_id(w, untouched);
	}
	case TARGET_NOT_ENABLED:
		return id;
	case TARGET_DISABLED:
		ck_assert_ok(hk_fake_command(w, server, RR, RR_DISABLE, 0, 0));
		return id;
	}
	return 0;
}

START_TEST(test_send_targets)
{
	struct hk_process *server = rr_server("server", 0x55, HK_FAULT_STOP);
	struct hk_process *client = rr_spawn("client", 9, HK_FAULT_STOP);
	uint64_t id, cid = ipc_test_id(w, client);

	if (targets[_i].target == TARGET_NOT_ENABLED) {
		/* A fresh process that used the driver but never enabled requests. */
		server = rr_spawn("lazy", 0x56, HK_FAULT_STOP);
		ck_assert_ok(hk_fake_command(w, server, RR, 0, 0, 0));
	}
	id = make_target(targets[_i].target, client, server);
	if (targets[_i].err == 0) {
		ck_assert_ok(rr_send_id(client, id));
		ck_assert_upcall(w, server, RR, RR_UPCALL_REQUEST, ipc_identifier_low(cid), 9, 0);
		ck_assert_role(client, IPC_RELAY_REQUEST_CLIENT_WAITING);
		ck_assert_uint_eq(rr_info(client).peer, id);
		ck_assert(rr_info(client).peer_alive);
		ck_assert_uint_eq(rr_info(server).waiting, 1);
		return;
	}
	ck_assert_fail(rr_send_id(client, id), targets[_i].err);
	ck_assert_role(client, IPC_RELAY_REQUEST_IDLE);
	ck_assert_no_upcall(w, client, RR, RR_UPCALL_REQUEST);
	if (hk_process_alive(hk_fake_kernel(w), hk_process_pid(server)))
		ck_assert_no_upcall(w, server, RR, RR_UPCALL_REQUEST);
	/* Still idle: a good send works afterwards. */
	server = rr_server("good", 0, HK_FAULT_STOP);
	rr_send_ok(client, server);
}
END_TEST

/* ---- a whole transaction ---- */

START_TEST(test_round_trip)
{
	struct hk_process *s = rr_server("server", 0x1111, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("client", 0x2222, HK_FAULT_STOP);
	uint64_t cid = ipc_test_id(w, c);
	uint8_t *c_in, *s_in;
	struct ipc_relay_request_info info;

	ipc_test_allow_ro(w, c, RR, 0, "hello request", 13);
	c_in = ipc_test_allow_rw(w, c, RR, 0, 32, 0xee);
	ipc_test_allow_ro(w, s, RR, 0, "the response", 12);
	s_in = ipc_test_allow_rw(w, s, RR, 0, 32, 0xaa);

	rr_send_ok(c, s);
	ck_assert_uint_eq(s_in[0], 0xaa); /* nothing is copied before the server asks */
	info = rr_info(s);
	ck_assert(info.enabled);
	ck_assert_int_eq(info.role, IPC_RELAY_REQUEST_IDLE);
	ck_assert_uint_eq(info.waiting, 1);

	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 13, cid);
	ck_assert_mem_eq(s_in, "hello request", 13);
	ck_assert_uint_eq(s_in[13], 0xaa);
	ck_assert_role(c, IPC_RELAY_REQUEST_CLIENT_IN_SERVICE);
	info = rr_info(s);
	ck_assert_int_eq(info.role, IPC_RELAY_REQUEST_SERVER);
	ck_assert_uint_eq(info.peer, cid);
	ck_assert_uint_eq(info.waiting, 0);
	ck_assert_no_upcall(w, c, RR, RR_UPCALL_RESPONSE);

	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, 0, 12, 0);
	ck_assert_mem_eq(c_in, "the response", 12);
	ck_assert_uint_eq(c_in[12], 0xee);
	ck_assert_role(c, IPC_RELAY_REQUEST_IDLE);
	ck_assert_role(s, IPC_RELAY_REQUEST_IDLE);
	ck_assert_uint_eq(rr_info(c).peer, 0);
	/* The transaction is over: no second response, nothing more to get. */
	ck_assert_fail(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0), TOCK_ERR_INVAL);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), TOCK_ERR_NODEVICE, 0);
	ck_assert_no_upcall(w, c, RR, RR_UPCALL_RESPONSE);
}
END_TEST

/* A server that takes requests without waiting for their upcalls never collects stale ones:
 * taking a request withdraws its "request waiting" upcall, so the queue cannot fill up. */
START_TEST(test_taken_request_withdraws_upcall)
{
	struct hk_process *s = rr_server("server", 0, HK_FAULT_STOP);
	struct hk_process *a = rr_spawn("a", 0, HK_FAULT_STOP);
	struct hk_process *b = rr_spawn("b", 0, HK_FAULT_STOP);
	uint64_t bid = ipc_test_id(w, b);
	struct hk_process_stats st;

	ipc_test_allow_rw(w, s, RR, 0, 16, 0);
	for (int round = 0; round < 25; round++) { /* more rounds than the queue is deep */
		ck_assert_ok(rr_send_id(a, ipc_test_id(w, s)));
		ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, a));
		ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
		ck_assert_upcall(w, a, RR, RR_UPCALL_RESPONSE, 0, 0, 0);
	}
	hk_process_get_stats(s, &st);
	ck_assert_uint_eq(st.upcalls_queued, 0);
	ck_assert_uint_eq(st.upcalls_dropped, 0);
	/* Only the taken request's upcall goes: another client's stays queued. */
	ck_assert_ok(rr_send_id(a, ipc_test_id(w, s)));
	ck_assert_ok(rr_send_id(b, ipc_test_id(w, s)));
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, ipc_identifier_low(ipc_test_id(w, a)),
	                                     ipc_identifier_high(ipc_test_id(w, a))),
	                     0, ipc_test_id(w, a));
	ck_assert_upcall(w, s, RR, RR_UPCALL_REQUEST, ipc_identifier_low(bid), ipc_identifier_high(bid), 0);
	ck_assert_no_upcall(w, s, RR, RR_UPCALL_REQUEST);
}
END_TEST

START_TEST(test_one_transaction_per_process)
{
	struct hk_process *s1 = rr_server("s1", 0, HK_FAULT_STOP);
	struct hk_process *s2 = rr_server("s2", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);
	struct hk_process *d = rr_spawn("d", 0, HK_FAULT_STOP);

	rr_send_ok(c, s1);
	/* A second outstanding request, to the same or another server. */
	ck_assert_fail(rr_send_id(c, ipc_test_id(w, s1)), TOCK_ERR_ALREADY);
	ck_assert_fail(rr_send_id(c, ipc_test_id(w, s2)), TOCK_ERR_ALREADY);
	ck_assert_no_upcall(w, s1, RR, RR_UPCALL_REQUEST);
	ck_assert_no_upcall(w, s2, RR, RR_UPCALL_REQUEST);
	/* A waiting client is not free to serve either. */
	ck_assert_ok(hk_fake_command(w, c, RR, RR_ENABLE, 0, 0));
	rr_send_ok(d, c);
	ck_assert_fail_u64(hk_fake_command(w, c, RR, RR_GET_NEXT, 0, 0), TOCK_ERR_ALREADY, 0);

	ck_assert_ok_u32_u64(hk_fake_command(w, s1, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, c));
	ck_assert_fail(rr_send_id(c, ipc_test_id(w, s2)), TOCK_ERR_ALREADY); /* in service */
	/* A serving server can neither send nor take another request. */
	rr_send_ok(rr_spawn("e", 0, HK_FAULT_STOP), s1);
	ck_assert_fail(rr_send_id(s1, ipc_test_id(w, s2)), TOCK_ERR_ALREADY);
	ck_assert_fail_u64(hk_fake_command(w, s1, RR, RR_GET_NEXT, 0, 0), TOCK_ERR_ALREADY, 0);
	ck_assert_fail_u64(hk_fake_command(w, s1, RR, RR_GET_NEXT_FROM, ipc_test_pid(d), 0), TOCK_ERR_ALREADY, 0);
	ck_assert_role(s1, IPC_RELAY_REQUEST_SERVER);
	ck_assert_uint_eq(rr_info(s1).peer, ipc_test_id(w, c));
}
END_TEST

/* ---- truncation, both directions, and zero lengths ---- */

static const struct {
	size_t request, server_rw, response, client_rw;
	bool request_truncated;
	uint32_t response_status;
	size_t response_copied;
} sizes[] = {
	{ 0, 0, 0, 0, false, 0, 0 },
	{ 5, 5, 7, 7, false, 0, 7 },
	{ 5, 64, 7, 64, false, 0, 7 },
	{ 10, 4, 3, 8, true, 0, 3 },
	{ 10, 0, 0, 10, true, 0, 0 },
	{ 4, 10, 10, 4, false, TOCK_ERR_SIZE, 4 },
	{ 0, 16, 16, 0, false, TOCK_ERR_SIZE, 0 },
	{ 300, 100, 300, 100, true, TOCK_ERR_SIZE, 100 },
};

START_TEST(test_sizes)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 3, HK_FAULT_STOP);
	uint64_t cid = ipc_test_id(w, c);
	uint8_t request[300], response[300], *s_in, *c_in;
	size_t copied = sizes[_i].request < sizes[_i].server_rw ? sizes[_i].request : sizes[_i].server_rw;

	for (size_t i = 0; i < sizeof(request); i++) {
		request[i] = (uint8_t)(i * 7 + 1);
		response[i] = (uint8_t)(i * 13 + 5);
	}
	ipc_test_allow_ro(w, c, RR, 0, request, sizes[_i].request);
	c_in = ipc_test_allow_rw(w, c, RR, 0, sizes[_i].client_rw, 0);
	ipc_test_allow_ro(w, s, RR, 0, response, sizes[_i].response);
	s_in = ipc_test_allow_rw(w, s, RR, 0, sizes[_i].server_rw, 0);

	rr_send_ok(c, s);
	if (sizes[_i].request_truncated)
		ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), TOCK_ERR_SIZE, cid);
	else
		ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), sizes[_i].request, cid);
	if (copied)
		ck_assert_mem_eq(s_in, request, copied);
	/* Truncated or not, the transaction started. */
	ck_assert_role(s, IPC_RELAY_REQUEST_SERVER);
	ck_assert_role(c, IPC_RELAY_REQUEST_CLIENT_IN_SERVICE);

	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, sizes[_i].response_status, sizes[_i].response_copied, 0);
	if (sizes[_i].response_copied)
		ck_assert_mem_eq(c_in, response, sizes[_i].response_copied);
	ck_assert_role(c, IPC_RELAY_REQUEST_IDLE);
}
END_TEST

START_TEST(test_nothing_allowed_is_zero_length)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);

	/* The notification pattern: no buffers at all on either side. */
	rr_send_ok(c, s);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, c));
	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, 0, 0, 0);
}
END_TEST

/* ---- 0x23: get next from one client ---- */

START_TEST(test_get_next_from)
{
	struct hk_process *s = rr_server("s", 0x10, HK_FAULT_STOP);
	struct hk_process *other = rr_server("other", 0, HK_FAULT_STOP);
	struct hk_process *a = rr_spawn("a", 1, HK_FAULT_STOP);
	struct hk_process *b = rr_spawn("b", 2, HK_FAULT_STOP);
	struct hk_process *x = rr_spawn("x", 3, HK_FAULT_STOP);
	uint64_t bid = ipc_test_id(w, b);
	uint8_t *s_in = ipc_test_allow_rw(w, s, RR, 0, 8, 0);

	ipc_test_allow_ro(w, a, RR, 0, "from a", 6);
	ipc_test_allow_ro(w, b, RR, 0, "from b", 6);
	rr_send_ok(a, s);
	rr_send_ok(b, s);
	rr_send_ok(x, other);

	/* Not waiting on s, forged, own, unknown: NODEVICE, nothing starts. */
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, ipc_test_pid(x), 3), TOCK_ERR_NODEVICE, 0);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, ipc_test_pid(b), 7), TOCK_ERR_NODEVICE, 0);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, ipc_test_pid(s), 0x10), TOCK_ERR_NODEVICE, 0);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, 5000, 0), TOCK_ERR_NODEVICE, 0);
	ck_assert_role(s, IPC_RELAY_REQUEST_IDLE);

	/* b although a waits longer. */
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, ipc_identifier_low(bid),
	                                     ipc_identifier_high(bid)),
	                     6, bid);
	ck_assert_mem_eq(s_in, "from b", 6);
	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_upcall(w, b, RR, RR_UPCALL_RESPONSE, 0, 0, 0);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, ipc_identifier_low(bid),
	                                   ipc_identifier_high(bid)),
	                   TOCK_ERR_NODEVICE, 0);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 6, ipc_test_id(w, a));
	ck_assert_role(x, IPC_RELAY_REQUEST_CLIENT_WAITING);
}
END_TEST

/* 0x23 truncates like 0x22: Failure-u64 (SIZE, client id), and the transaction has started. */
START_TEST(test_get_next_from_truncated)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0x31, HK_FAULT_STOP);
	uint64_t cid = ipc_test_id(w, c);
	uint8_t *s_in = ipc_test_allow_rw(w, s, RR, 0, 3, 0);

	ipc_test_allow_ro(w, c, RR, 0, "longer", 6);
	rr_send_ok(c, s);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT_FROM, ipc_identifier_low(cid), ipc_identifier_high(cid)),
	                   TOCK_ERR_SIZE, cid);
	ck_assert_mem_eq(s_in, "lon", 3);
	ck_assert_role(s, IPC_RELAY_REQUEST_SERVER);
	ck_assert_role(c, IPC_RELAY_REQUEST_CLIENT_IN_SERVICE);
	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, 0, 0, 0);
}
END_TEST

/* ---- cancel (0x11) and its races ---- */

START_TEST(test_cancel_while_waiting)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);

	rr_send_ok(c, s);
	ck_assert_ok(hk_fake_command(w, c, RR, RR_CANCEL, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, TOCK_ERR_CANCEL, 0, 0);
	ck_assert_role(c, IPC_RELAY_REQUEST_IDLE);
	ck_assert_uint_eq(rr_info(s).waiting, 0);
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), TOCK_ERR_NODEVICE, 0);
	ck_assert_fail(hk_fake_command(w, c, RR, RR_CANCEL, 0, 0), TOCK_ERR_INVAL);
	ck_assert_no_upcall(w, c, RR, RR_UPCALL_RESPONSE);
}
END_TEST

START_TEST(test_cancel_after_server_took_it)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);
	uint8_t *c_in = ipc_test_allow_rw(w, c, RR, 0, 8, 0x5a);

	ipc_test_allow_ro(w, s, RR, 0, "late", 4);
	rr_send_ok(c, s);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, c));
	ck_assert_ok(hk_fake_command(w, c, RR, RR_CANCEL, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, TOCK_ERR_CANCEL, 0, 0);
	/* The server still holds the transaction; its response is dropped and it is told. */
	ck_assert_role(s, IPC_RELAY_REQUEST_SERVER);
	ck_assert_fail(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0), TOCK_ERR_NODEVICE);
	ck_assert_role(s, IPC_RELAY_REQUEST_IDLE);
	ck_assert_no_upcall(w, c, RR, RR_UPCALL_RESPONSE); /* no second upcall */
	ck_assert_uint_eq(c_in[0], 0x5a);                  /* nothing copied */
}
END_TEST

START_TEST(test_cancel_and_resend_gets_no_stale_response)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);
	uint8_t *c_in = ipc_test_allow_rw(w, c, RR, 0, 8, 0x5a);
	uint8_t *s_in = ipc_test_allow_rw(w, s, RR, 0, 8, 0);

	ipc_test_allow_ro(w, s, RR, 0, "old", 3);
	ipc_test_allow_ro(w, c, RR, 0, "first", 5);
	rr_send_ok(c, s);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 5, ipc_test_id(w, c));
	ck_assert_ok(hk_fake_command(w, c, RR, RR_CANCEL, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, TOCK_ERR_CANCEL, 0, 0);
	ipc_test_allow_ro(w, c, RR, 0, "second", 6);
	rr_send_ok(c, s);
	/* The answer to "first" must not complete "second". */
	ck_assert_fail(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0), TOCK_ERR_NODEVICE);
	ck_assert_no_upcall(w, c, RR, RR_UPCALL_RESPONSE);
	ck_assert_uint_eq(c_in[0], 0x5a);
	ck_assert_role(c, IPC_RELAY_REQUEST_CLIENT_WAITING);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 6, ipc_test_id(w, c));
	ck_assert_mem_eq(s_in, "second", 6);
	ipc_test_allow_ro(w, s, RR, 0, "new", 3);
	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_upcall(w, c, RR, RR_UPCALL_RESPONSE, 0, 3, 0);
	ck_assert_mem_eq(c_in, "new", 3);
}
END_TEST

/* ---- disable (0x21) ---- */

START_TEST(test_disable_uninstalls_every_client)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *s2 = rr_server("s2", 0, HK_FAULT_STOP);
	struct hk_process *a = rr_spawn("a", 0, HK_FAULT_STOP);
	struct hk_process *b = rr_spawn("b", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);
	struct hk_process *d = rr_spawn("d", 0, HK_FAULT_STOP);
	struct hk_process *clients[] = { a, b, c };

	rr_send_ok(a, s);
	rr_send_ok(b, s);
	rr_send_ok(c, s);
	rr_send_ok(d, s2);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, a)); /* a in service */

	ck_assert_ok(hk_fake_command(w, s, RR, RR_DISABLE, 0, 0));
	for (size_t i = 0; i < 3; i++) {
		ck_assert_upcall(w, clients[i], RR, RR_UPCALL_RESPONSE, TOCK_ERR_UNINSTALLED, 0, 0);
		ck_assert_no_upcall(w, clients[i], RR, RR_UPCALL_RESPONSE);
		ck_assert_role(clients[i], IPC_RELAY_REQUEST_IDLE);
	}
	ck_assert_role(s, IPC_RELAY_REQUEST_IDLE);
	ck_assert(!rr_info(s).enabled);
	ck_assert_fail(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0), TOCK_ERR_INVAL);
	ck_assert_fail(rr_send_id(a, ipc_test_id(w, s)), TOCK_ERR_UNINSTALLED);
	/* Another server's client is untouched. */
	ck_assert_role(d, IPC_RELAY_REQUEST_CLIENT_WAITING);
	ck_assert_no_upcall(w, d, RR, RR_UPCALL_RESPONSE);
	/* Enabled again, it serves again. */
	ck_assert_ok(hk_fake_command(w, s, RR, RR_ENABLE, 0, 0));
	rr_send_ok(a, s);
}
END_TEST

/* ---- fairness: round robin across clients ---- */

static const unsigned send_orders[][3] = {
	{ 0, 1, 2 }, { 2, 1, 0 }, { 1, 2, 0 }, { 2, 0, 1 },
};

START_TEST(test_round_robin)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *cl[3];
	unsigned served[12], count[3] = { 0 };

	ipc_test_allow_rw(w, s, RR, 0, 4, 0);
	for (unsigned i = 0; i < 3; i++) {
		static const char *names[] = { "a", "b", "c" };

		cl[i] = rr_spawn(names[i], i, HK_FAULT_STOP);
		ipc_test_allow_ro(w, cl[i], RR, 0, names[i], 1);
	}
	for (unsigned i = 0; i < 3; i++)
		rr_send_ok(cl[send_orders[_i][i]], s);

	/* Every client asks again as soon as it is answered: all three always wait. */
	for (unsigned n = 0; n < 12; n++) {
		struct hk_fake_ret r = hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0);
		unsigned who = 3;

		ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS_U32_U64);
		for (unsigned i = 0; i < 3; i++)
			if (r.r2 == ipc_identifier_low(ipc_test_id(w, cl[i])))
				who = i;
		ck_assert_uint_lt(who, 3);
		served[n] = who;
		count[who]++;
		ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
		ck_assert_upcall(w, cl[who], RR, RR_UPCALL_RESPONSE, 0, 0, 0);
		rr_send_ok(cl[who], s);
	}
	/* Any three consecutive pickups are three different clients. */
	for (unsigned n = 2; n < 12; n++)
		ck_assert(served[n] != served[n - 1] && served[n] != served[n - 2] && served[n - 1] != served[n - 2]);
	for (unsigned i = 0; i < 3; i++)
		ck_assert_uint_eq(count[i], 4);
}
END_TEST

START_TEST(test_round_robin_skips_clients_that_left)
{
	struct hk_process *s = rr_server("s", 0, HK_FAULT_STOP);
	struct hk_process *a = rr_spawn("a", 0, HK_FAULT_STOP);
	struct hk_process *b = rr_spawn("b", 0, HK_FAULT_STOP);
	struct hk_process *c = rr_spawn("c", 0, HK_FAULT_STOP);

	rr_send_ok(a, s);
	rr_send_ok(b, s);
	rr_send_ok(c, s);
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, a));
	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_ok(hk_fake_command(w, b, RR, RR_CANCEL, 0, 0));
	rr_send_ok(a, s);
	/* b cancelled: after a comes c, then a (wrapping), never b. */
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, c));
	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_ok_u32_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), 0, ipc_test_id(w, a));
	ck_assert_ok(hk_fake_command(w, s, RR, RR_RESPOND, 0, 0));
	ck_assert_fail_u64(hk_fake_command(w, s, RR, RR_GET_NEXT, 0, 0), TOCK_ERR_NODEVICE, 0);
}
END_TEST

START_TEST(test_free_null)
{
	ipc_relay_request_free(NULL);
}
END_TEST

static Suite *relay_request_suite(void)
{
	Suite *s = suite_create("ipc_relay_request");
	TCase *tc = tcase_create("commands");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_idle_commands, 0, sizeof(idle_cmds) / sizeof(idle_cmds[0]));
	tcase_add_loop_test(tc, test_send_targets, 0, sizeof(targets) / sizeof(targets[0]));
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_taken_request_withdraws_upcall);
	tcase_add_test(tc, test_one_transaction_per_process);
	tcase_add_loop_test(tc, test_sizes, 0, sizeof(sizes) / sizeof(sizes[0]));
	tcase_add_test(tc, test_nothing_allowed_is_zero_length);
	tcase_add_test(tc, test_get_next_from);
	tcase_add_test(tc, test_get_next_from_truncated);
	tcase_add_test(tc, test_cancel_while_waiting);
	tcase_add_test(tc, test_cancel_after_server_took_it);
	tcase_add_test(tc, test_cancel_and_resend_gets_no_stale_response);
	tcase_add_test(tc, test_disable_uninstalls_every_client);
	tcase_add_loop_test(tc, test_round_robin, 0, sizeof(send_orders) / sizeof(send_orders[0]));
	tcase_add_test(tc, test_round_robin_skips_clients_that_left);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(relay_request_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
