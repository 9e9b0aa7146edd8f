/* Kernel unit tests: trap-frame decoding (good and malformed frames) and encoding of resumes. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/transport/trap_codec.h"

static struct tock_trap_frame good(uint16_t kind, uint32_t op)
{
	struct tock_trap_frame f = { TOCK_TRAP_MAGIC, TOCK_TRAP_VERSION, kind, 77, op, { 1, 2, 3, 4, 5 } };

	return f;
}

struct bad_frame {
	const char *reason;
	size_t len;
	uint32_t magic;
	uint16_t version, kind;
	uint32_t op;
};

static const struct bad_frame bad_frames[] = {
	{ "trap frame has the wrong length", 55, TOCK_TRAP_MAGIC, 1, TOCK_TRAP_SYSCALL, 2 },
	{ "trap frame has the wrong length", 57, TOCK_TRAP_MAGIC, 1, TOCK_TRAP_SYSCALL, 2 },
	{ "trap frame has the wrong length", 0, TOCK_TRAP_MAGIC, 1, TOCK_TRAP_SYSCALL, 2 },
	{ "trap frame has a bad magic number", 56, 0x12345678, 1, TOCK_TRAP_SYSCALL, 2 },
	{ "trap frame has an unsupported version", 56, TOCK_TRAP_MAGIC, 2, TOCK_TRAP_SYSCALL, 2 },
	{ "trap frame has an unsupported version", 56, TOCK_TRAP_MAGIC, 0, TOCK_TRAP_SYSCALL, 2 },
	{ "trap frame has an unknown kind", 56, TOCK_TRAP_MAGIC, 1, 0, 0 },
	{ "trap frame has an unknown kind", 56, TOCK_TRAP_MAGIC, 1, 4, 0 },
	{ "trap frame has an unknown kind", 56, TOCK_TRAP_MAGIC, 1, 0xFFFF, 0 },
	{ "trap frame kind is not allowed from an app", 56, TOCK_TRAP_MAGIC, 1, TOCK_TRAP_START, 0 },
	{ "trap frame kind is not allowed from an app", 56, TOCK_TRAP_MAGIC, 1, TOCK_TRAP_RETURN, 0 },
	{ "trap frame kind is not allowed from an app", 56, TOCK_TRAP_MAGIC, 1, TOCK_TRAP_UPCALL, 0 },
	{ "trap frame has an unknown fault cause", 56, TOCK_TRAP_MAGIC, 1, TOCK_TRAP_FAULT, 0 },
	{ "trap frame has an unknown fault cause", 56, TOCK_TRAP_MAGIC, 1, TOCK_TRAP_FAULT, 5 },
};

START_TEST(test_decode_malformed)
{
	const struct bad_frame *c = &bad_frames[_i];
	uint8_t buf[64] = { 0 };
	struct tock_trap_frame f = { c->magic, c->version, c->kind, 1, c->op, { 0 } };
	struct hk_trap_msg m;
	const char *why = NULL;

	memcpy(buf, &f, sizeof(f));
	ck_assert_int_eq(hk_trap_decode(buf, c->len, &m, &why), -EPROTO);
	ck_assert_str_eq(why, c->reason);
	ck_assert_ptr_null(strchr(why, '\n'));
}
END_TEST

START_TEST(test_decode_good)
{
	uint8_t buf[57];
	struct tock_trap_frame f = good(TOCK_TRAP_SYSCALL, 9); /* unknown class is the dispatcher's business */
	struct hk_trap_msg m;
	const char *why = "x";

	f.arg[4] = tock_chain_if_error(TOCK_ERR_NODEVICE); /* a SYSCALL's arg[4] is its chain link */
	memcpy(buf + 1, &f, sizeof(f)); /* unaligned on purpose */
	ck_assert_int_eq(hk_trap_decode(buf + 1, sizeof(f), &m, &why), 0);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(m.kind, TOCK_TRAP_SYSCALL);
	ck_assert_uint_eq(m.seq, 77);
	ck_assert_uint_eq(m.syscall.class_id, 9);
	ck_assert_uint_eq(m.syscall.r[0], 1);
	ck_assert_uint_eq(m.syscall.r[3], 4);
	ck_assert_uint_eq(m.link, TOCK_CHAIN_IF_ERROR | (TOCK_ERR_NODEVICE << 8));
	f = good(TOCK_TRAP_FAULT, TOCK_FAULT_MEMORY);
	ck_assert_int_eq(hk_trap_decode(&f, sizeof(f), &m, &why), 0);
	ck_assert_int_eq(m.kind, TOCK_TRAP_FAULT);
	ck_assert_int_eq(m.cause, TOCK_FAULT_MEMORY);
	ck_assert_uint_eq(m.fault_arg[2], 3);
	ck_assert_str_eq(hk_trap_fault_cause_name(m.cause), "memory");
	f = good(TOCK_TRAP_HELLO, 0);
	ck_assert_int_eq(hk_trap_decode(&f, sizeof(f), &m, &why), 0);
	ck_assert_int_eq(m.kind, TOCK_TRAP_HELLO);
	ck_assert_int_eq(hk_trap_decode(NULL, 56, &m, &why), -EPROTO);
}
END_TEST

