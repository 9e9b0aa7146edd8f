/* The control service: request dispatch, process control, replies; wiring to the socket server and tracer. */
#include "control/control.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/internal.h"
#include "hostkernel/linux/ctlsock.h"
#include "hostkernel/linux/process_ctl.h"
#include "tockhost/control_protocol.h"

/* ---- replies ---- */

struct json_object *control_reply_new(const struct control_request *req)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "v", json_object_new_int(CONTROL_PROTOCOL_VERSION));
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	if (req && req->id)
		json_object_object_add(o, "id", json_object_get(req->id));
	return o;
}

void control_send(struct control_service *cs, struct hk_ctlsock_client *c, struct json_object *reply)
{
	size_t len;
	const char *s = json_object_to_json_string_length(reply, JSON_C_TO_STRING_PLAIN, &len);
	char *line = malloc(len + 1);

	(void)cs;
	if (line) {
		memcpy(line, s, len);
		line[len] = '\n';
		hk_ctlsock_reply(c, line, len + 1);
		free(line);
	}
	json_object_put(reply);
}

void control_send_error(struct control_service *cs, struct hk_ctlsock_client *c, struct json_object *id,
                        const char *fmt, ...)
{
	struct json_object *o = json_object_new_object();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "v", json_object_new_int(CONTROL_PROTOCOL_VERSION));
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	if (id)
		json_object_object_add(o, "id", json_object_get(id));
	json_object_object_add(o, "error", json_object_new_string(msg));
	control_send(cs, c, o);
}

