/* Process control and host-side facts for the control socket: stop/resume with SIGSTOP/SIGCONT, injected faults, layouts. */
#ifndef TOCKHOST_LINUX_PROCESS_CTL_H
#define TOCKHOST_LINUX_PROCESS_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hostkernel/kernel.h"

struct hk_linux;

/*
 * Each does what the kernel call does plus what the host process needs, so that an ipcctl
 * action has the same consequences as the real event (listeners notified, reports printed).
 * 0 or -errno: -ESRCH the process cannot take it in its state, -EALREADY nothing to do.
 */
int hk_linux_process_stop(struct hk_linux *lx, struct hk_process *p);    /* + SIGSTOP of its host process */
int hk_linux_process_resume(struct hk_linux *lx, struct hk_process *p);  /* + SIGCONT */
int hk_linux_process_fault(struct hk_linux *lx, struct hk_process *p, const char *cause); /* fault policy applies */
int hk_linux_process_restart(struct hk_linux *lx, struct hk_process *p); /* new ProcessId, fresh host process */

struct hk_linux_process_info {
	pid_t host_pid;          /* 0 when it has no host process */
	uint64_t flash_start, flash_size;
	uint64_t ram_start, ram_size;
	uint64_t stack_size;     /* stack_top - guard_end */
	uint64_t grant_start;    /* grant region = [grant_start, ram_start + ram_size) */
};
/* 0, or -ENOENT if p is not one of lx's apps. */
int hk_linux_process_info(struct hk_linux *lx, const struct hk_process *p, struct hk_linux_process_info *ret);

#endif
