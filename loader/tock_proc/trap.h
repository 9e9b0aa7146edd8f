/* The app side of the trap channel: frame send/receive (for the runner and libtock), HELLO/START, sbrk, exit, faults. */
#ifndef TOCKHOST_LDR_TRAP_H
#define TOCKHOST_LDR_TRAP_H

#include <stdint.h>

#include "tock/trap_frame.h"

/*
 * Sequence counter shared by every SYSCALL frame the process sends: exported (-rdynamic) so that
 * apps/libtock (which imports it weakly) numbers its frames from the same counter.
 */
extern uint32_t tock_proc_trap_seq;

/* Trap round trips made so far: SYSCALL sends, a chain counting once (exported for tockbench's apps). */
extern uint32_t tock_proc_trap_round_trips;

/* Send one whole frame on TOCK_TRAP_FD; 0 or -errno (-EPIPE: short write). Async-signal-safe. */
int ldr_trap_send_frame(const struct tock_trap_frame *f);

/* The same, exported (-rdynamic) for apps/libtock, which imports it weakly: apps never write the socket raw. */
int tock_proc_trap_send(const struct tock_trap_frame *frame);

/* Build a frame (magic, version, these fields; arg may be NULL for zeros) and send it. Async-signal-safe. */
int ldr_trap_send(uint16_t kind, uint32_t seq, uint32_t op, const uint64_t arg[5]);

/*
 * Receive the next answer frame and check magic/version; 0 or -errno (-EPIPE when the channel
 * closed). Share instructions (SHARE_MAP/UNMAP) that precede it are carried out and acknowledged
 * on the way (trap_frame.h), so callers only ever see answers.
 */
int ldr_trap_recv(struct tock_trap_frame *ret_frame);

/* The same, exported (-rdynamic) for apps/libtock, which imports it weakly: apps never read the socket raw. */
int tock_proc_trap_recv(struct tock_trap_frame *ret_frame);

/*
 * Exported to libtock: a syscall chain (tock/trap_frame.h), 1..TOCK_CHAIN_MAX SYSCALL frames sent
 * at once; and the wait for the answer echoing `seq` (the ring's park hint names the syscall that
 * blocked, which in a chain is not the last one sent). 0 or -errno.
 */
int tock_proc_trap_send_chain(const struct tock_trap_frame *frames, unsigned count);
int tock_proc_trap_recv_for(struct tock_trap_frame *ret_frame, uint32_t seq);

/* Send HELLO and wait for START. 0 or -errno. */
int ldr_trap_handshake(void);

/* One SYSCALL round trip that must be answered by RETURN; fills r[0..3]. Never returns on a broken channel. */
void ldr_trap_syscall(uint32_t class_id, const uint64_t in[4], uint64_t ret_r[4]);

/* memop sbrk(increment): the previous break, or 0 when the kernel refused. */
uint64_t ldr_trap_sbrk(int64_t increment);

/* exit-terminate with this completion code; never returns. */
__attribute__((noreturn)) void ldr_trap_exit(uint32_t code);

/* Send one FAULT frame (from a signal handler) and end the process. Async-signal-safe. */
__attribute__((noreturn)) void ldr_trap_fault(uint32_t cause, uint64_t a0, uint64_t a1, uint64_t a2);

/* exit_group without going through glibc's exit machinery. */
__attribute__((noreturn)) void ldr_exit_group(int status);

#endif