START_TEST(test_encode)
{
	struct hk_resume r = { HK_RESUME_UPCALL, { 0x1000, 1, 2, 3, 0xFFFFFFFFFFull } };
	struct tock_trap_frame f;

	ck_assert_int_eq(hk_trap_encode(&r, 5, &f), 0);
	ck_assert_uint_eq(f.magic, TOCK_TRAP_MAGIC);
	ck_assert_uint_eq(f.version, TOCK_TRAP_VERSION);
	ck_assert_uint_eq(f.kind, TOCK_TRAP_UPCALL);
	ck_assert_uint_eq(f.seq, 5);
	ck_assert_uint_eq(f.arg[4], 0xFFFFFFFFFFull);
	r.kind = HK_RESUME_RETURN;
	ck_assert_int_eq(hk_trap_encode(&r, 6, &f), 0);
	ck_assert_uint_eq(f.kind, TOCK_TRAP_RETURN);
	ck_assert_uint_eq(f.arg[0], 0x1000);
	r.kind = HK_RESUME_START;
	ck_assert_int_eq(hk_trap_encode(&r, 0, &f), 0);
	ck_assert_uint_eq(f.kind, TOCK_TRAP_START);
	ck_assert_uint_eq(f.arg[0], 0);
	r.kind = HK_RESUME_CONTINUE;
	ck_assert_int_eq(hk_trap_encode(&r, 0, &f), -EINVAL);
}
END_TEST

