/* Fake-process backend: heap-buffer process memory, recorded platform ops, syscalls performed as a process. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/kernel_ext.h"
#include "hostkernel/fake/fake_backend.h"
#include "hostkernel/fake/fake_internal.h"

struct fake_proc *hk_fake_fp(struct hk_process *p)
{
	return p ? hk_process_backend(p) : NULL;
}

/* Fresh zeroed memory and the map of one incarnation (same addresses every time: same slot). */
static void attach_memory(struct fake_proc *fp)
{
	const struct hk_fake_proc_config *c = &fp->cfg;
	struct hk_memory_map *m = &fp->map;
	uint64_t fbase = HK_FAKE_FLASH_BASE + fp->slot * (uint64_t)HK_FAKE_SLOT_STRIDE;
	uint64_t rbase = HK_FAKE_RAM_BASE + fp->slot * (uint64_t)HK_FAKE_SLOT_STRIDE;

	memset(fp->ram, 0, c->ram_size + c->grant_budget);
	memset(m, 0, sizeof(*m));
	m->flash_start = fbase;
	m->flash_end = fbase + c->flash_size;
	m->flash_app_start = fbase + HK_FAKE_FLASH_HEADER;
	m->flash_host = fp->flash;
	m->ram_start = rbase;
	m->grant_start = rbase + c->ram_size;
	m->ram_end = m->grant_start + c->grant_budget;
	m->heap_start = rbase + c->ram_size / 2;
	m->initial_break = m->heap_start;
	m->stack_top = m->grant_start;
	m->guard_end = m->grant_start - HK_FAKE_STACK;
	m->guard_start = m->guard_end - HK_FAKE_GUARD;
	m->ram_host = fp->ram;
	m->writeable_flash_count = c->writeable_flash_regions;
	for (uint32_t i = 0; i < c->writeable_flash_regions; i++) {
		m->writeable_flash_end[i] = m->flash_end - (uint64_t)i * HK_FAKE_WFLASH_SIZE;
		m->writeable_flash_start[i] = m->writeable_flash_end[i] - HK_FAKE_WFLASH_SIZE;
	}
	fp->data_next = rbase;
	hk_process_set_memory(fp->p, m);
}

/* ---- platform ops ---- */

static uint64_t op_now(void *ctx)
{
	return ((struct hk_fake_world *)ctx)->real_now;
}

static void op_kill(void *ctx, struct hk_process *p)
{
	struct fake_proc *fp = hk_fake_fp(p);

	(void)ctx;
	if (fp)
		fp->kills++;
}

static int op_spawn(void *ctx, struct hk_process *p)
{
	struct hk_fake_world *w = ctx;
	struct fake_proc *fp = hk_fake_fp(p);

	if (!fp)
		return -EINVAL;
	if (w->fail_next_spawn) {
		w->fail_next_spawn = false;
		return -ENOMEM;
	}
	fp->spawns++;
	attach_memory(fp);
	hk_process_ready(w->k, p);
	return 0;
}

static void op_panic(void *ctx, struct hk_process *p, const char *why)
{
	struct hk_fake_world *w = ctx;
	size_t n = why ? strlen(why) : 0;

	(void)p;
	if (n >= sizeof(w->panic_buf))
		n = sizeof(w->panic_buf) - 1;
	if (n)
		memcpy(w->panic_buf, why, n);
	w->panic_buf[n] = '\0';
	w->panicked = true;
	w->panic_why = w->panic_buf;
}

/* The test's filter, installed as the board would install its own. */
static uint32_t fake_filter_check(const struct hk_syscall_filter *self, const struct hk_process *p, uint32_t class_id,
                                  uint32_t driver, uint32_t number)
{
	const struct hk_fake_world *w = (const struct hk_fake_world *)((const char *)self -
	                                                              offsetof(struct hk_fake_world, filter_policy));

	return w->filter(w->filter_ctx, (struct hk_process *)p, class_id, driver, number);
}

/* ---- world ---- */

struct hk_fake_world *hk_fake_world_new(const struct hk_kernel_config *cfg)
{
	struct hk_kernel_config def = { .upcall_queue_depth = 0, .virtual_time = true };
	struct hk_fake_world *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->ops = (struct hk_platform_ops){
		.now_ns = op_now, .process_kill = op_kill, .process_spawn = op_spawn,
		.panic = op_panic,
		.share_create = hk_fake_op_share_create, .share_map = hk_fake_op_share_map,
		.share_unmap = hk_fake_op_share_unmap, .share_destroy = hk_fake_op_share_destroy,
	};
	w->k = hk_kernel_new(cfg ? cfg : &def, &w->ops, w);
	if (!w->k) {
		free(w);
		return NULL;
	}
	hk_kernel_mint_caps(w->k, &w->caps);
	return w;
}

