/* The app side of the ring trap channel: one producer and one consumer ring, spin-then-futex waits. */
#include "loader/tock_proc/trap_ring.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

static struct tock_ring_app_page *app_page;      /* ours to write */
static const struct tock_ring_sup_page *sup_page; /* read-only here */
static const uint32_t *wake_words;                /* the run's wake page (read-only), or NULL */
static const uint32_t *my_wake_word;              /* ours in it, or NULL: sleep on s2a_head */
static uint32_t sent, taken;                      /* our own counts: never read back from shared memory */

/*
 * How long a waiting app spins before it sleeps, in TSC cycles: at most ~20 us at 2.5 GHz, halved
 * after each spin that ran out (a loaded host: the supervisor did not get a core in time), down to
 * a short probe, and full again after one that paid off.
 */
#define SPIN_CYCLES_MAX 50000ull
#define SPIN_CYCLES_MIN 2000ull
static uint64_t spin_cycles = SPIN_CYCLES_MAX;

/* The adaptive budgets here and below: halved (or doubled) after a wait that went badly (or well), within bounds. */
static uint64_t halved(uint64_t v, uint64_t floor)
{
	return v / 2 > floor ? v / 2 : floor;
}

static uint64_t doubled(uint64_t v, uint64_t ceiling)
{
	return v * 2 < ceiling ? v * 2 : ceiling;
}

