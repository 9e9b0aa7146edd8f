/* Integration tests of IPC with real apps: echo RPC, 8 clients x 1000 RPCs, the Thread-server demo end to end. */
#include <stdio.h>
#include <stdlib.h>

#include "th_suite.h"

#define ECHO_SERVER "org.tockhost.echo_server"
#define ECHO_CLIENT "org.tockhost.echo_client"
#define NETSERVER "org.tockhost.netserver"
#define RUN_FOR "60" /* virtual seconds: ends the run once only the (endless) server is left */

/* How many of app's lines equal text exactly. */
static size_t app_line_count(const char *out, const char *app, const char *text)
{
	struct th_lines l;
	size_t n = 0;

	th_app_lines(out, app, &l);
	for (size_t i = 0; i < l.n; i++)
		n += strcmp(l.v[i], text) == 0;
	th_lines_free(&l);
	return n;
}

/* How many of app's lines start with prefix. */
static size_t app_prefix_count(const char *out, const char *app, const char *prefix)
{
	struct th_lines l;
	size_t n = 0;

	th_app_lines(out, app, &l);
	for (size_t i = 0; i < l.n; i++)
		n += strncmp(l.v[i], prefix, strlen(prefix)) == 0;
	th_lines_free(&l);
	return n;
}

/* 1. one echo client: 1000 verified RPCs, exit 0, and the server's own count. */
START_TEST(test_echo_rpc)
{
	struct th_result r;
	unsigned pids[4];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--run-for", RUN_FOR, th_app("echo_server"),
				 th_app("echo_client")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_expect(&r, app_line_count(r.out, ECHO_CLIENT, "echo_client: 1000 RPCs ok, 0 errors") == 1,
		  "echo_client did not report 1000 good RPCs");
	th_expect(&r, th_process_events(r.err, ECHO_CLIENT, "exited with code 0", pids, 4) == 1 && pids[0] == 1,
		  "echo_client (ProcessId 1) must exit with code 0");
	th_expect(&r, app_line_count(r.out, ECHO_SERVER, "echo_server: serving as " ECHO_SERVER) == 1,
		  "server start line missing");
	th_expect(&r, app_line_count(r.out, ECHO_SERVER, "echo_server: 1000 requests served (0 failed)") == 1,
		  "server summary line missing");
	th_expect(&r, app_prefix_count(r.out, ECHO_SERVER, "echo_server: 2000 ") == 0, "server served too many");
	th_expect(&r, app_prefix_count(r.out, ECHO_CLIENT, "echo_client: server gone") == 0, "unexpected retry");
	th_result_free(&r);
}
END_TEST

/* 2. eight copies of echo_client at once: every RPC of every client verified, 8000 served, nothing retried. */
START_TEST(test_echo_eight_clients)
{
	const char *args[24];
	size_t n = 0;
	struct th_result r;
	unsigned pids[16];
	char line[64];

	args[n++] = "run";
	args[n++] = "--no-color";
	args[n++] = "--virtual-time";
	args[n++] = "--run-for";
	args[n++] = RUN_FOR;
	args[n++] = th_app("echo_server");
	for (int i = 0; i < 8; i++)
		args[n++] = th_app("echo_client");
	args[n] = NULL;
	th_run(&r, NULL, args);
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_expect(&r, app_line_count(r.out, ECHO_CLIENT, "echo_client: 1000 RPCs ok, 0 errors") == 8,
		  "not all 8 clients report 1000 good RPCs");
	th_expect(&r, app_prefix_count(r.out, ECHO_CLIENT, "echo_client: ") == 8,
		  "a client printed an error (mismatch, failure or retry)");
	th_expect(&r, th_process_events(r.err, ECHO_CLIENT, "exited with code 0", pids, 16) == 8,
		  "all 8 clients must exit with code 0");
	for (unsigned k = 1; k <= 8; k++) {
		snprintf(line, sizeof(line), "echo_server: %u000 requests served (0 failed)", k);
		th_expect(&r, app_line_count(r.out, ECHO_SERVER, line) == 1, "server line '%s' missing", line);
	}
	th_expect(&r, app_prefix_count(r.out, ECHO_SERVER, "echo_server: 9000 ") == 0, "server served too many");
	th_result_free(&r);
}
END_TEST

