/* The control socket server in the io_uring loop: accept, read request lines, bounded output queues, slow clients dropped. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostkernel/linux/ctlsock_internal.h"

#define ACCEPT_BATCH 16
#define READ_BUDGET (64u * 1024u)         /* per readiness event: a flooding client cannot hog the loop */
#define STALL_NS (10ull * 1000000000ull)  /* a trace client with a full queue and no progress this long is dropped */
#define CLIENT_SNDBUF (64 * 1024)

static const char refuse_line[] = "{\"v\":1,\"ok\":false,\"error\":\"too many control clients\"}\n";

static struct io_uring_sqe *sqe_get(struct hk_linux *lx)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&lx->ring);

	if (!sqe) {
		io_uring_submit(&lx->ring);
		sqe = io_uring_get_sqe(&lx->ring);
	}
	return sqe;
}

static bool arm_poll(struct hk_linux *lx, int fd, struct lx_op *op, unsigned events)
{
	struct io_uring_sqe *sqe = sqe_get(lx);

	if (!sqe)
		return false;
	io_uring_prep_poll_add(sqe, fd, events);
	io_uring_sqe_set_data(sqe, op);
	return true;
}

static void cancel_poll(struct hk_linux *lx, struct lx_op *op)
{
	struct io_uring_sqe *sqe = sqe_get(lx);

	if (!sqe)
		return;
	io_uring_prep_cancel(sqe, op, 0);
	io_uring_sqe_set_data(sqe, NULL);
}

/* An armed poll holds the client until its completion has been handled. */
static void arm_read(struct hk_ctlsock_client *c)
{
	if (!c->rd_armed && !c->life.closing && (c->rd_armed = arm_poll(c->srv->lx, c->fd, &c->rd_op, POLLIN | POLLRDHUP)))
		lx_life_hold(&c->life);
}

static void arm_write(struct hk_ctlsock_client *c)
{
	if (!c->wr_armed && !c->life.closing && (c->wr_armed = arm_poll(c->srv->lx, c->fd, &c->wr_op, POLLOUT)))
		lx_life_hold(&c->life);
}

static void arm_accept(struct hk_ctlsock *ctl)
{
	if (!ctl->accept_armed && ctl->listen_fd >= 0)
		ctl->accept_armed = arm_poll(ctl->lx, ctl->listen_fd, &ctl->accept_op, POLLIN);
}

