/* Unit tests of the IPC Relay Message capsule (0xA0011) on fake processes: commands, byte-exact appends, errors, upcalls, lifecycle. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_identifier.h"
#include "capsules/ipc/ipc_relay_message.h"
#include "tests/unit/capsules/capsule_test.h"

#define RM TOCK_DRIVER_IPC_RELAY_MESSAGE
#define SLICE_LEN 128u
#define MSG_MAX 512u
#define RECEIVER_SHORT_ID 0x55u
#define SENDER_SHORT_ID 0x77u

static struct hk_fake_world *w;
static struct ipc_relay_message *rm;
static struct hk_process *recv_p, *send_p, *other_p;

/* The receiver's slice and allowlist, the sender's message buffer. */
static uint64_t slice_addr, list_addr, msg_addr;
static uint8_t *slice, *list_host, *msg;

static struct hk_process *spawn(const char *name, uint32_t short_id, enum hk_fault_policy_kind policy)
{
	struct hk_fake_proc_config cfg = { .name = name, .short_id = short_id, .fault_policy = { policy, 0 } };
	struct hk_process *p = hk_fake_spawn(w, &cfg);

	ck_assert_ptr_nonnull(p);
	return p;
}

static uint64_t id_of(struct hk_process *p)
{
	return ipc_identifier_of(hk_fake_kernel(w), hk_process_pid(p));
}

/* The receiver allows the whole allowlist buffer holding these ids (n of them). */
static void set_allowlist(const uint64_t *ids, size_t n)
{
	if (n > 0)
		memcpy(list_host, ids, n * sizeof(uint64_t));
	ck_assert_uint_eq(hk_fake_allow_ro(w, recv_p, RM, 1, list_addr, n * sizeof(uint64_t)).r0,
	                  TOCK_RET_SUCCESS_U32_U32);
}

static void allow_slice(uint64_t addr, size_t len)
{
	ck_assert_uint_eq(hk_fake_allow_rw(w, recv_p, RM, 0, addr, len).r0, TOCK_RET_SUCCESS_U32_U32);
}

static struct hk_fake_ret send_to(struct hk_process *from, uint64_t to, const void *bytes, size_t len)
{
	uint8_t *buf = hk_fake_host_ptr(w, from, msg_addr, MSG_MAX);

	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_le(len, MSG_MAX);
	if (len > 0)
		memcpy(buf, bytes, len);
	ck_assert_uint_eq(hk_fake_allow_ro(w, from, RM, 0, msg_addr, len).r0, TOCK_RET_SUCCESS_U32_U32);
	return hk_fake_command(w, from, RM, 0x20, ipc_identifier_low(to), ipc_identifier_high(to));
}

static struct hk_fake_ret send_str(const char *s)
{
	return send_to(send_p, id_of(recv_p), s, strlen(s));
}

static uint32_t slice_offset(const uint8_t *s)
{
	uint32_t v;

	memcpy(&v, s + 4, sizeof(v));
	return v;
}

static void set_offset(uint8_t *s, uint32_t v)
{
	memcpy(s + 4, &v, sizeof(v));
}

/*
 * Receiver with a SLICE_LEN slice and an allowlist naming the sender, reception enabled. The
 * sender and "other" each own a MSG_MAX message buffer at the same relative place.
 */
static void setup(void)
{
	uint64_t other_msg;

	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	rm = ipc_relay_message_new(hk_fake_kernel(w), RM, hk_fake_caps(w)->process_state);
	ck_assert_ptr_nonnull(rm);
	ck_assert_int_eq(hk_fake_register_driver(w, RM, &ipc_relay_message_ops, rm), 0);
	recv_p = spawn("receiver", RECEIVER_SHORT_ID, HK_FAULT_STOP);
	send_p = spawn("sender", SENDER_SHORT_ID, HK_FAULT_STOP);
	other_p = spawn("other", 0, HK_FAULT_STOP);

	slice_addr = test_buffer(w, recv_p, SLICE_LEN, &slice);
	list_addr = test_buffer(w, recv_p, 8 * sizeof(uint64_t), &list_host);
	msg_addr = test_buffer(w, send_p, MSG_MAX, &msg);
	/* other_p's buffer sits at the same offset in its RAM as the sender's (send_from_other relies on it). */
	other_msg = hk_fake_alloc(w, other_p, MSG_MAX);
	ck_assert_uint_eq(other_msg - hk_fake_memory_map(w, other_p)->ram_start,
	                  msg_addr - hk_fake_memory_map(w, send_p)->ram_start);

	allow_slice(slice_addr, SLICE_LEN);
	set_allowlist((const uint64_t[]){ id_of(send_p) }, 1);
	ck_assert_success(hk_fake_command(w, recv_p, RM, 0x10, 0, 0));
}

