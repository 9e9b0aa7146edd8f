/* libFuzzer harness: random syscall sequences from several fake processes against the IPC capsules, with invariants. */
#include "fuzz_ipc.h"

/*
 * The input is a sequence of operations (spawn, command, allows, subscribe, yields, faults,
 * exits, kernel process control, time, the app scribbling on its own slice). Around each one
 * the harness snapshots what it can observe, and afterwards checks invariants: the documented
 * capsule state machine (through the capsules' introspection), every upcall the operation
 * queued (a queue only grows at its tail except for the actor's own yields and subscribes),
 * Relay Message's slice arithmetic, and the kernel's per-process bookkeeping.
 */

static const uint32_t fz_drivers[] = { STR, PKG, RR, RM, BOGUS };
static const char *const fz_packages[] = { "svc.a", "svc.b", "svc.a", "", "client" };
static const uint32_t fz_short_ids[] = { 0, 0, 7, 0x1234, 0xffffffffu };
static const size_t fz_budgets[] = { 0, 96, 160, 256, 512 };
static const uint8_t fz_names[3][IPC_STRING_NAME_LEN] = { "echo.service.......", "clock", { 0xff, 1 } };

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static uint8_t in_u8(struct fz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t in_u32(struct fz_in *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | in_u8(in);
	return v;
}

static struct fz *fz_of_listener(struct hk_process_listener *l)
{
	return (struct fz *)(void *)((char *)l - offsetof(struct fz, listener));
}

static void fz_notify(struct hk_process_listener *l, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                      enum hk_process_event event)
{
	struct fz *f = fz_of_listener(l);

	(void)new_pid;
	if (event == HK_EVENT_STARTED)
		return;
	if (f->n_ended < FZ_MAX_ENDED)
		f->ended[f->n_ended++] = pid;
	if (f->n_old < sizeof(f->old_ids) / sizeof(f->old_ids[0]))
		f->old_ids[f->n_old++] = ipc_identifier_make(pid, hk_process_short_id(k, new_pid));
}

static struct hk_process *fz_pick(struct fz *f, struct fz_in *in)
{
	return f->nprocs ? f->procs[in_u8(in) % f->nprocs] : NULL;
}

/* An identifier for a command: live, dead, stale, own, forged. */
static uint64_t fz_pick_id(struct fz *f, struct fz_in *in, struct hk_process *self)
{
	uint8_t sel = in_u8(in);

	switch (sel % 6) {
	case 0:
	case 1:
		return f->nprocs ? ipc_identifier_of(f->k, hk_process_pid(f->procs[(sel >> 3) % f->nprocs])) : 0;
	case 2:
		return f->n_old ? f->old_ids[(sel >> 3) % f->n_old] : 0;
	case 3:
		return self ? ipc_identifier_of(f->k, hk_process_pid(self)) : 0;
	case 4: /* right ProcessId, wrong ShortId */
		return f->nprocs ? ipc_identifier_of(f->k, hk_process_pid(f->procs[(sel >> 3) % f->nprocs])) ^
		                           ((uint64_t)(in_u8(in) | 1) << 32)
		                 : 0;
	default:
		return ((uint64_t)in_u32(in) << 32) | (sel >> 3);
	}
}

/* ---- operations ---- */

static uint32_t fz_policy(void *ctx, hk_pid pid, const uint8_t *name, size_t len)
{
	(void)ctx;
	(void)pid;
	if (len > 0 && name[0] == 0xff)
		return 99; /* out of range: the registry must turn it into FAIL */
	return len == 6 && memcmp(name, "client", 6) == 0 ? TOCK_ERR_FAIL : 0;
}

static void fz_setup_capsules(struct fz *f, uint8_t b)
{
	const struct hk_kernel_caps *caps = hk_fake_caps(f->w);

	f->policy = b & 1;
	f->str = ipc_registry_string_name_new(f->k, STR, f->policy ? fz_policy : NULL, NULL);
	f->pkg = ipc_registry_package_name_new(f->k, PKG, caps->process_info, f->policy ? fz_policy : NULL, NULL);
	f->rr = ipc_relay_request_new(f->k, RR, caps->process_state);
	f->rm = ipc_relay_message_new(f->k, RM, caps->process_state);
	CHECK(f->str && f->pkg && f->rr && f->rm);
	CHECK(hk_fake_register_driver(f->w, STR, &ipc_registry_string_name_ops, f->str) == 0);
	CHECK(hk_fake_register_driver(f->w, PKG, &ipc_registry_package_name_ops, f->pkg) == 0);
	CHECK(hk_fake_register_driver(f->w, RR, &ipc_relay_request_ops, f->rr) == 0);
	CHECK(hk_fake_register_driver(f->w, RM, &ipc_relay_message_ops, f->rm) == 0);
	f->listener.notify = fz_notify;
	CHECK(hk_process_listener_register(f->k, caps->process_state, &f->listener) == 0);
}

static void op_spawn(struct fz *f, struct fz_in *in)
{
	uint8_t a = in_u8(in), b = in_u8(in);
	static const struct hk_fault_policy policies[] = {
		{ HK_FAULT_STOP, 0 }, { HK_FAULT_RESTART, 0 }, { HK_FAULT_RESTART_UP_TO, 1 },
	};
	struct hk_fake_proc_config cfg = {
		.package_name = fz_packages[a % 5],
		.short_id = fz_short_ids[(a >> 3) % 5],
		.ram_size = FZ_RAM,
		.grant_budget = fz_budgets[b % 5],
		.flash_size = 4096,
		.fault_policy = policies[(b >> 3) % 3],
		.not_started = (b & 0x80) != 0,
	};

	if (f->nprocs >= FZ_MAX_PROCS)
		return;
	f->procs[f->nprocs] = hk_fake_spawn(f->w, &cfg);
	CHECK(f->procs[f->nprocs]);
	f->nprocs++;
}

static void op_command(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	static const uint32_t cmds[] = { 0, 1, 2, 3, 0x10, 0x11, 0x20, 0x21, 0x22, 0x23, 0x24, 0x20, 0x22, 0x10 };
	struct hk_process *p = fz_pick(f, in);
	uint8_t c;

	if (!p)
		return;
	op->actor = p;
	op->is_command = true;
	op->driver = fz_drivers[in_u8(in) % 5];
	c = in_u8(in);
	op->cmd = c == 0xff ? in_u32(in) : cmds[c % 14];
	op->id = fz_pick_id(f, in, p);
	op->had_grant = hk_grant_get(f->k, op->driver, hk_process_pid(p)) != NULL;
	if (op->driver == RM && op->cmd == 0x20 && fz_alive(f, (size_t)fz_slot_of_pid(f, hk_process_pid(p))))
		op->rm_expect = fz_model_rm_send(f, op, hk_process_pid(p), op->id);
	op->ret = hk_fake_command(f->w, p, op->driver, op->cmd, ipc_identifier_low(op->id),
	                          ipc_identifier_high(op->id));
}

/* A buffer inside p's data area (valid for every allow), clipped; its host view or NULL. */
static uint8_t *fz_buffer(struct fz *f, struct hk_process *p, struct fz_in *in, uint64_t *addr, uint64_t *len)
{
	const struct hk_memory_map *m = hk_fake_memory_map(f->w, p);
	uint64_t off = (uint64_t)(in_u8(in) * 32u) % FZ_DATA;

	*addr = m->ram_start + off;
	if (*len > FZ_DATA - off)
		*len = FZ_DATA - off;
	return *len ? hk_fake_host_ptr(f->w, p, *addr, *len) : NULL;
}

static void fill(uint8_t *dst, size_t len, struct fz_in *in)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = i < 48 ? in_u8(in) : (uint8_t)(i * 7);
}

