/* Helpers for the Share capsule unit tests: a fake world with a chosen MPU model, the capsule, grant requests. */
#ifndef TOCKHOST_TEST_SHARE_TEST_H
#define TOCKHOST_TEST_SHARE_TEST_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "capsules/ipc/ipc_share.h"
#include "hostkernel/mpu_model.h"
#include "tests/unit/ipc/ipc_test.h"
#include "tock/trap_frame.h"

#define SHARE TOCK_DRIVER_IPC_SHARE

extern struct hk_fake_world *w;
extern struct ipc_share *share;

static inline void share_world_new(enum hk_mpu_kind model, uint32_t regions)
{
	struct hk_kernel_config cfg = { .virtual_time = true, .mpu_model = model, .mpu_regions = regions };

	w = hk_fake_world_new(&cfg);
	ck_assert_ptr_nonnull(w);
	share = ipc_share_new(hk_fake_kernel(w), SHARE, hk_fake_caps(w)->memory_map, hk_fake_caps(w)->process_state);
	ck_assert_ptr_nonnull(share);
	ck_assert_int_eq(hk_fake_register_driver(w, SHARE, &ipc_share_ops, share), 0);
}

static inline void share_world_free(void)
{
	hk_fake_world_free(w);
	ipc_share_free(share);
	w = NULL;
	share = NULL;
}

/* cmd 1: a new region of `size`; returns its id and (via ret_addr) the owner's address. */
static inline uint32_t share_create(struct hk_process *p, uint32_t size, uint64_t *ret_addr)
{
	struct hk_fake_ret r = hk_fake_command(w, p, SHARE, 1, size, 0);

	ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS_U32_U64);
	if (ret_addr)
		*ret_addr = r.r2 | (r.r3 << 32);
	return (uint32_t)r.r1;
}

/* RO allow 0 = {id, region, flags}, then cmd 2. */
static inline struct hk_fake_ret share_grant(struct hk_process *owner, uint64_t id, uint32_t region, uint32_t flags)
{
	uint8_t req[16];

	memcpy(req, &id, 8);
	memcpy(req + 8, &region, 4);
	memcpy(req + 12, &flags, 4);
	ipc_test_allow_ro(w, owner, SHARE, 0, req, sizeof(req));
	return hk_fake_command(w, owner, SHARE, 2, 0, 0);
}

/* cmd 3; on success *ret_addr = the receiver's address. */
static inline struct hk_fake_ret share_map(struct hk_process *p, uint32_t region, uint64_t *ret_addr)
{
	struct hk_fake_ret r = hk_fake_command(w, p, SHARE, 3, region, 0);

	if (ret_addr)
		*ret_addr = r.r2 | (r.r3 << 32);
	return r;
}

static inline struct hk_fake_ret share_revoke(struct hk_process *owner, uint32_t region, uint64_t id)
{
	ipc_test_allow_ro(w, owner, SHARE, 0, &id, sizeof(id));
	return hk_fake_command(w, owner, SHARE, 5, region, 0);
}

static inline uint32_t share_used(struct hk_process *p)
{
	uint32_t used = 0, total = 0;

	ck_assert_int_eq(hk_share_usage(hk_fake_kernel(w), hk_process_pid(p), &used, &total), 0);
	return used;
}

#endif
