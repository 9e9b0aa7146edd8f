/* Subscribe and the three allow classes: validation, the kernel's tables, and the capsules' bounded views. */
#include <errno.h>
#include <string.h>

#include "hostkernel/core/core.h"
#include "hostkernel/core/trace_emit.h"

/* [addr, addr+len) inside [ram_start, limit), not wrapping, not touching the guard. */
bool hk_core_in_app_ram(const struct hk_process *p, uint64_t addr, uint64_t len, uint64_t limit)
{
	const struct hk_memory_map *m = &p->mem;

	if (!p->has_memory || addr < m->ram_start || addr > UINT64_MAX - len || addr + len > limit)
		return false;
	if (m->guard_end > m->guard_start && addr < m->guard_end && addr + len > m->guard_start)
		return false;
	return true;
}

bool hk_core_in_app_flash(const struct hk_process *p, uint64_t addr, uint64_t len)
{
	const struct hk_memory_map *m = &p->mem;

	return p->has_memory && addr >= m->flash_app_start && addr <= UINT64_MAX - len && addr + len <= m->flash_end;
}

static bool valid_upcall_fn(const struct hk_process *p, uint64_t fn)
{
	const struct hk_memory_map *m = &p->mem;

	if (fn == 0)
		return true;
	if (!p->has_memory)
		return false;
	return (fn >= m->flash_start && fn < m->flash_end) || (fn >= m->ram_start && fn < m->grant_start);
}

enum hk_syscall_result hk_core_subscribe(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                         struct hk_resume *ret)
{
	uint64_t drv = sc->r[0], slot = sc->r[1], fn = sc->r[2], appdata = sc->r[3];
	struct hk_driver_entry *d = drv <= UINT32_MAX ? hk_core_driver(k, (uint32_t)drv) : NULL;
	int err = hk_core_filter(k, p, TOCK_CLASS_SUBSCRIBE, drv, slot);
	struct hk_grant *g;
	struct hk_upcall_slot prev;

	if (err) {
		hk_core_return_error(ret, TOCK_RET_FAILURE, err, 0, 0); /* filtered: plain Failure, as Tock does */
		return HK_SYSCALL_RESUME;
	}
	if (!d)
		err = -ENODEV;
	else if (slot >= d->ops->num_upcalls)
		err = -EOPNOTSUPP;
	else if (!valid_upcall_fn(p, fn))
		err = -EINVAL;
	else if (!(g = hk_core_grant_enter(p, (uint32_t)drv, &err)))
		; /* err set */
	else {
		prev = g->upcalls[slot];
		g->upcalls[slot] = (struct hk_upcall_slot){ fn, appdata };
		hk_core_queue_remove_functions(p, (uint32_t)drv, (uint32_t)slot);
		hk_core_set_return(ret, TOCK_RET_SUCCESS_U32_U32, prev.fn, prev.appdata, 0);
		return HK_SYSCALL_RESUME;
	}
	hk_core_return_error(ret, TOCK_RET_FAILURE_U32_U32, err, fn, appdata);
	return HK_SYSCALL_RESUME;
}

static uint8_t slot_count(const struct hk_driver_ops *ops, uint32_t class_id)
{
	switch (class_id) {
	case TOCK_CLASS_ALLOW_RW:
		return ops->num_allow_rw;
	case TOCK_CLASS_ALLOW_RO:
		return ops->num_allow_ro;
	default:
		return ops->num_allow_ur;
	}
}

static struct hk_allow_slot *slot_table(struct hk_grant *g, uint32_t class_id)
{
	switch (class_id) {
	case TOCK_CLASS_ALLOW_RW:
		return g->rw;
	case TOCK_CLASS_ALLOW_RO:
		return g->ro;
	default:
		return g->ur;
	}
}

/* Where [ptr, ptr+len) may lie for this class (TRD104 + process_standard.rs). */
static bool allow_range_ok(const struct hk_process *p, uint32_t class_id, uint64_t ptr, uint64_t len)
{
	if (len == 0)
		return true; /* revoke: any pointer */
	if (hk_core_in_app_ram(p, ptr, len, p->app_break))
		return true;
	return class_id == TOCK_CLASS_ALLOW_RO && hk_core_in_app_flash(p, ptr, len);
}

enum hk_syscall_result hk_core_allow(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                     struct hk_resume *ret)
{
	uint64_t drv = sc->r[0], slot = sc->r[1], ptr = sc->r[2], len = sc->r[3];
	struct hk_driver_entry *d = drv <= UINT32_MAX ? hk_core_driver(k, (uint32_t)drv) : NULL;
	int err = hk_core_filter(k, p, sc->class_id, drv, slot);
	struct hk_grant *g;
	struct hk_allow_slot *tab, prev;

