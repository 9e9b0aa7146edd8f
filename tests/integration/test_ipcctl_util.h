/* Helpers for the ipcctl integration tests: run ipcctl, talk raw protocol to a control socket, JSON lookups. */
#ifndef TOCKHOST_TEST_IPCCTL_UTIL_H
#define TOCKHOST_TEST_IPCCTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "th_harness.h"

struct ic_out {
	char *out, *err;
	int code; /* exit status, -1 if killed */
};

/* Path of ipcctl under test ($IPCCTL). */
const char *ic_ipcctl(void);

/* Start tockhost with --control-socket <tmpdir>/<name>.sock plus args (NULL-terminated); waits until
 * stdout shows `ready` (NULL: no wait). Fills sock_path (256 bytes). */
void ic_start(struct th_proc *p, char *sock_path, const char *name, const char *ready, const char *const *args);
/* SIGTERM the supervisor and collect its run. */
void ic_stop(struct th_proc *p, struct th_result *r);

/* Run `ipcctl --socket sock args...` (args NULL-terminated; sock NULL = no --socket), pumping p's
 * output meanwhile (p may be NULL). */
void ic_run(struct ic_out *r, struct th_proc *p, const char *sock, const char *const *args);
void ic_out_free(struct ic_out *r);
/* ic_run + parse stdout as one JSON object (fails the test otherwise). Release with json_object_put. */
struct json_object *ic_json(struct th_proc *p, const char *sock, const char *const *args);

/* A raw connection to the control socket (blocking fd). */
int ic_connect(const char *sock);
/* Read one line with a hang guard; returns a malloc'ed NUL-terminated line or NULL at EOF. */
char *ic_read_line(int fd, char *buf, size_t cap, size_t *len);

/* o.a.b: a path of object keys and array indexes ("processes.1.name"); NULL if absent. */
struct json_object *ic_get(struct json_object *o, const char *path);
const char *ic_str(struct json_object *o, const char *path); /* "" if absent */
long long ic_int(struct json_object *o, const char *path);   /* -1 if absent */

#define IC_ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

#endif