static void maybe_free(struct hk_ctlsock_client *c)
{
	struct hk_ctlsock_client **pp;

	if (!lx_life_releasable(&c->life))
		return;
	for (pp = &c->srv->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	free(c->out);
	free(c);
}

static void close_client(struct hk_ctlsock_client *c)
{
	struct hk_ctlsock *ctl = c->srv;

	if (c->life.closing)
		return;
	lx_life_hold(&c->life); /* the handler's closed() below must not free it */
	c->life.closing = true;
	if (ctl->handler.closed)
		ctl->handler.closed(ctl->handler.ctx, c);
	c->life.holds--; /* released below, by maybe_free */
	if (c->rd_armed)
		cancel_poll(ctl->lx, &c->rd_op);
	if (c->wr_armed)
		cancel_poll(ctl->lx, &c->wr_op);
	/* Submitted before the close: a request must never run on a reused fd number. */
	io_uring_submit(&ctl->lx->ring);
	close(c->fd);
	c->fd = -1;
	c->out_len = 0;
	ctl->stats.clients--;
	maybe_free(c);
}

/* Send what is queued; arm a POLLOUT wait when the socket is full. */
static void try_send(struct hk_ctlsock_client *c)
{
	while (c->out_len && !c->life.closing) {
		ssize_t n = send(c->fd, c->out + c->out_head, c->out_len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n > 0) {
			c->out_head += (size_t)n;
			c->out_len -= (size_t)n;
			c->last_progress_ns = basic_mono_ns();
			c->full_since_ns = 0;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			arm_write(c);
			return;
		}
		close_client(c); /* EPIPE, ECONNRESET: it is gone */
		return;
	}
	if (!c->life.closing) {
		c->out_head = 0;
		if (c->end_after_flush)
			close_client(c);
	}
}

static int out_append(struct hk_ctlsock_client *c, const char *data, size_t len)
{
	size_t need = c->out_len + len;

	if (c->out_head && c->out_head + need > c->out_cap) {
		memmove(c->out, c->out + c->out_head, c->out_len);
		c->out_head = 0;
	}
	if (c->out_head + need > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *p;

		while (cap < c->out_head + need)
			cap *= 2;
		p = realloc(c->out, cap);
		if (!p)
			return -ENOMEM;
		c->out = p;
		c->out_cap = cap;
	}
	if (c->out_len == 0)
		c->last_progress_ns = basic_mono_ns(); /* nothing was owed until now */
	memcpy(c->out + c->out_head + c->out_len, data, len);
	c->out_len += len;
	c->srv->dirty = true;
	return 0;
}

int hk_ctlsock_reply(struct hk_ctlsock_client *c, const char *line, size_t len)
{
	if (!c || c->life.closing || c->end_after_flush)
		return -EPIPE;
	if (c->out_len + len > CONTROL_MAX_PENDING) {
		/* It asks and never reads: holding more for it would let one client eat our memory. */
		c->srv->stats.dropped_slow++;
		close_client(c);
		return -ENOBUFS;
	}
	return out_append(c, line, len);
}

bool hk_ctlsock_stream(struct hk_ctlsock_client *c, const char *line, size_t len)
{
	if (!c || c->life.closing || c->end_after_flush)
		return false;
	if (c->out_len + len > CONTROL_TRACE_HIGH_WATER) {
		uint64_t now = basic_mono_ns();

		/*
		 * Stuck means full, and no progress, for STALL_NS: counted from the first refused line
		 * (try_send resets it), not from the last progress, or a reader of a slow stream (one
		 * that took longer than STALL_NS to fill its queue) would be dropped the moment it first
		 * fell behind.
		 */
		if (!c->full_since_ns)
			c->full_since_ns = now;
		if (now - c->full_since_ns > STALL_NS && !c->end_after_flush) {
			/* Not reading at all: drop it at the next flush (never from inside the tracer's loop). */
			c->srv->stats.dropped_slow++;
			c->out_len = 0;
			hk_ctlsock_client_end(c);
		}
		return false;
	}
	return out_append(c, line, len) == 0;
}

size_t hk_ctlsock_pending(const struct hk_ctlsock_client *c)
{
	return c ? c->out_len : 0;
}

void hk_ctlsock_client_end(struct hk_ctlsock_client *c)
{
	if (!c || c->life.closing)
		return;
	c->end_after_flush = true;
	c->srv->dirty = true;
}

void hk_ctlsock_client_set_data(struct hk_ctlsock_client *c, void *data)
{
	c->data = data;
}

void *hk_ctlsock_client_data(const struct hk_ctlsock_client *c)
{
	return c->data;
}

/* Split into lines; an over-long line is refused once and skipped up to its newline. */
static void feed(struct hk_ctlsock_client *c, const char *data, size_t n)
{
	struct hk_ctlsock *ctl = c->srv;

	while (n && !c->life.closing && !c->end_after_flush) {
		const char *nl = memchr(data, '\n', n);
		size_t chunk = nl ? (size_t)(nl - data) : n;
		size_t used = nl ? chunk + 1 : chunk;

		if (c->discarding) {
			c->discarding = !nl;
		} else if (c->in_len + chunk > CONTROL_MAX_REQUEST) {
			c->in_len = 0;
			c->discarding = !nl;
			ctl->stats.bad_requests++;
			if (ctl->handler.oversized)
				ctl->handler.oversized(ctl->handler.ctx, c);
		} else {
			memcpy(c->in + c->in_len, data, chunk);
			c->in_len += chunk;
			if (nl) {
				size_t len = c->in_len;

				if (len && c->in[len - 1] == '\r')
					len--;
				c->in[len] = '\0';
				c->in_len = 0;
				if (len)
					ctl->handler.request(ctl->handler.ctx, c, c->in, len);
			}
		}
		data += used;
		n -= used;
	}
}

static void on_readable(struct hk_ctlsock_client *c, int res)
{
	char buf[4096];
	size_t total = 0;

	c->rd_armed = false;
	if (c->life.closing)
		return;
	if (res < 0 && res != -EINTR && res != -ECANCELED) {
		close_client(c);
		return;
	}
	lx_life_hold(&c->life);
	while (!c->life.closing && total < READ_BUDGET) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0) {
			total += (size_t)n;
			feed(c, buf, (size_t)n);
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		} else {
			/* EOF: replies still owed are flushed first, then it goes. */
			if (n == 0 && c->out_len)
				hk_ctlsock_client_end(c);
			else
				close_client(c);
			break;
		}
	}
	c->life.holds--; /* released below, by maybe_free */
	if (!c->end_after_flush)
		arm_read(c);
}

static bool peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return false;
	return cred.uid == getuid() || cred.uid == 0;
}

static lx_op_complete on_read_polled, on_write_polled;