static void teardown(void)
{
	hk_fake_world_free(w);
	ipc_relay_message_free(rm);
}

/* other_p sends from its own buffer (same layout as the sender's). */
static struct hk_fake_ret send_from_other(const char *s)
{
	uint64_t addr = msg_addr - hk_fake_memory_map(w, send_p)->ram_start + hk_fake_memory_map(w, other_p)->ram_start;
	uint8_t *buf = hk_fake_host_ptr(w, other_p, addr, MSG_MAX);

	memcpy(buf, s, strlen(s));
	ck_assert_uint_eq(hk_fake_allow_ro(w, other_p, RM, 0, addr, strlen(s)).r0, TOCK_RET_SUCCESS_U32_U32);
	return hk_fake_command(w, other_p, RM, 0x20, ipc_identifier_low(id_of(recv_p)),
	                       ipc_identifier_high(id_of(recv_p)));
}

/* Record i starts at payload offset `at`: check its header and payload bytes. */
static void ck_record(const uint8_t *s, size_t at, uint64_t sender, const char *payload)
{
	uint64_t id;
	uint32_t len;

	memcpy(&id, s + 8 + at, sizeof(id));
	memcpy(&len, s + 8 + at + 8, sizeof(len));
	ck_assert_uint_eq(id, sender);
	ck_assert_uint_eq(len, strlen(payload));
	ck_assert_mem_eq(s + 8 + at + 12, payload, strlen(payload));
}

/* ---- simple commands ---- */

START_TEST(test_exists_and_unknown)
{
	static const uint32_t unknown[] = { 1, 2, 0x12, 0x21, 0x30, 0xffffffffu };

	ck_assert_success(hk_fake_command(w, other_p, RM, 0, 0, 0));
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ck_assert_failure(hk_fake_command(w, other_p, RM, unknown[i], 0, 0), TOCK_ERR_NOSUPPORT);
}
END_TEST

/* ---- enable: the slice header and allowlist checks ---- */

static const struct {
	const char *name;
	size_t slice_len;
	uint8_t header[8];
	size_t list_len;
	uint32_t err; /* 0 = Success */
} enable_cases[] = {
	{ "no slice", 0, { 0 }, 8, TOCK_ERR_SIZE },
	{ "slice of 7", 7, { 0 }, 8, TOCK_ERR_SIZE },
	{ "slice of 8", 8, { 0 }, 8, 0 },
	{ "version 1 (low byte)", 64, { 0, 1 }, 8, TOCK_ERR_INVAL },
	{ "version 0x100 (high byte)", 64, { 1, 0 }, 8, TOCK_ERR_INVAL },
	{ "reserved flag bit 2", 64, { 0, 0, 0, 0x04 }, 8, TOCK_ERR_INVAL },
	{ "reserved flag bit 15", 64, { 0, 0, 0x80, 0 }, 8, TOCK_ERR_INVAL },
	{ "E set", 64, { 0, 0, 0, 0x01 }, 8, 0 },
	{ "H set", 64, { 0, 0, 0, 0x02 }, 8, 0 },
	{ "E and H set", 64, { 0, 0, 0, 0x03 }, 8, 0 },
	{ "offset set", 64, { 0, 0, 0, 0, 9, 0, 0, 0 }, 8, 0 },
	{ "empty allowlist", 64, { 0 }, 0, 0 },
	{ "allowlist of 2", 64, { 0 }, 16, 0 },
	{ "allowlist odd length 12", 64, { 0 }, 12, TOCK_ERR_INVAL },
	{ "allowlist odd length 1", 64, { 0 }, 1, TOCK_ERR_INVAL },
	{ "SIZE before allowlist INVAL", 4, { 0 }, 3, TOCK_ERR_SIZE },
};

