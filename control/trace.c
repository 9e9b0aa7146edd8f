/* The kernel tracer behind `stats` and `trace`: per-driver counters and RPC latencies always, JSON events to subscribers. */
#include <stdlib.h>
#include <string.h>

#include "control/internal.h"
#include "tock/drivers/ipc_relay_request.h"
#include "hostkernel/linux/ctlsock.h"

/* ---- stats (cheap: a few compares and increments per event; a clock read only around RPCs) ---- */

static struct control_driver_stats *driver_stats(struct control_stats *s, uint64_t driver)
{
	if (driver > UINT32_MAX)
		return NULL;
	for (size_t i = 0; i < s->n_drivers; i++)
		if (s->drivers[i].driver == driver)
			return &s->drivers[i];
	if (s->n_drivers == CONTROL_MAX_DRIVER_STATS) {
		s->other_driver_events++; /* apps probing random numbers must not grow this table */
		return NULL;
	}
	s->drivers[s->n_drivers] = (struct control_driver_stats){ .driver = (uint32_t)driver };
	return &s->drivers[s->n_drivers++];
}

static void pending_drop(struct control_stats *s, hk_pid pid)
{
	for (size_t i = 0; i < s->n_pending; i++)
		if (s->pending[i].client == pid) {
			s->pending[i] = s->pending[--s->n_pending];
			return;
		}
}

static void rpc_sent(struct control_stats *s, hk_pid client)
{
	pending_drop(s, client);
	if (s->n_pending == CONTROL_MAX_PENDING_RPC) {
		s->rpc_untracked++;
		return;
	}
	s->pending[s->n_pending++] = (struct control_pending_rpc){ client, basic_mono_ns() };
}

static void rpc_done(struct control_stats *s, hk_pid client, uint32_t status)
{
	for (size_t i = 0; i < s->n_pending; i++) {
		if (s->pending[i].client != client)
			continue;
		if (status == 0)
			s->latency[s->n_latency++ % CONTROL_LATENCY_WINDOW] = basic_mono_ns() - s->pending[i].sent_ns;
		else
			s->rpc_failed++;
		s->pending[i] = s->pending[--s->n_pending];
		return;
	}
}

static void count_syscall(struct control_service *cs, const struct hk_trace_event *ev)
{
	const struct hk_trace_syscall *sc = &ev->u.syscall;
	struct control_stats *s = &cs->stats;
	struct control_driver_stats *d;

	s->syscalls++;
	switch (sc->class_id) {
	case TOCK_CLASS_COMMAND:
		if (!(d = driver_stats(s, sc->arg[0])))
			return;
		d->commands++;
		if (sc->result == HK_SYSCALL_RESUME && sc->ret[0] < TOCK_RET_SUCCESS)
			d->command_failures++;
		else if (cs->ipc.relay_request && sc->arg[0] == cs->ipc.relay_request_driver && sc->arg[1] == TOCK_IPC_RELAY_REQUEST_CMD_SEND)
			rpc_sent(s, ev->pid);
		return;
	case TOCK_CLASS_SUBSCRIBE:
		if ((d = driver_stats(s, sc->arg[0])))
			d->subscribes++;
		return;
	case TOCK_CLASS_ALLOW_RW:
	case TOCK_CLASS_ALLOW_RO:
	case TOCK_CLASS_ALLOW_USERSPACE_READ:
		if ((d = driver_stats(s, sc->arg[0])))
			d->allows++;
		return;
	default:
		return;
	}
}

