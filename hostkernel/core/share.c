/* Shared regions: creation, mapping with MPU-model checks and budget, revocation, teardown. Pure C. */
#include "basic/array.h"
#include "hostkernel/core/share.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/mpu_model.h"
#include "tock/trap_frame.h"

#define SHARE_PAGE 4096ull

struct share_region {
	uint32_t id;
	hk_pid owner;
	uint64_t size, len; /* len: size rounded up to pages (what is mapped) */
	void *handle;
};

struct share_mapping {
	uint32_t region;
	hk_pid pid;
	uint64_t addr, len;
	bool writable;
};

struct hk_share_table {
	const struct hk_mpu_model *mpu;
	uint32_t regions_per_process;
	uint32_t next_id;
	struct share_region *regions;
	size_t n_regions, cap_regions;
	struct share_mapping *maps;
	size_t n_maps, cap_maps;
};

/* The table, created on first use so that kernels which never share pay nothing. */
static struct hk_share_table *table(struct hk_kernel *k)
{
	struct hk_share_table *t = k->shares;

	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->mpu = hk_mpu_model_get(k->cfg.mpu_model);
	if (!t->mpu)
		t->mpu = hk_mpu_model_get(HK_MPU_CORTEX_M);
	t->regions_per_process = hk_mpu_regions(t->mpu, k->cfg.mpu_regions);
	t->next_id = 1;
	k->shares = t;
	return t;
}

static struct share_region *find_region(struct hk_share_table *t, uint32_t id)
{
	for (size_t i = 0; t && i < t->n_regions; i++)
		if (t->regions[i].id == id)
			return &t->regions[i];
	return NULL;
}

static struct share_mapping *find_mapping(struct hk_share_table *t, uint32_t region, hk_pid pid)
{
	for (size_t i = 0; t && i < t->n_maps; i++)
		if (t->maps[i].region == region && t->maps[i].pid == pid)
			return &t->maps[i];
	return NULL;
}

static uint32_t mappings_of(const struct hk_share_table *t, hk_pid pid)
{
	uint32_t n = 0;

	for (size_t i = 0; t && i < t->n_maps; i++)
		n += t->maps[i].pid == pid;
	return n;
}

static struct hk_process *live(struct hk_kernel *k, hk_pid pid)
{
	struct hk_process *p = hk_process_lookup(k, pid);

	return p && hk_core_alive(p) && p->has_memory ? p : NULL;
}

/*
 * First address in the window where a region of `size` fits for pid: aligned as the MPU model
 * demands (and to pages, for the host MMU), clear of pid's other mappings. 0 if none.
 */
static uint64_t place(const struct hk_share_table *t, hk_pid pid, uint64_t size, uint64_t len)
{
	uint64_t align = hk_mpu_alignment(t->mpu, size), end = TOCK_SHARE_WINDOW_START + TOCK_SHARE_WINDOW_SIZE;
	uint64_t at = TOCK_SHARE_WINDOW_START;
	bool moved = true;

	if (align < SHARE_PAGE)
		align = SHARE_PAGE;
	while (moved) {
		moved = false;
		at = (at + align - 1) & ~(align - 1);
		if (at < TOCK_SHARE_WINDOW_START || len > end - at)
			return 0;
		for (size_t i = 0; i < t->n_maps; i++) {
			const struct share_mapping *m = &t->maps[i];

			if (m->pid == pid && m->addr < at + len && at < m->addr + m->len) {
				at = m->addr + m->len;
				moved = true;
			}
		}
	}
	return hk_mpu_region_ok(t->mpu, at, size) ? at : 0;
}

