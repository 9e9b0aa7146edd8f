/* Integration tests of IPC with real apps: echo RPC, 8 clients x 1000 RPCs, the Thread-server demo end to end. */
#include <stdio.h>
#include <stdlib.h>

#include "th_suite.h"

#define ECHO_SERVER "org.tockhost.echo_server"
#define ECHO_CLIENT "org.tockhost.echo_client"
#define NETSERVER "org.tockhost.netserver"
#define NETCLIENT "org.tockhost.netclient"
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
		th_app("netclient"), th_app("netclient"))

/* The demo's two netclient copies get the lowest free ports from 7 up, in load order. */
#define DEMO_CLIENTS 2
static const unsigned demo_ports[DEMO_CLIENTS] = { 7, 8 };

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

/* Whether line ends with suffix. */
static bool ends_with(const char *line, const char *suffix)
{
	size_t n = strlen(line), k = strlen(suffix);

	return n >= k && strcmp(line + n - k, suffix) == 0;
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
	const char *from, *to;           /* the copies, by the name each prints: "netclient:<port>" */
	const char *sent_prefix, *sent_suffix, *got_prefix, *got_suffix;
	const char *server_prefix;        /* the server's "delivered" lines for this direction */
};

static const struct demo_flow demo_flows[] = {
	{ "netclient:7", "netclient:8", "netclient:7 sent 'hello from 7 #", "' to port 8",
	  "netclient:8 got 'hello from 7 #", "' on port 8 from port 7", "netserver: packet 7->8 (" },
	{ "netclient:8", "netclient:7", "netclient:8 sent 'hello from 8 #", "' to port 7",
	  "netclient:7 got 'hello from 8 #", "' on port 7 from port 8", "netserver: packet 8->7 (" },
};

static void expect_flow(const struct th_result *r, const struct demo_flow *f)
{
	unsigned sent[MAX_PACKETS], got[MAX_PACKETS], n_sent = 0;

	/* Both copies print as NETCLIENT: the prefixes (which name the port) tell them apart. */
	count_numbers(r->out, NETCLIENT, f->sent_prefix, f->sent_suffix, sent);
	count_numbers(r->out, NETCLIENT, f->got_prefix, f->got_suffix, got);
	for (unsigned k = 1; k < MAX_PACKETS; k++) {
		th_expect(r, sent[k] <= 1, "%s reports packet #%u sent %u times", f->from, k, sent[k]);
		th_expect(r, got[k] == sent[k], "packet #%u from %s: sent %u times, received %u times by %s", k,
			  f->from, sent[k], got[k], f->to);
		n_sent += sent[k];
	}
	th_expect(r, n_sent > 0, "%s sent nothing", f->from);
	th_expect(r, app_prefix_count(r->out, NETSERVER, f->server_prefix) == n_sent,
		  "server delivered %zu packets, %s saw %u accepted",
		  app_prefix_count(r->out, NETSERVER, f->server_prefix), f->from, n_sent);
}

/* Index of the first stdout line that is exactly prefix<anything>suffix; -1 if none. */
static long framed_index(const struct th_lines *all, const char *prefix, const char *suffix)
{
	for (size_t i = 0; i < all->n; i++)
		if (strncmp(all->v[i], prefix, strlen(prefix)) == 0 && ends_with(all->v[i], suffix))
			return (long)i;
	return -1;
}

/*
 * The copy that got `port` (assigned to ProcessId pid by the first server): connected once, lost
 * the server after its crash line, came back with its new id on the same port, and finished.
 */
