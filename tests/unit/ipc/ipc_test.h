/* Shared helpers for the IPC capsule unit tests: spawning fake apps, allowing buffers, checking returns and upcalls. */
#ifndef TOCKHOST_TEST_IPC_TEST_H
#define TOCKHOST_TEST_IPC_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "capsules/ipc/ipc_identifier.h"
#include "hostkernel/fake/fake_backend.h"
#include "tock/abi.h"

/* A fake app with a package name, a ShortId and a fault policy (kind: enum hk_fault_policy_kind). */
static inline struct hk_process *ipc_test_spawn(struct hk_fake_world *w, const char *package, uint32_t short_id,
                                                enum hk_fault_policy_kind policy)
{
	struct hk_fake_proc_config cfg = {
		.name = package && package[0] ? package : "nameless",
		.package_name = package ? package : "",
		.short_id = short_id,
		.fault_policy = { .kind = policy, .max_restarts = 0 },
	};
	struct hk_process *p = hk_fake_spawn(w, &cfg);

	ck_assert_ptr_nonnull(p);
	return p;
}

static inline hk_pid ipc_test_pid(struct hk_process *p)
{
	return hk_process_pid(p);
}

/* p's current IPC Identifier. */
static inline uint64_t ipc_test_id(struct hk_fake_world *w, struct hk_process *p)
{
	return ipc_identifier_of(hk_fake_kernel(w), hk_process_pid(p));
}

/* RO-allow `len` bytes of `data` (copied into p's RAM) on (driver, slot); returns the host view. */
static inline uint8_t *ipc_test_allow_ro(struct hk_fake_world *w, struct hk_process *p, uint32_t driver,
                                         uint32_t slot, const void *data, size_t len)
{
	uint64_t addr = hk_fake_alloc(w, p, len ? len : 1);
	uint8_t *host;

	ck_assert_uint_ne(addr, 0);
	host = hk_fake_host_ptr(w, p, addr, len ? len : 1);
	ck_assert_ptr_nonnull(host);
	if (len)
		memcpy(host, data, len);
	ck_assert_uint_eq(hk_fake_allow_ro(w, p, driver, slot, addr, len).r0, TOCK_RET_SUCCESS_U32_U32);
	return host;
}

/* RW-allow a fresh buffer of len bytes filled with `fill` on (driver, slot); returns the host view. */
static inline uint8_t *ipc_test_allow_rw(struct hk_fake_world *w, struct hk_process *p, uint32_t driver,
                                         uint32_t slot, size_t len, uint8_t fill)
{
	uint64_t addr = hk_fake_alloc(w, p, len ? len : 1);
	uint8_t *host;

	ck_assert_uint_ne(addr, 0);
	host = hk_fake_host_ptr(w, p, addr, len ? len : 1);
	ck_assert_ptr_nonnull(host);
	memset(host, fill, len ? len : 1);
	ck_assert_uint_eq(hk_fake_allow_rw(w, p, driver, slot, addr, len).r0, TOCK_RET_SUCCESS_U32_U32);
	return host;
}

/* The command answered with exactly this variant and registers (r1, r2, r3). */
#define ck_assert_ret(ret, variant, x1, x2, x3)                                                                    \
	do {                                                                                                       \
		struct hk_fake_ret ck_r_ = (ret);                                                                  \
		ck_assert_int_eq(ck_r_.result, HK_SYSCALL_RESUME);                                                 \
		ck_assert_uint_eq(ck_r_.r0, (variant));                                                            \
		ck_assert_uint_eq(ck_r_.r1, (x1));                                                                 \
		ck_assert_uint_eq(ck_r_.r2, (x2));                                                                 \
		ck_assert_uint_eq(ck_r_.r3, (x3));                                                                 \
	} while (0)

#define ck_assert_ok(ret) ck_assert_ret(ret, TOCK_RET_SUCCESS, 0, 0, 0)
#define ck_assert_fail(ret, err) ck_assert_ret(ret, TOCK_RET_FAILURE, (err), 0, 0)
/* Failure-u64 (variant 3) and Success-u32-u64 (variant 133), the u64 split low/high in r2/r3. */
#define ck_assert_fail_u64(ret, err, v)                                                                            \
	ck_assert_ret(ret, TOCK_RET_FAILURE_U64, (err), (uint32_t)(v), (uint32_t)((uint64_t)(v) >> 32))
#define ck_assert_ok_u32_u64(ret, a, v)                                                                            \
	ck_assert_ret(ret, TOCK_RET_SUCCESS_U32_U64, (a), (uint32_t)(v), (uint32_t)((uint64_t)(v) >> 32))

/* The next upcall queued for (driver, slot) of p, consumed; the test fails if there is none. */
static inline struct hk_fake_upcall ipc_test_upcall(struct hk_fake_world *w, struct hk_process *p, uint32_t driver,
                                                    uint32_t slot)
{
	struct hk_fake_upcall up;

	ck_assert_msg(hk_fake_yield_wait_for(w, p, driver, slot, &up), "no upcall on slot %u", slot);
	return up;
}

#define ck_assert_upcall(w, p, driver, slot, x0, x1, x2)                                                           \
	do {                                                                                                       \
		struct hk_fake_upcall ck_u_ = ipc_test_upcall((w), (p), (driver), (slot));                         \
		ck_assert_uint_eq(ck_u_.a0, (x0));                                                                 \
		ck_assert_uint_eq(ck_u_.a1, (x1));                                                                 \
		ck_assert_uint_eq(ck_u_.a2, (x2));                                                                 \
	} while (0)

/* True if p has an upcall queued for (driver, slot); it is consumed. */
static inline bool ipc_test_has_upcall(struct hk_fake_world *w, struct hk_process *p, uint32_t driver,
                                       uint32_t slot)
{
	struct hk_fake_upcall up;

	return hk_fake_yield_wait_for(w, p, driver, slot, &up);
}

#define ck_assert_no_upcall(w, p, driver, slot)                                                                    \
	ck_assert_msg(!ipc_test_has_upcall((w), (p), (driver), (slot)), "unexpected upcall on slot %u", (slot))

#endif
