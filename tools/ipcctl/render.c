/* ipcctl's human tables for ps, services, relay and stats, built from the protocol's JSON replies. */
#include "tools/ipcctl/render.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "tools/ipcctl/table.h"

struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v && !json_object_is_type(v, json_type_null) ? json_object_get_string(v) : "";
}

uint64_t ju64(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v && json_object_is_type(v, json_type_int) ? json_object_get_uint64(v) : 0;
}

bool jbool(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v && json_object_get_boolean(v);
}

static const char *state_color(const char *state)
{
	if (!strcmp(state, "Faulted"))
		return IPCCTL_RED;
	if (!strcmp(state, "Stopped"))
		return IPCCTL_YELLOW;
	if (!strcmp(state, "Terminated"))
		return IPCCTL_DIM;
	return NULL;
}

/* 1536 -> "1.5K": memory columns stay narrow. */
static const char *human_bytes(uint64_t v, char *buf, size_t len)
{
	if (v < 1024)
		snprintf(buf, len, "%" PRIu64, v);
	else if (v < 1024 * 1024)
		snprintf(buf, len, "%.1fK", (double)v / 1024);
	else
		snprintf(buf, len, "%.1fM", (double)v / (1024 * 1024));
	return buf;
}

void render_ps(struct json_object *reply, bool color)
{
	static const char *const h[] = { ">PID", "IPC ID", "NAME", "PACKAGE", "STATE", ">RESTARTS", ">SYSCALLS",
		                         ">UPCALLS", ">QUEUED", ">DROPPED", ">RAM", ">GRANT", ">HOST PID" };
	struct json_object *procs = jget(reply, "processes");
	struct table t;
	size_t n = procs ? json_object_array_length(procs) : 0;

	table_init(&t, sizeof(h) / sizeof(h[0]), h);
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(procs, i), *m = jget(p, "memory");
		char c[8][32], ram[32], grant[64], b1[16], b2[16], b3[16];
		const char *state = jstr(p, "state");

		snprintf(c[0], 32, "%" PRIu64, ju64(p, "pid"));
		snprintf(c[1], 32, "%" PRIu64, ju64(p, "restarts"));
		snprintf(c[2], 32, "%" PRIu64, ju64(p, "syscalls"));
		snprintf(c[3], 32, "%" PRIu64, ju64(p, "upcalls_delivered"));
		snprintf(c[4], 32, "%" PRIu64, ju64(p, "upcalls_queued"));
		snprintf(c[5], 32, "%" PRIu64, ju64(p, "upcalls_dropped"));
		snprintf(ram, sizeof(ram), "%s", human_bytes(ju64(m, "ram_size"), b1, sizeof(b1)));
		snprintf(grant, sizeof(grant), "%s/%s", human_bytes(ju64(m, "grant_used"), b2, sizeof(b2)),
		         human_bytes(ju64(m, "grant_budget"), b3, sizeof(b3)));
		snprintf(c[6], 32, "%" PRIu64, ju64(m, "host_pid"));
		{
			const char *cells[] = { c[0], jstr(p, "ipc_id"), jstr(p, "name"), jstr(p, "package"), state, c[1],
				                c[2], c[3], c[4], c[5], ram, grant, ju64(m, "host_pid") ? c[6] : "-" };

			table_add(&t, state_color(state), cells);
		}
	}
	table_print(&t, color);
	table_free(&t);
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);

		if (*jstr(p, "fault_cause"))
			printf("%s[%" PRIu64 "] faulted: %s\n", jstr(p, "name"), ju64(p, "pid"), jstr(p, "fault_cause"));
	}
}

static void render_registry(const char *title, struct json_object *reg, bool color, bool hex)
{
	static const char *const h[] = { "NAME", ">PID", "IPC ID", "APP", "NAME (HEX)" };
	struct json_object *svcs = jget(reg, "services");
	struct table t;
	size_t n = svcs ? json_object_array_length(svcs) : 0;

	if (!jbool(reg, "enabled")) {
		printf("%s: off on this board\n", title);
		return;
	}
	printf("%s (driver 0x%" PRIx64 "): %zu registered\n", title, ju64(reg, "driver"), n);
	if (!n)
		return;
	table_init(&t, hex ? 5 : 4, h);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(svcs, i);
		char pid[16];
		const char *cells[5];

		snprintf(pid, sizeof(pid), "%" PRIu64, ju64(e, "pid"));
		cells[0] = jstr(e, "name");
		cells[1] = pid;
		cells[2] = jstr(e, "ipc_id");
		cells[3] = jstr(e, "app");
		cells[4] = jstr(e, "name_hex");
		table_add(&t, NULL, cells);
	}
	table_print(&t, color);
	table_free(&t);
}

