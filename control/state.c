/* Control replies built from kernel and capsule state: ps, services, relay, stats. Read-only. */
#include <stdlib.h>
#include <string.h>

#include "control/internal.h"
#include "capsules/ipc/ipc_identifier.h"
#include "capsules/ipc/ipc_registry_package_name.h"
#include "capsules/ipc/ipc_registry_string_name.h"
#include "capsules/ipc/ipc_relay_message.h"
#include "capsules/ipc/ipc_relay_request.h"
#include "hostkernel/kernel_ext.h"
#include "hostkernel/linux/process_ctl.h"
#include "hostkernel/linux/ctlsock.h"

static void add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, control_json_u64(v));
}

/* {"pid":…,"ipc_id":…,"app":…} for a process another one refers to. */
static struct json_object *process_ref(struct control_service *cs, uint64_t ipc_id)
{
	struct json_object *o = json_object_new_object();
	const struct hk_process *p = hk_process_lookup(cs->k, ipc_identifier_pid(ipc_id));

	json_object_object_add(o, "pid", json_object_new_int64(ipc_identifier_pid(ipc_id)));
	json_object_object_add(o, "ipc_id", control_json_id(ipc_id));
	json_object_object_add(o, "app", p ? json_object_new_string(hk_process_name(p)) : NULL);
	json_object_object_add(o, "alive", json_object_new_boolean(ipc_identifier_is_live(cs->k, ipc_id)));
	return o;
}

static struct json_object *memory_json(struct control_service *cs, const struct hk_process *p,
                                       const struct hk_process_stats *st)
{
	struct json_object *m = json_object_new_object();
	struct hk_linux_process_info info;

	if (hk_linux_process_info(cs->lx, p, &info) == 0) {
		add_u64(m, "ram_start", info.ram_start);
		add_u64(m, "ram_size", info.ram_size);
		add_u64(m, "flash_size", info.flash_size);
		add_u64(m, "stack_size", info.stack_size);
		if (st->app_break >= info.ram_start)
			add_u64(m, "app_break_offset", st->app_break - info.ram_start);
		json_object_object_add(m, "host_pid", info.host_pid ? json_object_new_int64(info.host_pid) : NULL);
	}
	add_u64(m, "grant_used", st->grant_bytes_used);
	add_u64(m, "grant_budget", st->grant_bytes_budget);
	return m;
}

static struct json_object *process_json(struct control_service *cs, struct hk_process *p)
{
	struct json_object *o = json_object_new_object();
	struct hk_process_stats st;
	hk_pid pid = hk_process_pid(p);
	const char *cause = hk_process_fault_cause(p);
	enum hk_state state = hk_process_state(p);

	hk_process_get_stats(p, &st);
	json_object_object_add(o, "pid", json_object_new_int64(pid));
	json_object_object_add(o, "ipc_id", control_json_id(ipc_identifier_make(pid, hk_process_short_id(cs->k, pid))));
	json_object_object_add(o, "name", json_object_new_string(hk_process_name(p)));
	json_object_object_add(o, "package", json_object_new_string(hk_process_package(p)));
	add_u64(o, "short_id", hk_process_short_id(cs->k, pid));
	json_object_object_add(o, "state", json_object_new_string(hk_state_name(state)));
	add_u64(o, "restarts", hk_process_restart_count(p));
	add_u64(o, "syscalls", st.syscalls);
	add_u64(o, "upcalls_delivered", st.upcalls_delivered);
	add_u64(o, "upcalls_queued", st.upcalls_queued);
	add_u64(o, "upcalls_dropped", st.upcalls_dropped);
	add_u64(o, "upcalls_coalesced", st.upcalls_coalesced);
	json_object_object_add(o, "memory", memory_json(cs, p, &st));
	json_object_object_add(o, "completion_code", hk_process_has_completion_code(p) ?
	                       json_object_new_int64((int32_t)hk_process_completion_code(p)) : NULL);
	json_object_object_add(o, "fault_cause", cause && state == HK_STATE_FAULTED ? json_object_new_string(cause) : NULL);
	return o;
}

void control_add_ps(struct control_service *cs, struct json_object *reply)
{
	struct json_object *arr = json_object_new_array();
	size_t n = hk_process_count(cs->k);

	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, process_json(cs, hk_process_at(cs->k, i)));
	json_object_object_add(reply, "kernel_time_ns", control_json_u64(hk_now_ns(cs->k)));
	json_object_object_add(reply, "processes", arr);
}

/* ---- services ---- */

static struct json_object *registry_json(bool enabled, uint32_t driver)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "enabled", json_object_new_boolean(enabled));
	if (enabled)
		add_u64(o, "driver", driver);
	return o;
}