/* ---- the Thread-server demo ---- */

#define DEMO_ARGS()                                                                                        \
	TH_ARGS(TH_RUN, "--fault-policy", "restart", "--virtual-time", "--run-for", "10", th_app("netserver"), \
		th_app("netclient_a"), th_app("netclient_b"))

/* Index of the first stdout line (whole, with prefix) equal to `line` at or after `from`; -1 if none. */
static long line_index(const struct th_lines *all, const char *line, size_t from)
{
	for (size_t i = from; i < all->n; i++)
		if (strcmp(all->v[i], line) == 0)
			return (long)i;
	return -1;
}

/* Index of the first line starting with prefix; -1 if none. */
static long prefix_index(const struct th_lines *all, const char *prefix)
{
	for (size_t i = 0; i < all->n; i++)
		if (strncmp(all->v[i], prefix, strlen(prefix)) == 0)
			return (long)i;
	return -1;
}

/* If line is exactly prefix<number>suffix, the number; else -1. */
static long number_between(const char *line, const char *prefix, const char *suffix)
{
	char *end;
	unsigned long k;

	if (strncmp(line, prefix, strlen(prefix)) != 0)
		return -1;
	k = strtoul(line + strlen(prefix), &end, 10);
	if (end == line + strlen(prefix) || strcmp(end, suffix) != 0)
		return -1;
	return (long)k;
}

#define MAX_PACKETS 64

/* Per packet number k (1..MAX_PACKETS-1): how often `app` printed prefix<k>suffix. */
static void count_numbers(const char *out, const char *app, const char *prefix, const char *suffix,
			  unsigned counts[MAX_PACKETS])
{
	struct th_lines l;

	memset(counts, 0, MAX_PACKETS * sizeof(counts[0]));
	th_app_lines(out, app, &l);
	for (size_t i = 0; i < l.n; i++) {
		long k = number_between(l.v[i], prefix, suffix);

		if (k > 0 && k < MAX_PACKETS)
			counts[k]++;
	}
	th_lines_free(&l);
}

/* One direction of traffic: every packet the sender saw accepted arrives exactly once, nothing else arrives. */
struct demo_flow {
	const char *from, *to;           /* app names */
	const char *sent_prefix, *sent_suffix, *got_prefix, *got_suffix;
	const char *server_line;          /* the server's "delivered" line for this direction */
};

static const struct demo_flow demo_flows[] = {
	{ "org.tockhost.netclient_a", "org.tockhost.netclient_b", "netclient_a: sent 'hello from a #", "' to port 9",
	  "netclient_b: got 'hello from a #", "' on port 9 from port 7", "netserver: packet 7->9 (15 bytes)" },
	{ "org.tockhost.netclient_b", "org.tockhost.netclient_a", "netclient_b: sent 'hello from b #", "' to port 7",
	  "netclient_a: got 'hello from b #", "' on port 7 from port 9", "netserver: packet 9->7 (15 bytes)" },
};

static void expect_flow(const struct th_result *r, const struct demo_flow *f)
{
	unsigned sent[MAX_PACKETS], got[MAX_PACKETS], n_sent = 0;

	count_numbers(r->out, f->from, f->sent_prefix, f->sent_suffix, sent);
	count_numbers(r->out, f->to, f->got_prefix, f->got_suffix, got);
	for (unsigned k = 1; k < MAX_PACKETS; k++) {
		th_expect(r, sent[k] <= 1, "%s reports packet #%u sent %u times", f->from, k, sent[k]);
		th_expect(r, got[k] == sent[k], "packet #%u from %s: sent %u times, received %u times by %s", k,
			  f->from, sent[k], got[k], f->to);
		n_sent += sent[k];
	}
	th_expect(r, n_sent > 0, "%s sent nothing", f->from);
	th_expect(r, app_line_count(r->out, NETSERVER, f->server_line) == n_sent,
		  "server delivered %zu packets, %s saw %u accepted", app_line_count(r->out, NETSERVER, f->server_line),
		  f->from, n_sent);
}

