/* Integration tests of ipcctl against a running tockhost: state JSON, the trace of one RPC, process control, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "test_ipcctl_util.h"
#include "th_suite.h"

#define PAIR_ARGS th_app("ipcctl_server"), th_app("ipcctl_client")

/* ps, services and relay of a running echo pair match what the two apps did. */
START_TEST(test_state_json)
{
	struct th_proc p;
	struct th_result r;
	struct json_object *ps, *svc, *rel;
	char sock[256];

	ic_start(&p, sock, "state", "ipcctl_client: message sent", IC_ARGS(PAIR_ARGS));
	ps = ic_json(&p, sock, IC_ARGS("ps", "--json"));
	ck_assert_int_eq(json_object_array_length(ic_get(ps, "processes")), 2);
	ck_assert_str_eq(ic_str(ps, "processes.0.name"), "ipcctl_server");
	ck_assert_str_eq(ic_str(ps, "processes.1.name"), "ipcctl_client");
	ck_assert_str_eq(ic_str(ps, "processes.1.package"), "ipcctl_client");
	ck_assert_int_eq(ic_int(ps, "processes.0.pid"), 0);
	ck_assert_str_eq(ic_str(ps, "processes.1.ipc_id"), "0x0000000000000001");
	ck_assert_int_eq(ic_int(ps, "processes.0.restarts"), 0);
	ck_assert_int_gt(ic_int(ps, "processes.1.syscalls"), 0);
	ck_assert_int_gt(ic_int(ps, "processes.1.upcalls_delivered"), 0);
	ck_assert_int_eq(ic_int(ps, "processes.0.memory.grant_budget"), 8192);
	ck_assert_int_gt(ic_int(ps, "processes.0.memory.grant_used"), 0);
	ck_assert_int_gt(ic_int(ps, "processes.0.memory.host_pid"), 0);
	ck_assert_str_ne(ic_str(ps, "processes.0.state"), "Faulted");

	svc = ic_json(&p, sock, IC_ARGS("services", "--json"));
	ck_assert_int_eq(json_object_array_length(ic_get(svc, "string_name.services")), 1);
	ck_assert_str_eq(ic_str(svc, "string_name.services.0.name"), "ipcctl_server");
	ck_assert_str_eq(ic_str(svc, "string_name.services.0.app"), "ipcctl_server");
	ck_assert_int_eq(ic_int(svc, "string_name.services.0.pid"), 0);
	ck_assert_str_eq(ic_str(svc, "package_name.services.0.name"), "ipcctl_server");
	ck_assert_int_eq(json_object_array_length(ic_get(svc, "package_name.services")), 1);

	rel = ic_json(&p, sock, IC_ARGS("relay", "--json"));
	ck_assert_int_eq(json_object_array_length(ic_get(rel, "relay_request.servers")), 1);
	ck_assert_str_eq(ic_str(rel, "relay_request.servers.0.app"), "ipcctl_server");
	ck_assert_int_eq(ic_int(rel, "relay_request.servers.0.enabled"), 1);
	/* The server's receiver: a 256-byte slice, the client allowlisted, its one 10-byte message (12-byte header). */
	ck_assert_int_eq(json_object_array_length(ic_get(rel, "relay_message.receivers")), 1);
	ck_assert_str_eq(ic_str(rel, "relay_message.receivers.0.app"), "ipcctl_server");
	ck_assert_int_eq(ic_int(rel, "relay_message.receivers.0.enabled"), 1);
	ck_assert_int_eq(ic_int(rel, "relay_message.receivers.0.slice_len"), 256);
	ck_assert_int_eq(ic_int(rel, "relay_message.receivers.0.allowlist_entries"), 1);
	ck_assert_int_eq(ic_int(rel, "relay_message.receivers.0.messages"), 1);
	ck_assert_int_eq(ic_int(rel, "relay_message.receivers.0.bytes"), 10);
	ck_assert_int_eq(ic_int(rel, "relay_message.receivers.0.fill"), 22);
	ck_assert_int_eq(ic_int(rel, "relay_message.receivers.0.exceeded"), 0);
	ck_assert_int_eq(ic_int(rel, "relay_message.receivers.0.dropped"), 0);
	json_object_put(ps);
	json_object_put(svc);
	json_object_put(rel);
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_result_free(&r);
}
END_TEST