/* Budget, placement and the backend; records the mapping. */
static int map_into(struct hk_kernel *k, struct hk_share_table *t, const struct share_region *r, struct hk_process *p,
                    bool writable, uint64_t *ret_address)
{
	uint64_t addr;
	int err;

	if (HK_MPU_FIXED_REGIONS + mappings_of(t, p->pid) >= t->regions_per_process)
		return -ENOSPC;
	addr = place(t, p->pid, r->size, r->len);
	if (!addr)
		return -ENOSPC;
	if (!basic_array_reserve((void **)&t->maps, &t->cap_maps, t->n_maps, sizeof(*t->maps)))
		return -ENOMEM;
	err = k->ops->share_map ? k->ops->share_map(k->ctx, p, r->handle, addr, r->len, writable) : -ENOMEM;
	if (err < 0)
		return err;
	t->maps[t->n_maps++] = (struct share_mapping){ r->id, p->pid, addr, r->len, writable };
	*ret_address = addr;
	return 0;
}

int hk_share_create(struct hk_kernel *k, const struct hk_cap_memory_map *cap, hk_pid owner, uint64_t size,
                    uint32_t *ret_region, uint64_t *ret_address)
{
	struct hk_share_table *t;
	struct hk_process *p;
	struct share_region r = { 0 };
	int err;

	if (!k || cap != &k->cap_memory)
		return -EPERM;
	if (!(p = live(k, owner)))
		return -ESRCH;
	if (!(t = table(k)))
		return -ENOMEM;
	if (size == 0)
		return -EINVAL;
	if (size > HK_SHARE_MAX_SIZE)
		return -E2BIG;
	if (!hk_mpu_size_ok(t->mpu, size))
		return -EINVAL;
	if (!basic_array_reserve((void **)&t->regions, &t->cap_regions, t->n_regions, sizeof(*t->regions)))
		return -ENOMEM;
	r = (struct share_region){ t->next_id, owner, size, (size + SHARE_PAGE - 1) & ~(SHARE_PAGE - 1), NULL };
	if (HK_MPU_FIXED_REGIONS + mappings_of(t, owner) >= t->regions_per_process)
		return -ENOSPC;
	err = k->ops->share_create ? k->ops->share_create(k->ctx, r.len, &r.handle) : -ENOMEM;
	if (err < 0)
		return err;
	err = map_into(k, t, &r, p, true, ret_address);
	if (err < 0) {
		if (k->ops->share_destroy)
			k->ops->share_destroy(k->ctx, r.handle);
		return err;
	}
	t->regions[t->n_regions++] = r;
	if (++t->next_id == 0)
		t->next_id = 1;
	*ret_region = r.id;
	return 0;
}

int hk_share_map(struct hk_kernel *k, const struct hk_cap_memory_map *cap, uint32_t region, hk_pid pid,
                 bool writable, uint64_t *ret_address)
{
	struct hk_share_table *t;
	struct share_region *r;
	struct hk_process *p;

	if (!k || cap != &k->cap_memory)
		return -EPERM;
	if (!(p = live(k, pid)))
		return -ESRCH;
	t = k->shares;
	if (!(r = find_region(t, region)))
		return -ENOENT;
	if (find_mapping(t, region, pid))
		return -EEXIST;
	return map_into(k, t, r, p, writable, ret_address);
}

static void drop_mapping(struct hk_kernel *k, struct hk_share_table *t, size_t i, void *handle, bool ending)
{
	struct share_mapping m = t->maps[i];
	struct hk_process *p = hk_process_lookup(k, m.pid);

	t->maps[i] = t->maps[--t->n_maps];
	if (p && k->ops->share_unmap)
		k->ops->share_unmap(k->ctx, p, handle, m.addr, m.len, ending);
}

int hk_share_unmap(struct hk_kernel *k, const struct hk_cap_memory_map *cap, uint32_t region, hk_pid pid)
{
	struct hk_share_table *t;
	struct share_region *r;

	if (!k || cap != &k->cap_memory)
		return -EPERM;
	t = k->shares;
	r = find_region(t, region);
	for (size_t i = 0; r && i < t->n_maps; i++)
		if (t->maps[i].region == region && t->maps[i].pid == pid) {
			drop_mapping(k, t, i, r->handle, false);
			return 0;
		}
	return -ENOENT;
}

