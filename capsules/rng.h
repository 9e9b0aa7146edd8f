/* RNG capsule (driver 0x40001): fills a process's buffer from a board-supplied entropy source. */
#ifndef TOCKHOST_CAPSULE_RNG_H
#define TOCKHOST_CAPSULE_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/drivers/rng.h"

/*
 * Tock's RNG ABI (reference §2.4):
 *
 *   cmd 0        exists: Success.
 *   cmd 1 (n)    Success; fills min(n, len(RW allow 0)) bytes of RW allow 0, then upcall 0
 *                (0, bytes_filled, 0). If the source fails: upcall 0 (FAIL, 0, 0) (Tock always
 *                sends 0 there; an app that ignores the status still sees 0 bytes filled).
 *   other        Failure(NOSUPPORT).
 */

/* Entropy, injected by the board: fill(ctx, buf, len) fills all len bytes and returns 0, or -errno. */
struct capsule_rng_source {
	int (*fill)(void *ctx, uint8_t *buf, size_t len);
	void *ctx;
};

struct capsule_rng;

extern const struct hk_driver_ops capsule_rng_ops; /* self = struct capsule_rng * */

/* `source` is copied. NULL on allocation failure. */
struct capsule_rng *capsule_rng_new(struct hk_kernel *k, uint32_t driver, const struct capsule_rng_source *source);
void capsule_rng_free(struct capsule_rng *r); /* accepts NULL */

#endif