	if (err) {
		hk_core_return_error(ret, TOCK_RET_FAILURE, err, 0, 0); /* filtered: plain Failure, as Tock does */
		return HK_SYSCALL_RESUME;
	}
	if (!d)
		err = -ENODEV;
	else if (slot >= slot_count(d->ops, sc->class_id))
		err = -EOPNOTSUPP;
	else if (!allow_range_ok(p, sc->class_id, ptr, len))
		err = -EINVAL;
	else if (!(g = hk_core_grant_enter(p, (uint32_t)drv, &err)))
		; /* err set */
	else {
		tab = slot_table(g, sc->class_id);
		prev = tab[slot];
		tab[slot] = (struct hk_allow_slot){ len ? ptr : 0, len };
		if (len && ptr >= p->mem.ram_start && ptr + len <= p->mem.grant_start && ptr + len > p->allow_high_water)
			p->allow_high_water = ptr + len;
		hk_core_set_return(ret, TOCK_RET_SUCCESS_U32_U32, prev.ptr, prev.len, 0);
		return HK_SYSCALL_RESUME;
	}
	hk_core_return_error(ret, TOCK_RET_FAILURE_U32_U32, err, ptr, len);
	return HK_SYSCALL_RESUME;
}

/* ---- capsule views ---- */

static int view(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t class_id, uint32_t slot,
                uint8_t **ret_ptr, size_t *ret_len)
{
	struct hk_process *p = hk_process_lookup(k, pid);
	struct hk_driver_entry *d = k ? hk_core_driver(k, driver) : NULL;
	struct hk_grant *g;
	struct hk_allow_slot s;

	*ret_ptr = NULL;
	*ret_len = 0;
	if (!p || !hk_core_alive(p))
		return -ESRCH;
	if (!d || slot >= slot_count(d->ops, class_id))
		return -EINVAL;
	g = hk_core_grant_find(p, driver);
	if (!g || !p->has_memory)
		return 0;
	s = slot_table(g, class_id)[slot];
	if (s.len == 0)
		return 0;
	/* Validated at allow time; RAM stays mapped for the incarnation, so re-derive the host pointer. */
	if (s.ptr >= p->mem.ram_start && s.ptr + s.len <= p->mem.ram_end)
		*ret_ptr = p->mem.ram_host + (s.ptr - p->mem.ram_start);
	else if (s.ptr >= p->mem.flash_start && s.ptr + s.len <= p->mem.flash_end)
		*ret_ptr = (uint8_t *)(uintptr_t)(p->mem.flash_host + (s.ptr - p->mem.flash_start));
	else
		return 0;
	*ret_len = (size_t)s.len;
	return 0;
}

int hk_allow_rw_get(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, struct hk_buf *ret)
{
	return view(k, driver, pid, TOCK_CLASS_ALLOW_RW, slot, &ret->ptr, &ret->len);
}

int hk_allow_ur_get(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, struct hk_buf *ret)
{
	return view(k, driver, pid, TOCK_CLASS_ALLOW_USERSPACE_READ, slot, &ret->ptr, &ret->len);
}

int hk_allow_ro_get(struct hk_kernel *k, uint32_t driver, hk_pid pid, uint32_t slot, struct hk_robuf *ret)
{
	uint8_t *ptr;
	int r = view(k, driver, pid, TOCK_CLASS_ALLOW_RO, slot, &ptr, &ret->len);

	ret->ptr = ptr;
	return r;
}

int hk_copy_allow(struct hk_kernel *k, uint32_t driver, hk_pid src, uint32_t src_slot, size_t src_offset,
                  hk_pid dst, uint32_t dst_slot, size_t dst_offset, size_t max, size_t *ret_copied)
{
	struct hk_robuf from;
	struct hk_buf to;
	size_t n;
	int r;

	if (ret_copied)
		*ret_copied = 0;
	r = hk_allow_ro_get(k, driver, src, src_slot, &from);
	if (r == 0)
		r = hk_allow_rw_get(k, driver, dst, dst_slot, &to);
	if (r)
		return r;
	if (src_offset > from.len || dst_offset > to.len)
		return -EINVAL;
	n = from.len - src_offset;
	if (n > to.len - dst_offset)
		n = to.len - dst_offset;
	if (n > max)
		n = max;
	if (n)
		memmove(to.ptr + dst_offset, from.ptr + src_offset, n);
	if (ret_copied)
		*ret_copied = n;
	if (k->tracer)
		hk_trace_copy(k, driver, src, dst, n, from.len - src_offset);
	return 0;
}