static void op_allow_ro(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint32_t driver = fz_drivers[in_u8(in) % 5], slot = in_u8(in) % 5 % 3, mode = in_u8(in) % 7;
	const struct hk_memory_map *m;
	uint64_t addr = 0, len = 0;
	uint8_t *h;

	if (!p)
		return;
	op->actor = p;
	op->touches_actor_slice = true;
	m = hk_fake_memory_map(f->w, p);
	if (mode == 0 || mode == 1) { /* a name: one of a few, or a package name */
		uint8_t k = in_u8(in);
		const char *pkg = fz_packages[k % 5];

		len = mode == 0 ? (k & 0x80 ? k % 24u : IPC_STRING_NAME_LEN) : strlen(pkg);
		h = fz_buffer(f, p, in, &addr, &len);
		if (h && mode == 0)
			memcpy(h, fz_names[k % 3], len < IPC_STRING_NAME_LEN ? len : IPC_STRING_NAME_LEN);
		else if (h)
			memcpy(h, pkg, len);
	} else if (mode == 2) { /* a message */
		len = in_u8(in) * 4u;
		h = fz_buffer(f, p, in, &addr, &len);
		if (h)
			fill(h, len, in);
	} else if (mode == 3) { /* an allowlist of identifiers, sometimes ragged */
		uint8_t k = in_u8(in);
		uint64_t ids[4];

		for (unsigned i = 0; i < k % 5u; i++)
			ids[i] = fz_pick_id(f, in, p);
		len = (k % 5u) * 8u + (k & 0x80 ? 3u : 0u);
		h = fz_buffer(f, p, in, &addr, &len);
		if (h)
			memcpy(h, ids, len < (k % 5u) * 8u ? len : (k % 5u) * 8u);
	} else if (mode == 4) { /* flash: fine for RO */
		addr = m->flash_app_start + in_u8(in);
		len = in_u8(in);
	} else if (mode == 5) { /* the guard, or beyond the break */
		addr = in_u8(in) & 1 ? m->guard_start : m->initial_break - 4;
		len = 16;
	}
	hk_fake_allow_ro(f->w, p, driver, slot, addr, len);
}

