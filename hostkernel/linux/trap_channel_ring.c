/* The fast trap-channel transport: frames in a shared 2-page memfd, io_uring futex waits, the socketpair beside it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <liburing.h>

#include "hostkernel/linux/trap_channel.h"
#include "tock/trap_ring.h"

/* liburing 2.3 (Debian 12) predates these; the kernel ABI values are fixed (Linux 6.7+). */
#define RING_OP_FUTEX_WAIT 51
#define RING_FUTEX2_SIZE_U32 0x02u
#define RING_FUTEX_MATCH_ANY 0xffffffffull

/* Wake-ups in a row that bring no frame before the app counts as hammering the supervisor. */
#define RING_MAX_IDLE_WAKES 1000u

bool lx_channel_ring_supported(struct io_uring *ring)
{
	struct io_uring_probe *probe = io_uring_get_probe_ring(ring);
	bool ok = probe && io_uring_opcode_supported(probe, RING_OP_FUTEX_WAIT);

	if (probe)
		io_uring_free_probe(probe);
	return ok;
}

static int ring_create(struct lx_channel *ch, int *ret_app_fd)
{
	int memfd, sock, app_sock, r;
	void *m;

	memfd = memfd_create("tock-trap-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0)
		return -errno;
	/* Sealed size: the app cannot shrink it under our mapping (it has no fd anyway, but be sure). */
	if (ftruncate(memfd, TOCK_RING_SIZE) < 0 || fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0 ||
	    (m = mmap(NULL, TOCK_RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0)) == MAP_FAILED) {
		r = -errno;
		close(memfd);
		return r;
	}
	r = lx_socket_channel_create(&sock, &app_sock);
	if (r < 0) {
		munmap(m, TOCK_RING_SIZE);
		close(memfd);
		return r;
	}
	ch->ops = &lx_channel_ring;
	ch->fd = sock;
	ch->ring_fd = memfd;
	ch->app = m;
	ch->sup = (struct tock_ring_sup_page *)((uint8_t *)m + TOCK_RING_PAGE);
	ch->taken = ch->sent = 0;
	ch->idle_wakes = 0;
	ch->sup->sup_sleeping = 1; /* until the loop spins, every frame must wake it */
	*ret_app_fd = app_sock;
	return 0;
}

/*
 * Copy the next frame out of the app's page exactly once, then check the copy: the app may
 * rewrite its page at any moment, so nothing is read from it twice. The slot's stamp says a frame
 * is there (the app stamps it after filling it, then moves its head), so a spinning supervisor
 * fetches one cache line per frame; only when the stamp is not there yet is the head looked at,
 * to tell "nothing yet" from a head that published a slot without its stamp (or far too many).
 * The head may lag the stamps taken (the app is between its two stores): that is "nothing yet".
 */
static int take(struct lx_channel *ch, void *buf, size_t len)
{
	const struct tock_ring_slot *slot;
	struct tock_ring_slot copy;
	uint32_t head;

	if (!ch->app)
		return -EBADF;
	slot = &ch->app->a2s[ch->taken % TOCK_RING_SLOTS];
	if (__atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE) != ch->taken + 1) {
		int32_t ahead;

		head = __atomic_load_n(&ch->app->a2s_head, __ATOMIC_ACQUIRE);
		ahead = (int32_t)(head - ch->taken);
		if (ahead <= 0)
			return -EAGAIN;
		if (ahead > (int32_t)TOCK_RING_SLOTS || __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE) != ch->taken + 1)
			return -EPROTO;
	}
	memcpy(&copy, slot, sizeof(copy));
	__asm__ volatile("" ::: "memory"); /* every later use reads the copy, never the page again */
	if (copy.reserved != 0)
		return -EPROTO;
	ch->taken++;
	ch->idle_wakes = 0;
	ch->wake_owed = false; /* it is awake: it sent a frame */
	__atomic_store_n(&ch->sup->a2s_taken, ch->taken, __ATOMIC_RELEASE);
	memcpy(buf, &copy.frame, len < sizeof(copy.frame) ? len : sizeof(copy.frame));
	return (int)sizeof(copy.frame);
}

