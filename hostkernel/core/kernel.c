/* Kernel object: creation, driver registry, capability minting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/board_caps.h"
#include "hostkernel/core/core.h"
#include "hostkernel/core/share.h"
#include "hostkernel/core/trace_emit.h"

#define HK_DEFAULT_QUEUE_DEPTH 10u

struct hk_kernel *hk_kernel_new(const struct hk_kernel_config *cfg, const struct hk_platform_ops *ops, void *ctx)
{
	struct hk_kernel *k;

	if (!ops)
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	if (cfg)
		k->cfg = *cfg;
	if (k->cfg.upcall_queue_depth == 0)
		k->cfg.upcall_queue_depth = HK_DEFAULT_QUEUE_DEPTH;
	k->ops = ops;
	k->ctx = ctx;
	if (!k->cfg.virtual_time && ops->now_ns)
		k->real_t0 = ops->now_ns(ctx);
	return k;
}

void hk_kernel_free(struct hk_kernel *k)
{
	if (!k)
		return;
	hk_core_share_free(k);
	for (size_t i = 0; i < k->n_procs; i++) {
		struct hk_process *p = k->procs[i];

		hk_core_grants_free(p);
		free(p->queue);
		free(p->name);
		free(p->package);
		free(p->fault_cause_owned);
		free(p);
	}
	free(k->procs);
	free(k->drivers);
	free(k);
}

struct hk_driver_entry *hk_core_driver(struct hk_kernel *k, uint32_t driver)
{
	for (size_t i = 0; i < k->n_drivers; i++)
		if (k->drivers[i].num == driver)
			return &k->drivers[i];
	return NULL;
}

int hk_kernel_register_driver(struct hk_kernel *k, uint32_t driver, const struct hk_driver_ops *ops, void *self)
{
	if (!k || !ops || !ops->command)
		return -EINVAL;
	if (hk_core_driver(k, driver))
		return -EEXIST;
	if (k->n_drivers == k->cap_drivers) {
		size_t n = k->cap_drivers ? k->cap_drivers * 2 : 8;
		struct hk_driver_entry *d = realloc(k->drivers, n * sizeof(*d));

		if (!d)
			return -ENOMEM;
		k->drivers = d;
		k->cap_drivers = n;
	}
	k->drivers[k->n_drivers++] = (struct hk_driver_entry){ driver, ops, self };
	return 0;
}

const struct hk_driver_ops *hk_kernel_driver(struct hk_kernel *k, uint32_t driver, void **ret_self)
{
	struct hk_driver_entry *d = k ? hk_core_driver(k, driver) : NULL;

	if (!d)
		return NULL;
	if (ret_self)
		*ret_self = d->self;
	return d->ops;
}

void hk_kernel_mint_caps(struct hk_kernel *k, struct hk_kernel_caps *ret)
{
	ret->process_state = &k->cap_state;
	ret->process_info = &k->cap_info;
	ret->memory_map = &k->cap_memory;
}

int hk_process_listener_register(struct hk_kernel *k, const struct hk_cap_process_state *cap,
                                 struct hk_process_listener *listener)
{
	struct hk_process_listener **tail;

	if (!k || cap != &k->cap_state)
		return -EPERM;
	if (!listener || !listener->notify)
		return -EINVAL;
	/* Append: listeners are called in registration order. */
	for (tail = &k->listeners; *tail; tail = &(*tail)->next)
		if (*tail == listener)
			return -EEXIST;
	listener->next = NULL;
	*tail = listener;
	return 0;
}

void hk_core_notify(struct hk_kernel *k, hk_pid pid, hk_pid new_pid, enum hk_process_event ev)
{
	/* Traced first: the listeners' consequences (a client's NODEVICE upcall) follow the cause. */
	if (k->tracer)
		hk_trace_state(k, pid, new_pid, (enum hk_trace_state_change)ev);
	for (struct hk_process_listener *l = k->listeners; l; l = l->next)
		l->notify(l, k, pid, new_pid, ev);
}

const uint8_t *hk_process_package_name(struct hk_kernel *k, const struct hk_cap_process_info *cap, hk_pid pid,
                                       size_t *ret_len)
{
	struct hk_process *p;

	if (ret_len)
		*ret_len = 0;
	if (!k || cap != &k->cap_info)
		return NULL;
	p = hk_process_lookup(k, pid);
	if (!p || !p->package || !p->package[0])
		return NULL;
	if (ret_len)
		*ret_len = strlen(p->package);
	return (const uint8_t *)p->package;
}