int ldr_ring_map(int fd, int wake_fd)
{
	uint8_t *base = (uint8_t *)(uintptr_t)TOCK_RING_ADDR;
	void *a, *s;

	a = mmap(base, TOCK_RING_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	if (a == MAP_FAILED)
		return -errno;
	s = mmap(base + TOCK_RING_PAGE, TOCK_RING_PAGE, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd,
	         TOCK_RING_PAGE);
	if (s == MAP_FAILED) {
		int r = -errno;

		munmap(a, TOCK_RING_PAGE);
		return r;
	}
	close(fd);
	app_page = a;
	sup_page = s;
	if (wake_fd >= 0) {
		void *w = mmap((void *)(uintptr_t)TOCK_RING_WAKE_ADDR, TOCK_RING_PAGE, PROT_READ,
		               MAP_SHARED | MAP_FIXED_NOREPLACE, wake_fd, 0);

		if (w == MAP_FAILED)
			return -errno;
		close(wake_fd);
		wake_words = w;
		if (sup_page->wake_index > 0 && sup_page->wake_index < TOCK_RING_WAKE_WORDS)
			my_wake_word = &wake_words[sup_page->wake_index];
	}
	return 0;
}

const uint32_t *ldr_ring_wake_word(void)
{
	return my_wake_word;
}

bool ldr_ring_active(void)
{
	return app_page != NULL;
}

static long futex(const uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

int ldr_ring_send(const struct tock_trap_frame *f, unsigned n)
{
	if (n == 0 || sent + n - __atomic_load_n(&sup_page->a2s_taken, __ATOMIC_ACQUIRE) > TOCK_RING_SLOTS)
		return -ENOBUFS;
	/* All n slots, then one publish: a chain reaches the supervisor whole. */
	for (unsigned i = 0; i < n; i++) {
		struct tock_ring_slot *slot = &app_page->a2s[sent % TOCK_RING_SLOTS];

		slot->frame = f[i];
		slot->reserved = 0;
		__atomic_store_n(&slot->seq, sent + 1, __ATOMIC_RELEASE); /* the stamp publishes the slot to a spinning reader */
		sent++;
	}
	__atomic_store_n(&app_page->a2s_head, sent, __ATOMIC_RELEASE);
	/* Dekker: our publish before its flag; the supervisor sets its flag before re-reading our head. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&sup_page->sup_sleeping, __ATOMIC_RELAXED))
		futex(&app_page->a2s_head, FUTEX_WAKE, 1);
	return 0;
}

/* Copy the next frame out (the supervisor wrote it before publishing its head). */
static int take(struct tock_trap_frame *ret_frame)
{
	const struct tock_ring_slot *slot = &sup_page->s2a[taken % TOCK_RING_SLOTS];

	if (slot->seq != taken + 1)
		return -EPROTO;
	*ret_frame = slot->frame;
	taken++;
	__atomic_store_n(&app_page->s2a_taken, taken, __ATOMIC_RELEASE);
	return 0;
}

/*
 * Is the next answer there? Its slot's stamp says so (the supervisor fills the slot, stamps it
 * with a release store, then moves its head): one cache line to fetch, not the head's and then
 * the slot's.
 */
static bool ready(void)
{
	return __atomic_load_n(&sup_page->s2a[taken % TOCK_RING_SLOTS].seq, __ATOMIC_ACQUIRE) == taken + 1;
}

/* Spin while the supervisor allows it (a core is free) and the answer is not known to be far off. */
static bool spin(uint32_t awaiting)
{
	uint64_t start = __rdtsc();

	while (__atomic_load_n(&sup_page->park_seq, __ATOMIC_RELAXED) != awaiting) {
		if (ready()) {
			spin_cycles = SPIN_CYCLES_MAX;
			return true;
		}
		if (__rdtsc() - start > spin_cycles) {
			spin_cycles = halved(spin_cycles, SPIN_CYCLES_MIN);
			return false;
		}
		_mm_pause();
	}
	return ready(); /* parked: the answer is far, and that says nothing about the host's load */
}

/* Parked (the answer is far): hand the core to the app the supervisor named, with a wake-up local to this core. */
static void hand_off(void)
{
	uint32_t next = __atomic_load_n(&sup_page->handoff, __ATOMIC_ACQUIRE);

	if (wake_words && next > 0 && next < TOCK_RING_WAKE_WORDS)
		futex(&wake_words[next], FUTEX_WAKE, 1);
}

/* Once the supervisor says the answer to `awaiting` is far (park hint), hand off, once per wait. */
static void hand_off_once(uint32_t awaiting, bool *handed_off)
{
	if (!*handed_off && __atomic_load_n(&sup_page->park_seq, __ATOMIC_ACQUIRE) == awaiting) {
		*handed_off = true;
		hand_off();
	}
}

/*
 * Waiting with the app core split from the supervisor's: rather than sleep, give the core to
 * whatever else runs there (the app we hand off to) with sched_yield and look again each time it
 * comes back, for a bounded while, handing off as soon as the park hint comes. A waiter that stays
 * runnable needs no wake-up: the hand-off back to it is one sched_yield instead of a futex wake
 * plus a futex wait. A wait that will probably block (a yield) starts this at once instead of
 * spinning for the park hint: the next app gets the core while the supervisor still works on our
 * syscall, and finds its answer there on one of its looks.
 *
 * That pays only while our apps have the core to themselves: a yield to another host process can
 * cost that process's whole time slice (milliseconds). A yield that takes longer than any app's
 * hand-off should (FOREIGN_CYCLES) says someone else is on the core, so the next waits do not
 * yield-spin, for twice as many waits each time it happens again (up to BACKOFF_MAX), half as many
 * after each yield-spin that pays off. The budget adapts like the spin's.
 */
#define YIELD_SPIN_CYCLES_MAX 250000ull
#define YIELD_SPIN_CYCLES_MIN 10000ull
#define FOREIGN_CYCLES 125000ull
#define BACKOFF_MIN 16u
#define BACKOFF_MAX 65536u
static uint64_t yield_spin_cycles = YIELD_SPIN_CYCLES_MAX;
static uint32_t yield_backoff = BACKOFF_MIN, yield_skip;

/* May this wait yield-spin? A wait skipped after a foreign yield counts down the backoff. */
static bool yield_spin_allowed(void)
{
	if (!__atomic_load_n(&sup_page->spin_allowed, __ATOMIC_RELAXED))
		return false;
	if (yield_skip > 0) {
		yield_skip--;
		return false;
	}
	return true;
}

static bool yield_spin(uint32_t awaiting, bool *handed_off)
{
	uint64_t start = __rdtsc();

	for (;;) {
		uint64_t before;

		if (ready()) {
			yield_spin_cycles = YIELD_SPIN_CYCLES_MAX;
			yield_backoff = (uint32_t)halved(yield_backoff, BACKOFF_MIN);
			return true;
		}
		hand_off_once(awaiting, handed_off);
		if (__rdtsc() - start > yield_spin_cycles) {
			yield_spin_cycles = halved(yield_spin_cycles, YIELD_SPIN_CYCLES_MIN);
			return false;
		}
		before = __rdtsc();
		sched_yield();
		if (__rdtsc() - before > FOREIGN_CYCLES) {
			yield_skip = yield_backoff;
			yield_backoff = (uint32_t)doubled(yield_backoff, BACKOFF_MAX);
			hand_off_once(awaiting, handed_off);
			return ready();
		}
	}
}

int ldr_ring_recv(struct tock_trap_frame *ret_frame, uint32_t awaiting, bool may_block)
{
	bool spun = false, handed_off = false;

	for (;;) {
		const uint32_t *word = my_wake_word ? my_wake_word : &sup_page->s2a_head;
		uint32_t expect;

		if (ready())
			return take(ret_frame);
		/* Spin once per wait: a wake-up that brought nothing (a stray one) goes straight back to sleep. */
		if (!spun && __atomic_load_n(&sup_page->spin_allowed, __ATOMIC_RELAXED)) {
			spun = true;
			if (may_block && yield_spin_allowed()) {
				if (yield_spin(awaiting, &handed_off))
					return take(ret_frame);
			} else {
				if (spin(awaiting))
					return take(ret_frame);
				/* It blocked after all (the park hint came): wait as a parked app does. */
				if (__atomic_load_n(&sup_page->park_seq, __ATOMIC_ACQUIRE) == awaiting && yield_spin_allowed() &&
				    yield_spin(awaiting, &handed_off))
					return take(ret_frame);
			}
		}
		spun = true;
		hand_off_once(awaiting, &handed_off);
		/* The supervisor bumps our word after publishing and seeing our flag, so read it first. */
		if (my_wake_word) {
			expect = __atomic_load_n(my_wake_word, __ATOMIC_ACQUIRE);
		} else { /* a head that lags the stamps we took is waited on as it is, so its move wakes us */
			uint32_t head = __atomic_load_n(&sup_page->s2a_head, __ATOMIC_ACQUIRE);

			expect = (int32_t)(head - taken) < 0 ? head : taken;
		}
		__atomic_store_n(&app_page->app_sleeping, 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!ready())
			futex(word, FUTEX_WAIT, expect); /* EAGAIN (it moved) and EINTR: look again */
		__atomic_store_n(&app_page->app_sleeping, 0, __ATOMIC_RELAXED);
	}
}
