/* Kernel unit tests: subscribe and the three allow classes (every rule of reference §1.7-1.8), table-driven. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test_driver.h"

enum where { DATA, FLASH_APP, FLASH_HEADER, GUARD, AT_BREAK, JUNK, WRAP, GRANT, STACK, NUL };

static uint64_t addr_of(struct hk_fake_world *w, struct hk_process *p, enum where at)
{
	const struct hk_memory_map *m = hk_fake_memory_map(w, p);

	switch (at) {
	case DATA: return hk_fake_alloc(w, p, 64);
	case FLASH_APP: return m->flash_app_start + 0x200;
	case FLASH_HEADER: return m->flash_start;
	case GUARD: return m->guard_start + 16;
	case AT_BREAK: return m->initial_break;
	case JUNK: return 0xdeadbeefull;
	case WRAP: return UINT64_MAX - 3;
	case GRANT: return m->grant_start;
	case STACK: return m->guard_end + 64;
	default: return 0;
	}
}

struct allow_case {
	const char *what;
	uint32_t class_id, driver, slot;
	enum where at;
	uint64_t len;
	bool break_to_grant; /* move the break up to grant_start first (covers guard and stack) */
	uint32_t err;        /* 0 = success expected */
};

static const struct allow_case allow_cases[] = {
	{ "rw data", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, DATA, 64, false, 0 },
	{ "ro data", TOCK_CLASS_ALLOW_RO, TD_NUM, 1, DATA, 64, false, 0 },
	{ "ur data", TOCK_CLASS_ALLOW_USERSPACE_READ, TD_NUM, 0, DATA, 64, false, 0 },
	{ "ro flash", TOCK_CLASS_ALLOW_RO, TD_NUM, 0, FLASH_APP, 32, false, 0 },
	{ "rw flash", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, FLASH_APP, 32, false, TOCK_ERR_INVAL },
	{ "ur flash", TOCK_CLASS_ALLOW_USERSPACE_READ, TD_NUM, 0, FLASH_APP, 32, false, TOCK_ERR_INVAL },
	{ "ro tbf header", TOCK_CLASS_ALLOW_RO, TD_NUM, 0, FLASH_HEADER, 16, false, TOCK_ERR_INVAL },
	{ "rw above break", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, AT_BREAK, 8, false, TOCK_ERR_INVAL },
	{ "rw below raised break", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, AT_BREAK, 8, true, 0 },
	{ "rw guard", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, GUARD, 8, true, TOCK_ERR_INVAL },
	{ "ro guard", TOCK_CLASS_ALLOW_RO, TD_NUM, 0, GUARD, 8, true, TOCK_ERR_INVAL },
	{ "rw stack", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, STACK, 8, true, 0 },
	{ "rw grant region", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, GRANT, 8, true, TOCK_ERR_INVAL },
	{ "rw junk", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, JUNK, 8, false, TOCK_ERR_INVAL },
	{ "rw wraps", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, WRAP, 8, false, TOCK_ERR_INVAL },
	{ "ro wraps", TOCK_CLASS_ALLOW_RO, TD_NUM, 0, WRAP, 8, false, TOCK_ERR_INVAL },
	{ "rw revoke junk", TOCK_CLASS_ALLOW_RW, TD_NUM, 0, JUNK, 0, false, 0 },
	{ "ro revoke null", TOCK_CLASS_ALLOW_RO, TD_NUM, 1, NUL, 0, false, 0 },
	{ "rw no driver", TOCK_CLASS_ALLOW_RW, TD_MISSING, 0, DATA, 8, false, TOCK_ERR_NODEVICE },
	{ "rw slot 2", TOCK_CLASS_ALLOW_RW, TD_NUM, 2, DATA, 8, false, TOCK_ERR_NOSUPPORT },
	{ "ro slot 2", TOCK_CLASS_ALLOW_RO, TD_NUM, 2, DATA, 8, false, TOCK_ERR_NOSUPPORT },
	{ "ur slot 1", TOCK_CLASS_ALLOW_USERSPACE_READ, TD_NUM, 1, DATA, 8, false, TOCK_ERR_NOSUPPORT },
	{ "rw slot on big (0 slots)", TOCK_CLASS_ALLOW_RW, TD_BIG_NUM, 0, DATA, 8, false, TOCK_ERR_NOSUPPORT },
};

