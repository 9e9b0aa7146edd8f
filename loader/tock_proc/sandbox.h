/* The runner's sandbox: glibc warm-up, process limits, fault handlers, and the seccomp allowlist. */
#ifndef TOCKHOST_LDR_SANDBOX_H
#define TOCKHOST_LDR_SANDBOX_H

#include <stdbool.h>

struct ldr_err;

/* Exercise glibc paths that make a one-time syscall (sysinfo, tz files) so they never run sandboxed. */
void ldr_sandbox_warm_glibc(void);

/*
 * Build the seccomp filter (not loaded yet: libseccomp may still need syscalls while building).
 * ring: frames travel on the mapped trap ring (futex on its two words only), not by read/write.
 */
int ldr_sandbox_prepare(bool ring, struct ldr_err *err);

/* PDEATHSIG, no-new-privs, rlimits, fault handlers on an alternate stack. 0 or -errno. */
int ldr_sandbox_limits(struct ldr_err *err);

/* Close every fd but the trap socket, then load the filter. Nothing can be printed afterwards. */
int ldr_sandbox_enter(void);

#endif