/* A SYSCALL's link (arg[4]) is checked: the known conditions only, an error code 1..255, no linked exit. */
START_TEST(test_decode_chain_links)
{
	static const struct {
		uint32_t class_id;
		uint64_t link;
		const char *reason; /* NULL: accepted */
	} cases[] = {
		{ TOCK_CLASS_COMMAND, TOCK_CHAIN_NONE, NULL },
		{ TOCK_CLASS_COMMAND, TOCK_CHAIN_IF_SUCCESS, NULL },
		{ TOCK_CLASS_YIELD, TOCK_CHAIN_ALWAYS, NULL },
		{ TOCK_CLASS_COMMAND, TOCK_CHAIN_IF_ERROR | (13u << 8), NULL },
		{ TOCK_CLASS_COMMAND, TOCK_CHAIN_IF_ERROR | (255u << 8), NULL },
		{ TOCK_CLASS_EXIT, TOCK_CHAIN_NONE, NULL },
		{ TOCK_CLASS_COMMAND, 4, "trap frame has an unknown chain link" },
		{ TOCK_CLASS_COMMAND, 0x77, "trap frame has an unknown chain link" },
		{ TOCK_CLASS_COMMAND, TOCK_CHAIN_IF_ERROR, "trap frame has an unknown chain link" },
		{ TOCK_CLASS_COMMAND, TOCK_CHAIN_IF_ERROR | (256u << 8), "trap frame has an unknown chain link" },
		{ TOCK_CLASS_COMMAND, TOCK_CHAIN_IF_SUCCESS | (1u << 8), "trap frame has an unknown chain link" },
		{ TOCK_CLASS_COMMAND, TOCK_CHAIN_NONE | (1ull << 40), "trap frame has an unknown chain link" },
		{ TOCK_CLASS_EXIT, TOCK_CHAIN_ALWAYS, "an exit syscall cannot be chained" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tock_trap_frame f = good(TOCK_TRAP_SYSCALL, cases[i].class_id);
		struct hk_trap_msg m;
		const char *why = NULL;

		f.arg[4] = cases[i].link;
		if (!cases[i].reason) {
			ck_assert_int_eq(hk_trap_decode(&f, sizeof(f), &m, &why), 0);
			ck_assert_uint_eq(m.link, cases[i].link);
		} else {
			ck_assert_int_eq(hk_trap_decode(&f, sizeof(f), &m, &why), -EPROTO);
			ck_assert_str_eq(why, cases[i].reason);
		}
	}
}
END_TEST

/* The one rule both sides use to decide whether a chain goes on after an answer. */
START_TEST(test_chain_continues)
{
	const uint64_t nodevice = tock_chain_if_error(TOCK_ERR_NODEVICE);

	ck_assert(tock_chain_continues(TOCK_CHAIN_IF_SUCCESS, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_SUCCESS, 0));
	ck_assert(tock_chain_continues(TOCK_CHAIN_IF_SUCCESS, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_SUCCESS_U32_U64, 0));
	ck_assert(!tock_chain_continues(TOCK_CHAIN_IF_SUCCESS, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_FAILURE,
	                                TOCK_ERR_NODEVICE));
	ck_assert(!tock_chain_continues(TOCK_CHAIN_IF_SUCCESS, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_FAILURE_U64,
	                                TOCK_ERR_SIZE));
	/* A yield's answer is never a failure, whatever its upcall values look like. */
	ck_assert(tock_chain_continues(TOCK_CHAIN_IF_SUCCESS, TOCK_CLASS_YIELD, TOCK_TRAP_RETURN, 0, 11));
	ck_assert(!tock_chain_continues(nodevice, TOCK_CLASS_YIELD, TOCK_TRAP_RETURN, 0, TOCK_ERR_NODEVICE));
	ck_assert(tock_chain_continues(TOCK_CHAIN_IF_SUCCESS, TOCK_CLASS_COMMAND, TOCK_TRAP_UPCALL, 0, 0));
	ck_assert(tock_chain_continues(nodevice, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_FAILURE, TOCK_ERR_NODEVICE));
	ck_assert(tock_chain_continues(nodevice, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_FAILURE_U64,
	                               TOCK_ERR_NODEVICE));
	ck_assert(!tock_chain_continues(nodevice, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_FAILURE, TOCK_ERR_INVAL));
	ck_assert(!tock_chain_continues(nodevice, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_SUCCESS, TOCK_ERR_NODEVICE));
	ck_assert(tock_chain_continues(TOCK_CHAIN_ALWAYS, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_FAILURE, 1));
	ck_assert(!tock_chain_continues(TOCK_CHAIN_NONE, TOCK_CLASS_COMMAND, TOCK_TRAP_RETURN, TOCK_RET_SUCCESS, 0));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernel-trap-codec");
	TCase *tc = tcase_create("codec");

	tcase_add_loop_test(tc, test_decode_malformed, 0, sizeof(bad_frames) / sizeof(bad_frames[0]));
	tcase_add_test(tc, test_decode_good);
	tcase_add_test(tc, test_encode);
	tcase_add_test(tc, test_decode_chain_links);
	tcase_add_test(tc, test_chain_continues);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