START_TEST(test_allow_rules)
{
	const struct allow_case *c = &allow_cases[_i];
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	uint64_t addr;
	struct hk_fake_ret r;

	if (c->break_to_grant)
		ck_assert_uint_eq(hk_fake_memop(w, p, TOCK_MEMOP_BRK, hk_fake_memory_map(w, p)->grant_start).r0,
		                  TOCK_RET_SUCCESS);
	addr = addr_of(w, p, c->at);
	r = hk_fake_syscall(w, p, c->class_id, c->driver, c->slot, addr, c->len);
	ck_assert_int_eq(r.result, HK_SYSCALL_RESUME);
	if (c->err == 0) {
		ck_assert_msg(r.r0 == TOCK_RET_SUCCESS_U32_U32, "%s: variant %llu", c->what, (unsigned long long)r.r0);
		ck_assert_uint_eq(r.r1, 0); /* first time: (0, 0) */
		ck_assert_uint_eq(r.r2, 0);
	} else {
		ck_assert_msg(r.r0 == TOCK_RET_FAILURE_U32_U32 && r.r1 == c->err, "%s: got %llu/%llu", c->what,
		              (unsigned long long)r.r0, (unsigned long long)r.r1);
		ck_assert_uint_eq(r.r2, addr); /* failure returns the passed values */
		ck_assert_uint_eq(r.r3, c->len);
	}
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_allow_returns_previous)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	uint64_t a = hk_fake_alloc(w, p, 32), b = hk_fake_alloc(w, p, 16);
	struct hk_fake_ret r;

	ck_assert_uint_eq(hk_fake_allow_rw(w, p, TD_NUM, 1, a, 32).r0, TOCK_RET_SUCCESS_U32_U32);
	r = hk_fake_allow_rw(w, p, TD_NUM, 1, b, 16);
	ck_assert_uint_eq(r.r1, a);
	ck_assert_uint_eq(r.r2, 32);
	/* A failed allow leaves the old buffer in place. */
	r = hk_fake_allow_rw(w, p, TD_NUM, 1, 0xdeadbeef, 4);
	ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE_U32_U32);
	ck_assert_uint_eq(hk_fake_command(w, p, TD_NUM, 3, 1, 0).r1, 16);
	/* Overlapping allows are legal: the same buffer in two slots and RO too. */
	ck_assert_uint_eq(hk_fake_allow_rw(w, p, TD_NUM, 0, b, 16).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_ro(w, p, TD_NUM, 0, b, 8).r0, TOCK_RET_SUCCESS_U32_U32);
	/* Revoke with junk pointer: previous returned, view now empty. */
	r = hk_fake_allow_rw(w, p, TD_NUM, 1, 0x1234, 0);
	ck_assert_uint_eq(r.r1, b);
	ck_assert_uint_eq(r.r2, 16);
	ck_assert_uint_eq(hk_fake_command(w, p, TD_NUM, 3, 1, 0).r1, 0);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_allow_views)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	static const uint8_t text[4] = { 1, 2, 3, 4 };
	uint64_t f = hk_fake_flash_alloc(w, p, text, sizeof(text));
	uint64_t a = hk_fake_alloc(w, p, 8);
	uint8_t *host = hk_fake_host_ptr(w, p, a, 8);
	struct hk_buf b;

	ck_assert_uint_eq(hk_fake_allow_ro(w, p, TD_NUM, 0, f, 4).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_command(w, p, TD_NUM, 4, 0, 0).r1, 10);
	ck_assert_uint_eq(hk_fake_allow_rw(w, p, TD_NUM, 0, a, 8).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_int_eq(hk_allow_rw_get(hk_fake_kernel(w), TD_NUM, hk_process_pid(p), 0, &b), 0);
	ck_assert_ptr_eq(b.ptr, host);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_int_eq(hk_allow_rw_get(hk_fake_kernel(w), TD_NUM, hk_process_pid(p), 5, &b), -EINVAL);
	ck_assert_int_eq(hk_allow_rw_get(hk_fake_kernel(w), TD_NUM, 999, 0, &b), -ESRCH);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_copy_allow)
{
	struct hk_fake_world *w = td_world(NULL, 0);
	struct hk_process *a = hk_fake_spawn(w, NULL), *b = hk_fake_spawn(w, NULL);
	struct hk_kernel *k = hk_fake_kernel(w);
	uint64_t src = hk_fake_alloc(w, a, 8), dst = hk_fake_alloc(w, b, 4);
	size_t n = 99;

	memcpy(hk_fake_host_ptr(w, a, src, 8), "abcdefgh", 8);
	ck_assert_uint_eq(hk_fake_allow_ro(w, a, TD_NUM, 0, src, 8).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_rw(w, b, TD_NUM, 0, dst, 4).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_int_eq(hk_copy_allow(k, TD_NUM, hk_process_pid(a), 0, 2, hk_process_pid(b), 0, 1, 100, &n), 0);
	ck_assert_uint_eq(n, 3); /* clipped to the destination */
	ck_assert_int_eq(memcmp(hk_fake_host_ptr(w, b, dst, 4), "\0cde", 4), 0);
	ck_assert_int_eq(hk_copy_allow(k, TD_NUM, hk_process_pid(a), 0, 9, hk_process_pid(b), 0, 0, 1, &n), -EINVAL);
	hk_fake_world_free(w);
}
END_TEST

enum fnkind { FN_NULL, FN_FLASH, FN_RAM, FN_JUNK, FN_GRANT };

struct sub_case {
	const char *what;
	uint32_t driver, slot;
	enum fnkind fn;
	uint32_t err;
};

static const struct sub_case sub_cases[] = {
	{ "flash fn", TD_NUM, 0, FN_FLASH, 0 },
	{ "ram fn", TD_NUM, 1, FN_RAM, 0 },
	{ "null upcall", TD_NUM, 2, FN_NULL, 0 },
	{ "junk fn", TD_NUM, 0, FN_JUNK, TOCK_ERR_INVAL },
	{ "fn in grant region", TD_NUM, 0, FN_GRANT, TOCK_ERR_INVAL },
	{ "no driver", TD_MISSING, 0, FN_FLASH, TOCK_ERR_NODEVICE },
	{ "slot past count", TD_NUM, 3, FN_FLASH, TOCK_ERR_NOSUPPORT },
	{ "grant too big", TD_BIG_NUM, 0, FN_FLASH, TOCK_ERR_NOMEM },
};

START_TEST(test_subscribe_rules)
{
	const struct sub_case *c = &sub_cases[_i];
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	const struct hk_memory_map *m = hk_fake_memory_map(w, p);
	uint64_t fns[] = { 0, hk_fake_upcall_fn(w, p, 3), m->ram_start + 8, 0x7000, m->grant_start + 4 };
	struct hk_fake_ret r = hk_fake_subscribe(w, p, c->driver, c->slot, fns[c->fn], 0xABCDEF0123ull);

	if (c->err == 0) {
		ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS_U32_U32);
		ck_assert_uint_eq(r.r1, 0);
		ck_assert_uint_eq(r.r2, 0);
	} else {
		ck_assert_msg(r.r0 == TOCK_RET_FAILURE_U32_U32 && r.r1 == c->err, "%s: %llu/%llu", c->what,
		              (unsigned long long)r.r0, (unsigned long long)r.r1);
		ck_assert_uint_eq(r.r2, fns[c->fn]);
		ck_assert_uint_eq(r.r3, 0xABCDEF0123ull); /* 64-bit appdata passes through */
	}
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_subscribe_previous_and_invalid_keeps)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	uint64_t f1 = hk_fake_upcall_fn(w, p, 1), f2 = hk_fake_upcall_fn(w, p, 2);
	struct hk_fake_upcall u;
	struct hk_fake_ret r;

	hk_fake_subscribe(w, p, TD_NUM, 0, f1, 11);
	ck_assert_uint_eq(hk_fake_command(w, p, TD_NUM, 1, 0, 7).r0, TOCK_RET_SUCCESS);
	/* An invalid subscribe keeps the old upcall and its pending event. */
	r = hk_fake_subscribe(w, p, TD_NUM, 0, 0x7000, 5);
	ck_assert_uint_eq(r.r1, TOCK_ERR_INVAL);
	ck_assert(hk_fake_yield_wait(w, p, &u));
	ck_assert_uint_eq(u.fn, f1);
	ck_assert_uint_eq(u.appdata, 11);
	ck_assert_uint_eq(u.a0, 7);
	ck_assert_uint_eq(u.a1, 2);
	ck_assert_uint_eq(u.a2, 3);
	r = hk_fake_subscribe(w, p, TD_NUM, 0, f2, 22);
	ck_assert_uint_eq(r.r1, f1);
	ck_assert_uint_eq(r.r2, 11);
	hk_fake_world_free(w);
}
END_TEST

