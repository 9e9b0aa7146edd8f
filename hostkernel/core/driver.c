/* Driver registry: the board registers each capsule's ops under its driver number; syscalls look it up. */
#include <errno.h>
#include <stdlib.h>

#include "basic/array.h"
#include "hostkernel/core/core.h"

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
	if (!basic_array_reserve((void **)&k->drivers, &k->cap_drivers, k->n_drivers, sizeof(*k->drivers)))
		return -ENOMEM;
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
