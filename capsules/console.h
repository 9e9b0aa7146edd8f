/* Console capsule (driver 0x1): process output to the host, host input to one reader at a time. */
#ifndef TOCKHOST_CAPSULE_CONSOLE_H
#define TOCKHOST_CAPSULE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/drivers/console.h"

/*
 * Tock's console ABI at code level (reference §2.3):
 *
 *   cmd 0            exists: Success.
 *   cmd 1 (n)        write the first min(n, len(RO allow 1)) bytes: Success, then upcall 1
 *                    (bytes_written, 0, 0) — the kernel convention, no status field.
 *   cmd 2 (n)        read len = min(n, len(RW allow 1)) bytes into RW allow 1 (Tock's rule):
 *                    Failure(BUSY) if any process has a read in flight, Failure(INVAL) if
 *                    len > 64 (Tock's RX buffer), Failure(SIZE) if len == 0 (Tock's UARTs refuse
 *                    empty receives); else Success, and later upcall 2 (0, len, 0).
 *                    If the RW buffer shrank meanwhile, upcall 2 (SIZE, bytes copied, 0);
 *                    if it is gone (no RW allow any more), upcall 2 (NOMEM, 0, 0).
 *   cmd 3            abort the caller's read: Success; if it had one in flight, upcall 2
 *                    (CANCEL, bytes received so far, 0) with those bytes copied.
 *                    (Tock aborts whichever read is in flight; here a process can only abort
 *                    its own, so no app can cancel another's input.)
 *   other            Failure(NOSUPPORT).
 *
 * Input arrives from the backend via capsule_console_receive() into a bounded ring and goes to
 * the reader only if port->input_allowed() accepts its pid; otherwise it waits in the ring.
 * A reader that dies loses its read (and the bytes already moved into it).
 */

/* Host I/O, injected by the board. Either function pointer may be NULL (output dropped / all input allowed). */
struct capsule_console_port {
	void (*write)(void *ctx, hk_pid pid, const uint8_t *bytes, size_t len);
	bool (*input_allowed)(void *ctx, hk_pid pid);
	void *ctx;
};

#define CAPSULE_CONSOLE_RX_MAX 64u      /* Tock's console RX buffer: longest single read */
#define CAPSULE_CONSOLE_RING_SIZE 4096u /* host input buffered while nobody reads */

struct capsule_console;

extern const struct hk_driver_ops capsule_console_ops; /* self = struct capsule_console * */

/* NULL on allocation failure. `port` is copied. */
struct capsule_console *capsule_console_new(struct hk_kernel *k, uint32_t driver,
                                            const struct capsule_console_port *port);
void capsule_console_free(struct capsule_console *c); /* accepts NULL */

/* Host input: buffers what fits and delivers to a reader. Returns how many bytes were taken;
 * fewer than len means the ring is full and the backend should stop reading for now. */
size_t capsule_console_receive(struct capsule_console *c, const uint8_t *bytes, size_t len);
/* Bytes of free ring space (the backend resumes reading input when this is non-zero). */
size_t capsule_console_rx_space(const struct capsule_console *c);

#endif