static void expect_client_story(const struct th_result *r, const struct th_lines *all, unsigned port, unsigned pid,
				long crash_at, unsigned new_pid)
{
	char prefix[128], suffix[64];
	long gone, back_at;

	snprintf(prefix, sizeof(prefix), "netserver: port %u assigned to client 0x%x", port, pid);
	th_expect(r, app_line_count(r->out, NETSERVER, prefix) == 1, "want '%s' once", prefix);
	snprintf(prefix, sizeof(prefix), "netserver: port %u opened by client 0x%x", port, pid);
	th_expect(r, app_line_count(r->out, NETSERVER, prefix) == 1, "want '%s' once (the reopen)", prefix);
	snprintf(suffix, sizeof(suffix), ", port %u open", port);
	snprintf(prefix, sizeof(prefix), "[" NETCLIENT "] netclient:%u connected to server 0x0 at ", port);
	th_expect(r, framed_index(all, prefix, suffix) >= 0 && framed_index(all, prefix, suffix) < crash_at,
		  "netclient:%u: no 'connected to server 0x0' before the crash", port);
	snprintf(prefix, sizeof(prefix), "[" NETCLIENT "] netclient:%u server gone at ", port);
	gone = prefix_index(all, prefix);
	th_expect(r, gone > crash_at, "netclient:%u: no 'server gone' after the crash line", port);
	snprintf(prefix, sizeof(prefix), "[" NETCLIENT "] netclient:%u back with server 0x%x at ", port, new_pid);
	back_at = framed_index(all, prefix, suffix);
	th_expect(r, back_at > gone, "netclient:%u: no 'back with server 0x%x ... port %u open' after 'server gone'",
		  port, new_pid, port);
	snprintf(prefix, sizeof(prefix), "netclient:%u server gone", port);
	th_expect(r, app_prefix_count(r->out, NETCLIENT, prefix) == 1, "netclient:%u lost the server more than once",
		  port);
	snprintf(prefix, sizeof(prefix), "netclient:%u done: 20 packets received, ", port);
	th_expect(r, app_prefix_count(r->out, NETCLIENT, prefix) == 1, "netclient:%u did not finish with 20 packets",
		  port);
}

/* Two copies of one image: loaded as two ProcessIds, both exit 0, and nothing else claims a port. */
static void expect_two_copies(const struct th_result *r, const struct th_loaded *ld, size_t n_loaded)
{
	unsigned pids[4];

	th_expect(r, n_loaded == DEMO_CLIENTS && ld[0].pid != ld[1].pid, "netclient must load twice, as two processes");
	th_expect(r, th_process_events(r->err, NETCLIENT, "exited with code 0", pids, 4) == DEMO_CLIENTS &&
			     pids[0] != pids[1] && (pids[0] == ld[0].pid || pids[0] == ld[1].pid) &&
			     (pids[1] == ld[0].pid || pids[1] == ld[1].pid),
		  "both netclient copies must exit 0");
	th_expect(r, app_prefix_count(r->out, NETCLIENT, "netclient:") == app_prefix_count(r->out, NETCLIENT, ""),
		  "a netclient line without its port");
	th_expect(r, app_prefix_count(r->out, NETSERVER, "netserver: port ") ==
			     app_prefix_count(r->out, NETSERVER, "netserver: port 7 ") +
				     app_prefix_count(r->out, NETSERVER, "netserver: port 8 "),
		  "the server handed out a port other than 7 and 8");
}

/*
 * 3. the demo, with one netclient image loaded twice: each copy gets its own port (7, 8), then crash,
 * fault report, restart with a new id, both copies recover on their old ports, every packet exactly once.
 */
START_TEST(test_demo)
{
	struct th_result r, again;
	struct th_loaded ld[2], ldc[4];
	struct th_fault f[2];
	struct th_restart rs[2];
	struct th_lines all;
	size_t n_clients;
	long crash_at;

	th_run(&r, NULL, DEMO_ARGS());
	th_run(&again, NULL, DEMO_ARGS());
	th_expect_clean(&r);
	th_expect_clean(&again);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_expect(&r, th_loaded(r.err, NETSERVER, ld, 2) == 1, "netserver must load once");
	n_clients = th_loaded(r.err, NETCLIENT, ldc, 4);
	expect_two_copies(&r, ldc, n_clients);
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
	/* Load order is start-up order: the first copy loaded asks first and gets the lowest port. */
	for (size_t i = 0; i < DEMO_CLIENTS; i++)
		expect_client_story(&r, &all, demo_ports[i], ldc[i].pid, crash_at, rs[0].pid);
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
