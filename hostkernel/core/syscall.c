/* Syscall dispatch: decode the class, then yield, command and exit here; the rest in their own files (answers: result.c). */
#include <errno.h>
#include <string.h>

#include "hostkernel/core/core.h"
#include "hostkernel/core/trace_emit.h"

/* "invalid syscall class 4294967295" fits; built by hand since the core may not use stdio. */
static void fault_with_number(struct hk_kernel *k, struct hk_process *p, const char *prefix, uint64_t n)
{
	char buf[64], digits[24];
	size_t len = strlen(prefix), nd = 0;

	do {
		digits[nd++] = (char)('0' + n % 10);
		n /= 10;
	} while (n && nd < sizeof(digits));
	memcpy(buf, prefix, len);
	while (nd)
		buf[len++] = digits[--nd];
	buf[len] = '\0';
	hk_core_fault(k, p, buf);
}

enum hk_syscall_result hk_core_yield(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                     struct hk_resume *ret)
{
	switch (sc->r[0]) {
	case TOCK_YIELD_NO_WAIT: {
		bool pending = hk_core_queue_has_function(p);
		uint64_t a = sc->r[1];

		if (a && p->has_memory && a >= p->mem.ram_start && a < p->mem.grant_start)
			p->mem.ram_host[a - p->mem.ram_start] = pending ? 1 : 0;
		if (!pending) {
			hk_core_set_return(ret, 0, 0, 0, 0);
			return HK_SYSCALL_RESUME;
		}
		p->state = HK_STATE_YIELDED;
		break;
	}
	case TOCK_YIELD_WAIT:
		p->state = HK_STATE_YIELDED;
		hk_core_queue_drop_head_nulls(p);
		break;
	case TOCK_YIELD_WAIT_FOR:
		p->state = HK_STATE_YIELDED_FOR;
		p->wait_driver = (uint32_t)sc->r[1];
		p->wait_slot = (uint32_t)sc->r[2];
		/* Values past 32 bits can never match a queued entry: park on an impossible slot. */
		if (sc->r[1] > UINT32_MAX || sc->r[2] > UINT32_MAX)
			p->wait_slot = UINT32_MAX;
		break;
	default:
		fault_with_number(k, p, "invalid yield type ", sc->r[0]);
		return HK_SYSCALL_ENDED;
	}
	p->on_cpu = false;
	return HK_SYSCALL_BLOCKED;
}

static enum hk_syscall_result do_command(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                         struct hk_resume *ret)
{
	struct hk_driver_entry *d = sc->r[0] <= UINT32_MAX ? hk_core_driver(k, (uint32_t)sc->r[0]) : NULL;
	int err;
	struct hk_grant *g;
	struct hk_call call;
	struct hk_cmd_ret r;

	err = hk_core_filter(k, p, TOCK_CLASS_COMMAND, sc->r[0], sc->r[1]);
	if (!err && !d)
		err = -ENODEV;
	if (!err) {
		g = hk_core_grant_enter(p, d->num, &err);
		if (g) {
			call = (struct hk_call){ k, d->num, p->pid, g->data };
			r = d->ops->command(d->self, &call, (uint32_t)sc->r[1], (uint32_t)sc->r[2], (uint32_t)sc->r[3]);
			hk_core_return_command(ret, &r);
			return HK_SYSCALL_RESUME;
		}
	}
	hk_core_return_error(ret, TOCK_RET_FAILURE, err, 0, 0);
	return HK_SYSCALL_RESUME;
}

static enum hk_syscall_result do_exit(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                      struct hk_resume *ret)
{
	switch (sc->r[0]) {
	case TOCK_EXIT_TERMINATE:
		hk_process_terminate(k, p, (uint32_t)sc->r[1]);
		return HK_SYSCALL_ENDED;
	case TOCK_EXIT_RESTART:
		p->completion_code = (uint32_t)sc->r[1];
		p->has_completion_code = true;
		hk_process_restart(k, p);
		return HK_SYSCALL_ENDED;
	default:
		hk_core_return_error(ret, TOCK_RET_FAILURE, -EOPNOTSUPP, 0, 0);
		return HK_SYSCALL_RESUME;
	}
}

static enum hk_syscall_result dispatch(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                       struct hk_resume *ret);

enum hk_syscall_result hk_syscall(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                  struct hk_resume *ret)
{
	enum hk_syscall_result r;
	hk_pid pid;

	if (!k || !p || !sc || !ret)
		return HK_SYSCALL_ENDED;
	memset(ret, 0, sizeof(*ret));
	if (p->state == HK_STATE_STOPPED && p->stopped_from == HK_STATE_RUNNING && !p->deferred_valid) {
		/* It trapped as it was being stopped: answer once it is resumed. */
		p->deferred = *sc;
		p->deferred_valid = true;
		return HK_SYSCALL_BLOCKED;
	}
	if (p->state != HK_STATE_RUNNING)
		return HK_SYSCALL_ENDED; /* not running: no answer is owed (backend contract) */
	p->on_cpu = true;
	p->n_syscalls++;
	pid = p->pid; /* an exit-restart changes it */
	k->caller = p; /* upcalls it queues for others direct the next hand-off (sched.c) */
	r = dispatch(k, p, sc, ret);
	k->caller = NULL;
	if (k->tracer)
		hk_trace_syscall(k, p, pid, sc, r, ret);
	return r;
}

static enum hk_syscall_result dispatch(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                       struct hk_resume *ret)
{
	switch (sc->class_id) {
	case TOCK_CLASS_YIELD:
		return hk_core_yield(k, p, sc, ret);
	case TOCK_CLASS_SUBSCRIBE:
		return hk_core_subscribe(k, p, sc, ret);
	case TOCK_CLASS_COMMAND:
		return do_command(k, p, sc, ret);
	case TOCK_CLASS_ALLOW_RW:
	case TOCK_CLASS_ALLOW_RO:
	case TOCK_CLASS_ALLOW_USERSPACE_READ:
		return hk_core_allow(k, p, sc, ret);
	case TOCK_CLASS_MEMOP:
		return hk_core_memop(k, p, sc, ret);
	case TOCK_CLASS_EXIT:
		return do_exit(k, p, sc, ret);
	default:
		fault_with_number(k, p, "invalid syscall class ", sc->class_id);
		return HK_SYSCALL_ENDED;
	}
}