static void count(struct control_service *cs, const struct hk_trace_event *ev)
{
	struct control_stats *s = &cs->stats;
	struct control_driver_stats *d;

	switch (ev->kind) {
	case HK_TRACE_SYSCALL:
		count_syscall(cs, ev);
		return;
	case HK_TRACE_UPCALL:
		if ((d = driver_stats(s, ev->u.upcall.driver)))
			d->upcalls++;
		if (cs->ipc.relay_request && ev->u.upcall.driver == cs->ipc.relay_request_driver && ev->u.upcall.slot == TOCK_IPC_RELAY_REQUEST_UPCALL_CLIENT_RESPONSE)
			rpc_done(s, ev->pid, ev->u.upcall.a0);
		return;
	case HK_TRACE_UPCALL_DROPPED:
		if ((d = driver_stats(s, ev->u.upcall.driver)))
			d->upcalls_dropped++;
		return;
	case HK_TRACE_COPY:
		if ((d = driver_stats(s, ev->u.copy.driver))) {
			d->copies++;
			d->bytes_copied += ev->u.copy.bytes;
		}
		return;
	case HK_TRACE_STATE:
		if (ev->u.state.change != HK_TRACE_STOPPED && ev->u.state.change != HK_TRACE_RESUMED)
			pending_drop(s, ev->pid); /* its round trip will never complete */
		return;
	}
}

/* ---- filters ---- */

/* The driver an event is about; false for events that have none (yield-wait, memop, exit, state). */
static bool event_driver(const struct hk_trace_event *ev, uint64_t *ret)
{
	const struct hk_trace_syscall *sc = &ev->u.syscall;

	switch (ev->kind) {
	case HK_TRACE_SYSCALL:
		if (sc->class_id == TOCK_CLASS_YIELD) {
			*ret = sc->arg[1];
			return sc->arg[0] == TOCK_YIELD_WAIT_FOR;
		}
		*ret = sc->arg[0];
		return sc->class_id != TOCK_CLASS_MEMOP && sc->class_id != TOCK_CLASS_EXIT && sc->class_id <= 7;
	case HK_TRACE_UPCALL:
	case HK_TRACE_UPCALL_DROPPED:
		*ret = ev->u.upcall.driver;
		return true;
	case HK_TRACE_COPY:
		*ret = ev->u.copy.driver;
		return true;
	default:
		return false;
	}
}

static bool involves(const struct hk_trace_event *ev, const struct hk_process *p, hk_pid pid)
{
	if (ev->pid == pid)
		return true;
	if (ev->kind == HK_TRACE_COPY && ev->u.copy.dst == pid)
		return true;
	return ev->kind == HK_TRACE_STATE && ev->u.state.new_pid == pid && p;
}

bool control_trace_match(struct control_service *cs, const struct control_trace_filter *f, const struct hk_trace_event *ev)
{
	uint64_t driver = 0;
	bool has_driver = event_driver(ev, &driver);

	if (f->has_pid && !involves(ev, ev->process, f->pid))
		return false;
	if (f->app[0]) {
		bool match = ev->process && !strcmp(hk_process_name(ev->process), f->app);

		if (!match && ev->kind == HK_TRACE_COPY) {
			const struct hk_process *dst = hk_process_lookup(cs->k, ev->u.copy.dst);

			match = dst && !strcmp(hk_process_name(dst), f->app);
		}
		if (!match)
			return false;
	}
	/* Lifecycle changes and faults always pass the driver filters: they explain what follows. */
	if (ev->kind == HK_TRACE_STATE)
		return true;
	if (f->has_driver)
		return has_driver && driver == f->driver;
	if (f->all)
		return true;
	return has_driver && driver <= UINT32_MAX && control_driver_is_ipc(cs->k, (uint32_t)driver);
}

/* ---- events as JSON ---- */

static const char *const kind_names[] = { "syscall", "upcall", "upcall_dropped", "copy", "state" };
static const char *const change_names[] = { "started", "faulted", "terminated", "restarted", "stopped", "resumed" };

static void add_app(struct control_service *cs, struct json_object *o, const char *key, hk_pid pid)
{
	const struct hk_process *p = hk_process_lookup(cs->k, pid);

	if (p)
		json_object_object_add(o, key, json_object_new_string(hk_process_name(p)));
}