void render_services(struct json_object *reply, bool color)
{
	render_registry("String-name registry", jget(reply, "string_name"), color, true);
	printf("\n");
	render_registry("Package-name registry", jget(reply, "package_name"), color, false);
}

/* "echo_client[3]" for a process reference. */
static const char *ref(struct json_object *r, char *buf, size_t len)
{
	if (!r || json_object_is_type(r, json_type_null))
		return "-";
	snprintf(buf, len, "%s[%" PRIu64 "]%s", *jstr(r, "app") ? jstr(r, "app") : "?", ju64(r, "pid"),
	         jbool(r, "alive") ? "" : " (gone)");
	return buf;
}

static void render_relay_request(struct json_object *rr, bool color)
{
	static const char *const h[] = { "SERVER", "IPC ID", "ENABLED", ">WAITING", "WAITING CLIENTS", "IN SERVICE" };
	struct json_object *servers = jget(rr, "servers");
	size_t n = servers ? json_object_array_length(servers) : 0;
	struct table t;

	if (!jbool(rr, "enabled")) {
		printf("Relay Request: off on this board\n");
		return;
	}
	printf("Relay Request (driver 0x%" PRIx64 "): %zu server(s)\n", ju64(rr, "driver"), n);
	if (!n)
		return;
	table_init(&t, 6, h);
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(servers, i), *w = jget(s, "waiting");
		char name[96], nwait[16], clients[512] = "", rbuf[96], svc[96];
		size_t off = 0;

		snprintf(name, sizeof(name), "%s[%" PRIu64 "]", jstr(s, "app"), ju64(s, "pid"));
		snprintf(nwait, sizeof(nwait), "%zu", w ? json_object_array_length(w) : 0);
		for (size_t j = 0; w && j < json_object_array_length(w) && off < sizeof(clients); j++)
			off += (size_t)snprintf(clients + off, sizeof(clients) - off, "%s%s", j ? ", " : "",
			                        ref(json_object_array_get_idx(w, j), rbuf, sizeof(rbuf)));
		{
			const char *cells[] = { name, jstr(s, "ipc_id"), jbool(s, "enabled") ? "yes" : "no", nwait,
				                clients[0] ? clients : "-", ref(jget(s, "in_service"), svc, sizeof(svc)) };

			table_add(&t, jbool(s, "enabled") ? NULL : IPCCTL_DIM, cells);
		}
	}
	table_print(&t, color);
	table_free(&t);
}

static void render_relay_message(struct json_object *rm, bool color)
{
	static const char *const h[] = { "RECEIVER", "ENABLED", ">SLICE", ">FILL", "EXCEEDED", "HALT",
		                         ">ALLOWLIST", ">MESSAGES", ">BYTES", ">DROPPED" };
	struct json_object *recv = jget(rm, "receivers");
	size_t n = recv ? json_object_array_length(recv) : 0;
	struct table t;

	if (!jbool(rm, "enabled")) {
		printf("Relay Message: off on this board\n");
		return;
	}
	printf("Relay Message (driver 0x%" PRIx64 "): %zu receiver(s)\n", ju64(rm, "driver"), n);
	if (!n)
		return;
	table_init(&t, 10, h);
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(recv, i);
		char v[7][32], name[96];

		snprintf(name, sizeof(name), "%s[%" PRIu64 "]", jstr(r, "app"), ju64(r, "pid"));
		snprintf(v[0], 32, "%" PRIu64, ju64(r, "slice_len"));
		snprintf(v[1], 32, "%" PRIu64 "/%" PRIu64, ju64(r, "fill"), ju64(r, "capacity"));
		snprintf(v[2], 32, "%" PRIu64, ju64(r, "allowlist_entries"));
		snprintf(v[3], 32, "%" PRIu64, ju64(r, "messages"));
		snprintf(v[4], 32, "%" PRIu64, ju64(r, "bytes"));
		snprintf(v[5], 32, "%" PRIu64, ju64(r, "dropped"));
		{
			const char *cells[] = { name, jbool(r, "enabled") ? "yes" : "no", v[0], v[1],
				                jbool(r, "exceeded") ? "yes" : "no", jbool(r, "halted") ? "yes" : "no",
				                v[2], v[3], v[4], v[5] };

			table_add(&t, jbool(r, "exceeded") ? IPCCTL_YELLOW : NULL, cells);
		}
	}
	table_print(&t, color);
	table_free(&t);
}

