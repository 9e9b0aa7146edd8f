/* Control-socket requests: parse and validate one JSON request line (protocol v1, doc/control-protocol.md). */
#ifndef TOCKHOST_CONTROL_REQUEST_H
#define TOCKHOST_CONTROL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

enum control_cmd {
	CONTROL_CMD_HELLO = 0, /* version and instance facts */
	CONTROL_CMD_PS,
	CONTROL_CMD_SERVICES,
	CONTROL_CMD_RELAY,
	CONTROL_CMD_STATS,
	CONTROL_CMD_TRACE,
	CONTROL_CMD_STOP,
	CONTROL_CMD_START,
	CONTROL_CMD_RESTART,
	CONTROL_CMD_FAULT,
	CONTROL_CMD_SHARES, /* IPC Share regions and MPU slots (control_share.c) */
	CONTROL_CMD_COUNT_,
};

#define CONTROL_APP_NAME_MAX 256

struct control_request {
	enum control_cmd cmd;
	struct json_object *root; /* owns the parsed line */
	struct json_object *id;   /* the request's "id", echoed in the reply; borrowed from root, may be NULL */
	bool has_app;             /* "app": a process name, or a ProcessId written in decimal */
	char app[CONTROL_APP_NAME_MAX];
	bool has_pid;             /* "pid": a ProcessId */
	uint32_t pid;
	bool has_driver;          /* "driver": trace filter */
	uint32_t driver;
	bool all;                 /* "all": trace every driver, not only IPC ones */
	char cause[128];          /* "cause": fault only; default "fault injected by ipcctl" */
};

/* The command's wire name ("ps"), or NULL. */
const char *control_cmd_name(enum control_cmd cmd);
/* Does cmd act on one process (stop, start, restart, fault)? */
bool control_cmd_targets_process(enum control_cmd cmd);

/*
 * Parse line[0, len) (no newline). 0 and *ret filled, or -EINVAL with a one-line reason in err
 * (ret->id is still set when the request had one, so the error reply can echo it). Release *ret
 * in both cases.
 * Checks: a JSON object, "v" == 1, "cmd" a known command, field types and ranges, a process
 * target for the commands that need one. Unknown fields are ignored (forward compatibility).
 */
int control_request_parse(const char *line, size_t len, struct control_request *ret, char *err, size_t errlen);
void control_request_release(struct control_request *r); /* accepts a zeroed or released request */

#endif