START_TEST(test_enable)
{
	uint8_t *host;
	uint64_t addr = test_buffer(w, other_p, 64, &host);
	uint64_t list = hk_fake_alloc(w, other_p, 16);
	struct hk_fake_ret r;

	memcpy(host, enable_cases[_i].header, 8);
	ck_assert_uint_eq(hk_fake_allow_rw(w, other_p, RM, 0, addr, enable_cases[_i].slice_len).r0,
	                  TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_ro(w, other_p, RM, 1, list, enable_cases[_i].list_len).r0,
	                  TOCK_RET_SUCCESS_U32_U32);
	r = hk_fake_command(w, other_p, RM, 0x10, 0, 0);
	if (enable_cases[_i].err)
		ck_assert_failure(r, enable_cases[_i].err);
	else
		ck_assert_success(r);
	ck_assert_mem_eq(host, enable_cases[_i].header, 8); /* enable only reads the header */
}
END_TEST

START_TEST(test_disable_then_reenable)
{
	ck_assert_success(hk_fake_command(w, recv_p, RM, 0x11, 0, 0));
	ck_assert_success(hk_fake_command(w, recv_p, RM, 0x11, 0, 0)); /* idempotent */
	ck_assert_failure(send_str("x"), TOCK_ERR_OFF);
	ck_assert_uint_eq(slice_offset(slice), 0);
	ck_assert_success(hk_fake_command(w, recv_p, RM, 0x10, 0, 0));
	ck_assert_success(hk_fake_command(w, recv_p, RM, 0x10, 0, 0)); /* idempotent */
	ck_assert_success(send_str("x"));
	ck_assert_uint_eq(slice_offset(slice), 13);
}
END_TEST

/* ---- byte-exact appends ---- */

START_TEST(test_append_layout)
{
	uint8_t before[SLICE_LEN];

	ck_assert_success(send_str("hello"));
	ck_assert_success(send_to(send_p, id_of(recv_p), NULL, 0)); /* zero-length message: header only */
	ck_assert_success(send_str("abc"));
	/* version 0, flags 0 */
	ck_assert_uint_eq(slice[0] | slice[1] | slice[2] | slice[3], 0);
	ck_assert_uint_eq(slice_offset(slice), (12 + 5) + 12 + (12 + 3));
	ck_record(slice, 0, id_of(send_p), "hello");
	ck_record(slice, 17, id_of(send_p), "");
	ck_record(slice, 29, id_of(send_p), "abc");
	/* The sender id carries the ShortId in its high half. */
	ck_assert_uint_eq(slice[8 + 4], SENDER_SHORT_ID);
	/* Nothing past the last record was written. */
	for (size_t i = 8 + 44; i < SLICE_LEN; i++)
		ck_assert_uint_eq(slice[i], 0);
	/* payload[0..offset) is never modified by later appends. */
	memcpy(before, slice, sizeof(before));
	ck_assert_success(send_str("z"));
	ck_assert_mem_eq(slice + 8, before + 8, 44);
}
END_TEST

