/* Kernel core internals of shared regions: per-kernel table setup, teardown at process end and kernel free. */
#ifndef TOCKHOST_CORE_SHARE_H
#define TOCKHOST_CORE_SHARE_H

#include "hostkernel/core/core.h"

/* Destroy every region p owns (revoking it everywhere) and forget p's mappings (its host process goes). */
void hk_core_share_process_gone(struct hk_kernel *k, struct hk_process *p);
/* Free every region and the table (kernel free: the backend must still be alive). */
void hk_core_share_free(struct hk_kernel *k);

#endif