/* A client blocked on a server that never takes requests shows as waiting on it. */
START_TEST(test_relay_waiting)
{
	struct th_proc p;
	struct th_result r;
	struct json_object *rel;
	char sock[256];

	ic_start(&p, sock, "waiting", "ipcctl_waiter: waiting",
	         IC_ARGS(th_app("ipcctl_stuck"), th_app("ipcctl_waiter")));
	rel = ic_json(&p, sock, IC_ARGS("relay", "--json"));
	ck_assert_str_eq(ic_str(rel, "relay_request.servers.0.app"), "ipcctl_stuck");
	ck_assert_int_eq(ic_int(rel, "relay_request.servers.0.waiting_count"), 1);
	ck_assert_str_eq(ic_str(rel, "relay_request.servers.0.waiting.0.app"), "ipcctl_waiter");
	ck_assert_ptr_null(ic_get(rel, "relay_request.servers.0.in_service"));
	ck_assert_str_eq(ic_str(rel, "relay_request.processes.1.role"), "waiting");
	ck_assert_str_eq(ic_str(rel, "relay_request.processes.1.peer.app"), "ipcctl_stuck");
	json_object_put(rel);
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_result_free(&r);
}
END_TEST

struct rpc_step {
	const char *event, *op; /* op: the command's or upcall's decoded name ("" for copies) */
	int actor;              /* 0 server, 1 client: whose event it is */
	long long bytes;        /* copies: bytes moved; upcall response / get: len; -1 unchecked */
};

/* One RPC, in the order the kernel does it (a copy is reported inside the command that made it). */
static const struct rpc_step rpc_steps[] = {
	{ "syscall", "send", 1, -1 },           { "upcall", "request_waiting", 0, -1 },
	{ "copy", "", 1, 16 },                  { "syscall", "get", 0, 16 },
	{ "copy", "", 0, 24 },                  { "syscall", "respond", 0, -1 },
	{ "upcall", "response", 1, 24 },
};

/* Commands that succeeded, upcalls and copies: the server's polling `get` that finds nothing is noise. */
static bool rpc_relevant(struct json_object *ev)
{
	const char *e = ic_str(ev, "event");

	if (!strcmp(e, "upcall") || !strcmp(e, "copy"))
		return true;
	return !strcmp(e, "syscall") && !strcmp(ic_str(ev, "class"), "command") &&
	       !strncmp(ic_str(ev, "result.variant"), "Success", 7);
}

static void check_rpc(struct json_object **ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct rpc_step *s = &rpc_steps[i];
		long long got = !strcmp(s->event, "copy") ? ic_int(ev[i], "bytes") :
		                !strcmp(s->op, "get") ? ic_int(ev[i], "result.len") : ic_int(ev[i], "len");

		ck_assert_msg(!strcmp(ic_str(ev[i], "event"), s->event) && !strcmp(ic_str(ev[i], "op"), s->op),
		              "step %zu: want %s %s, got %s", i, s->event, s->op, json_object_to_json_string(ev[i]));
		ck_assert_msg(ic_int(ev[i], "pid") == (s->actor ? 1 : 0), "step %zu: wrong process", i);
		if (s->bytes >= 0)
			ck_assert_msg(got == s->bytes, "step %zu: %lld bytes, want %lld", i, got, s->bytes);
	}
	ck_assert_str_eq(ic_str(ev[0], "server"), "0x0000000000000000");
	ck_assert_str_eq(ic_str(ev[1], "client"), "0x0000000000000001");
	ck_assert_int_eq(ic_int(ev[2], "to_pid"), 0);
	ck_assert_int_eq(ic_int(ev[4], "to_pid"), 1);
	ck_assert_str_eq(ic_str(ev[6], "status"), "OK");
}