/* ---- process selection and control ---- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The list of app names for an error message: "a, b, c". */
static void app_names(struct hk_kernel *k, char *buf, size_t len)
{
	size_t n = hk_process_count(k), off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s", i ? ", " : "", hk_process_name(hk_process_at(k, i)));

		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* By name first (a process keeps its name across restarts), then a decimal ProcessId. */
static struct hk_process *find_process(struct control_service *cs, struct hk_ctlsock_client *c,
                                       const struct control_request *req)
{
	struct hk_process *found = NULL;
	size_t n = hk_process_count(cs->k), matches = 0;
	char names[300];

	if (req->has_pid) {
		found = hk_process_lookup(cs->k, req->pid);
		if (!found)
			control_send_error(cs, c, req->id, "no process has ProcessId %" PRIu32, req->pid);
		return found;
	}
	for (size_t i = 0; i < n; i++) {
		struct hk_process *p = hk_process_at(cs->k, i);

		if (!strcmp(hk_process_name(p), req->app)) {
			found = p;
			matches++;
		}
	}
	if (matches > 1) {
		control_send_error(cs, c, req->id, "%zu apps are named '%s': pick one by ProcessId", matches, req->app);
		return NULL;
	}
	if (!found && all_digits(req->app) && strlen(req->app) < 11)
		found = hk_process_lookup(cs->k, (hk_pid)strtoul(req->app, NULL, 10));
	if (!found) {
		app_names(cs->k, names, sizeof(names));
		control_send_error(cs, c, req->id, "no app named '%s' (apps: %s)", req->app, names);
	}
	return found;
}

static const char *control_error_text(enum control_cmd cmd, int r, enum hk_state st)
{
	if (r == -EALREADY)
		return cmd == CONTROL_CMD_STOP ? "it is already stopped" : "it is not stopped";
	if (r == -ESRCH || r == -EINVAL) {
		switch (st) {
		case HK_STATE_FAULTED: return "it has faulted (use restart or start)";
		case HK_STATE_TERMINATED: return "it has exited (use restart or start)";
		case HK_STATE_UNSTARTED: return "it has not started yet";
		case HK_STATE_STOPPED: return "it is stopped";
		default: return "not in its current state";
		}
	}
	return strerror(-r);
}

/* start: resume a stopped process, or bring an ended one back (a restart: new ProcessId). */
static int do_start(struct control_service *cs, struct hk_process *p)
{
	switch (hk_process_state(p)) {
	case HK_STATE_STOPPED:
		return hk_linux_process_resume(cs->lx, p);
	case HK_STATE_FAULTED:
	case HK_STATE_TERMINATED:
		return hk_linux_process_restart(cs->lx, p);
	default:
		return -EALREADY;
	}
}

static void process_control(struct control_service *cs, struct hk_ctlsock_client *c, const struct control_request *req)
{
	struct hk_process *p = find_process(cs, c, req);
	struct json_object *reply;
	hk_pid before;
	int r;

	if (!p)
		return;
	before = hk_process_pid(p);
	switch (req->cmd) {
	case CONTROL_CMD_STOP: r = hk_linux_process_stop(cs->lx, p); break;
	case CONTROL_CMD_START: r = do_start(cs, p); break;
	case CONTROL_CMD_RESTART: r = hk_linux_process_restart(cs->lx, p); break;
	default: r = hk_linux_process_fault(cs->lx, p, req->cause); break;
	}
	if (r < 0) {
		if (req->cmd == CONTROL_CMD_START && r == -EALREADY)
			control_send_error(cs, c, req->id, "cannot start '%s': it is already running (%s)", hk_process_name(p),
			                   hk_state_name(hk_process_state(p)));
		else
			control_send_error(cs, c, req->id, "cannot %s '%s': %s", control_cmd_name(req->cmd),
			                   hk_process_name(p), control_error_text(req->cmd, r, hk_process_state(p)));
		return;
	}
	reply = control_reply_new(req);
	json_object_object_add(reply, "app", json_object_new_string(hk_process_name(p)));
	json_object_object_add(reply, "pid", json_object_new_int64(before));
	json_object_object_add(reply, "new_pid", json_object_new_int64(hk_process_pid(p)));
	json_object_object_add(reply, "state", json_object_new_string(hk_state_name(hk_process_state(p))));
	control_send(cs, c, reply);
}

/* ---- trace subscriptions ---- */

static struct control_client_state *client_state(struct hk_ctlsock_client *c)
{
	struct control_client_state *s = hk_ctlsock_client_data(c);

	if (!s && (s = calloc(1, sizeof(*s)))) {
		s->client = c;
		hk_ctlsock_client_set_data(c, s);
	}
	return s;
}

static void start_trace(struct control_service *cs, struct hk_ctlsock_client *c, const struct control_request *req)
{
	struct control_client_state *s = client_state(c);
	struct json_object *reply;

	if (!s) {
		control_send_error(cs, c, req->id, "out of memory");
		return;
	}
	if (req->has_app && !req->has_pid) {
		/* A name filter that can never match is almost surely a typo: say so now. */
		bool known = false;

		for (size_t i = 0; i < hk_process_count(cs->k); i++)
			known = known || !strcmp(hk_process_name(hk_process_at(cs->k, i)), req->app);
		if (!known) {
			char names[300];

			app_names(cs->k, names, sizeof(names));
			control_send_error(cs, c, req->id, "no app named '%s' (apps: %s)", req->app, names);
			return;
		}
	}
	s->filter = (struct control_trace_filter){ .has_pid = req->has_pid, .pid = req->pid,
		                                   .has_driver = req->has_driver, .driver = req->driver, .all = req->all };
	if (req->has_app)
		snprintf(s->filter.app, sizeof(s->filter.app), "%s", req->app);
	if (!s->tracing) {
		s->tracing = true;
		s->next_trace = cs->tracing;
		cs->tracing = s;
	}
	reply = control_reply_new(req);
	json_object_object_add(reply, "stream", json_object_new_boolean(1));
	control_send(cs, c, reply);
}

static void hello(struct control_service *cs, struct hk_ctlsock_client *c, const struct control_request *req)
{
	struct json_object *reply = control_reply_new(req), *cmds = json_object_new_array();

	json_object_object_add(reply, "protocol", json_object_new_int(CONTROL_PROTOCOL_VERSION));
	json_object_object_add(reply, "supervisor_pid", json_object_new_int64(getpid()));
	json_object_object_add(reply, "socket", json_object_new_string(hk_ctlsock_path(cs->srv)));
	json_object_object_add(reply, "virtual_time", json_object_new_boolean(cs->virtual_time));
	json_object_object_add(reply, "uptime_ns", control_json_u64(basic_mono_ns() - cs->start_ns));
	json_object_object_add(reply, "kernel_time_ns", control_json_u64(hk_now_ns(cs->k)));
	for (int i = 0; i < CONTROL_CMD_COUNT_; i++)
		json_object_array_add(cmds, json_object_new_string(control_cmd_name((enum control_cmd)i)));
	json_object_object_add(reply, "commands", cmds);
	control_send(cs, c, reply);
}

static void dispatch(struct control_service *cs, struct hk_ctlsock_client *c, const struct control_request *req)
{
	struct json_object *reply;

	switch (req->cmd) {
	case CONTROL_CMD_HELLO:
		hello(cs, c, req);
		return;
	case CONTROL_CMD_TRACE:
		start_trace(cs, c, req);
		return;
	case CONTROL_CMD_STOP:
	case CONTROL_CMD_START:
	case CONTROL_CMD_RESTART:
	case CONTROL_CMD_FAULT:
		process_control(cs, c, req);
		return;
	default:
		break;
	}
	reply = control_reply_new(req);
	switch (req->cmd) {
	case CONTROL_CMD_PS: control_add_ps(cs, reply); break;
	case CONTROL_CMD_SERVICES: control_add_services(cs, reply); break;
	case CONTROL_CMD_RELAY: control_add_relay(cs, reply); break;
	case CONTROL_CMD_SHARES: control_add_shares(cs, reply); break;
	default: control_add_stats(cs, reply); break;
	}
	control_send(cs, c, reply);
}

/* ---- socket server callbacks ---- */

static void on_request(void *ctx, struct hk_ctlsock_client *c, const char *line, size_t len)
{
	struct control_service *cs = ctx;
	struct control_request req;
	char err[256];

	if (control_request_parse(line, len, &req, err, sizeof(err)) < 0) {
		hk_ctlsock_count_bad_request(c);
		control_send_error(cs, c, req.id, "%s", err);
	} else {
		dispatch(cs, c, &req);
	}
	control_request_release(&req);
}

static void on_oversized(void *ctx, struct hk_ctlsock_client *c)
{
	control_send_error(ctx, c, NULL, "request longer than %u bytes", CONTROL_MAX_REQUEST);
}

static void on_closed(void *ctx, struct hk_ctlsock_client *c)
{
	struct control_service *cs = ctx;
	struct control_client_state *s = hk_ctlsock_client_data(c), **pp;

	if (!s)
		return;
	for (pp = &cs->tracing; *pp; pp = &(*pp)->next_trace)
		if (*pp == s) {
			*pp = s->next_trace;
			break;
		}
	hk_ctlsock_client_set_data(c, NULL);
	free(s);
}

int control_service_new(struct hk_linux *lx, struct hk_kernel *k, const struct control_setup *setup, const char *path,
                        struct control_service **ret, const char **ret_why)
{
	struct control_service *cs = calloc(1, sizeof(*cs));
	struct hk_ctlsock_handler h = { on_request, on_oversized, on_closed, cs };
	int r;

	*ret = NULL;
	if (!cs) {
		*ret_why = "out of memory";
		return -ENOMEM;
	}
	cs->lx = lx;
	cs->k = k;
	cs->ipc = setup->ipc;
	cs->virtual_time = setup->virtual_time;
	cs->start_ns = basic_mono_ns();
	r = hk_ctlsock_open(lx, path, &h, &cs->srv, ret_why);
	if (r < 0) {
		free(cs);
		return r;
	}
	cs->tracer.event = control_tracer_event;
	hk_kernel_set_tracer(k, &cs->tracer);
	*ret = cs;
	return 0;
}

const char *control_service_path(const struct control_service *cs)
{
	return cs ? hk_ctlsock_path(cs->srv) : NULL;
}

void control_service_free(struct control_service *cs)
{
	if (!cs)
		return;
	hk_kernel_set_tracer(cs->k, NULL);
	hk_ctlsock_close(cs->srv); /* calls on_closed for every client */
	free(cs);
}
