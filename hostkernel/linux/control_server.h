/* The control socket server inside the backend's io_uring loop: accepts clients, frames request lines, queues replies. */
#ifndef TOCKHOST_CONTROL_SERVER_H
#define TOCKHOST_CONTROL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hk_linux;
struct hk_control;
struct hk_control_client;

/*
 * What the server does not know (what requests mean) is the board's: it gets each complete
 * request line and answers with hk_control_reply / hk_control_stream. All callbacks run on the
 * event loop, never nested in one another's I/O, and must not block.
 */
struct hk_control_handler {
	/* One request line: NUL-terminated, newline removed, len <= CONTROL_MAX_REQUEST. */
	void (*request)(void *ctx, struct hk_control_client *c, const char *line, size_t len);
	/* A request line was longer than CONTROL_MAX_REQUEST (its bytes are discarded up to the newline). */
	void (*oversized)(void *ctx, struct hk_control_client *c);
	/* The client is going (it hung up or was dropped): forget it. Called once; no more sends. */
	void (*closed)(void *ctx, struct hk_control_client *c);
	void *ctx;
};

/*
 * Serve the control socket for lx's loop. path NULL: the default, <control_socket_dir()>/<pid>.sock,
 * with the directory created 0700 (an existing one must be ours, a real directory, and not open
 * to group or others). A stale socket at the path is replaced, a live one or a non-socket is an
 * error. The socket is 0600. 0 or -errno with *ret_why saying what failed.
 */
int hk_control_open(struct hk_linux *lx, const char *path, const struct hk_control_handler *handler,
                    struct hk_control **ret, const char **ret_why);
/* Best-effort flush, then close every client, unlink the socket, free. Call after hk_linux_run. Accepts NULL. */
void hk_control_close(struct hk_control *ctl);
const char *hk_control_path(const struct hk_control *ctl);

/*
 * Queue one reply line (the caller includes the newline). If the client's unread output would
 * pass CONTROL_MAX_PENDING the client is dropped (it is not reading) and -ENOBUFS returned.
 * 0 or -errno (-EPIPE: the client is already closing).
 */
int hk_control_reply(struct hk_control_client *c, const char *line, size_t len);
/*
 * Queue one stream line (a trace event) unless the client has CONTROL_TRACE_HIGH_WATER bytes
 * unread: then false and nothing is queued (the caller counts the drop). Never drops the client.
 */
bool hk_control_stream(struct hk_control_client *c, const char *line, size_t len);
/* Bytes queued and not yet taken by the client's socket. */
size_t hk_control_pending(const struct hk_control_client *c);
/* Drop the client after what is queued so far has been sent (or at once if it cannot be). */
void hk_control_client_end(struct hk_control_client *c);

/* One pointer of handler state per client. */
void hk_control_client_set_data(struct hk_control_client *c, void *data);
void *hk_control_client_data(const struct hk_control_client *c);

struct hk_control_stats {
	uint64_t accepted, refused, dropped_slow, bad_requests;
	size_t clients;
};
void hk_control_get_stats(const struct hk_control *ctl, struct hk_control_stats *ret);
/* Count a request the handler judged malformed (shown by `stats`). */
void hk_control_count_bad_request(struct hk_control_client *c);

#endif
