/* The shared-memory trap channel's layout: two pages shared by one app process and the supervisor. */
#ifndef TOCK_TRAP_RING_H
#define TOCK_TRAP_RING_H

#include <stdint.h>

#include "tock/trap_frame.h"

/*
 * The ring transport ("[kernel] trap_channel = ring"). The supervisor creates a 2-page memfd and
 * hands it to the runner as TOCK_RING_FD; the runner maps it at TOCK_RING_ADDR (outside every
 * app's flash, RAM and share window, so no allow can name it), page 0 read-write and page 1
 * read-only, then closes the fd before its seccomp filter is loaded. So:
 *
 *   page 0  app -> supervisor: written by the app only (the supervisor only reads it)
 *   page 1  supervisor -> app: written by the supervisor only (read-only in the app, which has no
 *           mprotect and no fd to map it again)
 *
 * Each page is a single-producer, single-consumer ring of TOCK_RING_SLOTS frames. The producer
 * fills slot (head % SLOTS), stamps it with seq = head + 1, then publishes head + 1 (release);
 * the consumer counts what it took in its own memory. Everything in page 0 is untrusted: the
 * supervisor copies a slot out once, checks the stamp and decodes only its copy.
 *
 * Wake-ups, both directions the same way (a Dekker pair: publish, full fence, read the other
 * side's flag; set own flag, full fence, re-read the head): a consumer about to sleep sets its
 * `*_sleeping` flag and then futex-waits on the producer's head (non-private futex: the pages
 * are shared between processes); a producer that sees the flag after publishing calls
 * FUTEX_WAKE on its head. A consumer that spins (while a core is free) leaves its flag clear,
 * so the producer makes no syscall at all.
 *
 * The socketpair (TOCK_TRAP_FD) stays: a SHARE_MAP instruction's fd still travels there as
 * SCM_RIGHTS (its frame goes on the ring; the fd is on the socket before the frame is
 * published), and the socket's close is how each side learns the other is gone.
 */

#define TOCK_RING_FD 6                      /* in the runner, until it has mapped the pages */
#define TOCK_RING_ADDR 0x100000000ull       /* 4 GiB: above the share window's guard gap */
#define TOCK_RING_PAGE 4096u
#define TOCK_RING_SIZE (2u * TOCK_RING_PAGE)
#define TOCK_RING_SLOTS 16u

/*
 * The wake page (optional, fd 7 with "ring"): one page shared by every app process of a run,
 * read-only in all of them, one futex word per app process (index 1..TOCK_RING_WAKE_WORDS-1; the
 * supervisor assigns it in wake_index and alone writes the words). An app with a word sleeps on
 * it instead of on s2a_head, and any app may FUTEX_WAKE any word: that is how a blocked app hands
 * its core straight to the next one (`handoff`) with a wake-up local to that core, instead of the
 * supervisor waking it from another core. A wake-up is never trusted: a woken app looks at its
 * own ring and sleeps again, so a stray wake from another app costs the sleeper one look.
 */
#define TOCK_RING_WAKE_FD 7
#define TOCK_RING_WAKE_ADDR (TOCK_RING_ADDR + TOCK_RING_SIZE)
#define TOCK_RING_WAKE_WORDS 1024u

struct tock_ring_slot {
	uint32_t seq;      /* head + 1 of the publish that filled it */
	uint32_t reserved; /* 0 */
	struct tock_trap_frame frame;
};

_Static_assert(sizeof(struct tock_ring_slot) == 64, "one slot is one cache line");

/* Page 0: what the app writes. */
struct tock_ring_app_page {
	uint32_t a2s_head;      /* frames the app has published (the supervisor's futex word) */
	uint32_t app_sleeping;  /* 1: the app is (about to be) asleep on s2a_head, wake it */
	uint32_t s2a_taken;     /* answers the app has consumed (lets the supervisor see a full ring) */
	uint32_t pad[13];
	struct tock_ring_slot a2s[TOCK_RING_SLOTS];
};

/* Page 1: what the supervisor writes. */
struct tock_ring_sup_page {
	uint32_t s2a_head;      /* frames the supervisor has published (the app's futex word) */
	uint32_t sup_sleeping;  /* 1: the supervisor may be asleep on a2s_head, wake it */
	uint32_t a2s_taken;     /* frames the supervisor has consumed */
	uint32_t park_seq;      /* seq of the syscall that blocked: its answer is far, sleep at once */
	uint32_t spin_allowed;  /* 1: a core is free for the app to spin on while it waits */
	uint32_t wake_index;    /* our word in the wake page (sleep on it), or 0: sleep on s2a_head */
	uint32_t handoff;       /* with park_seq: FUTEX_WAKE this word of the wake page on the way to sleep (0: none) */
	uint32_t pad[9];
	struct tock_ring_slot s2a[TOCK_RING_SLOTS];
};

_Static_assert(sizeof(struct tock_ring_app_page) <= TOCK_RING_PAGE, "app page fits a page");
_Static_assert(sizeof(struct tock_ring_sup_page) <= TOCK_RING_PAGE, "supervisor page fits a page");

#endif