START_TEST(test_message_from_flash)
{
	uint64_t flash = hk_fake_flash_alloc(w, send_p, "rodata", 6);

	ck_assert_uint_ne(flash, 0);
	ck_assert_uint_eq(hk_fake_allow_ro(w, send_p, RM, 0, flash, 6).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_success(hk_fake_command(w, send_p, RM, 0x20, ipc_identifier_low(id_of(recv_p)),
	                                  ipc_identifier_high(id_of(recv_p))));
	ck_record(slice, 0, id_of(send_p), "rodata");
}
END_TEST

START_TEST(test_exceeded_then_smaller_message_fits)
{
	char big[121];

	memset(big, 'B', 120);
	big[120] = 0;
	ck_assert_failure(send_str(big), TOCK_ERR_SIZE); /* 132 > 120 */
	ck_assert_uint_eq(slice[3], 0x01);
	ck_assert_uint_eq(slice_offset(slice), 0);
	ck_assert_uint_eq(slice[8], 0); /* not even the record header */
	ck_assert_success(send_str("tiny"));
	ck_assert_uint_eq(slice_offset(slice), 16);
	ck_assert_uint_eq(slice[3], 0x01); /* E stays set until userspace swaps */
	ck_record(slice, 0, id_of(send_p), "tiny");
	/* An exact fit: 120 - 16 = 104 = 12 + 92. */
	big[92] = 0;
	ck_assert_success(send_str(big));
	ck_assert_uint_eq(slice_offset(slice), 120);
	ck_assert_failure(send_to(send_p, id_of(recv_p), NULL, 0), TOCK_ERR_SIZE);
}
END_TEST

START_TEST(test_halt_alone_still_appends)
{
	slice[3] = 0x02;
	ck_assert_success(send_str("h"));
	ck_assert_uint_eq(slice[3], 0x02);
	ck_assert_uint_eq(slice_offset(slice), 13);
	ck_record(slice, 0, id_of(send_p), "h");
}
END_TEST

START_TEST(test_halt_and_exceeded_busy)
{
	uint8_t before[SLICE_LEN];

	slice[3] = 0x03;
	set_offset(slice, 5);
	memcpy(before, slice, SLICE_LEN);
	ck_assert_failure(send_str("h"), TOCK_ERR_BUSY);
	ck_assert_mem_eq(slice, before, SLICE_LEN);
	ck_assert(!test_has_upcall(w, recv_p, RM, 0));
}
END_TEST

/* ---- send errors: each row changes one thing, the send fails with err and writes nothing ---- */

static void mutate_forged(uint64_t *to) { *to = ipc_identifier_make(hk_process_pid(recv_p), RECEIVER_SHORT_ID + 1); }
static void mutate_unknown_pid(uint64_t *to) { *to = ipc_identifier_make(1000, 0); }
static void mutate_never_touched(uint64_t *to) { *to = id_of(other_p); }
static void mutate_disabled(uint64_t *to) { ck_assert_success(hk_fake_command(w, recv_p, RM, 0x11, 0, 0)); }
static void mutate_not_listed(uint64_t *to) { set_allowlist((const uint64_t[]){ id_of(other_p) }, 1); }
static void mutate_empty_list(uint64_t *to) { set_allowlist(NULL, 0); }
static void mutate_low_half_only(uint64_t *to)
{
	set_allowlist((const uint64_t[]){ ipc_identifier_make(hk_process_pid(send_p), 0) }, 1);
}
static void mutate_odd_list(uint64_t *to)
{
	memcpy(list_host, (const uint64_t[]){ id_of(send_p) }, 8);
	ck_assert_uint_eq(hk_fake_allow_ro(w, recv_p, RM, 1, list_addr, 9).r0, TOCK_RET_SUCCESS_U32_U32);
}
static void mutate_small_slice(uint64_t *to) { allow_slice(slice_addr, 7); }
static void mutate_no_slice(uint64_t *to) { allow_slice(0, 0); }
static void mutate_version(uint64_t *to) { slice[1] = 1; }
static void mutate_reserved(uint64_t *to) { slice[3] = 0x80; }
static void mutate_reserved_high(uint64_t *to) { slice[2] = 0x01; }
static void mutate_halt_exceeded(uint64_t *to) { slice[3] = 0x03; }
static void mutate_overflow(uint64_t *to) { set_offset(slice, UINT32_MAX - 12); }
static void mutate_offset_past_end(uint64_t *to) { set_offset(slice, 1000); }

static const struct {
	const char *name;
	void (*mutate)(uint64_t *to);
	uint32_t err;
	bool counts_drop; /* the receiver's dropped counter goes up */
} send_errors[] = {
	{ "forged ShortId", mutate_forged, TOCK_ERR_NODEVICE, false },
	{ "unknown pid", mutate_unknown_pid, TOCK_ERR_NODEVICE, false },
	{ "receiver never used driver", mutate_never_touched, TOCK_ERR_OFF, false },
	{ "reception disabled", mutate_disabled, TOCK_ERR_OFF, false },
	{ "sender not listed", mutate_not_listed, TOCK_ERR_NOACK, false },
	{ "empty allowlist", mutate_empty_list, TOCK_ERR_NOACK, false },
	{ "listed without ShortId", mutate_low_half_only, TOCK_ERR_NOACK, false },
	{ "allowlist odd length", mutate_odd_list, TOCK_ERR_NOACK, false },
	{ "slice of 7", mutate_small_slice, TOCK_ERR_SIZE, true },
	{ "slice un-allowed", mutate_no_slice, TOCK_ERR_SIZE, true },
	{ "version 1", mutate_version, TOCK_ERR_INVAL, true },
	{ "reserved flag bit 7", mutate_reserved, TOCK_ERR_INVAL, true },
	{ "reserved flag bit 8", mutate_reserved_high, TOCK_ERR_INVAL, true },
	{ "halt and exceeded", mutate_halt_exceeded, TOCK_ERR_BUSY, true },
	{ "offset overflow", mutate_overflow, TOCK_ERR_FAIL, true },
};

START_TEST(test_send_errors)
{
	uint64_t to = id_of(recv_p);
	uint8_t before[SLICE_LEN];
	struct ipc_relay_message_info info;

	send_errors[_i].mutate(&to);
	memcpy(before, slice, SLICE_LEN);
	ck_assert_failure(send_to(send_p, to, "payload", 7), send_errors[_i].err);
	ck_assert_mem_eq(slice, before, SLICE_LEN);
	ck_assert(!test_has_upcall(w, recv_p, RM, 0));
	ck_assert_int_eq(ipc_relay_message_info(rm, hk_process_pid(recv_p), &info), 0);
	ck_assert_uint_eq(info.messages, 0);
	ck_assert_uint_eq(info.dropped, send_errors[_i].counts_drop ? 1 : 0);
}
END_TEST

START_TEST(test_offset_past_end_sets_exceeded)
{
	mutate_offset_past_end(NULL);
	ck_assert_failure(send_str("x"), TOCK_ERR_SIZE);
	ck_assert_uint_eq(slice[3], 0x01);
	ck_assert_uint_eq(slice_offset(slice), 1000);
}
END_TEST

START_TEST(test_stale_receiver_id)
{
	uint64_t old = id_of(recv_p);

	ck_assert_int_eq(hk_fake_exit(w, recv_p, 1, 0).result, HK_SYSCALL_ENDED); /* restart: new ProcessId */
	ck_assert_uint_ne(id_of(recv_p), old);
	ck_assert_failure(send_to(send_p, old, "x", 1), TOCK_ERR_NODEVICE);
	/* The new incarnation starts with reception off and no counters. */
	ck_assert_failure(send_to(send_p, id_of(recv_p), "x", 1), TOCK_ERR_OFF);
}
END_TEST

/* ---- upcalls ---- */

START_TEST(test_appended_upcall_coalesced)
{
	struct hk_fake_upcall up;

	ck_assert_success(send_str("a"));
	ck_assert_success(send_str("bb"));
	ck_assert_success(send_str("ccc"));
	up = test_upcall(w, recv_p, RM, 0);
	ck_assert_upcall(up, 13, 0, 0); /* the first one queued; later ones were coalesced into it */
	ck_assert(!test_has_upcall(w, recv_p, RM, 0));
	ck_assert_success(send_str("d"));
	up = test_upcall(w, recv_p, RM, 0);
	ck_assert_upcall(up, 13 + 14 + 15 + 13, 0, 0);
}
END_TEST

START_TEST(test_exceeded_upcall)
{
	char big[121];
	struct hk_fake_upcall up;

	memset(big, 'B', 120);
	big[120] = 0;
	ck_assert_failure(send_str(big), TOCK_ERR_SIZE);
	up = test_upcall(w, recv_p, RM, 0);
	ck_assert_upcall(up, 0, 1, 0);
}
END_TEST

START_TEST(test_subscribed_upcall_function)
{
	struct hk_process *p = recv_p;
	uint64_t fn = hk_fake_upcall_fn(w, p, 3);
	struct hk_fake_upcall up;

	ck_assert_uint_eq(hk_fake_subscribe(w, p, RM, 0, fn, 0x1234).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_success(send_str("a"));
	ck_assert(hk_fake_yield_wait(w, p, &up));
	ck_assert_uint_eq(up.fn, fn);
	ck_assert_uint_eq(up.appdata, 0x1234);
	ck_assert_upcall(up, 13, 0, 0);
}
END_TEST

/* How the allowlisted sender ends. */
enum end_kind { END_FAULT_STOP, END_FAULT_RESTART, END_EXIT, END_EXIT_RESTART, END_KERNEL_TERMINATE };

static const struct {
	const char *name;
	enum end_kind kind;
} end_cases[] = {
	{ "fault, stop policy", END_FAULT_STOP },
	{ "fault, restart policy", END_FAULT_RESTART },
	{ "exit-terminate", END_EXIT },
	{ "exit-restart", END_EXIT_RESTART },
	{ "terminated by the kernel", END_KERNEL_TERMINATE },
};

static void end_process(struct hk_process **pp, enum end_kind kind)
{
	switch (kind) {
	case END_FAULT_STOP:
	case END_FAULT_RESTART: /* the policy was chosen at spawn: two transitions, faulted then restarted */
		hk_fake_fault(w, *pp, "test");
		break;
	case END_EXIT:
		ck_assert_int_eq(hk_fake_exit(w, *pp, 0, 0).result, HK_SYSCALL_ENDED);
		break;
	case END_EXIT_RESTART:
		ck_assert_int_eq(hk_fake_exit(w, *pp, 1, 0).result, HK_SYSCALL_ENDED);
		break;
	case END_KERNEL_TERMINATE:
		ck_assert_int_eq(hk_process_terminate(hk_fake_kernel(w), *pp, 0), 0);
		break;
	}
}

START_TEST(test_sender_gone_upcall)
{
	enum end_kind kind = end_cases[_i].kind;
	struct hk_process *sender = kind == END_FAULT_RESTART ? spawn("restarter", 0x99, HK_FAULT_RESTART) : send_p;
	uint64_t gone = id_of(sender);
	struct hk_fake_upcall up;

	set_allowlist((const uint64_t[]){ id_of(other_p), gone }, 2);
	end_process(&sender, kind);
	up = test_upcall(w, recv_p, RM, 1);
	ck_assert_upcall(up, TOCK_ERR_NODEVICE, ipc_identifier_low(gone), ipc_identifier_high(gone));
	ck_assert_uint_ne(ipc_identifier_high(gone), 0);
	/* Exactly one report per incarnation, however many transitions it went through. */
	ck_assert(!test_has_upcall(w, recv_p, RM, 1));
	ck_assert(!test_has_upcall(w, recv_p, RM, 0));
}
END_TEST

START_TEST(test_sender_gone_not_for_unlisted_or_disabled)
{
	/* other_p is not on the allowlist. */
	hk_fake_fault(w, other_p, "test");
	ck_assert(!test_has_upcall(w, recv_p, RM, 1));
	/* The listed sender ends while reception is off: nobody is told. */
	ck_assert_success(hk_fake_command(w, recv_p, RM, 0x11, 0, 0));
	ck_assert_int_eq(hk_fake_exit(w, send_p, 0, 0).result, HK_SYSCALL_ENDED);
	ck_assert(!test_has_upcall(w, recv_p, RM, 1));
}
END_TEST

START_TEST(test_sender_gone_to_every_listing_receiver)
{
	struct hk_process *r2 = spawn("receiver2", 0, HK_FAULT_STOP);
	uint64_t s2 = hk_fake_alloc(w, r2, 16), l2 = hk_fake_alloc(w, r2, 8);
	uint64_t gone = id_of(send_p);
	struct hk_fake_upcall up;

	memcpy(hk_fake_host_ptr(w, r2, l2, 8), &gone, 8);
	ck_assert_uint_eq(hk_fake_allow_rw(w, r2, RM, 0, s2, 16).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_ro(w, r2, RM, 1, l2, 8).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_success(hk_fake_command(w, r2, RM, 0x10, 0, 0));
	hk_fake_fault(w, send_p, "test");
	up = test_upcall(w, recv_p, RM, 1);
	ck_assert_upcall(up, TOCK_ERR_NODEVICE, ipc_identifier_low(gone), ipc_identifier_high(gone));
	up = test_upcall(w, r2, RM, 1);
	ck_assert_upcall(up, TOCK_ERR_NODEVICE, ipc_identifier_low(gone), ipc_identifier_high(gone));
}
END_TEST

/* ---- lifecycle: nothing survives a process ---- */

START_TEST(test_receiver_restart_leaves_no_state)
{
	struct ipc_relay_message_info info;
	hk_pid old;

	ck_assert_success(send_str("abc"));
	ck_assert_int_eq(ipc_relay_message_info(rm, hk_process_pid(recv_p), &info), 0);
	ck_assert(info.enabled);
	ck_assert_uint_eq(info.messages, 1);
	old = hk_process_pid(recv_p);
	ck_assert_int_eq(hk_fake_exit(w, recv_p, 1, 0).result, HK_SYSCALL_ENDED);
	ck_assert_int_eq(ipc_relay_message_info(rm, old, &info), -ENOENT);
	/* Touch the driver again: a fresh grant, reception off, zero counters, no allows. */
	ck_assert_success(hk_fake_command(w, recv_p, RM, 0, 0, 0));
	ck_assert_int_eq(ipc_relay_message_info(rm, hk_process_pid(recv_p), &info), 0);
	ck_assert(!info.enabled);
	ck_assert_uint_eq(info.messages + info.bytes + info.dropped, 0);
	ck_assert_uint_eq(info.slice_len, 0);
	ck_assert_uint_eq(info.allowlist_entries, 0);
	ck_assert_failure(send_to(send_p, id_of(recv_p), "x", 1), TOCK_ERR_OFF);
}
END_TEST

START_TEST(test_sender_death_leaves_receiver_working)
{
	ck_assert_success(send_str("first"));
	set_allowlist((const uint64_t[]){ id_of(send_p), id_of(other_p) }, 2);
	ck_assert_int_eq(hk_fake_exit(w, send_p, 0, 0).result, HK_SYSCALL_ENDED);
	ck_assert_success(send_from_other("second"));
	ck_record(slice, 0, ipc_identifier_make(hk_process_pid(send_p), SENDER_SHORT_ID), "first");
	ck_record(slice, 17, id_of(other_p), "second");
}
END_TEST

START_TEST(test_receiver_death_mid_stream)
{
	uint64_t old = id_of(recv_p);

	ck_assert_success(send_str("one"));
	hk_fake_fault(w, recv_p, "test"); /* stop policy: Faulted */
	ck_assert_failure(send_to(send_p, old, "two", 3), TOCK_ERR_NODEVICE);
	ck_assert_success(hk_fake_command(w, send_p, RM, 0, 0, 0)); /* the sender is unaffected */
}
END_TEST

/* ---- two-buffer swap ---- */

START_TEST(test_two_buffer_swap)
{
	uint8_t *b;
	uint64_t b_addr = test_buffer(w, recv_p, SLICE_LEN, &b);
	uint8_t a_copy[SLICE_LEN];
	struct hk_fake_ret r;

	ck_assert_success(send_str("into A"));
	ck_assert_success(send_str("more A"));
	memcpy(a_copy, slice, SLICE_LEN);
	/* B's header is zero already (fresh buffer); swap with one allow on the same slot. */
	r = hk_fake_allow_rw(w, recv_p, RM, 0, b_addr, SLICE_LEN);
	ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(r.r1, slice_addr);
	ck_assert_uint_eq(r.r2, SLICE_LEN);
	ck_assert_success(send_str("into B"));
	ck_assert_mem_eq(slice, a_copy, SLICE_LEN); /* A returned intact and untouched after the swap */
	ck_assert_uint_eq(slice_offset(slice), 36);
	ck_assert_uint_eq(slice_offset(b), 18);
	ck_record(b, 0, id_of(send_p), "into B");
	/* Swap back to A after zeroing its header: appends restart at 0. */
	memset(slice, 0, 8);
	allow_slice(slice_addr, SLICE_LEN);
	ck_assert_success(send_str("A again"));
	ck_record(slice, 0, id_of(send_p), "A again");
	ck_assert_uint_eq(slice_offset(b), 18);
}
END_TEST

START_TEST(test_info_counters)
{
	struct ipc_relay_message_info info;
	char big[121];

	memset(big, 'B', 120);
	big[120] = 0;
	ck_assert_success(send_str("12345"));
	ck_assert_success(send_str("678"));
	ck_assert_failure(send_str(big), TOCK_ERR_SIZE);
	ck_assert_failure(send_from_other("x"), TOCK_ERR_NOACK);
	ck_assert_int_eq(ipc_relay_message_info(rm, hk_process_pid(recv_p), &info), 0);
	ck_assert(info.enabled);
	ck_assert_uint_eq(info.messages, 2);
	ck_assert_uint_eq(info.bytes, 8);
	ck_assert_uint_eq(info.dropped, 1);
	ck_assert_uint_eq(info.slice_len, SLICE_LEN);
	ck_assert_uint_eq(info.offset, 32);
	ck_assert(info.exceeded);
	ck_assert(!info.halted);
	ck_assert_uint_eq(info.allowlist_entries, 1);
	ck_assert_int_eq(ipc_relay_message_info(rm, hk_process_pid(other_p), &info), 0); /* it touched the driver */
	ck_assert_int_eq(ipc_relay_message_info(rm, 4242, &info), -ENOENT);
}
END_TEST

START_TEST(test_free_null)
{
	ipc_relay_message_free(NULL);
}
END_TEST

static Suite *relay_message_suite(void)
{
	Suite *s = suite_create("ipc_relay_message");
	TCase *tc = tcase_create("relay_message");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_exists_and_unknown);
	tcase_add_loop_test(tc, test_enable, 0, sizeof(enable_cases) / sizeof(enable_cases[0]));
	tcase_add_test(tc, test_disable_then_reenable);
	tcase_add_test(tc, test_append_layout);
	tcase_add_test(tc, test_message_from_flash);
	tcase_add_test(tc, test_exceeded_then_smaller_message_fits);
	tcase_add_test(tc, test_halt_alone_still_appends);
	tcase_add_test(tc, test_halt_and_exceeded_busy);
	tcase_add_loop_test(tc, test_send_errors, 0, sizeof(send_errors) / sizeof(send_errors[0]));
	tcase_add_test(tc, test_offset_past_end_sets_exceeded);
	tcase_add_test(tc, test_stale_receiver_id);
	tcase_add_test(tc, test_appended_upcall_coalesced);
	tcase_add_test(tc, test_exceeded_upcall);
	tcase_add_test(tc, test_subscribed_upcall_function);
	tcase_add_loop_test(tc, test_sender_gone_upcall, 0, sizeof(end_cases) / sizeof(end_cases[0]));
	tcase_add_test(tc, test_sender_gone_not_for_unlisted_or_disabled);
	tcase_add_test(tc, test_sender_gone_to_every_listing_receiver);
	tcase_add_test(tc, test_receiver_restart_leaves_no_state);
	tcase_add_test(tc, test_sender_death_leaves_receiver_working);
	tcase_add_test(tc, test_receiver_death_mid_stream);
	tcase_add_test(tc, test_two_buffer_swap);
	tcase_add_test(tc, test_info_counters);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(relay_message_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
