/* RNG capsule (driver 0x40001): synchronous fill of RW allow 0, reported by upcall like Tock's async RNG. */
#include "capsules/rng.h"

#include <stdlib.h>

struct capsule_rng {
	struct hk_kernel *kernel;
	struct capsule_rng_source source;
};

struct capsule_rng *capsule_rng_new(struct hk_kernel *k, uint32_t driver, const struct capsule_rng_source *source)
{
	struct capsule_rng *r = calloc(1, sizeof(*r));

	(void)driver; /* every call names its driver; nothing is sent outside a call */
	if (!r)
		return NULL;
	r->kernel = k;
	if (source)
		r->source = *source;
	return r;
}

void capsule_rng_free(struct capsule_rng *r)
{
	free(r);
}

static struct hk_cmd_ret rng_get(struct capsule_rng *r, const struct hk_call *call, uint32_t requested)
{
	struct hk_buf buf;
	size_t n;
	uint32_t status = 0;

	if (hk_allow_rw_get(r->kernel, call->driver, call->pid, TOCK_RNG_ALLOW_RW_BUFFER, &buf) < 0)
		return hk_cmd_failure(TOCK_ERR_FAIL);
	n = requested < buf.len ? requested : buf.len;

	if (n > 0 && (!r->source.fill || r->source.fill(r->source.ctx, buf.ptr, n) < 0)) {
		status = TOCK_ERR_FAIL;
		n = 0;
	}
	hk_upcall_schedule(r->kernel, call->driver, call->pid, TOCK_RNG_UPCALL_DONE, status, (uint32_t)n, 0);
	return hk_cmd_success();
}

static struct hk_cmd_ret rng_command(void *self, const struct hk_call *call, uint32_t command, uint32_t arg0,
                                     uint32_t arg1)
{
	switch (command) {
	case TOCK_RNG_CMD_EXISTS:
		return hk_cmd_success();
	case TOCK_RNG_CMD_GET:
		return rng_get(self, call, arg0);
	default:
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

const struct hk_driver_ops capsule_rng_ops = {
	.name = "rng",
	.grant_size = 0,
	.num_upcalls = 1,
	.num_allow_ro = 0,
	.num_allow_rw = 1,
	.num_allow_ur = 0,
	.notification_upcalls = 0,
	.command = rng_command,
	.abi = &tock_rng_abi,
};