static void add_holder(struct control_service *cs, struct json_object *e, hk_pid pid, uint64_t id)
{
	const struct hk_process *p = hk_process_lookup(cs->k, pid);

	json_object_object_add(e, "pid", json_object_new_int64(pid));
	json_object_object_add(e, "ipc_id", control_json_id(id));
	json_object_object_add(e, "app", p ? json_object_new_string(hk_process_name(p)) : NULL);
}

void control_add_services(struct control_service *cs, struct json_object *reply)
{
	const struct control_ipc *ipc = &cs->ipc;
	struct json_object *sn = registry_json(ipc->string_name, ipc->string_name_driver);
	struct json_object *pn = registry_json(ipc->package_name, ipc->package_name_driver);
	struct json_object *arr;
	const uint8_t *name;
	size_t cursor = 0, len;
	uint64_t id;
	hk_pid pid;

	arr = json_object_new_array();
	while (ipc->string_name && ipc_registry_string_name_next(ipc->string_name, &cursor, &pid, &id, &name)) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "name", control_json_bytes(name, IPC_STRING_NAME_LEN));
		json_object_object_add(e, "name_hex", control_json_hex(name, IPC_STRING_NAME_LEN));
		add_holder(cs, e, pid, id);
		json_object_array_add(arr, e);
	}
	json_object_object_add(sn, "services", arr);
	arr = json_object_new_array();
	cursor = 0;
	while (ipc->package_name && ipc_registry_package_name_next(ipc->package_name, &cursor, &pid, &id, &name, &len)) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "name", control_json_bytes(name, len > 256 ? 256 : len));
		add_holder(cs, e, pid, id);
		json_object_array_add(arr, e);
	}
	json_object_object_add(pn, "services", arr);
	json_object_object_add(reply, "string_name", sn);
	json_object_object_add(reply, "package_name", pn);
}

/* ---- relay ---- */

static const char *role_name(enum ipc_relay_request_role r)
{
	switch (r) {
	case IPC_RELAY_REQUEST_CLIENT_WAITING: return "waiting";
	case IPC_RELAY_REQUEST_CLIENT_IN_SERVICE: return "in_service";
	case IPC_RELAY_REQUEST_SERVER: return "serving";
	default: return "idle";
	}
}

/* One server: enabled, its waiting clients, the transaction it is serving. */
static struct json_object *server_json(struct control_service *cs, const struct ipc_relay_request_info *srv)
{
	struct json_object *o = json_object_new_object(), *waiting = json_object_new_array();
	struct ipc_relay_request_info c;
	size_t cursor = 0;

	add_holder(cs, o, srv->pid, srv->id);
	json_object_object_add(o, "enabled", json_object_new_boolean(srv->enabled));
	add_u64(o, "waiting_count", srv->waiting);
	while (ipc_relay_request_next(cs->ipc.relay_request, &cursor, &c))
		if (c.role == IPC_RELAY_REQUEST_CLIENT_WAITING && c.peer == srv->id)
			json_object_array_add(waiting, process_ref(cs, c.id));
	json_object_object_add(o, "waiting", waiting);
	json_object_object_add(o, "in_service", srv->role == IPC_RELAY_REQUEST_SERVER ? process_ref(cs, srv->peer) : NULL);
	return o;
}

static struct json_object *relay_request_json(struct control_service *cs)
{
	struct json_object *o = registry_json(cs->ipc.relay_request, cs->ipc.relay_request_driver);
	struct json_object *servers = json_object_new_array(), *procs = json_object_new_array();
	struct ipc_relay_request_info info;
	size_t cursor = 0;

	while (cs->ipc.relay_request && ipc_relay_request_next(cs->ipc.relay_request, &cursor, &info)) {
		struct json_object *p = json_object_new_object();

		if (info.enabled || info.role == IPC_RELAY_REQUEST_SERVER)
			json_object_array_add(servers, server_json(cs, &info));
		add_holder(cs, p, info.pid, info.id);
		json_object_object_add(p, "enabled", json_object_new_boolean(info.enabled));
		json_object_object_add(p, "role", json_object_new_string(role_name(info.role)));
		json_object_object_add(p, "peer", info.role != IPC_RELAY_REQUEST_IDLE ? process_ref(cs, info.peer) : NULL);
		json_object_array_add(procs, p);
	}
	json_object_object_add(o, "servers", servers);
	json_object_object_add(o, "processes", procs);
	return o;
}

static struct json_object *relay_message_json(struct control_service *cs)
{
	struct json_object *o = registry_json(cs->ipc.relay_message, cs->ipc.relay_message_driver);
	struct json_object *arr = json_object_new_array();
	struct ipc_relay_message_info info;
	size_t cursor = 0;
	hk_pid pid;

