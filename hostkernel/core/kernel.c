/* Kernel object: creation and teardown, capability minting, the board's syscall filter. */
#include <stdlib.h>

#include "hostkernel/board_caps.h"
#include "hostkernel/core/core.h"
#include "hostkernel/core/share.h"
#include "hostkernel/kernel_ext.h"

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

void hk_kernel_mint_caps(struct hk_kernel *k, struct hk_kernel_caps *ret)
{
	ret->process_state = &k->cap_state;
	ret->process_info = &k->cap_info;
	ret->memory_map = &k->cap_memory;
}

void hk_kernel_set_syscall_filter(struct hk_kernel *k, const struct hk_syscall_filter *filter)
{
	if (k)
		k->filter = filter && filter->check ? filter : NULL;
}

int hk_core_filter(struct hk_kernel *k, const struct hk_process *p, uint32_t class_id, uint64_t driver,
                   uint64_t number)
{
	uint32_t code;

	if (!k->filter)
		return 0;
	/* Tock's filter speaks ErrorCode; the kernel keeps -errno until the answer leaves (result.c). */
	code = k->filter->check(k->filter, p, class_id, (uint32_t)driver, (uint32_t)number);
	return code ? hk_error_errno(code) : 0;
}