/* Both clients: lost the server after its crash line, came back with its new id, and finished. */
static void expect_client_story(const struct th_result *r, const struct th_lines *all, const char *client,
				long crash_at, unsigned new_pid)
{
	char prefix[128], back[128];
	long gone, back_at;
	unsigned pids[4];

	snprintf(prefix, sizeof(prefix), "[org.tockhost.%s] %s: server gone at ", client, client);
	gone = prefix_index(all, prefix);
	th_expect(r, gone > crash_at, "%s: no 'server gone' after the crash line", client);
	snprintf(back, sizeof(back), "[org.tockhost.%s] %s: back with server 0x%x at ", client, client, new_pid);
	back_at = prefix_index(all, back);
	th_expect(r, back_at > gone, "%s: no 'back with server 0x%x' after 'server gone'", client, new_pid);
	snprintf(prefix, sizeof(prefix), "%s: server gone", client);
	snprintf(back, sizeof(back), "org.tockhost.%s", client);
	th_expect(r, app_prefix_count(r->out, back, prefix) == 1, "%s lost the server more than once", client);
	snprintf(prefix, sizeof(prefix), "%s: done: 20 packets received, ", client);
	th_expect(r, app_prefix_count(r->out, back, prefix) == 1, "%s did not finish with 20 packets", client);
	th_expect(r, th_process_events(r->err, back, "exited with code 0", pids, 4) == 1, "%s must exit 0", client);
}

/* 3. the demo: crash, fault report, restart with a new id, both clients recover, every packet exactly once. */
START_TEST(test_demo)
{
	struct th_result r, again;
	struct th_loaded ld[2];
	struct th_fault f[2];
	struct th_restart rs[2];
	struct th_lines all;
	long crash_at;

	th_run(&r, NULL, DEMO_ARGS());
	th_run(&again, NULL, DEMO_ARGS());
	th_expect_clean(&r);
	th_expect_clean(&again);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_expect(&r, th_loaded(r.err, NETSERVER, ld, 2) == 1, "netserver must load once");
	th_expect(&r, th_faults(r.err, NETSERVER, f, 2) == 1 && f[0].pid == ld[0].pid,
		  "want one fault report for the netserver's ProcessId %u", ld[0].pid);
	th_expect(&r, strstr(f[0].cause, "write at 0x0") != NULL, "fault cause '%s'", f[0].cause);
	th_expect(&r, th_restarts(r.err, NETSERVER, rs, 2) == 1 && rs[0].pid != ld[0].pid && rs[0].pid > 2,
		  "netserver must restart once with a new ProcessId");

	th_lines_split(r.out, &all);
	crash_at = prefix_index(&all, "[" NETSERVER "] netserver: simulating a crash at ");
	th_expect(&r, crash_at >= 0, "the server's crash line is missing");
	th_expect(&r, line_index(&all, "[" NETSERVER "] netserver: up as " NETSERVER " at 0 ms", 0) >= 0 &&
			      prefix_index(&all, "[" NETSERVER "] netserver: up as " NETSERVER " at ") < crash_at,
		  "server start line missing");
	th_expect(&r, prefix_index(&all, "[" NETSERVER "] netserver: up as ") < crash_at &&
			      app_prefix_count(r.out, NETSERVER, "netserver: up as ") == 2,
		  "the server must start twice (boot and restart)");
	expect_client_story(&r, &all, "netclient_a", crash_at, rs[0].pid);
	expect_client_story(&r, &all, "netclient_b", crash_at, rs[0].pid);
	th_lines_free(&all);
	for (size_t i = 0; i < TH_ARRAY_SIZE(demo_flows); i++)
		expect_flow(&r, &demo_flows[i]);

	th_expect(&again, again.out_len == r.out_len && memcmp(again.out, r.out, r.out_len) == 0,
		  "two runs of the demo gave different stdout");
	th_result_free(&r);
	th_result_free(&again);
}
END_TEST

static Suite *ipc_suite(void)
{
	Suite *s = suite_create("integration_ipc");
	TCase *tc = th_tcase("ipc");

	tcase_add_test(tc, test_echo_rpc);
	tcase_add_test(tc, test_echo_eight_clients);
	tcase_add_test(tc, test_demo);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run_suite(ipc_suite());
}