static void op_allow_rw(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint32_t driver = fz_drivers[in_u8(in) % 5], slot = in_u8(in) % 4 == 3 ? 1 : 0, mode = in_u8(in) % 6;
	uint64_t addr = 0, len = mode == 4 ? in_u8(in) % 8u : 8u + in_u8(in) * 4u;
	uint8_t *h;
	uint32_t off;

	if (!p)
		return;
	op->actor = p;
	op->touches_actor_slice = true;
	h = mode == 5 ? NULL : fz_buffer(f, p, in, &addr, &len);
	if (h && len >= 8) {
		memset(h, 0, 8); /* mode 0: a fresh, valid slice */
		if (mode == 1)
			fill(h, 8, in); /* junk */
		if (mode == 2) { /* almost full */
			off = (uint32_t)(len - 8 - in_u8(in) % 32u % (len - 7));
			memcpy(h + 4, &off, 4);
		}
		if (mode == 3)
			h[3] = in_u8(in) & 3; /* exceeded / halt */
	}
	if (mode == 5)
		addr = hk_fake_memory_map(f->w, p)->guard_start, len = 8;
	hk_fake_allow_rw(f->w, p, driver, slot, addr, len);
}

static void op_subscribe(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint32_t driver = fz_drivers[in_u8(in) % 5], slot = in_u8(in) % 4;
	uint8_t k = in_u8(in);

	if (!p)
		return;
	op->actor = p;
	op->pops_actor_queue = true;
	hk_fake_subscribe(f->w, p, driver, slot, k & 1 ? hk_fake_upcall_fn(f->w, p, k % 64u) : 0, k);
}

static void op_yield(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	struct hk_fake_upcall up;
	uint8_t k = in_u8(in);

	if (!p)
		return;
	op->actor = p;
	op->pops_actor_queue = true;
	if (k % 3 == 0)
		hk_fake_yield_wait(f->w, p, &up);
	else if (k % 3 == 1)
		hk_fake_yield_no_wait(f->w, p, &up);
	else
		hk_fake_yield_wait_for(f->w, p, fz_drivers[(k >> 2) % 5], (k >> 5) % 4, &up);
}