struct json_object *control_trace_event_json(struct control_service *cs, const struct hk_trace_event *ev)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "v", json_object_new_int(1));
	json_object_object_add(o, "event", json_object_new_string(kind_names[ev->kind]));
	json_object_object_add(o, "t_ns", control_json_u64(basic_mono_ns() - cs->start_ns));
	json_object_object_add(o, "kernel_ns", control_json_u64(hk_now_ns(cs->k)));
	json_object_object_add(o, "pid", json_object_new_int64(ev->pid));
	if (ev->process)
		json_object_object_add(o, "app", json_object_new_string(hk_process_name(ev->process)));
	switch (ev->kind) {
	case HK_TRACE_SYSCALL:
		control_decode_syscall(cs, &ev->u.syscall, o);
		break;
	case HK_TRACE_UPCALL:
		control_decode_upcall(cs, &ev->u.upcall, o);
		json_object_object_add(o, "via", json_object_new_string(ev->u.upcall.wait_for ? "yield-wait-for" : "upcall"));
		break;
	case HK_TRACE_UPCALL_DROPPED:
		json_object_object_add(o, "driver", control_json_u64(ev->u.upcall.driver));
		json_object_object_add(o, "slot", json_object_new_int64(ev->u.upcall.slot));
		break;
	case HK_TRACE_COPY:
		json_object_object_add(o, "driver", control_json_u64(ev->u.copy.driver));
		if (control_driver_name(cs->k, ev->u.copy.driver))
			json_object_object_add(o, "driver_name",
			                       json_object_new_string(control_driver_name(cs->k, ev->u.copy.driver)));
		json_object_object_add(o, "to_pid", json_object_new_int64(ev->u.copy.dst));
		add_app(cs, o, "to_app", ev->u.copy.dst);
		json_object_object_add(o, "bytes", control_json_u64(ev->u.copy.bytes));
		json_object_object_add(o, "offered", control_json_u64(ev->u.copy.src_len));
		break;
	case HK_TRACE_STATE:
		json_object_object_add(o, "change", json_object_new_string(change_names[ev->u.state.change]));
		json_object_object_add(o, "state", json_object_new_string(hk_state_name(hk_process_state(ev->process))));
		if (ev->u.state.change == HK_TRACE_RESTARTED)
			json_object_object_add(o, "new_pid", json_object_new_int64(ev->u.state.new_pid));
		if (ev->u.state.cause)
			json_object_object_add(o, "cause", json_object_new_string(ev->u.state.cause));
		break;
	}
	return o;
}

/* ---- streaming ---- */

static void send_dropped(struct control_service *cs, struct control_client_state *s)
{
	struct json_object *o = json_object_new_object();
	size_t len;
	const char *txt;
	char buf[160];

	json_object_object_add(o, "v", json_object_new_int(1));
	json_object_object_add(o, "event", json_object_new_string("dropped"));
	json_object_object_add(o, "t_ns", control_json_u64(basic_mono_ns() - cs->start_ns));
	json_object_object_add(o, "count", control_json_u64(s->dropped));
	txt = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
	if (len + 1 < sizeof(buf)) {
		memcpy(buf, txt, len);
		buf[len] = '\n';
		if (hk_ctlsock_stream(s->client, buf, len + 1))
			s->dropped = 0;
	}
	json_object_put(o);
}

static void stream(struct control_service *cs, const struct hk_trace_event *ev)
{
	struct control_client_state *s, *next;
	struct json_object *o = NULL;
	char *line = NULL;
	size_t len = 0;

	for (s = cs->tracing; s; s = next) {
		next = s->next_trace; /* hk_ctlsock_stream may drop a stuck client (and unlink s) */
		if (!control_trace_match(cs, &s->filter, ev))
			continue;
		if (!line) {
			const char *txt;

			o = control_trace_event_json(cs, ev);
			txt = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
			line = malloc(len + 1);
			if (!line)
				break;
			memcpy(line, txt, len);
			line[len++] = '\n';
		}
		cs->stats.trace_events++;
		if (s->dropped)
			send_dropped(cs, s);
		if (s->dropped || !hk_ctlsock_stream(s->client, line, len)) {
			s->dropped++;
			cs->stats.trace_dropped++;
		}
	}
	free(line);
	json_object_put(o);
}

void control_tracer_event(struct hk_tracer *self, struct hk_kernel *k, const struct hk_trace_event *ev)
{
	struct control_service *cs = (struct control_service *)((char *)self - offsetof(struct control_service, tracer));

	(void)k;
	count(cs, ev);
	if (cs->tracing)
		stream(cs, ev);
}