/* trace --json shows one RPC as exactly send, request-waiting upcall, get, respond, response upcall. */
START_TEST(test_trace_rpc)
{
	struct json_object *ev[TH_ARRAY_SIZE(rpc_steps)] = { 0 };
	struct th_proc p;
	struct th_result r;
	struct ic_out out;
	struct th_lines lines;
	size_t n = 0;
	char sock[256];

	ic_start(&p, sock, "trace", "ipcctl_client: rpc 1 ok", IC_ARGS(PAIR_ARGS));
	ic_run(&out, &p, sock, IC_ARGS("trace", "--json", "--driver", "0xA0010", "-n", "200"));
	ck_assert_msg(out.code == 0, "trace: exit %d: %s", out.code, out.err);
	th_lines_split(out.out, &lines);
	for (size_t i = 0; i < lines.n && n < TH_ARRAY_SIZE(rpc_steps); i++) {
		struct json_object *o = json_tokener_parse(lines.v[i]);

		ck_assert_msg(o, "not a JSON line: %s", lines.v[i]);
		ck_assert_int_eq(ic_int(o, "driver"), 0xA0010);
		/* Start at the first send; keep the RPC's events in order. */
		if ((n > 0 || !strcmp(ic_str(o, "op"), "send")) && rpc_relevant(o))
			ev[n++] = json_object_get(o);
		json_object_put(o);
	}
	ck_assert_msg(n == TH_ARRAY_SIZE(rpc_steps), "only %zu events of an RPC in:\n%s", n, out.out);
	check_rpc(ev, n);
	for (size_t i = 0; i < n; i++)
		json_object_put(ev[i]);
	th_lines_free(&lines);
	ic_out_free(&out);
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_result_free(&r);
}
END_TEST

/* The first event of `op` in JSON trace lines, or NULL. Release with json_object_put. */
static struct json_object *find_op(const struct th_lines *lines, const char *op)
{
	for (size_t i = 0; i < lines->n; i++) {
		struct json_object *o = json_tokener_parse(lines->v[i]);

		ck_assert_msg(o, "not a JSON line: %s", lines->v[i]);
		if (!strcmp(ic_str(o, "op"), op))
			return o;
		json_object_put(o);
	}
	return NULL;
}

/*
 * IPC Share decodes like every described driver: commands named, their arguments and results
 * named by tock/drivers/ipc_share.h (trace --json), and ipcctl's text shows the same fields.
 */