	while (cs->ipc.relay_message && hk_process_next(cs->k, &cursor, &pid)) {
		struct json_object *r;

		/* A pure sender has a grant too: list only processes that ever received. */
		if (ipc_relay_message_info(cs->ipc.relay_message, pid, &info) < 0 ||
		    (!info.enabled && !info.slice_len && !info.messages && !info.dropped))
			continue;
		r = json_object_new_object();
		add_holder(cs, r, pid, ipc_identifier_of(cs->k, pid));
		json_object_object_add(r, "enabled", json_object_new_boolean(info.enabled));
		add_u64(r, "slice_len", info.slice_len);
		add_u64(r, "fill", info.offset);
		add_u64(r, "capacity", info.slice_len > 8 ? info.slice_len - 8 : 0);
		json_object_object_add(r, "exceeded", json_object_new_boolean(info.exceeded));
		json_object_object_add(r, "halted", json_object_new_boolean(info.halted));
		add_u64(r, "allowlist_entries", info.allowlist_entries);
		add_u64(r, "messages", info.messages);
		add_u64(r, "bytes", info.bytes);
		add_u64(r, "dropped", info.dropped);
		json_object_array_add(arr, r);
	}
	json_object_object_add(o, "receivers", arr);
	return o;
}

void control_add_relay(struct control_service *cs, struct json_object *reply)
{
	json_object_object_add(reply, "relay_request", relay_request_json(cs));
	json_object_object_add(reply, "relay_message", relay_message_json(cs));
}

/* ---- stats ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct json_object *latency_json(const struct control_stats *s)
{
	struct json_object *o = json_object_new_object();
	size_t n = s->n_latency < CONTROL_LATENCY_WINDOW ? (size_t)s->n_latency : CONTROL_LATENCY_WINDOW;
	uint64_t *v = n ? malloc(n * sizeof(*v)) : NULL, sum = 0;

	add_u64(o, "completed", s->n_latency);
	add_u64(o, "failed", s->rpc_failed);
	add_u64(o, "in_flight", s->n_pending);
	add_u64(o, "window", n);
	if (v) {
		memcpy(v, s->latency, n * sizeof(*v));
		qsort(v, n, sizeof(*v), cmp_u64);
		for (size_t i = 0; i < n; i++)
			sum += v[i];
		/* Nearest rank: the smallest sample with at least p% of the window at or below it. */
		add_u64(o, "p50_ns", v[(n * 50 + 99) / 100 - 1]);
		add_u64(o, "p99_ns", v[(n * 99 + 99) / 100 - 1]);
		add_u64(o, "max_ns", v[n - 1]);
		add_u64(o, "mean_ns", sum / n);
		free(v);
	}
	return o;
}

void control_add_stats(struct control_service *cs, struct json_object *reply)
{
	const struct control_stats *s = &cs->stats;
	struct json_object *drivers = json_object_new_array(), *ctl = json_object_new_object();
	struct hk_ctlsock_stats sock;

	for (size_t i = 0; i < s->n_drivers; i++) {
		const struct control_driver_stats *d = &s->drivers[i];
		struct json_object *o = json_object_new_object();
		const char *name = control_driver_name(cs->k, d->driver);

		add_u64(o, "driver", d->driver);
		json_object_object_add(o, "name", name ? json_object_new_string(name) : NULL);
		add_u64(o, "commands", d->commands);
		add_u64(o, "command_failures", d->command_failures);
		add_u64(o, "subscribes", d->subscribes);
		add_u64(o, "allows", d->allows);
		add_u64(o, "upcalls", d->upcalls);
		add_u64(o, "upcalls_dropped", d->upcalls_dropped);
		add_u64(o, "copies", d->copies);
		add_u64(o, "bytes_copied", d->bytes_copied);
		json_object_array_add(drivers, o);
	}
	hk_ctlsock_get_stats(cs->srv, &sock);
	add_u64(ctl, "clients", sock.clients);
	add_u64(ctl, "accepted", sock.accepted);
	add_u64(ctl, "refused", sock.refused);
	add_u64(ctl, "dropped_slow", sock.dropped_slow);
	add_u64(ctl, "bad_requests", sock.bad_requests);
	add_u64(ctl, "trace_events", s->trace_events);
	add_u64(ctl, "trace_dropped", s->trace_dropped);
	add_u64(reply, "syscalls", s->syscalls);
	add_u64(reply, "uptime_ns", basic_mono_ns() - cs->start_ns);
	json_object_object_add(reply, "drivers", drivers);
	json_object_object_add(reply, "relay_request_latency", latency_json(s));
	json_object_object_add(reply, "control", ctl);
}