/* The app ends itself, or faults. */
static void op_fault_exit(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint8_t k = in_u8(in);

	if (!p)
		return;
	op->actor = p;
	op->lifecycle = true;
	if (k % 3 == 0)
		hk_fake_fault(f->w, p, "fuzz fault");
	else
		hk_fake_exit(f->w, p, k % 3 == 1 ? TOCK_EXIT_TERMINATE : TOCK_EXIT_RESTART, k);
}

/* Process control as ipcctl does it, in any state. */
static void op_control(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	uint8_t k = in_u8(in);

	if (!p)
		return;
	op->actor = p;
	op->lifecycle = true;
	switch (k % 5) {
	case 0:
		hk_process_stop(f->k, p);
		break;
	case 1:
		hk_process_resume(f->k, p);
		break;
	case 2:
		hk_process_terminate(f->k, p, k);
		break;
	case 3:
		hk_process_restart(f->k, p);
		break;
	default:
		hk_fake_fail_next_spawn(f->w);
		hk_process_restart(f->k, p);
		break;
	}
}

/* The receiving app consumes its slice (offset back to 0) or flips flags, as apps do. */
static void op_scribble(struct fz *f, struct fz_in *in, struct fz_op *op)
{
	struct hk_process *p = fz_pick(f, in);
	struct hk_buf s;
	uint8_t k = in_u8(in);
	uint32_t off = 0;

	if (!p || hk_allow_rw_get(f->k, RM, hk_process_pid(p), 0, &s) != 0 || s.len < 8)
		return;
	op->actor = p;
	op->touches_actor_slice = true;
	if (k % 4 == 0) {
		memset(s.ptr, 0, 8);
	} else if (k % 4 == 1) {
		s.ptr[3] = (k >> 2) & 3;
	} else if (k % 4 == 2) {
		off = in_u32(in);
		memcpy(s.ptr + 4, &off, 4);
	} else {
		s.ptr[k % 3] = in_u8(in);
	}
}

static void fz_one_op(struct fz *f, struct fz_in *in)
{
	struct fz_op op = { .rm_target = -1 };

	fz_snapshot(f);
	switch (in_u8(in) % 13) {
	case 0:
		op_spawn(f, in);
		break;
	case 1:
	case 2:
	case 3:
		op_command(f, in, &op);
		break;
	case 4:
		op_allow_ro(f, in, &op);
		break;
	case 5:
		op_allow_rw(f, in, &op);
		break;
	case 6:
		op_subscribe(f, in, &op);
		break;
	case 7:
	case 8:
		op_yield(f, in, &op);
		break;
	case 9:
		op_fault_exit(f, in, &op);
		break;
	case 10:
		op_control(f, in, &op);
		break;
	case 11:
		hk_fake_advance(f->w, in_u32(in));
		break;
	default:
		op_scribble(f, in, &op);
		break;
	}
	fz_check_all(f, &op);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct hk_kernel_config cfg = { .upcall_queue_depth = 1u + in_u8(&in) % 10u, .virtual_time = true };
	struct fz *f = calloc(1, sizeof(*f));
	unsigned ops = 0;

	if (!f)
		return 0;
	f->depth = cfg.upcall_queue_depth;
	f->w = hk_fake_world_new(&cfg);
	CHECK(f->w);
	f->k = hk_fake_kernel(f->w);
	fz_setup_capsules(f, in_u8(&in));
	while (in.n > 0 && ops++ < 400)
		fz_one_op(f, &in);
	hk_fake_world_free(f->w); /* the kernel keeps the capsules' listeners: free it first */
	ipc_registry_string_name_free(f->str);
	ipc_registry_package_name_free(f->pkg);
	ipc_relay_request_free(f->rr);
	ipc_relay_message_free(f->rm);
	free(f);
	return 0;
}