START_TEST(test_trace_share)
{
	struct json_object *create, *map, *allow;
	struct th_proc p;
	struct th_result r;
	struct ic_out out;
	struct th_lines lines;
	char sock[256];

	ic_start(&p, sock, "share", "share_cycles: cycle 100", IC_ARGS(th_app("share_owner"), th_app("share_cycles")));
	ic_run(&out, &p, sock, IC_ARGS("trace", "--json", "--driver", "0xA0020", "-n", "24"));
	ck_assert_msg(out.code == 0, "trace: exit %d: %s", out.code, out.err);
	th_lines_split(out.out, &lines);
	create = find_op(&lines, "create");
	map = find_op(&lines, "map");
	ck_assert_msg(create && map, "no create or map in:\n%s", out.out);
	ck_assert_str_eq(ic_str(create, "driver_name"), "ipc_share");
	ck_assert_int_eq(ic_int(create, "size"), 4096);
	ck_assert_str_eq(ic_str(create, "fields.0"), "size");
	ck_assert_str_eq(ic_str(create, "result.variant"), "SuccessU32U64");
	ck_assert_int_gt(ic_int(create, "result.region"), 100);
	ck_assert_int_eq(ic_int(create, "result.address"), ic_int(create, "result.values.1"));
	ck_assert_str_eq(ic_str(map, "app"), "share_cycles");
	ck_assert_int_eq(ic_int(map, "region"), ic_int(map, "args.0"));
	ck_assert_int_eq(ic_int(map, "result.size"), 4096);
	ck_assert_int_gt(ic_int(map, "result.address"), 0);
	json_object_put(create);
	json_object_put(map);
	/* Allow slots are named too: the grant request is RO allow 0 "request". */
	for (size_t i = 0; i < lines.n; i++) {
		allow = json_tokener_parse(lines.v[i]);
		if (!strcmp(ic_str(allow, "class"), "allow_ro"))
			ck_assert_str_eq(ic_str(allow, "slot_name"), "request");
		json_object_put(allow);
	}
	th_lines_free(&lines);
	ic_out_free(&out);

	ic_run(&out, &p, sock, IC_ARGS("trace", "--driver", "0xA0020", "-n", "24"));
	ck_assert_msg(out.code == 0, "trace: exit %d: %s", out.code, out.err);
	ck_assert_msg(strstr(out.out, "command ipc_share.create size=4096 -> SuccessU32U64 region="), "text trace:\n%s",
	              out.out);
	ck_assert_msg(strstr(out.out, "command ipc_share.map region="), "text trace:\n%s", out.out);
	ck_assert_msg(strstr(out.out, "-> SuccessU32U64 size=4096 address="), "text trace:\n%s", out.out);
	ic_out_free(&out);
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_result_free(&r);
}
END_TEST

/* `fault` has the consequences of a real fault: report, policy, the waiting client told NODEVICE. */
START_TEST(test_fault_notifies_client)
{
	struct th_proc p;
	struct th_result r;
	struct ic_out out;
	struct json_object *ps;
	char sock[256];

	ic_start(&p, sock, "fault", "ipcctl_waiter: waiting",
	         IC_ARGS("--fault-policy", "restart", th_app("ipcctl_stuck"), th_app("ipcctl_waiter")));
	ic_run(&out, &p, sock, IC_ARGS("fault", "ipcctl_stuck"));
	ck_assert_msg(out.code == 0, "fault: exit %d: %s", out.code, out.err);
	ic_out_free(&out);
	ck_assert_msg(th_wait_stdout(&p, "ipcctl_waiter: transaction ended: NODEVICE"), "no NODEVICE for the client");
	ps = ic_json(&p, sock, IC_ARGS("ps", "--json"));
	ck_assert_int_eq(ic_int(ps, "processes.0.restarts"), 1);
	ck_assert_int_eq(ic_int(ps, "processes.0.pid"), 2);
	json_object_put(ps);
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, strstr(r.err, "process 'ipcctl_stuck' (ProcessId 0) faulted: fault injected by ipcctl") != NULL,
	          "no fault report");
	th_result_free(&r);
}
END_TEST

/* stop pauses (SIGSTOP, state Stopped), start resumes it and the RPCs go on. */
START_TEST(test_stop_start)
{
	struct th_proc p;
	struct th_result r;
	struct ic_out out;
	struct json_object *ps;
	char sock[256];

	ic_start(&p, sock, "stop", "ipcctl_client: rpc 1 ok", IC_ARGS(PAIR_ARGS));
	ic_run(&out, &p, sock, IC_ARGS("stop", "ipcctl_client"));
	ck_assert_msg(out.code == 0, "stop: %s", out.err);
	ic_out_free(&out);
	ps = ic_json(&p, sock, IC_ARGS("ps", "--json"));
	ck_assert_str_eq(ic_str(ps, "processes.1.state"), "Stopped");
	json_object_put(ps);
	ic_run(&out, &p, sock, IC_ARGS("stop", "ipcctl_client"));
	ck_assert_int_eq(out.code, 1);
	ck_assert_msg(strstr(out.err, "already stopped"), "%s", out.err);
	ic_out_free(&out);
	ic_run(&out, &p, sock, IC_ARGS("start", "1"));
	ck_assert_msg(out.code == 0, "start: %s", out.err);
	ic_out_free(&out);
	ck_assert(th_wait_stdout(&p, "ipcctl_client: rpc 100 ok"));
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, !strstr(r.out, "rpc failed"), "an RPC failed");
	th_result_free(&r);
}
END_TEST

