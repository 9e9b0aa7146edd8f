/* Control-socket transport internals shared by its files: the server and client structs, the socket setup. */
#ifndef TOCKHOST_LINUX_CTLSOCK_INTERNAL_H
#define TOCKHOST_LINUX_CTLSOCK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/linux/backend_internal.h"
#include "tockhost/control_protocol.h"
#include "hostkernel/linux/ctlsock.h"

#define PATH_MAX_CONTROL 256

/*
 * All control I/O is readiness-based: one-shot io_uring polls, then non-blocking recv/send from
 * the loop. No kernel request ever holds a pointer into our buffers, so a client can be freed as
 * soon as its polls have completed, and teardown needs no draining.
 */
struct hk_ctlsock_client {
	struct hk_ctlsock *srv;
	int fd;
	struct lx_op rd_op, wr_op; /* io_uring polls (lx_op: their completions) */
	bool rd_armed, wr_armed;
	struct lx_life life;        /* held by each armed poll and each handler on the stack (lifetime.h) */
	bool end_after_flush;
	bool discarding;            /* inside an oversized request: skip to the newline */
	char in[CONTROL_MAX_REQUEST + 1];
	size_t in_len;
	char *out;
	size_t out_head, out_len, out_cap; /* unsent bytes are out[out_head, out_head + out_len) */
	uint64_t last_progress_ns;  /* last time its queue shrank (or became non-empty) */
	uint64_t full_since_ns;     /* first refused trace line since the last progress; 0: none */
	void *data;
	struct hk_ctlsock_client *next;
};

struct hk_ctlsock {
	struct hk_linux *lx;
	struct hk_ctlsock_handler handler;
	int listen_fd;
	char *path;
	struct lx_op accept_op;
	bool accept_armed;
	bool dirty; /* some client has output queued: flush before the loop sleeps */
	struct hk_ctlsock_client *clients;
	struct hk_ctlsock_stats stats;
};

/* ctlsock_listen.c: bind and listen (path NULL = default location). The fd, or -errno with *ret_why. */
int lx_ctlsock_listen(const char *path, char **ret_path, const char **ret_why);

#endif
