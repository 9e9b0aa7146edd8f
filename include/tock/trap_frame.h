/* The trap channel's wire format: fixed-size, versioned frames between an app process and the supervisor. */
#ifndef TOCK_TRAP_FRAME_H
#define TOCK_TRAP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tock/abi.h"

#define TOCK_TRAP_MAGIC 0x52544b54u /* "TKTR" little-endian */
#define TOCK_TRAP_VERSION 1u

/* The trap socket is always this fd inside an app process. */
#define TOCK_TRAP_FD 3

/*
 * Conversation: the runner sends HELLO once its regions are mapped and its seccomp filter is
 * loaded, then waits for START before running any app code. After that the app sends one
 * SYSCALL and waits for exactly one answer (RETURN or UPCALL); there is never more than one frame
 * in flight in either direction, but for a chain (below). An exit syscall that succeeds gets no
 * answer: the supervisor ends the process. FAULT is sent by the runner's signal handlers just
 * before exit_group.
 *
 * Chains: up to TOCK_CHAIN_MAX SYSCALL frames sent at once, with consecutive seqs, each but the
 * last carrying in arg[4] (unused by every syscall class) the link to the next: the kernel runs
 * the next one only if this one's answer meets the link's condition (tock_chain_continues). Each
 * syscall that runs gets its answer, in order; the ones after a broken link get none and are
 * dropped. So a chain is exactly the syscalls the app would make one by one with the same checks
 * in between (what libtock-sync's wrappers do), in one trap round trip instead of several; a
 * syscall that blocks (yield) holds the rest until its answer. Exit never links.
 */
enum tock_trap_kind {
	TOCK_TRAP_HELLO = 1,   /* app -> sup: runner ready, about to wait for START */
	TOCK_TRAP_SYSCALL = 2, /* app -> sup: op = class, arg[0..3] = r0..r3 */
	TOCK_TRAP_FAULT = 3,   /* app -> sup: op = enum tock_fault_cause, see below */
	TOCK_TRAP_SHARE_DONE = 8, /* app -> sup: a SHARE_MAP/UNMAP was carried out; seq echoes it, op = 0 or errno */
	TOCK_TRAP_START = 16,  /* sup -> app: run the app (answer to HELLO) */
	TOCK_TRAP_RETURN = 17, /* sup -> app: arg[0..3] = r0..r3 of the syscall return */
	TOCK_TRAP_UPCALL = 18, /* sup -> app: arg[0] fn, arg[1..3] = a0..a2, arg[4] appdata */
	TOCK_TRAP_SHARE_MAP = 19,   /* sup -> app: instruction, see "Share instructions" below */
	TOCK_TRAP_SHARE_UNMAP = 20, /* sup -> app: instruction, see "Share instructions" below */
};

/*
 * Share instructions (IPC Share, driver 0xA0020). The kernel maps a shared region into a process
 * through that process's trusted runtime (tock-proc), never by itself:
 *
 *   SHARE_MAP    op = TOCK_SHARE_WRITABLE or 0, arg[0] = address, arg[1] = length (page multiple),
 *                arg[2] = region id (informational); exactly one fd rides along as SCM_RIGHTS.
 *                The runtime mmaps it MAP_SHARED|MAP_FIXED at the address, PROT_READ or
 *                PROT_READ|PROT_WRITE (never EXEC), then closes the fd. A read-only grant's fd is
 *                an O_RDONLY file description, so the host refuses any writable mapping of it.
 *   SHARE_UNMAP  arg[0] = address, arg[1] = length: munmap it.
 *
 * After each instruction the runtime sends SHARE_DONE (seq = the instruction's seq, op = 0 or a
 * positive errno, arg[0] = address) before anything else. The supervisor then checks the
 * process's maps and fds (/proc) and faults it if they are not exactly what it instructed.
 * Instructions arrive only while the app waits for an answer (RETURN/UPCALL/START excluded:
 * never before START): they may precede any answer, so a runtime reads frames in a loop, carrying
 * out instructions, until the answer comes. Instructions sent while the app is preempted are
 * carried out at its next trap. Same frame layout and version as before: only processes that use
 * Share ever see these kinds.
 *
 * The share window: every shared region a process maps lies in [START, START + SIZE), above any
 * RAM block (RAM ends at or below 0x80000000) and below 4 GiB, so addresses fit the u32/u64
 * command results. The SIZE bytes above the window stay unmapped in every app process, so a
 * mapping whose start lies in the window and whose length is at most SIZE ends below 4 GiB:
 * that is what the runner's seccomp filter checks.
 */