static void add_client(struct hk_ctlsock *ctl, int fd)
{
	struct hk_ctlsock_client *c;
	int sndbuf = CLIENT_SNDBUF;

	if (!peer_allowed(fd) || ctl->stats.clients >= CONTROL_MAX_CLIENTS || !(c = calloc(1, sizeof(*c)))) {
		ssize_t n = send(fd, refuse_line, sizeof(refuse_line) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);

		(void)n;
		ctl->stats.refused++;
		close(fd);
		return;
	}
	/* A small kernel buffer keeps "how much does this client owe" in our own bounded queue. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	c->srv = ctl;
	c->fd = fd;
	c->rd_op.complete = on_read_polled;
	c->wr_op.complete = on_write_polled;
	c->last_progress_ns = basic_mono_ns();
	c->next = ctl->clients;
	ctl->clients = c;
	ctl->stats.accepted++;
	ctl->stats.clients++;
	arm_read(c);
}

static void on_accept(struct hk_ctlsock *ctl, int res)
{
	ctl->accept_armed = false;
	for (int i = 0; i < ACCEPT_BATCH && res >= 0; i++) {
		int fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			break;
		add_client(ctl, fd);
	}
	arm_accept(ctl);
}

/* The completions of the server's polls (its lx_ops). Only maybe_free frees a client, once it is closed and unheld. */
static void on_accept_polled(struct hk_linux *lx, struct lx_op *op, int res)
{
	(void)op;
	if (lx->ctlsock)
		on_accept(lx->ctlsock, res);
}

static void on_read_polled(struct hk_linux *lx, struct lx_op *op, int res)
{
	struct hk_ctlsock_client *c = lx_container_of(op, struct hk_ctlsock_client, rd_op);

	(void)lx;
	/* The poll's hold covers this handler (a close inside it cannot free c); it goes last. */
	on_readable(c, res);
	c->life.holds--;
	maybe_free(c);
}

static void on_write_polled(struct hk_linux *lx, struct lx_op *op, int res)
{
	struct hk_ctlsock_client *c = lx_container_of(op, struct hk_ctlsock_client, wr_op);

	(void)lx;
	(void)res;
	c->wr_armed = false;
	/* As for reads: the poll's hold covers the handler and goes last. */
	if (!c->life.closing)
		try_send(c);
	c->life.holds--;
	maybe_free(c);
}

void lx_ctlsock_flush(struct hk_linux *lx)
{
	struct hk_ctlsock *ctl = lx->ctlsock;
	struct hk_ctlsock_client *c, *next;

	if (!ctl || !ctl->dirty)
		return;
	ctl->dirty = false;
	for (c = ctl->clients; c; c = next) {
		next = c->next;
		if (!c->life.closing && !c->wr_armed && (c->out_len || c->end_after_flush)) {
			lx_life_hold(&c->life);
			try_send(c);
			c->life.holds--; /* released below, by maybe_free */
			maybe_free(c);
		}
	}
}

/* ---- lifetime ---- */

int hk_ctlsock_open(struct hk_linux *lx, const char *path, const struct hk_ctlsock_handler *handler,
                    struct hk_ctlsock **ret, const char **ret_why)
{
	struct hk_ctlsock *ctl;
	int fd;

	*ret_why = "bad arguments";
	if (!lx || !handler || !handler->request || !ret || lx->ctlsock)
		return -EINVAL;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl) {
		*ret_why = "out of memory";
		return -ENOMEM;
	}
	fd = lx_ctlsock_listen(path, &ctl->path, ret_why);
	if (fd < 0) {
		free(ctl);
		return fd;
	}
	ctl->lx = lx;
	ctl->handler = *handler;
	ctl->listen_fd = fd;
	ctl->accept_op.complete = on_accept_polled;
	lx->ctlsock = ctl;
	arm_accept(ctl);
	*ret = ctl;
	return 0;
}

void hk_ctlsock_close(struct hk_ctlsock *ctl)
{
	struct hk_ctlsock_client *c;

	if (!ctl)
		return;
	/*
	 * The loop is over: what fits in the sockets now is sent, the rest is lost with the clients.
	 * try_send may close a client (it hung up, or it was to end after this flush): its hold keeps it
	 * in the list until the loop below frees it, so the walk never follows a freed ->next.
	 */
	for (c = ctl->clients; c; c = c->next)
		if (!c->life.closing && c->out_len) {
			lx_life_hold(&c->life);
			try_send(c);
			c->life.holds--; /* released below, by maybe_free */
		}
	/* No completion will be reaped any more and polls keep no pointer into c: free at once. */
	while ((c = ctl->clients)) {
		if (c->rd_armed)
			cancel_poll(ctl->lx, &c->rd_op);
		if (c->wr_armed)
			cancel_poll(ctl->lx, &c->wr_op);
		c->rd_armed = c->wr_armed = false;
		c->life.holds = 0; /* the cancelled polls will never be reaped: nothing holds it any more */
		if (c->life.closing)
			maybe_free(c);
		else
			close_client(c); /* frees it */
	}
	if (ctl->accept_armed) {
		cancel_poll(ctl->lx, &ctl->accept_op);
		io_uring_submit(&ctl->lx->ring);
	}
	if (ctl->listen_fd >= 0)
		close(ctl->listen_fd);
	if (ctl->path)
		unlink(ctl->path);
	if (ctl->lx->ctlsock == ctl)
		ctl->lx->ctlsock = NULL;
	free(ctl->path);
	free(ctl);
}

const char *hk_ctlsock_path(const struct hk_ctlsock *ctl)
{
	return ctl ? ctl->path : NULL;
}

void hk_ctlsock_get_stats(const struct hk_ctlsock *ctl, struct hk_ctlsock_stats *ret)
{
	*ret = ctl->stats;
}

void hk_ctlsock_count_bad_request(struct hk_ctlsock_client *c)
{
	if (c)
		c->srv->stats.bad_requests++;
}