/* Unmap from everyone (`ending_pid`'s host process is going away: only forgotten), then free. */
static void destroy_region(struct hk_kernel *k, struct hk_share_table *t, size_t ri, hk_pid ending_pid)
{
	struct share_region r = t->regions[ri];

	for (size_t i = t->n_maps; i-- > 0;)
		if (t->maps[i].region == r.id)
			drop_mapping(k, t, i, r.handle, t->maps[i].pid == ending_pid);
	t->regions[ri] = t->regions[--t->n_regions];
	if (k->ops->share_destroy)
		k->ops->share_destroy(k->ctx, r.handle);
}

int hk_share_destroy(struct hk_kernel *k, const struct hk_cap_memory_map *cap, uint32_t region)
{
	struct hk_share_table *t;

	if (!k || cap != &k->cap_memory)
		return -EPERM;
	t = k->shares;
	for (size_t i = 0; t && i < t->n_regions; i++)
		if (t->regions[i].id == region) {
			destroy_region(k, t, i, (hk_pid)-1);
			return 0;
		}
	return -ENOENT;
}

int hk_share_region_get(struct hk_kernel *k, uint32_t region, struct hk_share_region_info *ret)
{
	struct hk_share_table *t = k ? k->shares : NULL;
	struct share_region *r = find_region(t, region);
	uint32_t n = 0;

	if (!r)
		return -ENOENT;
	for (size_t i = 0; i < t->n_maps; i++)
		n += t->maps[i].region == region;
	*ret = (struct hk_share_region_info){ r->owner, r->size, n };
	return 0;
}

int hk_share_address(struct hk_kernel *k, uint32_t region, hk_pid pid, uint64_t *ret_address, bool *ret_writable)
{
	struct share_mapping *m = find_mapping(k ? k->shares : NULL, region, pid);

	if (!m)
		return -ENOENT;
	if (ret_address)
		*ret_address = m->addr;
	if (ret_writable)
		*ret_writable = m->writable;
	return 0;
}

void hk_core_share_process_gone(struct hk_kernel *k, struct hk_process *p)
{
	struct hk_share_table *t = k->shares;

	if (!t)
		return;
	for (size_t i = t->n_regions; i-- > 0;)
		if (t->regions[i].owner == p->pid)
			destroy_region(k, t, i, p->pid);
	for (size_t i = t->n_maps; i-- > 0;)
		if (t->maps[i].pid == p->pid)
			drop_mapping(k, t, i, find_region(t, t->maps[i].region)->handle, true);
}

void hk_core_share_free(struct hk_kernel *k)
{
	struct hk_share_table *t = k->shares;

	if (!t)
		return;
	t->n_maps = 0; /* every host process is gone by now: nothing to unmap */
	while (t->n_regions)
		destroy_region(k, t, t->n_regions - 1, (hk_pid)-1);
	free(t->regions);
	free(t->maps);
	free(t);
	k->shares = NULL;
}

/* ---- views ---- */

const char *hk_share_mpu_name(struct hk_kernel *k)
{
	const struct hk_mpu_model *m = hk_mpu_model_get(k->cfg.mpu_model);

	return m ? m->name : "cortex-m";
}

int hk_share_usage(struct hk_kernel *k, hk_pid pid, uint32_t *ret_used, uint32_t *ret_total)
{
	struct hk_share_table *t;

	if (!live(k, pid) || !(t = table(k)))
		return -ESRCH;
	*ret_used = HK_MPU_FIXED_REGIONS + mappings_of(t, pid);
	*ret_total = t->regions_per_process;
	return 0;
}

bool hk_share_mapping_next(struct hk_kernel *k, size_t *cursor, struct hk_share_mapping_info *ret)
{
	struct hk_share_table *t = k->shares;
	const struct share_mapping *m;
	const struct share_region *r;

	if (!t || *cursor >= t->n_maps)
		return false;
	m = &t->maps[(*cursor)++];
	r = find_region(t, m->region);
	*ret = (struct hk_share_mapping_info){ m->region, r->owner, m->pid, r->size, m->addr, m->len, m->writable };
	return true;
}

size_t hk_share_region_count(struct hk_kernel *k)
{
	return k->shares ? k->shares->n_regions : 0;
}
