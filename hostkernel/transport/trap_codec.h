/* Trap-channel codec: validate a received frame into a message, encode a resume into a frame. Pure. */
#ifndef TOCKHOST_TRAP_CODEC_H
#define TOCKHOST_TRAP_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "hostkernel/kernel.h"
#include "tock/trap_frame.h"

/* A validated frame from an app. */
struct hk_trap_msg {
	enum tock_trap_kind kind; /* HELLO, SYSCALL, FAULT or SHARE_DONE only */
	uint32_t seq;
	struct hk_syscall syscall;       /* SYSCALL: class_id = op (any value: the dispatcher faults unknown ones) */
	uint64_t link;                   /* SYSCALL: TOCK_CHAIN_* link to the next frame (arg[4]), checked */
	enum tock_fault_cause cause;     /* FAULT */
	uint64_t fault_arg[3];           /* FAULT: meaning per cause, see trap_frame.h */
	uint32_t share_status;           /* SHARE_DONE: 0 or the runtime's errno */
	uint64_t share_address;          /* SHARE_DONE: arg[0] */
};

/*
 * Decode `len` bytes received from an app. 0 and *ret filled, or -EPROTO with *ret_reason set to
 * a static one-line reason (wrong length, bad magic, unsupported version, unknown kind, kind not
 * allowed from an app, unknown fault cause); the backend faults the process with it.
 */
int hk_trap_decode(const void *buf, size_t len, struct hk_trap_msg *ret, const char **ret_reason);

/*
 * The frame answering an app: START, RETURN (arg[0..3] = r0..r3) or UPCALL (fn, a0..a2, appdata),
 * echoing seq. 0, or -EINVAL for a resume that has no frame (CONTINUE, unknown kinds).
 */
int hk_trap_encode(const struct hk_resume *r, uint32_t seq, struct tock_trap_frame *ret);

/* "syscall", "memory", ... for reports; "unknown" otherwise. */
const char *hk_trap_fault_cause_name(uint32_t cause);
/* "read", "write", "exec" for a memory fault's TOCK_ACCESS_*; "unknown access" otherwise. */
const char *hk_trap_access_name(uint64_t access);

#endif
