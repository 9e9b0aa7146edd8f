/* A small test capsule shared by the kernel unit tests: exercises grants, upcalls and allow views. */
#ifndef TOCKHOST_TEST_DRIVER_H
#define TOCKHOST_TEST_DRIVER_H

#include <check.h>

#include "hostkernel/capsule.h"
#include "hostkernel/fake/fake_backend.h"

#define TD_NUM 0x100u     /* 3 upcalls (slot 2 notification), 2 RO, 2 RW, 1 UR, 16-byte grant */
#define TD_BIG_NUM 0x200u /* a 64 KiB grant: never fits the default 16 KiB budget */
#define TD_MISSING 0x999u

struct td_grant {
	uint32_t counter;
	uint32_t pad[3];
};

struct td_state {
	uint32_t calls;
};

/* cmd 0 exists; 1 schedule upcall (slot arg0, a0 arg1, 2, 3) on the caller; 2 grant counter++;
 * 3 Success-u32(length of RW slot arg0 view); 4 Success-u32(sum of RO slot arg0 bytes);
 * 5 schedule upcall slot 0 (a0 = arg1, 2, 3) on process arg0 (another one). */
static inline struct hk_cmd_ret td_command(void *self, const struct hk_call *call, uint32_t cmd, uint32_t a0,
                                           uint32_t a1)
{
	struct td_state *st = self;
	struct td_grant *g = call->grant;
	struct hk_buf b;
	struct hk_robuf rb;
	uint32_t sum = 0;

	if (st)
		st->calls++;
	switch (cmd) {
	case 0:
		return hk_cmd_success();
	case 1:
		if (hk_upcall_schedule(call->kernel, call->driver, call->pid, a0, a1, 2, 3) < 0)
			return hk_cmd_failure(TOCK_ERR_BUSY);
		return hk_cmd_success();
	case 2:
		return hk_cmd_success_u32(g->counter++);
	case 3:
		if (hk_allow_rw_get(call->kernel, call->driver, call->pid, a0, &b) < 0)
			return hk_cmd_failure(TOCK_ERR_INVAL);
		return hk_cmd_success_u32((uint32_t)b.len);
	case 4:
		if (hk_allow_ro_get(call->kernel, call->driver, call->pid, a0, &rb) < 0)
			return hk_cmd_failure(TOCK_ERR_INVAL);
		for (size_t i = 0; i < rb.len; i++)
			sum += rb.ptr[i];
		return hk_cmd_success_u32(sum);
	case 5:
		if (hk_upcall_schedule(call->kernel, call->driver, (hk_pid)a0, 0, a1, 2, 3) < 0)
			return hk_cmd_failure(TOCK_ERR_BUSY);
		return hk_cmd_success();
	default:
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

static const struct hk_driver_ops td_ops = {
	.name = "test", .grant_size = sizeof(struct td_grant),
	.num_upcalls = 3, .num_allow_ro = 2, .num_allow_rw = 2, .num_allow_ur = 1,
	.notification_upcalls = 1u << 2, .command = td_command,
};
static const struct hk_driver_ops td_big_ops = {
	.name = "big", .grant_size = 64 * 1024, .num_upcalls = 1, .command = td_command,
};

/* A world with both drivers registered and one Running process with a STOP policy. */
static inline struct hk_fake_world *td_world(struct hk_process **ret_p, uint32_t depth)
{
	struct hk_kernel_config cfg = { .upcall_queue_depth = depth, .virtual_time = true };
	struct hk_fake_world *w = hk_fake_world_new(&cfg);
	struct hk_fake_proc_config pc = { .name = "t", .fault_policy = { HK_FAULT_STOP, 0 } };

	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(hk_fake_register_driver(w, TD_NUM, &td_ops, NULL), 0);
	ck_assert_int_eq(hk_fake_register_driver(w, TD_BIG_NUM, &td_big_ops, NULL), 0);
	if (ret_p) {
		*ret_p = hk_fake_spawn(w, &pc);
		ck_assert_ptr_nonnull(*ret_p);
	}
	return w;
}

#endif
