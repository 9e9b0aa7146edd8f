/* Shared fixture for the Relay Request unit tests: a fake world with the capsule, and client/server shorthands. */
#ifndef TOCKHOST_TEST_RELAY_REQUEST_TEST_H
#define TOCKHOST_TEST_RELAY_REQUEST_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "capsules/ipc/ipc_relay_request.h"
#include "ipc_test.h"

#define RR TOCK_DRIVER_IPC_RELAY_REQUEST

enum {
	RR_SEND = 0x10,
	RR_CANCEL = 0x11,
	RR_ENABLE = 0x20,
	RR_DISABLE = 0x21,
	RR_GET_NEXT = 0x22,
	RR_GET_NEXT_FROM = 0x23,
	RR_RESPOND = 0x24,
	RR_UPCALL_RESPONSE = 0,
	RR_UPCALL_REQUEST = 1,
};

/* One world per test (checked fixture); each test file defines these. */
extern struct hk_fake_world *w;
extern struct ipc_relay_request *rr;

/* with_listener: hand the capsule the process_state capability (the process-state extension). */
static inline void rr_world_new(bool with_listener)
{
	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	rr = ipc_relay_request_new(hk_fake_kernel(w), RR, with_listener ? hk_fake_caps(w)->process_state : NULL);
	ck_assert_ptr_nonnull(rr);
	ck_assert_int_eq(hk_fake_register_driver(w, RR, &ipc_relay_request_ops, rr), 0);
}

/* The kernel keeps the capsule's listener until it is freed, so the world goes first. */
static inline void rr_world_free(void)
{
	hk_fake_world_free(w);
	ipc_relay_request_free(rr);
	w = NULL;
	rr = NULL;
}

static inline struct hk_process *rr_spawn(const char *name, uint32_t short_id, enum hk_fault_policy_kind policy)
{
	return ipc_test_spawn(w, name, short_id, policy);
}

/* A server with requests enabled. */
static inline struct hk_process *rr_server(const char *name, uint32_t short_id, enum hk_fault_policy_kind policy)
{
	struct hk_process *s = rr_spawn(name, short_id, policy);

	ck_assert_ok(hk_fake_command(w, s, RR, RR_ENABLE, 0, 0));
	return s;
}

static inline struct hk_fake_ret rr_send_id(struct hk_process *client, uint64_t server_id)
{
	return hk_fake_command(w, client, RR, RR_SEND, ipc_identifier_low(server_id), ipc_identifier_high(server_id));
}

/* client sends to server; Success and the server's upcall 1 (client_lo, client_hi, 0) expected. */
static inline void rr_send_ok(struct hk_process *client, struct hk_process *server)
{
	uint64_t cid = ipc_test_id(w, client);

	ck_assert_ok(rr_send_id(client, ipc_test_id(w, server)));
	ck_assert_upcall(w, server, RR, RR_UPCALL_REQUEST, ipc_identifier_low(cid), ipc_identifier_high(cid), 0);
}

static inline struct ipc_relay_request_info rr_info(struct hk_process *p)
{
	struct ipc_relay_request_info info;

	ck_assert_msg(ipc_relay_request_get(rr, hk_process_pid(p), &info), "no relay request state for %u",
	              hk_process_pid(p));
	return info;
}

static inline void ck_assert_role(struct hk_process *p, enum ipc_relay_request_role role)
{
	ck_assert_int_eq(rr_info(p).role, role);
}

#endif