static const char *const control_cmds[] = { "stop", "start", "restart", "fault" };

/* Process control refuses an unknown app with a clear message and exit status 1. */
START_TEST(test_unknown_app)
{
	struct th_proc p;
	struct th_result r;
	struct ic_out out;
	char sock[256];

	ic_start(&p, sock, "unknown", "ipcctl_stuck: accepting", IC_ARGS(th_app("ipcctl_stuck")));
	ic_run(&out, &p, sock, IC_ARGS(control_cmds[_i], "no_such_app"));
	ck_assert_int_eq(out.code, 1);
	ck_assert_msg(strstr(out.err, "no app named 'no_such_app' (apps: ipcctl_stuck)"), "stderr: %s", out.err);
	ic_out_free(&out);
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, !strstr(r.err, "faulted"), "something faulted");
	th_result_free(&r);
}
END_TEST

/* Without --socket: the only instance is found; none and several are explained. */
START_TEST(test_discovery)
{
	struct th_proc p1, p2;
	struct th_result r;
	struct ic_out out;
	char dir[300];

	snprintf(dir, sizeof(dir), "%s/xdg", th_tmpdir());
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	unsetenv("IPCCTL_SOCKET");
	ic_run(&out, NULL, NULL, IC_ARGS("ps"));
	ck_assert_int_eq(out.code, 1);
	ck_assert_msg(strstr(out.err, "no running tockhost found") && strstr(out.err, "tockhost run"), "%s", out.err);
	ic_out_free(&out);
	ck_assert_int_eq(th_start(&p1, TH_ARGS(TH_RUN, th_app("ipcctl_stuck")), NULL), 0);
	ck_assert(th_wait_stdout(&p1, "accepting"));
	ic_run(&out, NULL, NULL, IC_ARGS("ps", "--json"));
	ck_assert_msg(out.code == 0 && strstr(out.out, "\"ipcctl_stuck\""), "%s", out.err);
	ic_out_free(&out);
	ck_assert_int_eq(th_start(&p2, TH_ARGS(TH_RUN, th_app("ipcctl_stuck")), NULL), 0);
	ck_assert(th_wait_stdout(&p2, "accepting"));
	ic_run(&out, NULL, NULL, IC_ARGS("ps"));
	ck_assert_int_eq(out.code, 1);
	ck_assert_msg(strstr(out.err, "2 tockhost instances are running") && strstr(out.err, "--socket"), "%s", out.err);
	ic_out_free(&out);
	ic_stop(&p2, &r);
	th_expect(&r, strstr(r.err, "tockhost: control socket ") != NULL, "socket path not printed");
	th_result_free(&r);
	ic_stop(&p1, &r);
	th_expect_clean(&r);
	th_result_free(&r);
	unsetenv("XDG_RUNTIME_DIR");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipcctl");
	TCase *tc = th_tcase("ipcctl");

	tcase_add_test(tc, test_state_json);
	tcase_add_test(tc, test_relay_waiting);
	tcase_add_test(tc, test_trace_rpc);
	tcase_add_test(tc, test_trace_share);
	tcase_add_test(tc, test_fault_notifies_client);
	tcase_add_test(tc, test_stop_start);
	tcase_add_loop_test(tc, test_unknown_app, 0, TH_ARRAY_SIZE(control_cmds));
	tcase_add_test(tc, test_discovery);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
