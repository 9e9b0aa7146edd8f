/* The supervisor's end of one app process's trap channel, behind one small ops table (socketpair, ring). */
#ifndef TOCKHOST_LINUX_TRAP_CHANNEL_H
#define TOCKHOST_LINUX_TRAP_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct io_uring;
struct tock_trap_frame;
struct lx_channel_ops;
struct tock_ring_app_page;
struct tock_ring_sup_page;

/*
 * One channel: the ops that move its frames and the implementation's state. Every transport keeps
 * its state here (a second one adds its fields beside `fd`), so the rest of the backend never
 * sees how frames travel. ops == NULL means "never created" (only lx_channel_close is legal then).
 */
struct lx_channel {
	const struct lx_channel_ops *ops; /* NULL until create succeeds */
	int fd;                           /* the socketpair's supervisor end, O_CLOEXEC; -1 when closed */
	/* ring only (trap_channel_ring.c); ring_fd is -1 and the pointers NULL for the socketpair */
	int ring_fd;                            /* the memfd the child maps as TOCK_RING_FD; the spawner closes it after fork */
	const struct tock_ring_app_page *app;   /* written by the app: untrusted, read once per field */
	struct tock_ring_sup_page *sup;         /* ours; read-only in the app */
	uint32_t taken, sent;                   /* our own counts of frames taken and answers sent */
	unsigned idle_wakes;                    /* wake-ups in a row that brought no frame */
	void *armed_buf;                        /* where the armed receive puts its frame */
	size_t armed_len;
	/* the wake page (wake_page.c): our word, its index, the claim to give back on close */
	uint32_t *wake_word;
	uint32_t wake_index;
	bool *wake_claim;
	bool defer_wake; /* set by the caller around a send: owe a sleeping app its wake-up, don't make it */
	bool wake_owed;  /* a send left the app asleep; hint_blocked hands it off, pay_wake pays it */
};

/*
 * What every transport provides. Frames are the fixed 56-byte struct tock_trap_frame of
 * include/tock/trap_frame.h; the channel moves bytes and never decodes them (trap.c and the core's
 * trap codec do). The conversation rules (one frame in flight each way, instructions before an
 * answer) live in trap_frame.h and doc/trap-channel.md; a transport relies on them to never block.
 *
 * "The app is gone" is always a negative return (-EPIPE, -ECONNRESET, or any other -errno): the
 * backend then marks the incarnation eof and lets its pidfd say why it ended. No op ever raises
 * SIGPIPE or blocks the supervisor.
 */
struct lx_channel_ops {
	const char *name; /* "socketpair" or "ring": shown in reports and docs */

	/*
	 * true: frames wait in memory, so try_recv is a cheap non-blocking look that is legal even
	 * while a receive is armed, and the supervisor may spin on it (with set_wakeup) instead of
	 * sleeping. false (socketpair): try_recv only while no receive is armed, no spinning.
	 */
	bool pollable;

	/*
	 * Make a new channel into `ch` (its ops and state) and return in *ret_app_fd the fd the child
	 * must find as TOCK_TRAP_FD (3). Every fd is O_CLOEXEC. The caller owns *ret_app_fd: it dup2s
	 * it into place in the forked child and closes it in the supervisor right after fork. On
	 * failure: -errno, nothing left open, `ch` and *ret_app_fd untouched. Does not block.
	 */
	int (*create)(struct lx_channel *ch, int *ret_app_fd);

	/*
	 * Queue one receive of the next frame into buf[0..len) on `ring` with `user_data` (taking an
	 * SQE, submitting first if the ring is full). 0, or -EBUSY when no SQE could be had (the
	 * caller arms again on its next turn). At most one receive is armed per channel; buf must
	 * stay valid until its completion arrives (cancellation by user_data is the caller's).
	 */
	int (*arm_recv)(struct lx_channel *ch, struct io_uring *ring, void *buf, size_t len, void *user_data);

	/*
	 * Turn the completion result `res` of an armed receive into: the length of the frame now in
	 * buf (>= 0; more than len means it was oversized and truncated; 0 from a live app is an
	 * empty frame, which the decoder refuses); -EAGAIN when it brought no frame (arm again);
	 * -EPROTO when the app corrupted the channel, -EBADMSG when it keeps waking the supervisor
	 * without sending frames (both: fault it); any other -errno when the app's end is gone (EOF
	 * or error: no frame will come any more). Does not block.
	 */
	int (*recv_result)(struct lx_channel *ch, int res);

	/*
	 * Take one frame already waiting, without blocking: its length as recv_result counts it
	 * (0: end of channel or an empty frame), -EAGAIN when none is queued, -EPROTO as in
	 * recv_result, other -errno when the channel is unusable. Used to read a dying process's last
	 * report (a FAULT frame), and by a spinning supervisor when `pollable`; unless `pollable`,
	 * never call it while a receive is armed.
	 */
	int (*try_recv)(struct lx_channel *ch, void *buf, size_t len);