void hk_fake_world_free(struct hk_fake_world *w)
{
	if (!w)
		return;
	hk_kernel_free(w->k); /* destroys every shared region through the ops */
	free(w->share_maps);
	for (size_t i = 0; i < w->n_procs; i++) {
		free(w->procs[i]->flash);
		free(w->procs[i]->ram);
		free(w->procs[i]);
	}
	free(w);
}

struct hk_kernel *hk_fake_kernel(struct hk_fake_world *w) { return w->k; }
const struct hk_kernel_caps *hk_fake_caps(struct hk_fake_world *w) { return &w->caps; }

int hk_fake_register_driver(struct hk_fake_world *w, uint32_t driver, const struct hk_driver_ops *ops, void *self)
{
	return hk_kernel_register_driver(w->k, driver, ops, self);
}

void hk_fake_set_syscall_filter(struct hk_fake_world *w, hk_fake_filter_fn filter, void *ctx)
{
	w->filter = filter;
	w->filter_ctx = ctx;
	w->filter_policy.check = fake_filter_check;
	hk_kernel_set_syscall_filter(w->k, filter ? &w->filter_policy : NULL);
}

/* ---- processes ---- */

static void apply_defaults(struct hk_fake_proc_config *c)
{
	if (c->ram_size == 0)
		c->ram_size = 64 * KIB;
	if (c->ram_size < 16 * KIB)
		c->ram_size = 16 * KIB;
	if (c->grant_budget == 0)
		c->grant_budget = 16 * KIB;
	if (c->flash_size == 0)
		c->flash_size = 16 * KIB;
	if (c->flash_size < 4 * KIB)
		c->flash_size = 4 * KIB;
	if (c->writeable_flash_regions > 8)
		c->writeable_flash_regions = 8;
	c->ram_size = (c->ram_size + 7) & ~(size_t)7;
}

static struct fake_proc *new_fake_proc(struct hk_fake_world *w, const struct hk_fake_proc_config *cfg)
{
	struct fake_proc *fp = calloc(1, sizeof(*fp));

	if (!fp)
		return NULL;
	if (cfg)
		fp->cfg = *cfg;
	apply_defaults(&fp->cfg);
	if (fp->cfg.ram_size + fp->cfg.grant_budget > HK_FAKE_SLOT_STRIDE || fp->cfg.flash_size > HK_FAKE_SLOT_STRIDE) {
		free(fp);
		return NULL;
	}
	fp->w = w;
	fp->slot = w->n_procs;
	fp->flash = calloc(1, fp->cfg.flash_size);
	fp->ram = calloc(1, fp->cfg.ram_size + fp->cfg.grant_budget);
	if (!fp->flash || !fp->ram) {
		free(fp->flash);
		free(fp->ram);
		free(fp);
		return NULL;
	}
	fp->flash_next = HK_FAKE_FLASH_BASE + fp->slot * (uint64_t)HK_FAKE_SLOT_STRIDE + HK_FAKE_FLASH_HEADER + HK_FAKE_FN_AREA;
	return fp;
}

struct hk_process *hk_fake_spawn(struct hk_fake_world *w, const struct hk_fake_proc_config *cfg)
{
	struct hk_process_desc desc = { 0 };
	struct fake_proc *fp;

	if (!w || w->n_procs >= HK_FAKE_MAX_PROCS || hk_process_count(w->k) != w->n_procs)
		return NULL;
	fp = new_fake_proc(w, cfg);
	if (!fp)
		return NULL;
	if (fp->cfg.name) {
		desc.name = fp->cfg.name;
	} else {
		memcpy(fp->name, "app", 3);
		fp->name[3] = (char)('0' + fp->slot / 100);
		fp->name[4] = (char)('0' + fp->slot / 10 % 10);
		fp->name[5] = (char)('0' + fp->slot % 10);
		desc.name = fp->name;
	}
	desc.package_name = fp->cfg.package_name ? fp->cfg.package_name : desc.name;
	desc.short_id = fp->cfg.short_id;
	desc.fault_policy = fp->cfg.fault_policy;
	desc.backend = fp;
	fp->p = hk_process_create(w->k, &desc);
	if (!fp->p) {
		free(fp->flash);
		free(fp->ram);
		free(fp);
		return NULL;
	}
	w->procs[w->n_procs++] = fp;
	fp->spawns++;
	attach_memory(fp);
	hk_process_ready(w->k, fp->p);
	if (!fp->cfg.not_started)
		hk_fake_make_current(w, fp->p);
	return fp->p;
}

struct hk_process *hk_fake_lookup(struct hk_fake_world *w, hk_pid pid)
{
	return hk_process_lookup(w->k, pid);
}

int hk_fake_make_current(struct hk_fake_world *w, struct hk_process *p)
{
	for (size_t i = 0; i < hk_process_count(w->k); i++) {
		struct hk_process *q = hk_process_at(w->k, i);

		if (q != p && hk_process_state(q) == HK_STATE_RUNNING)
			hk_process_preempted(w->k, q);
	}
	return hk_sched_make_current(w->k, p);
}