static void ring_set_wakeup(struct lx_channel *ch, bool wanted)
{
	if (!ch->sup)
		return;
	__atomic_store_n(&ch->sup->sup_sleeping, wanted ? 1u : 0u, __ATOMIC_RELAXED);
	/* Dekker: our flag before re-reading its head; the app publishes its head before reading our flag. */
	if (wanted)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* The armed "receive" is a futex wait on the app's head: it completes once the app publishes and wakes us. */
static int ring_arm_recv(struct lx_channel *ch, struct io_uring *ring, void *buf, size_t len, void *user_data)
{
	struct io_uring_sqe *sqe;
	uint32_t head;

	if (!ch->app)
		return -EBADF;
	sqe = io_uring_get_sqe(ring);
	if (!sqe) {
		io_uring_submit(ring);
		sqe = io_uring_get_sqe(ring);
	}
	if (!sqe)
		return -EBUSY;
	ch->armed_buf = buf;
	ch->armed_len = len;
	ring_set_wakeup(ch, true);
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = RING_OP_FUTEX_WAIT;
	sqe->fd = (int)RING_FUTEX2_SIZE_U32; /* shared (not FUTEX2_PRIVATE): the page is in two processes */
	sqe->addr = (uint64_t)(uintptr_t)&ch->app->a2s_head;
	/*
	 * Returns at once (-EAGAIN) when a frame is already there. A head that lags the stamps we took
	 * (the app between its two stores) is waited on as it is, so its move wakes us.
	 */
	head = __atomic_load_n(&ch->app->a2s_head, __ATOMIC_ACQUIRE);
	sqe->off = (int32_t)(head - ch->taken) < 0 ? head : ch->taken;
	sqe->addr3 = RING_FUTEX_MATCH_ANY;
	io_uring_sqe_set_data(sqe, user_data);
	return 0;
}

static int ring_recv_result(struct lx_channel *ch, int res)
{
	int r;

	/* 0: woken; -EAGAIN: the head had moved already. Anything else (-ECANCELED): no more frames. */
	if (res < 0 && res != -EAGAIN && res != -EINTR)
		return res;
	r = take(ch, ch->armed_buf, ch->armed_len);
	if (r == -EAGAIN && ++ch->idle_wakes > RING_MAX_IDLE_WAKES)
		return -EBADMSG;
	return r;
}

static int ring_try_recv(struct lx_channel *ch, void *buf, size_t len)
{
	return take(ch, buf, len);
}

static bool ring_peer_open(struct lx_channel *ch)
{
	return lx_socket_peer_open(ch->fd);
}

static int ring_send(struct lx_channel *ch, const struct tock_trap_frame *f, int pass_fd)
{
	struct tock_ring_slot *slot;
	int r;

	if (!ch->sup)
		return -EBADF;
	/* s2a_taken is the app's word: a lie only hurts the app, whose unread answers get overwritten. */
	if (ch->sent - __atomic_load_n(&ch->app->s2a_taken, __ATOMIC_ACQUIRE) >= TOCK_RING_SLOTS)
		return -ENOBUFS;
	/* The fd goes first: the app reads the socket only after it has seen the SHARE_MAP frame. */
	if (pass_fd >= 0 && (r = lx_socket_send(ch->fd, f, pass_fd)) < 0)
		return r;
	slot = &ch->sup->s2a[ch->sent % TOCK_RING_SLOTS];
	slot->frame = *f;
	slot->reserved = 0;
	__atomic_store_n(&slot->seq, ch->sent + 1, __ATOMIC_RELEASE); /* the stamp publishes the slot to a spinning app */
	ch->sent++;
	__atomic_store_n(&ch->sup->s2a_head, ch->sent, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&ch->app->app_sleeping, __ATOMIC_RELAXED))
		return 0;
	if (!ch->wake_word) {
		syscall(SYS_futex, &ch->sup->s2a_head, FUTEX_WAKE, 1, NULL, NULL, 0);
		return 0;
	}
	/* It sleeps on its wake-page word, which it read before its last look at our head. */
	__atomic_add_fetch(ch->wake_word, 1, __ATOMIC_SEQ_CST);
	if (ch->defer_wake)
		ch->wake_owed = true;
	else
		syscall(SYS_futex, ch->wake_word, FUTEX_WAKE, 1, NULL, NULL, 0);
	return 0;
}

static void ring_pay_wake(struct lx_channel *ch)
{
	if (ch->wake_owed && ch->wake_word)
		syscall(SYS_futex, ch->wake_word, FUTEX_WAKE, 1, NULL, NULL, 0);
	ch->wake_owed = false;
}

static bool ring_nudge(struct lx_channel *ch)
{
	const uint32_t *word;

	if (!ch->sup || __atomic_load_n(&ch->app->s2a_taken, __ATOMIC_ACQUIRE) == ch->sent ||
	    !__atomic_load_n(&ch->app->app_sleeping, __ATOMIC_ACQUIRE))
		return false;
	word = ch->wake_word ? ch->wake_word : &ch->sup->s2a_head;
	if (ch->wake_word)
		__atomic_add_fetch(ch->wake_word, 1, __ATOMIC_SEQ_CST); /* also ends a wait about to start */
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
	ch->wake_owed = false;
	return true;
}

static void ring_hint_blocked(struct lx_channel *ch, uint32_t seq, struct lx_channel *wake_next)
{
	uint32_t next = wake_next && wake_next->wake_owed ? wake_next->wake_index : 0;

	if (!ch->sup)
		return;
	/* handoff first: the app reads it only after it has seen park_seq (acquire). */
	__atomic_store_n(&ch->sup->handoff, next, __ATOMIC_RELAXED);
	__atomic_store_n(&ch->sup->park_seq, seq, __ATOMIC_RELEASE);
}

static void ring_hint_spin(struct lx_channel *ch, bool allowed)
{
	if (ch->sup)
		__atomic_store_n(&ch->sup->spin_allowed, allowed ? 1u : 0u, __ATOMIC_RELAXED);
}

/* A pending futex wait keys on the memfd's page, not our mapping, so unmapping before it is cancelled is safe. */
static void ring_close(struct lx_channel *ch)
{
	if (ch->fd >= 0)
		close(ch->fd);
	if (ch->ring_fd >= 0)
		close(ch->ring_fd);
	if (ch->app)
		munmap((void *)ch->app, TOCK_RING_SIZE);
	if (ch->wake_claim)
		*ch->wake_claim = false; /* the process is reaped: nobody sleeps on that word any more */
	ch->wake_claim = NULL;
	ch->wake_word = NULL;
	ch->wake_owed = false;
	ch->fd = ch->ring_fd = -1;
	ch->app = NULL;
	ch->sup = NULL;
}

const struct lx_channel_ops lx_channel_ring = {
	.name = "ring",
	.pollable = true,
	.create = ring_create,
	.arm_recv = ring_arm_recv,
	.recv_result = ring_recv_result,
	.try_recv = ring_try_recv,
	.set_wakeup = ring_set_wakeup,
	.hint_blocked = ring_hint_blocked,
	.hint_spin = ring_hint_spin,
	.pay_wake = ring_pay_wake,
	.nudge = ring_nudge,
	.peer_open = ring_peer_open,
	.send = ring_send,
	.close = ring_close,
};