#define TOCK_SHARE_WINDOW_START 0x80000000ull
#define TOCK_SHARE_WINDOW_SIZE 0x40000000ull
#define TOCK_SHARE_WRITABLE 1u

enum tock_fault_cause {
	TOCK_FAULT_SYSCALL = 1, /* SIGSYS: arg[0] = Linux syscall nr, arg[1] = pc, arg[2] = arch */
	TOCK_FAULT_MEMORY = 2,  /* SIGSEGV/SIGBUS: arg[0] = address, arg[1] = pc, arg[2] = access */
	TOCK_FAULT_ILLEGAL = 3, /* SIGILL/SIGFPE/SIGTRAP: arg[0] = address, arg[1] = pc, arg[2] = signo */
	TOCK_FAULT_ABORT = 4,   /* the runtime gave up (abort, assertion): arg[1] = pc */
};

enum tock_fault_access {
	TOCK_ACCESS_READ = 0,
	TOCK_ACCESS_WRITE = 1,
	TOCK_ACCESS_EXEC = 2,
};

struct tock_trap_frame {
	uint32_t magic;
	uint16_t version;
	uint16_t kind;
	uint32_t seq; /* app numbers its SYSCALLs; answers echo it */
	uint32_t op;
	uint64_t arg[5];
};

_Static_assert(sizeof(struct tock_trap_frame) == 56, "trap frame is a fixed 56 bytes");

/* A SYSCALL frame's arg[4]: how it links to the next frame of its chain. */
#define TOCK_CHAIN_NONE 0u       /* the last (or only) syscall */
#define TOCK_CHAIN_IF_SUCCESS 1u /* the next runs if this returns a success variant (any answer to a yield) */
#define TOCK_CHAIN_IF_ERROR 2u   /* the next runs if this fails with ErrorCode (link >> 8), 1..255 */
#define TOCK_CHAIN_ALWAYS 3u     /* the next runs whatever this returns */
#define TOCK_CHAIN_MAX 4u

static inline uint64_t tock_chain_if_error(uint32_t error_code)
{
	return TOCK_CHAIN_IF_ERROR | ((uint64_t)(error_code & 0xff) << 8);
}

/* Is `link` well formed (the kernel faults a frame whose link is not)? */
static inline bool tock_chain_link_valid(uint64_t link)
{
	switch (link & 0xff) {
	case TOCK_CHAIN_IF_ERROR:
		return (link >> 8) >= 1 && (link >> 8) <= 0xff;
	case TOCK_CHAIN_NONE:
	case TOCK_CHAIN_IF_SUCCESS:
	case TOCK_CHAIN_ALWAYS:
		return (link >> 8) == 0;
	default:
		return false;
	}
}

/*
 * Does the chain go on after a syscall of class `class_id` linked by `link` got this answer
 * (`kind` RETURN or UPCALL, r0 = arg[0], r1 = arg[1])? Both sides decide with this one function.
 * Return variants: Failure* are 0..127 with the ErrorCode in r1, Success* are 128 and up; a
 * yield's answer is never a failure.
 */
static inline bool tock_chain_continues(uint64_t link, uint32_t class_id, uint16_t kind, uint64_t r0, uint64_t r1)
{
	bool success = kind == TOCK_TRAP_UPCALL || class_id == TOCK_CLASS_YIELD || (uint32_t)r0 >= 128;

	switch (link & 0xff) {
	case TOCK_CHAIN_IF_SUCCESS:
		return success;
	case TOCK_CHAIN_IF_ERROR:
		return !success && (uint32_t)r1 == (uint32_t)(link >> 8);
	case TOCK_CHAIN_ALWAYS:
		return true;
	default:
		return false;
	}
}

#endif
