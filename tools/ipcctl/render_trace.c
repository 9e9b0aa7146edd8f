/* ipcctl's one-line rendering of trace events: time, process, what happened, decoded arguments and result. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "tools/ipcctl/render.h"
#include "tools/ipcctl/table.h"

/* "ipc_relay_request" or "0xa0010" when the number has no driver. */
static const char *driver(struct json_object *ev, char *buf, size_t len)
{
	if (*jstr(ev, "driver_name"))
		return jstr(ev, "driver_name");
	snprintf(buf, len, "0x%" PRIx64, ju64(ev, "driver"));
	return buf;
}

/* The fields the supervisor decoded from the driver's ABI description, in its order: " name=value" each. */
static bool fields(struct json_object *o)
{
	struct json_object *list = jget(o, "fields");
	size_t n = list ? json_object_array_length(list) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *key = json_object_get_string(json_object_array_get_idx(list, i));
		struct json_object *v = key ? jget(o, key) : NULL;

		if (!v)
			continue;
		if (json_object_is_type(v, json_type_boolean))
			printf(" %s=%s", key, json_object_get_boolean(v) ? "yes" : "no");
		else if (json_object_is_type(v, json_type_string))
			printf(" %s=%s", key, json_object_get_string(v));
		else
			printf(" %s=%" PRIu64, key, json_object_get_uint64(v));
	}
	return n > 0;
}

static void result(struct json_object *ev, bool color)
{
	struct json_object *r = jget(ev, "result"), *vals;
	const char *variant;
	bool fail;

	if (!r)
		return;
	if (json_object_is_type(r, json_type_string)) {
		printf(" -> %s", json_object_get_string(r));
		return;
	}
	variant = jstr(r, "variant");
	fail = !strncmp(variant, "Failure", 7);
	printf(" -> %s%s%s", fail && color ? IPCCTL_RED : "", variant, fail && color ? IPCCTL_RESET : "");
	if (*jstr(r, "error"))
		printf("(%s)", jstr(r, "error"));
	if (fields(r))
		return;
	if ((vals = jget(r, "values")) && json_object_array_length(vals)) {
		for (size_t i = 0; i < json_object_array_length(vals); i++)
			printf("%s%" PRIu64, i ? "," : " ", json_object_get_uint64(json_object_array_get_idx(vals, i)));
	}
}

/* " (name)" after a subscribe or allow slot the driver's description names. */
#define SLOT_NAME(ev) (*jstr(ev, "slot_name") ? " (" : ""), jstr(ev, "slot_name"), (*jstr(ev, "slot_name") ? ")" : "")

static void syscall_line(struct json_object *ev, bool color)
{
	const char *cls = jstr(ev, "class");
	char d[24];

	if (!strcmp(cls, "command")) {
		printf("command %s.%s", driver(ev, d, sizeof(d)), *jstr(ev, "op") ? jstr(ev, "op") : "");
		if (!*jstr(ev, "op"))
			printf("%" PRIu64, ju64(ev, "cmd"));
		if (!fields(ev)) {
			struct json_object *a = jget(ev, "args");

			printf("(%" PRIu64 ", %" PRIu64 ")", json_object_get_uint64(json_object_array_get_idx(a, 0)),
			       json_object_get_uint64(json_object_array_get_idx(a, 1)));
		}
	} else if (!strcmp(cls, "yield")) {
		printf("yield %s", jstr(ev, "yield"));
		if (jget(ev, "driver"))
			printf(" %s slot %" PRIu64, driver(ev, d, sizeof(d)), ju64(ev, "slot"));
	} else if (!strcmp(cls, "subscribe")) {
		printf("subscribe %s slot %" PRIu64 "%s%s%s fn=%s", driver(ev, d, sizeof(d)), ju64(ev, "slot"),
		       SLOT_NAME(ev), jstr(ev, "fn"));
	} else if (!strncmp(cls, "allow", 5)) {
		printf("%s %s slot %" PRIu64 "%s%s%s %s+%" PRIu64, cls, driver(ev, d, sizeof(d)), ju64(ev, "slot"),
		       SLOT_NAME(ev), jstr(ev, "ptr"), ju64(ev, "len"));
	} else if (!strcmp(cls, "exit")) {
		printf("exit %s code %" PRIu64, jstr(ev, "exit"), ju64(ev, "code"));
	} else {
		printf("%s %" PRIu64 " %" PRIu64, cls, ju64(ev, "op"), ju64(ev, "arg"));
	}
	result(ev, color);
}

static void upcall_line(struct json_object *ev)
{
	char d[24];

	printf("upcall %s.", driver(ev, d, sizeof(d)));
	if (*jstr(ev, "op"))
		printf("%s", jstr(ev, "op"));
	else
		printf("%" PRIu64, ju64(ev, "slot"));
	fields(ev);
	if (!strcmp(jstr(ev, "via"), "yield-wait-for"))
		printf(" (yield-wait-for)");
}

static void state_line(struct json_object *ev, bool color)
{
	const char *change = jstr(ev, "change");
	bool bad = !strcmp(change, "faulted");

	printf("%s%s%s", bad && color ? IPCCTL_RED : "", change, bad && color ? IPCCTL_RESET : "");
	if (jget(ev, "new_pid"))
		printf(" as ProcessId %" PRIu64, ju64(ev, "new_pid"));
	if (*jstr(ev, "cause"))
		printf(": %s", jstr(ev, "cause"));
	printf(" (now %s)", jstr(ev, "state"));
}

void render_trace_event(struct json_object *ev, bool color)
{
	const char *kind = jstr(ev, "event");
	char d[24];

	if (!strcmp(kind, "dropped")) {
		printf("%s-- %" PRIu64 " events dropped: this reader fell behind --%s\n", color ? IPCCTL_YELLOW : "",
		       ju64(ev, "count"), color ? IPCCTL_RESET : "");
		return;
	}
	printf("%12.6f  %s%s[%" PRIu64 "]%s  ", (double)ju64(ev, "t_ns") / 1e9, color ? IPCCTL_CYAN : "",
	       jstr(ev, "app"), ju64(ev, "pid"), color ? IPCCTL_RESET : "");
	if (!strcmp(kind, "syscall"))
		syscall_line(ev, color);
	else if (!strcmp(kind, "upcall"))
		upcall_line(ev);
	else if (!strcmp(kind, "copy"))
		printf("copy %s %" PRIu64 " bytes -> %s[%" PRIu64 "]%s", driver(ev, d, sizeof(d)), ju64(ev, "bytes"),
		       jstr(ev, "to_app"), ju64(ev, "to_pid"), ju64(ev, "bytes") < ju64(ev, "offered") ? " (truncated)" : "");
	else if (!strcmp(kind, "upcall_dropped"))
		printf("%supcall dropped%s 0x%" PRIx64 " slot %" PRIu64 " (queue full)", color ? IPCCTL_RED : "",
		       color ? IPCCTL_RESET : "", ju64(ev, "driver"), ju64(ev, "slot"));
	else if (!strcmp(kind, "state"))
		state_line(ev, color);
	else
		printf("%s", kind);
	printf("\n");
}
