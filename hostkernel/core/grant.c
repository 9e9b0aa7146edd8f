/* Grants: per (process, driver) capsule state plus the kernel's allow/subscribe tables, charged to the grant budget. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/core/core.h"

struct hk_grant *hk_core_grant_find(struct hk_process *p, uint32_t driver)
{
	for (struct hk_grant *g = p->grants; g; g = g->next)
		if (g->driver == driver)
			return g;
	return NULL;
}

static size_t grant_budget(const struct hk_process *p)
{
	if (!p->has_memory || p->mem.ram_end <= p->mem.grant_start)
		return 0;
	return (size_t)(p->mem.ram_end - p->mem.grant_start);
}

/* What the process pays: the capsule's grant plus the kernel-managed tables, 8-byte rounded. */
static size_t grant_charge(const struct hk_driver_ops *ops)
{
	size_t tables = ops->num_upcalls * sizeof(struct hk_upcall_slot) +
	                ((size_t)ops->num_allow_ro + ops->num_allow_rw + ops->num_allow_ur) * sizeof(struct hk_allow_slot);

	if (ops->grant_size > SIZE_MAX / 2)
		return SIZE_MAX;
	return (ops->grant_size + tables + 7u) & ~(size_t)7u;
}

static void grant_free(struct hk_grant *g)
{
	if (!g)
		return;
	free(g->upcalls);
	free(g->ro);
	free(g->rw);
	free(g->ur);
	free(g->data);
	free(g);
}

struct hk_grant *hk_core_grant_enter(struct hk_process *p, uint32_t driver, int *ret_err)
{
	struct hk_driver_entry *d;
	struct hk_grant *g;
	size_t charge;

	if (!hk_core_alive(p)) {
		*ret_err = -ENODEV;
		return NULL;
	}
	g = hk_core_grant_find(p, driver);
	if (g)
		return g;
	d = hk_core_driver(p->kernel, driver);
	if (!d) {
		*ret_err = -ENODEV;
		return NULL;
	}
	charge = grant_charge(d->ops);
	if (p->grant_used > grant_budget(p) || charge > grant_budget(p) - p->grant_used) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (g) {
		g->upcalls = calloc(d->ops->num_upcalls + 1u, sizeof(*g->upcalls));
		g->ro = calloc(d->ops->num_allow_ro + 1u, sizeof(*g->ro));
		g->rw = calloc(d->ops->num_allow_rw + 1u, sizeof(*g->rw));
		g->ur = calloc(d->ops->num_allow_ur + 1u, sizeof(*g->ur));
		/* A grant_size of 0 still gets a unique non-NULL pointer. */
		g->data = calloc(1, d->ops->grant_size ? d->ops->grant_size : 1);
	}
	if (!g || !g->upcalls || !g->ro || !g->rw || !g->ur || !g->data) {
		grant_free(g);
		*ret_err = -ENOMEM;
		return NULL;
	}
	g->driver = driver;
	g->charge = charge;
	g->next = p->grants;
	p->grants = g;
	p->grant_used += charge;
	return g;
}

void hk_core_grants_free(struct hk_process *p)
{
	struct hk_grant *g = p->grants;

	while (g) {
		struct hk_grant *next = g->next;

		grant_free(g);
		g = next;
	}
	p->grants = NULL;
	p->grant_used = 0;
}

void *hk_grant_enter(struct hk_kernel *k, uint32_t driver, hk_pid pid, int *ret_err)
{
	struct hk_process *p = hk_process_lookup(k, pid);
	int err = -ENODEV;
	struct hk_grant *g = p ? hk_core_grant_enter(p, driver, &err) : NULL;

	if (!g) {
		if (ret_err)
			*ret_err = err;
		return NULL;
	}
	return g->data;
}

void *hk_grant_get(struct hk_kernel *k, uint32_t driver, hk_pid pid)
{
	struct hk_process *p = hk_process_lookup(k, pid);
	struct hk_grant *g;

	if (!p || !hk_core_alive(p))
		return NULL;
	g = hk_core_grant_find(p, driver);
	return g ? g->data : NULL;
}