	/*
	 * pollable only (NULL otherwise): false while the supervisor spins on try_recv, so the app
	 * makes no wake-up syscall; true again before it sleeps (then it must try_recv once more).
	 */
	void (*set_wakeup)(struct lx_channel *ch, bool wanted);

	/*
	 * Optional: the syscall `seq` blocked (its answer waits for the scheduler), so an app that
	 * spins for it should sleep at once, waking `wake_next` (owed a wake-up, may be NULL) on its
	 * way. And whether the app may spin at all (a core is free).
	 */
	void (*hint_blocked)(struct lx_channel *ch, uint32_t seq, struct lx_channel *wake_next);
	/* Optional: make the wake-up a deferred send left owed (no-op when none is). */
	void (*pay_wake)(struct lx_channel *ch);
	/*
	 * Optional: the app has had the CPU for a whole timeslice without using it. If it sleeps with
	 * an answer it has not taken, wake it (again) and return true; else false. The app's page is
	 * untrusted, so a lying app only earns itself a wake-up.
	 */
	bool (*nudge)(struct lx_channel *ch);
	void (*hint_spin)(struct lx_channel *ch, bool allowed);


	/*
	 * Is the app's end still open (the process alive and holding it)? The app cannot close its
	 * end itself, so false means it died or is dying. Does not block; false on a closed channel.
	 */
	bool (*peer_open)(struct lx_channel *ch);

	/*
	 * Send one frame, never blocking: 0, or -errno (the app is gone, or it has not read what it
	 * was sent, which the conversation rules forbid: the caller treats both as eof). With
	 * pass_fd >= 0 the fd travels with the frame (the app receives its own copy; the caller keeps
	 * and still owns pass_fd); -1 sends none.
	 */
	int (*send)(struct lx_channel *ch, const struct tock_trap_frame *f, int pass_fd);

	/*
	 * Close the supervisor's end and free the implementation's state: the app sees end of
	 * channel on its next receive. Idempotent; ops stays set, so the other ops then fail cleanly
	 * (-EBADF, peer_open false). The caller cancels an armed receive (by its user_data) and
	 * submits that before closing, so no queued request meets a reused fd number.
	 */
	void (*close)(struct lx_channel *ch);
};

/* trap_channel_socketpair.c: AF_UNIX SOCK_SEQPACKET, one frame per datagram, fds as SCM_RIGHTS. */
extern const struct lx_channel_ops lx_channel_socketpair;
/* trap_channel_ring.c: frames in a shared 2-page memfd (tock/trap_ring.h), the socketpair beside it. */
extern const struct lx_channel_ops lx_channel_ring;

/* Can this host run the ring (io_uring futex waits, kernel 6.7+)? Probed once on `ring`. */
bool lx_channel_ring_supported(struct io_uring *ring);

/* The socketpair half both transports share (trap_channel_socketpair.c). */
int lx_socket_channel_create(int *ret_sup_fd, int *ret_app_fd);
bool lx_socket_peer_open(int fd);
int lx_socket_send(int fd, const struct tock_trap_frame *f, int pass_fd);

/* Call sites read as verbs. Every one but close needs a created channel (ops set; it may since be closed). */
static inline int lx_channel_arm_recv(struct lx_channel *ch, struct io_uring *ring, void *buf, size_t len,
                                      void *user_data)
{
	return ch->ops->arm_recv(ch, ring, buf, len, user_data);
}

static inline int lx_channel_recv_result(struct lx_channel *ch, int res)
{
	return ch->ops->recv_result(ch, res);
}

static inline int lx_channel_try_recv(struct lx_channel *ch, void *buf, size_t len)
{
	return ch->ops->try_recv(ch, buf, len);
}

static inline bool lx_channel_peer_open(struct lx_channel *ch)
{
	return ch->ops->peer_open(ch);
}

static inline int lx_channel_send(struct lx_channel *ch, const struct tock_trap_frame *f, int pass_fd)
{
	return ch->ops->send(ch, f, pass_fd);
}

static inline bool lx_channel_pollable(const struct lx_channel *ch)
{
	return ch->ops->pollable;
}

static inline void lx_channel_set_wakeup(struct lx_channel *ch, bool wanted)
{
	if (ch->ops->set_wakeup)
		ch->ops->set_wakeup(ch, wanted);
}

static inline void lx_channel_hint_blocked(struct lx_channel *ch, uint32_t seq, struct lx_channel *wake_next)
{
	if (ch->ops->hint_blocked)
		ch->ops->hint_blocked(ch, seq, wake_next);
}

static inline void lx_channel_pay_wake(struct lx_channel *ch)
{
	if (ch->ops->pay_wake)
		ch->ops->pay_wake(ch);
}

static inline bool lx_channel_nudge(struct lx_channel *ch)
{
	return ch->ops->nudge && ch->ops->nudge(ch);
}

static inline void lx_channel_hint_spin(struct lx_channel *ch, bool allowed)
{
	if (ch->ops->hint_spin)
		ch->ops->hint_spin(ch, allowed);
}

static inline void lx_channel_close(struct lx_channel *ch)
{
	if (ch && ch->ops)
		ch->ops->close(ch);
}

#endif
