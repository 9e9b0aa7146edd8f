/* The app side of the ring trap channel (include/tock/trap_ring.h): publish frames, wait for answers. */
#ifndef TOCKHOST_LDR_TRAP_RING_H
#define TOCKHOST_LDR_TRAP_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "tock/trap_ring.h"

/*
 * Map the ring memfd at TOCK_RING_ADDR (page 0 RW, page 1 RO) and, when wake_fd >= 0, the wake
 * page read-only at TOCK_RING_WAKE_ADDR; close both fds. 0 or -errno.
 */
int ldr_ring_map(int fd, int wake_fd);

/* Our word in the wake page (what we futex-wait on), or NULL when we sleep on the ring's head. */
const uint32_t *ldr_ring_wake_word(void);

/* Has ldr_ring_map succeeded (frames travel on the ring, not the socket)? */
bool ldr_ring_active(void);

/*
 * Publish n frames at once (a syscall chain, or just one) and wake the supervisor if it sleeps.
 * 0, or -ENOBUFS (it stopped reading). Async-signal-safe.
 */
int ldr_ring_send(const struct tock_trap_frame *f, unsigned n);

/*
 * Wait for the next frame from the supervisor: spin while the supervisor says a core is free and
 * the awaited answer (seq `awaiting`) is not known to be far off, then sleep on the futex.
 * `may_block`: the awaited syscall is a yield that waits, so the answer is probably far (see
 * yield_spin in trap_ring.c).
 * 0, or -EPROTO when the supervisor's page is inconsistent (cannot happen with a sound supervisor).
 */
int ldr_ring_recv(struct tock_trap_frame *ret_frame, uint32_t awaiting, bool may_block);

#endif