void render_relay(struct json_object *reply, bool color)
{
	render_relay_request(jget(reply, "relay_request"), color);
	printf("\n");
	render_relay_message(jget(reply, "relay_message"), color);
}

static const char *duration(uint64_t ns, char *buf, size_t len)
{
	if (ns < 10000)
		snprintf(buf, len, "%" PRIu64 " ns", ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1f us", (double)ns / 1e3);
	else
		snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
	return buf;
}

void render_stats(struct json_object *reply, bool color)
{
	static const char *const h[] = { "DRIVER", "NAME", ">COMMANDS", ">FAILED", ">SUBSCRIBES", ">ALLOWS",
		                         ">UPCALLS", ">DROPPED", ">COPIES", ">BYTES" };
	struct json_object *drivers = jget(reply, "drivers"), *lat = jget(reply, "relay_request_latency");
	struct json_object *ctl = jget(reply, "control");
	size_t n = drivers ? json_object_array_length(drivers) : 0;
	char a[32], b[32], c[32];
	struct table t;

	table_init(&t, 10, h);
	for (size_t i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(drivers, i);
		char v[9][32];
		static const char *const keys[] = { "commands", "command_failures", "subscribes", "allows",
			                            "upcalls", "upcalls_dropped", "copies", "bytes_copied" };

		snprintf(v[0], 32, "0x%" PRIx64, ju64(d, "driver"));
		for (int k = 0; k < 8; k++)
			snprintf(v[k + 1], 32, "%" PRIu64, ju64(d, keys[k]));
		{
			const char *cells[] = { v[0], *jstr(d, "name") ? jstr(d, "name") : "(none)", v[1], v[2], v[3],
				                v[4], v[5], v[6], v[7], v[8] };

			table_add(&t, NULL, cells);
		}
	}
	table_print(&t, color);
	table_free(&t);
	printf("\nRelay Request round trips (send -> response delivered): %" PRIu64 " completed, %" PRIu64
	       " failed, %" PRIu64 " in flight\n",
	       ju64(lat, "completed"), ju64(lat, "failed"), ju64(lat, "in_flight"));
	if (ju64(lat, "window"))
		printf("  over the last %" PRIu64 ": p50 %s, p99 %s, max %s\n", ju64(lat, "window"),
		       duration(ju64(lat, "p50_ns"), a, sizeof(a)), duration(ju64(lat, "p99_ns"), b, sizeof(b)),
		       duration(ju64(lat, "max_ns"), c, sizeof(c)));
	printf("\nsyscalls %" PRIu64 "; control clients %" PRIu64 " (accepted %" PRIu64 ", refused %" PRIu64
	       ", dropped as stuck %" PRIu64 ", bad requests %" PRIu64 "); trace events %" PRIu64 ", dropped %" PRIu64
	       "\n",
	       ju64(reply, "syscalls"), ju64(ctl, "clients"), ju64(ctl, "accepted"), ju64(ctl, "refused"),
	       ju64(ctl, "dropped_slow"), ju64(ctl, "bad_requests"), ju64(ctl, "trace_events"),
	       ju64(ctl, "trace_dropped"));
}

void render_control(struct json_object *reply, bool color)
{
	(void)color;
	if (ju64(reply, "new_pid") != ju64(reply, "pid"))
		printf("%s: ProcessId %" PRIu64 " -> %" PRIu64 ", now %s\n", jstr(reply, "app"), ju64(reply, "pid"),
		       ju64(reply, "new_pid"), jstr(reply, "state"));
	else
		printf("%s[%" PRIu64 "]: now %s\n", jstr(reply, "app"), ju64(reply, "pid"), jstr(reply, "state"));
}

void render_hello(struct json_object *reply, bool color)
{
	(void)color;
	printf("tockhost supervisor pid %" PRIu64 ", protocol v%" PRIu64 ", socket %s, %s time, up %.1f s\n",
	       ju64(reply, "supervisor_pid"), ju64(reply, "protocol"), jstr(reply, "socket"),
	       jbool(reply, "virtual_time") ? "virtual" : "real", (double)ju64(reply, "uptime_ns") / 1e9);
}
