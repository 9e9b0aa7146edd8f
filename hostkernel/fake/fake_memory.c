/* Fake-process backend: app-address allocation and translation inside a fake process's flash and RAM. */
#include <string.h>

#include "hostkernel/fake/fake_backend.h"
#include "hostkernel/fake/fake_internal.h"

const struct hk_memory_map *hk_fake_memory_map(struct hk_fake_world *w, struct hk_process *p)
{
	struct fake_proc *fp = hk_fake_fp(p);

	(void)w;
	return fp ? &fp->map : NULL;
}

static bool inside(uint64_t start, uint64_t end, uint64_t addr, size_t len)
{
	return addr >= start && addr <= end && len <= end - addr;
}

void *hk_fake_host_ptr(struct hk_fake_world *w, struct hk_process *p, uint64_t addr, size_t len)
{
	const struct hk_memory_map *m = hk_fake_memory_map(w, p);

	if (!m)
		return NULL;
	if (inside(m->ram_start, m->ram_end, addr, len))
		return m->ram_host + (addr - m->ram_start);
	if (inside(m->flash_start, m->flash_end, addr, len))
		return (void *)(uintptr_t)(m->flash_host + (addr - m->flash_start));
	return hk_fake_share_ptr(w, p, addr, len, NULL);
}

uint64_t hk_fake_alloc(struct hk_fake_world *w, struct hk_process *p, size_t len)
{
	struct fake_proc *fp = hk_fake_fp(p);
	uint64_t addr;

	(void)w;
	if (!fp || len > fp->map.heap_start - fp->data_next)
		return 0;
	addr = fp->data_next;
	fp->data_next = (addr + len + 7u) & ~(uint64_t)7u;
	if (fp->data_next > fp->map.heap_start)
		fp->data_next = fp->map.heap_start;
	memset(fp->map.ram_host + (addr - fp->map.ram_start), 0, len);
	return addr;
}

uint64_t hk_fake_flash_alloc(struct hk_fake_world *w, struct hk_process *p, const void *data, size_t len)
{
	struct fake_proc *fp = hk_fake_fp(p);
	uint64_t limit, addr;

	(void)w;
	if (!fp)
		return 0;
	limit = fp->map.flash_end - (uint64_t)fp->cfg.writeable_flash_regions * HK_FAKE_WFLASH_SIZE;
	if (len > limit - fp->flash_next)
		return 0;
	addr = fp->flash_next;
	if (len)
		memcpy(fp->flash + (addr - fp->map.flash_start), data, len);
	fp->flash_next = (addr + len + 7u) & ~(uint64_t)7u;
	if (fp->flash_next > limit)
		fp->flash_next = limit;
	return addr;
}

uint64_t hk_fake_upcall_fn(struct hk_fake_world *w, struct hk_process *p, unsigned n)
{
	const struct hk_memory_map *m = hk_fake_memory_map(w, p);

	if (!m || n >= HK_FAKE_FN_AREA / 4)
		return 0;
	return m->flash_app_start + 4u * n;
}
