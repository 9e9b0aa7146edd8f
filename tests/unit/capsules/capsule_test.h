/* Shared helpers for the capsule unit tests: syscall-result checks and buffers in fake processes. */
#ifndef TOCKHOST_TEST_CAPSULE_TEST_H
#define TOCKHOST_TEST_CAPSULE_TEST_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "hostkernel/fake/fake_backend.h"
#include "tock/abi.h"

/* The command returned exactly this variant with r1 = v (v ignored for plain Success). */
#define ck_assert_cmd(ret, variant, v)                                                                             \
	do {                                                                                                       \
		struct hk_fake_ret ck_r_ = (ret);                                                                  \
		ck_assert_int_eq(ck_r_.result, HK_SYSCALL_RESUME);                                                 \
		ck_assert_uint_eq(ck_r_.r0, (variant));                                                            \
		if ((variant) != TOCK_RET_SUCCESS)                                                                 \
			ck_assert_uint_eq(ck_r_.r1, (v));                                                          \
	} while (0)

#define ck_assert_success(ret) ck_assert_cmd(ret, TOCK_RET_SUCCESS, 0)
#define ck_assert_failure(ret, err) ck_assert_cmd(ret, TOCK_RET_FAILURE, err)
#define ck_assert_success_u32(ret, v) ck_assert_cmd(ret, TOCK_RET_SUCCESS_U32, v)

/* A zeroed buffer of len bytes in p's RAM: its app address, and its host view in *ret_host. */
static inline uint64_t test_buffer(struct hk_fake_world *w, struct hk_process *p, size_t len, uint8_t **ret_host)
{
	uint64_t addr = hk_fake_alloc(w, p, len);

	ck_assert_uint_ne(addr, 0);
	*ret_host = hk_fake_host_ptr(w, p, addr, len);
	ck_assert_ptr_nonnull(*ret_host);
	return addr;
}

/* The next upcall queued for (driver, slot) of p; fails the test if there is none. */
static inline struct hk_fake_upcall test_upcall(struct hk_fake_world *w, struct hk_process *p, uint32_t driver,
                                                uint32_t slot)
{
	struct hk_fake_upcall up;

	ck_assert_msg(hk_fake_yield_wait_for(w, p, driver, slot, &up), "no upcall on slot %u", slot);
	return up;
}

/* True if p has an upcall queued for (driver, slot) (it is consumed). */
static inline bool test_has_upcall(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot)
{
	struct hk_fake_upcall up;

	return hk_fake_yield_wait_for(w, p, driver, slot, &up);
}

/* `up` is evaluated once, so it may be a test_upcall() call. */
#define ck_assert_upcall(up, x0, x1, x2)                                                                           \
	do {                                                                                                       \
		struct hk_fake_upcall ck_up_ = (up);                                                               \
		ck_assert_uint_eq(ck_up_.a0, (x0));                                                                \
		ck_assert_uint_eq(ck_up_.a1, (x1));                                                                \
		ck_assert_uint_eq(ck_up_.a2, (x2));                                                                \
	} while (0)

#endif