static uint32_t deny_driver_100(void *ctx, struct hk_process *p, uint32_t class_id, uint32_t driver, uint32_t n)
{
	(void)ctx;
	(void)p;
	(void)class_id;
	(void)n;
	return driver == TD_NUM ? TOCK_ERR_NODEVICE : 0;
}

static const uint32_t filtered_classes[] = { TOCK_CLASS_SUBSCRIBE, TOCK_CLASS_COMMAND, TOCK_CLASS_ALLOW_RW,
	                                     TOCK_CLASS_ALLOW_RO, TOCK_CLASS_ALLOW_USERSPACE_READ };

START_TEST(test_filter_plain_failure)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_fake_ret r;

	hk_fake_set_syscall_filter(w, deny_driver_100, NULL);
	r = hk_fake_syscall(w, p, filtered_classes[_i], TD_NUM, 0, 0, 0);
	ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE); /* plain Failure, even for subscribe/allow */
	ck_assert_uint_eq(r.r1, TOCK_ERR_NODEVICE);
	ck_assert_uint_eq(r.r2, 0);
	hk_fake_world_free(w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernel-allow-subscribe");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_allow_rules, 0, sizeof(allow_cases) / sizeof(allow_cases[0]));
	tcase_add_test(tc, test_allow_returns_previous);
	tcase_add_test(tc, test_allow_views);
	tcase_add_test(tc, test_copy_allow);
	tcase_add_loop_test(tc, test_subscribe_rules, 0, sizeof(sub_cases) / sizeof(sub_cases[0]));
	tcase_add_test(tc, test_subscribe_previous_and_invalid_keeps);
	tcase_add_loop_test(tc, test_filter_plain_failure, 0, sizeof(filtered_classes) / sizeof(filtered_classes[0]));
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
