/* The backend's control-socket transport (hk_ctlsock_*): a line server in the io_uring loop; what lines mean is the control service's (control/). */
#ifndef TOCKHOST_LINUX_CTLSOCK_H
#define TOCKHOST_LINUX_CTLSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hk_linux;
struct hk_ctlsock;
struct hk_ctlsock_client;

/*
 * What the server does not know (what requests mean) is the control service's (control/): it gets each complete
 * request line and answers with hk_ctlsock_reply / hk_ctlsock_stream. All callbacks run on the
 * event loop, never nested in one another's I/O, and must not block.
 */
struct hk_ctlsock_handler {
	/* One request line: NUL-terminated, newline removed, len <= CONTROL_MAX_REQUEST. */
	void (*request)(void *ctx, struct hk_ctlsock_client *c, const char *line, size_t len);
	/* A request line was longer than CONTROL_MAX_REQUEST (its bytes are discarded up to the newline). */
	void (*oversized)(void *ctx, struct hk_ctlsock_client *c);
	/* The client is going (it hung up or was dropped): forget it. Called once; no more sends. */
	void (*closed)(void *ctx, struct hk_ctlsock_client *c);
	void *ctx;
};

/*
 * Serve the control socket for lx's loop. path NULL: the default, <control_socket_dir()>/<pid>.sock,
 * with the directory created 0700 (an existing one must be ours, a real directory, and not open
 * to group or others). A stale socket at the path is replaced, a live one or a non-socket is an
 * error. The socket is 0600. 0 or -errno with *ret_why saying what failed.
 */
int hk_ctlsock_open(struct hk_linux *lx, const char *path, const struct hk_ctlsock_handler *handler,
                    struct hk_ctlsock **ret, const char **ret_why);
/* Best-effort flush, then close every client, unlink the socket, free. Call after hk_linux_run. Accepts NULL. */
void hk_ctlsock_close(struct hk_ctlsock *ctl);
const char *hk_ctlsock_path(const struct hk_ctlsock *ctl);

/*
 * Queue one reply line (the caller includes the newline). If the client's unread output would
 * pass CONTROL_MAX_PENDING the client is dropped (it is not reading) and -ENOBUFS returned.
 * 0 or -errno (-EPIPE: the client is already closing).
 */
int hk_ctlsock_reply(struct hk_ctlsock_client *c, const char *line, size_t len);
/*
 * Queue one stream line (a trace event) unless the client has CONTROL_TRACE_HIGH_WATER bytes
 * unread: then false and nothing is queued (the caller counts the drop). Never drops the client.
 */
bool hk_ctlsock_stream(struct hk_ctlsock_client *c, const char *line, size_t len);
/* Bytes queued and not yet taken by the client's socket. */
size_t hk_ctlsock_pending(const struct hk_ctlsock_client *c);
/* Drop the client after what is queued so far has been sent (or at once if it cannot be). */
void hk_ctlsock_client_end(struct hk_ctlsock_client *c);

/* One pointer of handler state per client. */
void hk_ctlsock_client_set_data(struct hk_ctlsock_client *c, void *data);
void *hk_ctlsock_client_data(const struct hk_ctlsock_client *c);

struct hk_ctlsock_stats {
	uint64_t accepted, refused, dropped_slow, bad_requests;
	size_t clients;
};
void hk_ctlsock_get_stats(const struct hk_ctlsock *ctl, struct hk_ctlsock_stats *ret);
/* Count a request the handler judged malformed (shown by `stats`). */
void hk_ctlsock_count_bad_request(struct hk_ctlsock_client *c);

#endif
