/* Fake-process backend: syscalls and yields performed as a process, time, fault injection, recorded ops. */
#include <errno.h>
#include <string.h>

#include "hostkernel/kernel_ext.h"
#include "hostkernel/fake/fake_backend.h"
#include "hostkernel/fake/fake_internal.h"

struct hk_fake_ret hk_fake_syscall(struct hk_fake_world *w, struct hk_process *p, uint32_t class_id, uint64_t r0,
                                   uint64_t r1, uint64_t r2, uint64_t r3)
{
	struct hk_fake_ret out = { .result = HK_SYSCALL_ENDED };
	struct hk_syscall sc = { class_id, { r0, r1, r2, r3 } };
	struct hk_resume res;

	if (!w || !p || hk_fake_make_current(w, p) < 0)
		return out;
	out.result = hk_syscall(w->k, p, &sc, &res);
	if (out.result == HK_SYSCALL_RESUME) {
		out.r0 = res.arg[0];
		out.r1 = res.arg[1];
		out.r2 = res.arg[2];
		out.r3 = res.arg[3];
	}
	return out;
}

struct hk_fake_ret hk_fake_command(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t cmd,
                                   uint32_t arg0, uint32_t arg1)
{
	return hk_fake_syscall(w, p, TOCK_CLASS_COMMAND, driver, cmd, arg0, arg1);
}

struct hk_fake_ret hk_fake_subscribe(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                                     uint64_t fn, uint64_t appdata)
{
	return hk_fake_syscall(w, p, TOCK_CLASS_SUBSCRIBE, driver, slot, fn, appdata);
}

struct hk_fake_ret hk_fake_allow_rw(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                                    uint64_t addr, uint64_t len)
{
	return hk_fake_syscall(w, p, TOCK_CLASS_ALLOW_RW, driver, slot, addr, len);
}

struct hk_fake_ret hk_fake_allow_ro(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                                    uint64_t addr, uint64_t len)
{
	return hk_fake_syscall(w, p, TOCK_CLASS_ALLOW_RO, driver, slot, addr, len);
}

struct hk_fake_ret hk_fake_allow_ur(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                                    uint64_t addr, uint64_t len)
{
	return hk_fake_syscall(w, p, TOCK_CLASS_ALLOW_USERSPACE_READ, driver, slot, addr, len);
}

struct hk_fake_ret hk_fake_memop(struct hk_fake_world *w, struct hk_process *p, uint32_t op, uint64_t arg)
{
	return hk_fake_syscall(w, p, TOCK_CLASS_MEMOP, op, arg, 0, 0);
}

struct hk_fake_ret hk_fake_exit(struct hk_fake_world *w, struct hk_process *p, uint32_t kind, uint32_t code)
{
	return hk_fake_syscall(w, p, TOCK_CLASS_EXIT, kind, code, 0, 0);
}

/* Yield, then hand p (and only p) whatever the scheduler would give it. */
static bool yield_and_take(struct hk_fake_world *w, struct hk_process *p, uint64_t r0, uint64_t r1, uint64_t r2,
                           struct hk_resume *res)
{
	struct hk_fake_ret r = hk_fake_syscall(w, p, TOCK_CLASS_YIELD, r0, r1, r2, 0);

	if (r.result != HK_SYSCALL_BLOCKED)
		return false;
	return hk_sched_take(w->k, p, res);
}

bool hk_fake_yield_wait(struct hk_fake_world *w, struct hk_process *p, struct hk_fake_upcall *ret)
{
	struct hk_resume res;

	if (!yield_and_take(w, p, TOCK_YIELD_WAIT, 0, 0, &res) || res.kind != HK_RESUME_UPCALL)
		return false;
	if (ret)
		*ret = (struct hk_fake_upcall){ res.arg[0], (uint32_t)res.arg[1], (uint32_t)res.arg[2],
			                        (uint32_t)res.arg[3], res.arg[4] };
	return true;
}

bool hk_fake_yield_wait_for(struct hk_fake_world *w, struct hk_process *p, uint32_t driver, uint32_t slot,
                            struct hk_fake_upcall *ret)
{
	struct hk_resume res;

	if (!yield_and_take(w, p, TOCK_YIELD_WAIT_FOR, driver, slot, &res) || res.kind != HK_RESUME_RETURN)
		return false;
	if (ret)
		*ret = (struct hk_fake_upcall){ 0, (uint32_t)res.arg[0], (uint32_t)res.arg[1], (uint32_t)res.arg[2], 0 };
	return true;
}

int hk_fake_yield_no_wait(struct hk_fake_world *w, struct hk_process *p, struct hk_fake_upcall *ret)
{
	struct hk_fake_ret r;
	struct hk_resume res;

	if (!w || !p || hk_fake_make_current(w, p) < 0)
		return -ESRCH;
	r = hk_fake_syscall(w, p, TOCK_CLASS_YIELD, TOCK_YIELD_NO_WAIT, 0, 0, 0);
	if (r.result == HK_SYSCALL_RESUME)
		return 0;
	if (r.result != HK_SYSCALL_BLOCKED || !hk_sched_take(w->k, p, &res) || res.kind != HK_RESUME_UPCALL)
		return -ESRCH;
	if (ret)
		*ret = (struct hk_fake_upcall){ res.arg[0], (uint32_t)res.arg[1], (uint32_t)res.arg[2],
			                        (uint32_t)res.arg[3], res.arg[4] };
	return 1;
}

/* ---- time ---- */

uint64_t hk_fake_now(struct hk_fake_world *w)
{
	return hk_now_ns(w->k);
}

static void set_time(struct hk_fake_world *w, uint64_t t)
{
	if (t > w->real_now)
		w->real_now = t; /* the real-time mode's clock: created at 0, so offsets match */
	hk_clock_set_virtual_ns(w->k, t);
}

int hk_fake_advance(struct hk_fake_world *w, uint64_t ns)
{
	uint64_t now = hk_fake_now(w);
	uint64_t end = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
	int fired = 0, n;

	for (;;) {
		uint64_t next = hk_next_deadline(w->k);

		if (next > end)
			break;
		if (next > hk_fake_now(w))
			set_time(w, next);
		n = hk_run_timers(w->k);
		if (n == 0 && next <= hk_fake_now(w))
			break; /* cannot happen with a sane list; never spin */
		fired += n;
	}
	set_time(w, end);
	return fired;
}

/* ---- faults and records ---- */

void hk_fake_fault(struct hk_fake_world *w, struct hk_process *p, const char *cause)
{
	struct hk_fault_info info = { .cause = cause ? cause : "injected fault" };

	hk_process_fault(w->k, p, &info);
}

uint32_t hk_fake_kill_count(struct hk_fake_world *w, struct hk_process *p)
{
	struct fake_proc *fp = hk_fake_fp(p);

	(void)w;
	return fp ? fp->kills : 0;
}

uint32_t hk_fake_spawn_count(struct hk_fake_world *w, struct hk_process *p)
{
	struct fake_proc *fp = hk_fake_fp(p);

	(void)w;
	return fp ? fp->spawns : 0;
}

void hk_fake_fail_next_spawn(struct hk_fake_world *w)
{
	w->fail_next_spawn = true;
}

bool hk_fake_panicked(struct hk_fake_world *w, const char **ret_why)
{
	if (ret_why)
		*ret_why = w->panicked ? w->panic_why : NULL;
	return w->panicked;
}
