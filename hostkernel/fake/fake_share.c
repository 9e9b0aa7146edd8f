/* Fake-process backend: shared regions as heap buffers, and which fake process maps which at what address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/array.h"
#include "hostkernel/fake/fake_backend.h"
#include "hostkernel/fake/fake_internal.h"

struct fake_share {
	uint8_t *mem;
	uint64_t len;
};

int hk_fake_op_share_create(void *ctx, uint64_t len, void **ret_handle)
{
	struct fake_share *s = calloc(1, sizeof(*s));

	(void)ctx;
	if (s)
		s->mem = calloc(1, (size_t)len);
	if (!s || !s->mem) {
		free(s);
		return -ENOMEM;
	}
	s->len = len;
	*ret_handle = s;
	return 0;
}

int hk_fake_op_share_map(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool writable)
{
	struct hk_fake_world *w = ctx;

	if (!basic_array_reserve((void **)&w->share_maps, &w->cap_share_maps, w->n_share_maps, sizeof(*w->share_maps)))
		return -ENOMEM;
	w->share_maps[w->n_share_maps++] = (struct fake_share_map){ p, handle, addr, len, writable };
	return 0;
}

void hk_fake_op_share_unmap(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool ending)
{
	struct hk_fake_world *w = ctx;

	(void)len, (void)ending;
	for (size_t i = 0; i < w->n_share_maps; i++)
		if (w->share_maps[i].p == p && w->share_maps[i].handle == handle && w->share_maps[i].addr == addr) {
			w->share_maps[i] = w->share_maps[--w->n_share_maps];
			return;
		}
}

void hk_fake_op_share_destroy(void *ctx, void *handle)
{
	struct hk_fake_world *w = ctx;
	struct fake_share *s = handle;

	for (size_t i = w->n_share_maps; i-- > 0;)
		if (w->share_maps[i].handle == handle)
			w->share_maps[i] = w->share_maps[--w->n_share_maps];
	if (s)
		free(s->mem);
	free(s);
}

void *hk_fake_share_ptr(struct hk_fake_world *w, struct hk_process *p, uint64_t addr, size_t len, bool *ret_writable)
{
	for (size_t i = 0; w && i < w->n_share_maps; i++) {
		const struct fake_share_map *m = &w->share_maps[i];

		if (m->p == p && addr >= m->addr && addr - m->addr <= m->len && len <= m->len - (addr - m->addr)) {
			if (ret_writable)
				*ret_writable = m->writable;
			return ((struct fake_share *)m->handle)->mem + (addr - m->addr);
		}
	}
	return NULL;
}
