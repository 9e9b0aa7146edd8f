/* libFuzzer harness: trap-frame decoder, then every valid SYSCALL frame through the kernel dispatcher on fake processes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hostkernel/transport/trap_codec.h"
#include "hostkernel/fake/fake_backend.h"

#define FZ_DRIVER 0x42u

/* A capsule that touches everything a real one may: grant, upcalls, allow views, the cross-process copy. */
static struct hk_cmd_ret fz_command(void *self, const struct hk_call *call, uint32_t cmd, uint32_t a0, uint32_t a1)
{
	struct hk_buf b;
	struct hk_robuf rb;
	size_t n;
	uint32_t *g = call->grant;

	(void)self;
	switch (cmd % 6) {
	case 0:
		return hk_cmd_success();
	case 1:
		hk_upcall_schedule(call->kernel, call->driver, a1 % 4, a0 % 3, a0, a1, *g);
		return hk_cmd_success();
	case 2:
		if (hk_allow_rw_get(call->kernel, call->driver, call->pid, a0 % 3, &b) == 0 && b.len)
			memset(b.ptr, (int)a1, b.len);
		return hk_cmd_success_u32((uint32_t)b.len);
	case 3:
		if (hk_allow_ro_get(call->kernel, call->driver, call->pid, a0 % 2, &rb) == 0 && rb.len)
			(*g) += rb.ptr[rb.len - 1];
		return hk_cmd_success_u64(*g);
	case 4:
		hk_copy_allow(call->kernel, call->driver, a0 % 4, 0, a1 % 64, call->pid, 0, 0, a1, &n);
		return hk_cmd_success_u32((uint32_t)n);
	default:
		return hk_grant_enter(call->kernel, call->driver, a0 % 4, NULL) ? hk_cmd_success()
		                                                                 : hk_cmd_failure(TOCK_ERR_NOMEM);
	}
}

static const struct hk_driver_ops fz_ops = {
	.name = "fuzz", .grant_size = 4, .num_upcalls = 3, .num_allow_ro = 2, .num_allow_rw = 2,
	.num_allow_ur = 1, .notification_upcalls = 2, .command = fz_command,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hk_kernel_config cfg = { .upcall_queue_depth = 4, .virtual_time = true };
	struct hk_fake_world *w = hk_fake_world_new(&cfg);
	struct hk_fake_proc_config pc = { .ram_size = 16384, .grant_budget = 512,
		                          .fault_policy = { HK_FAULT_RESTART_UP_TO, 3 } };
	struct hk_process *procs[2];
	struct hk_trap_msg m;
	struct hk_resume res;
	struct tock_trap_frame out;
	const char *why;

	if (!w)
		return 0;
	hk_fake_register_driver(w, FZ_DRIVER, &fz_ops, NULL);
	procs[0] = hk_fake_spawn(w, &pc);
	pc.fault_policy.kind = HK_FAULT_STOP;
	procs[1] = hk_fake_spawn(w, &pc);
	(void)hk_trap_decode(data, size, &m, &why); /* whole input: mostly wrong lengths */
	for (size_t off = 0; procs[0] && procs[1] && off + sizeof(struct tock_trap_frame) <= size;
	     off += sizeof(struct tock_trap_frame)) {
		struct hk_process *p = procs[data[off + 8] & 1]; /* seq's low bit picks the process */

		if (hk_trap_decode(data + off, sizeof(struct tock_trap_frame), &m, &why) < 0)
			continue;
		if (m.kind == TOCK_TRAP_FAULT) {
			hk_fake_fault(w, p, hk_trap_fault_cause_name(m.cause));
		} else if (m.kind == TOCK_TRAP_SYSCALL && hk_fake_make_current(w, p) == 0) {
			/* Addresses near the fake windows make valid allows and subscribes reachable. */
			if (m.syscall.r[2] & 0x8000000000000000ull)
				m.syscall.r[2] = hk_fake_memory_map(w, p)->ram_start + (m.syscall.r[2] & 0x3fff);
			if (hk_syscall(hk_fake_kernel(w), p, &m.syscall, &res) == HK_SYSCALL_RESUME)
				(void)hk_trap_encode(&res, m.seq, &out);
		}
		while (hk_schedule_next(hk_fake_kernel(w), &res))
			(void)hk_trap_encode(&res, m.seq, &out);
		hk_fake_advance(w, 1000);
	}
	hk_fake_world_free(w);
	return 0;
}
