/* Control-socket requests: parse and validate one JSON request line with json-c. */
#include "control/request.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "tockhost/control_protocol.h"

static const char *const cmd_names[CONTROL_CMD_COUNT_] = {
	[CONTROL_CMD_HELLO] = "hello",     [CONTROL_CMD_PS] = "ps",         [CONTROL_CMD_SERVICES] = "services",
	[CONTROL_CMD_RELAY] = "relay",     [CONTROL_CMD_STATS] = "stats",   [CONTROL_CMD_TRACE] = "trace",
	[CONTROL_CMD_STOP] = "stop",       [CONTROL_CMD_START] = "start",   [CONTROL_CMD_RESTART] = "restart",
	[CONTROL_CMD_FAULT] = "fault",     [CONTROL_CMD_SHARES] = "shares",
};

const char *control_cmd_name(enum control_cmd cmd)
{
	return (unsigned)cmd < CONTROL_CMD_COUNT_ ? cmd_names[cmd] : NULL;
}

bool control_cmd_targets_process(enum control_cmd cmd)
{
	return cmd == CONTROL_CMD_STOP || cmd == CONTROL_CMD_START || cmd == CONTROL_CMD_RESTART ||
	       cmd == CONTROL_CMD_FAULT;
}

/* Fill err and evaluate to -EINVAL. */
#define FAIL(err, errlen, ...) (snprintf((err), (errlen), __VA_ARGS__), -EINVAL)

/* A JSON integer in [0, max]; json-c would silently turn 1.5 or "7" into 1 or 7, so check the type. */
static int get_u32(struct json_object *o, const char *key, uint32_t max, bool *ret_has, uint32_t *ret, char *err,
                   size_t errlen)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return FAIL(err, errlen, "'%s' must be an integer", key);
	errno = 0;
	n = json_object_get_int64(v);
	if (errno || n < 0 || (uint64_t)n > max)
		return FAIL(err, errlen, "'%s' is out of range", key);
	*ret_has = true;
	*ret = (uint32_t)n;
	return 0;
}

/* A string field copied into buf; a NUL inside or an over-long value is refused. */
static int get_string(struct json_object *o, const char *key, char *buf, size_t buflen, bool *ret_has, char *err,
                      size_t errlen)
{
	struct json_object *v;
	const char *s;
	int len;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return FAIL(err, errlen, "'%s' must be a string", key);
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if (len <= 0 || (size_t)len >= buflen || strlen(s) != (size_t)len)
		return FAIL(err, errlen, "'%s' must be a non-empty string without NUL bytes, at most 255 bytes", key);
	memcpy(buf, s, (size_t)len + 1);
	if (ret_has)
		*ret_has = true;
	return 0;
}

static int get_bool(struct json_object *o, const char *key, bool *ret, char *err, size_t errlen)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return FAIL(err, errlen, "'%s' must be true or false", key);
	*ret = json_object_get_boolean(v);
	return 0;
}

static int check_version(struct json_object *root, char *err, size_t errlen)
{
	struct json_object *v;

	if (!json_object_object_get_ex(root, "v", &v))
		return FAIL(err, errlen, "%s", "missing protocol version 'v' (this supervisor speaks v1)");
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) != CONTROL_PROTOCOL_VERSION)
		return FAIL(err, errlen, "%s", "unsupported protocol version (this supervisor speaks v1)");
	return 0;
}

static int parse_cmd(struct json_object *root, enum control_cmd *ret, char *err, size_t errlen)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(root, "cmd", &v) || !json_object_is_type(v, json_type_string))
		return FAIL(err, errlen, "%s", "missing command: 'cmd' must be a string");
	s = json_object_get_string(v);
	for (int i = 0; i < CONTROL_CMD_COUNT_; i++)
		if (strlen(s) == (size_t)json_object_get_string_len(v) && !strcmp(s, cmd_names[i])) {
			*ret = (enum control_cmd)i;
			return 0;
		}
	snprintf(err, errlen, "unknown command '%.64s'", s);
	return -EINVAL;
}

static int parse_fields(struct control_request *r, char *err, size_t errlen)
{
	bool has_cause = false;
	int e;

	if ((e = get_string(r->root, "app", r->app, sizeof(r->app), &r->has_app, err, errlen)) < 0 ||
	    (e = get_u32(r->root, "pid", UINT32_MAX, &r->has_pid, &r->pid, err, errlen)) < 0 ||
	    (e = get_u32(r->root, "driver", UINT32_MAX, &r->has_driver, &r->driver, err, errlen)) < 0 ||
	    (e = get_bool(r->root, "all", &r->all, err, errlen)) < 0 ||
	    (e = get_string(r->root, "cause", r->cause, sizeof(r->cause), &has_cause, err, errlen)) < 0)
		return e;
	if (!has_cause)
		snprintf(r->cause, sizeof(r->cause), "fault injected by ipcctl");
	if (control_cmd_targets_process(r->cmd)) {
		if (!r->has_app && !r->has_pid)
			return FAIL(err, errlen, "'%s' needs the app: 'app' (name) or 'pid'", cmd_names[r->cmd]);
		if (r->has_app && r->has_pid)
			return FAIL(err, errlen, "'%s' takes 'app' or 'pid', not both", cmd_names[r->cmd]);
	}
	return 0;
}

int control_request_parse(const char *line, size_t len, struct control_request *ret, char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	int e;

	memset(ret, 0, sizeof(*ret));
	if (len > CONTROL_MAX_REQUEST || len > INT_MAX)
		return FAIL(err, errlen, "%s", "request too long");
	if (memchr(line, '\0', len))
		return FAIL(err, errlen, "%s", "request contains a NUL byte");
	tok = json_tokener_new_ex(16); /* requests are flat: deep nesting is refused, never recursed into */
	if (!tok)
		return FAIL(err, errlen, "%s", "out of memory");
	ret->root = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	if (ret->root && jerr == json_tokener_success && json_tokener_get_parse_end(tok) < len) {
		/* Trailing bytes after the value: allow only whitespace. */
		for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
			if (line[i] != ' ' && line[i] != '\t')
				jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (!ret->root || jerr != json_tokener_success) {
		snprintf(err, errlen, "malformed JSON: %s",
		         jerr == json_tokener_continue ? "incomplete value" : json_tokener_error_desc(jerr));
		return -EINVAL;
	}
	if (!json_object_is_type(ret->root, json_type_object))
		return FAIL(err, errlen, "%s", "a request must be a JSON object");
	json_object_object_get_ex(ret->root, "id", &ret->id);
	if ((e = check_version(ret->root, err, errlen)) < 0 || (e = parse_cmd(ret->root, &ret->cmd, err, errlen)) < 0)
		return e;
	return parse_fields(ret, err, errlen);
}

void control_request_release(struct control_request *r)
{
	if (!r)
		return;
	json_object_put(r->root);
	r->root = NULL;
	r->id = NULL;
}
