/* Integration tests of IPC with the ipc_* test apps: Relay Message flood, bad input, processes dying mid-transaction. */
#include <stdio.h>
#include <stdlib.h>

#include "th_suite.h"

#define MAX_SENDS 256

/* ---- Relay Message flood ---- */

struct flood_log {
	unsigned acked[MAX_SENDS], got[MAX_SENDS];
	size_t n_acked, n_got;
	size_t sizes_before_recovery; /* SIZE results before the first later success */
	bool recovered;               /* some send succeeded after a SIZE */
	size_t busy;                  /* BUSY results */
	size_t other;                 /* results other than 0, SIZE, BUSY */
};

static void flood_parse(const char *out, struct flood_log *log)
{
	struct th_lines l;
	bool seen_size = false;

	memset(log, 0, sizeof(*log));
	th_app_lines(out, "ipc_flood_sender", &l);
	for (size_t i = 0; i < l.n; i++) {
		unsigned k;
		int rc;

		if (sscanf(l.v[i], "send #%u: %d", &k, &rc) != 2)
			continue;
		if (rc == 0 && log->n_acked < MAX_SENDS)
			log->acked[log->n_acked++] = k;
		if (rc == 0 && seen_size)
			log->recovered = true;
		if (rc == -7 && !log->recovered)
			log->sizes_before_recovery++;
		seen_size = seen_size || rc == -7;
		log->busy += rc == -2;
		log->other += rc != 0 && rc != -7 && rc != -2;
	}
	th_lines_free(&l);
	th_app_lines(out, "ipc_flood_receiver", &l);
	for (size_t i = 0; i < l.n; i++) {
		unsigned k;

		if (sscanf(l.v[i], "got #%u", &k) == 1 && log->n_got < MAX_SENDS)
			log->got[log->n_got++] = k;
	}
	th_lines_free(&l);
}

static bool ends_with(const char *s, const char *suffix)
{
	return strlen(s) >= strlen(suffix) && strcmp(s + strlen(s) - strlen(suffix), suffix) == 0;
}

/* Whether the receiver's first "batch:" line after the line `after` ends with suffix. */
static bool batch_after_ends(const char *out, const char *after, const char *suffix)
{
	struct th_lines l;
	bool found = false, ok = false;

	th_app_lines(out, "ipc_flood_receiver", &l);
	for (size_t i = 0; i < l.n; i++) {
		if (strcmp(l.v[i], after) == 0) {
			found = true;
		} else if (found && strncmp(l.v[i], "batch: ", 7) == 0) {
			ok = ends_with(l.v[i], suffix);
			break;
		}
	}
	th_lines_free(&l);
	return ok;
}

/* Whether the last "batch:" line of the receiver ends with suffix. */
static bool last_batch_ends(const char *out, const char *suffix)
{
	struct th_lines l;
	const char *last = NULL;
	bool ok;

	th_app_lines(out, "ipc_flood_receiver", &l);
	for (size_t i = 0; i < l.n; i++)
		if (strncmp(l.v[i], "batch: ", 7) == 0)
			last = l.v[i];
	ok = last && ends_with(last, suffix);
	th_lines_free(&l);
	return ok;
}

/* 4. fill a slice: exceeded set, SIZE to the sender, and exactly the acknowledged messages arrive, in order. */
START_TEST(test_flood)
{
	struct th_result r;
	struct flood_log log;
	unsigned pids[2];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--run-for", "60", th_app("ipc_flood_receiver"),
				 th_app("ipc_flood_sender")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	flood_parse(r.out, &log);
	th_expect(&r, log.sizes_before_recovery > 0, "the slice never filled (no SIZE)");
	th_expect(&r, log.recovered, "no message got through after the receiver swapped");
	th_expect(&r, log.other == 0, "a send failed with an unexpected error");
	th_expect(&r, log.n_acked > 10 && log.n_acked == log.n_got, "%zu sends acknowledged, %zu received",
		  log.n_acked, log.n_got);
	for (size_t i = 0; i < log.n_acked; i++)
		th_expect(&r, log.acked[i] == log.got[i], "record %zu: acknowledged #%u, received #%u", i, log.acked[i],
			  log.got[i]);
	th_expect(&r, !strstr(r.out, "corrupt record") && !strstr(r.out, "stray bytes"), "a record was corrupt");
	th_expect(&r, batch_after_ends(r.out, "phase 1 swap", "exceeded 1"), "the first batch must have exceeded set");
	th_expect(&r, th_has_line(r.out, "[ipc_flood_sender] send end: 0"), "end marker not delivered");
	/* Halt + exceeded: BUSY, and the halted buffer still held every message acknowledged before. */
	th_expect(&r, log.busy >= 1 && th_has_line(r.out, "[ipc_flood_sender] ipc_flood_sender: busy seen"),
		  "the sender never saw BUSY");
	th_expect(&r, last_batch_ends(r.out, "exceeded 1"), "the halted batch must have exceeded set");
	th_expect(&r, th_has_line(r.out, "[ipc_flood_receiver] sender gone: yes"), "no sender-gone notification");
	th_expect(&r, th_has_line(r.out, "[ipc_flood_receiver] ipc_flood_receiver: done"), "receiver did not finish");
	th_expect(&r, th_process_events(r.err, "ipc_flood_sender", "exited with code 0", pids, 2) == 1 &&
			      th_process_events(r.err, "ipc_flood_receiver", "exited with code 0", pids, 2) == 1,
		  "both flood apps must exit 0");
	th_result_free(&r);
}
END_TEST

/* ---- bad input from a real process ---- */

struct bad_case {
	const char *name;
	int rc; /* libtock returncode: 0 or -ErrorCode */
};

static const struct bad_case bad_cases[] = {
	{ "sn_register_missing_allow", -7 },   { "sn_register_19_bytes", -7 },
	{ "sn_register_21_bytes", -7 },        { "sn_register_zero_name", -6 },
	{ "sn_register_taken", -3 },           { "sn_discover_missing_allow", -7 },
	{ "sn_discover_zero_name", -6 },       { "sn_discover_19_bytes", -7 },
	{ "sn_discover_unknown", -11 },        { "pkg_discover_unknown", -11 },
	{ "sn_register_ok", 0 },               { "rr_send_forged_short_id", -11 },
	{ "rr_send_forged_pid", -11 },         { "rr_send_own_id", -11 },
	{ "rr_respond_no_transaction", -6 },   { "rr_cancel_no_transaction", -6 },
	{ "rr_get_next_nothing_waiting", -11 }, { "rr_first_request", 0 },
	{ "rr_second_request", -3 },           { "rr_first_request_completes", 0 },
	{ "rr_send_to_disabled_server", -12 }, { "rr_send_stale_id", -11 },
	{ "rm_send_forged_pid", -11 },         { "rm_send_stale_id", -11 },
	{ "rm_send_reception_off", -4 },       { "rm_send_not_on_allowlist", -13 },
	{ "rm_send_ok", 0 },                   { "rm_enable_no_slice", -7 },
	{ "rm_enable_4_byte_slice", -7 },      { "rm_enable_bad_version", -6 },
	{ "rm_enable_reserved_flag_bit2", -6 }, { "rm_enable_reserved_flag_bit15", -6 },
	{ "rm_enable_odd_allowlist", -6 },     { "rm_send_self_not_enabled", -4 },
	{ "rm_enable_ok", 0 },                 { "rm_send_self_ok", 0 },
	{ "rm_send_self_full", -7 },           { "rm_send_self_exact_fit_after_exceeded", 0 },
	{ "rm_send_self_halt_exceeded", -2 },  { "rm_send_self_halt_full", -7 },
	{ "rm_send_self_reserved_flag", -6 },  { "rm_send_self_bad_version", -6 },
	{ "rm_disable", 0 },                   { "rm_send_self_disabled", -4 },
};

/* "Nothing else changed": the app's own follow-up checks after the refused calls. */
static const char *const bad_checks[] = {
	"sn_peer_still_registered", "rr_first_response_intact", "rr_valid_rpc_after_bad_input",
	"rr_whoami_unchanged",      "rm_peer_got_one_record",   "rm_self_record_exact",
	"rm_full_sets_exceeded_keeps_offset", "rm_exact_fit_appended", "rm_refused_sends_changed_nothing",
};

/* One run for the whole table; an unchecked fixture runs in the runner, so every forked case sees it. */
static struct th_result bad_run;

static void bad_run_setup(void)
{
	th_run(&bad_run, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--run-for", "60", th_app("ipc_peer"),
				       th_app("ipc_bad_input")));
}

static void bad_run_teardown(void)
{
	th_result_free(&bad_run);
}

START_TEST(test_bad_input_case)
{
	const struct bad_case *c = &bad_cases[_i];
	char line[160];

	snprintf(line, sizeof(line), "[ipc_bad_input] case %s: %d", c->name, c->rc);
	th_expect(&bad_run, th_count(bad_run.out, line) == 1 && th_has_line(bad_run.out, line),
		  "want exactly one line '%s'", line);
}
END_TEST

START_TEST(test_bad_input_check)
{
	char line[160];

	snprintf(line, sizeof(line), "[ipc_bad_input] check %s: ok", bad_checks[_i]);
	th_expect(&bad_run, th_has_line(bad_run.out, line), "missing '%s'", line);
}
END_TEST

/* The run as a whole: finished, no other case, nobody faulted, the peer restarted once (the stale-id case). */
START_TEST(test_bad_input_run)
{
	struct th_fault f[2];
	struct th_restart rs[2];

	th_expect_clean(&bad_run);
	th_expect(&bad_run, bad_run.exit_code == 0, "exit status %d, want 0", bad_run.exit_code);
	th_expect(&bad_run, th_has_line(bad_run.out, "[ipc_bad_input] ipc_bad_input: done"), "app did not finish");
	th_expect(&bad_run, th_count(bad_run.out, "[ipc_bad_input] case ") == TH_ARRAY_SIZE(bad_cases),
		  "the app printed %zu cases, the table has %zu", th_count(bad_run.out, "[ipc_bad_input] case "),
		  TH_ARRAY_SIZE(bad_cases));
	th_expect(&bad_run, th_count(bad_run.out, "[ipc_bad_input] check ") == TH_ARRAY_SIZE(bad_checks),
		  "unexpected number of checks");
	th_expect(&bad_run, !strstr(bad_run.out, "FAILED"), "a check failed");
	th_expect(&bad_run, th_faults(bad_run.err, "ipc_bad_input", f, 2) == 0 &&
				    th_faults(bad_run.err, "ipc_peer", f, 2) == 0, "a process faulted");
	th_expect(&bad_run, th_restarts(bad_run.err, "ipc_peer", rs, 2) == 1, "the peer must restart exactly once");
}
END_TEST

/* ---- processes that die in the middle of a transaction ---- */

/* 6a. a client faults while its request is in service: the server's response fails, it keeps serving. */
START_TEST(test_client_dies_in_service)
{
	struct th_result r;
	struct th_loaded ld[2];
	struct th_fault f[2];
	unsigned pids[2];
	char line[128];
	const char *p;
	unsigned fault_ms = 0;
	int used = 0;
	long fault_line, respond_line;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--run-for", "60", "--fault-policy", "stop",
				 th_app("ipc_peer"), th_app("ipc_die_client"), th_app("ipc_good_client")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1 (an app was stopped after a fault)", r.exit_code);
	th_expect(&r, th_loaded(r.err, "ipc_die_client", ld, 2) == 1, "die client must load once");
	th_expect(&r, th_faults(r.err, "ipc_die_client", f, 2) == 1 && f[0].pid == ld[0].pid, "want one fault report");
	th_expect(&r, th_process_events(r.err, "ipc_die_client", "stopped after fault", pids, 2) == 1,
		  "die client must be stopped");
	/* Its time depends on when it first found the peer; only the order of events matters here. */
	p = strstr(r.out, "[ipc_die_client] ipc_die_client: faulting at ");
	fault_line = p && sscanf(p, "[ipc_die_client] ipc_die_client: faulting at %u ms with a request in service%n",
				 &fault_ms, &used) == 1 && used > 0 && p[used] == '\n'
			     ? p - r.out
			     : -1;
	snprintf(line, sizeof(line), "[ipc_peer] ipc_peer: slow response to 0x%x: -11\n", ld[0].pid);
	respond_line = strstr(r.out, line) ? strstr(r.out, line) - r.out : -1;
	th_expect(&r, fault_line >= 0, "the die client's last line is missing");
	th_expect(&r, respond_line > fault_line, "the server's response must fail with NODEVICE after the fault");
	th_expect(&r, !strstr(r.out, "response arrived"), "a dead client got a response");
	th_expect(&r, th_has_line(r.out, "[ipc_good_client] ipc_good_client: 20 RPCs ok, 0 errors"),
		  "the server stopped serving other clients");
	th_expect(&r, th_process_events(r.err, "ipc_good_client", "exited with code 0", pids, 2) == 1,
		  "good client must exit 0");
	th_expect(&r, th_faults(r.err, "ipc_peer", f, 2) == 0, "the server faulted");
	th_result_free(&r);
}
END_TEST

/* 6b. the server faults with one request in service and one waiting: both clients get NODEVICE at once. */
struct crash_client {
	const char *app;
	const char *what; /* its result line up to " ended" */
};

static const struct crash_client crash_clients[] = {
	{ "ipc_crash_client", "ipc_crash_client: crash request" }, /* in service */
	{ "ipc_wait_client", "ipc_wait_client: ping" },            /* waiting, not yet taken */
};

START_TEST(test_server_dies)
{
	struct th_result r;
	struct th_loaded ld[2];
	struct th_fault f[2];
	unsigned requested_by = 0, requested_at = 0, crash_at = 0, pids[2];
	const char *p;
	char want[160];

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", "--run-for", "60", "--fault-policy", "stop",
				 th_app("ipc_peer"), th_app("ipc_crash_client"), th_app("ipc_wait_client")));
	th_expect_clean(&r);
	th_expect(&r, th_loaded(r.err, "ipc_peer", ld, 2) == 1, "peer must load once");
	th_expect(&r, th_faults(r.err, "ipc_peer", f, 2) == 1 && f[0].pid == ld[0].pid, "want one peer fault report");
	p = strstr(r.out, "[ipc_peer] ipc_peer: crash requested by 0x");
	th_expect(&r, p && sscanf(p, "[ipc_peer] ipc_peer: crash requested by 0x%x at %u ms", &requested_by,
				  &requested_at) == 2, "crash request line missing");
	p = strstr(r.out, "[ipc_peer] ipc_peer: crashing at ");
	th_expect(&r, p && sscanf(p, "[ipc_peer] ipc_peer: crashing at %u ms", &crash_at) == 1, "crash line missing");
	th_expect(&r, crash_at == requested_at + 100, "the crash comes 100 ms after the request (%u, %u)", crash_at,
		  requested_at);
	/* NODEVICE at the crash's own virtual instant: no timeout, no waiting for anything else. */
	for (size_t i = 0; i < TH_ARRAY_SIZE(crash_clients); i++) {
		snprintf(want, sizeof(want), "[%s] %s ended with -11 at %u ms", crash_clients[i].app, crash_clients[i].what,
			 crash_at);
		th_expect(&r, th_has_line(r.out, want), "missing '%s'", want);
		th_expect(&r, th_process_events(r.err, crash_clients[i].app, "exited with code 0", pids, 2) == 1,
			  "%s must exit 0", crash_clients[i].app);
	}
	th_expect(&r, th_loaded(r.err, "ipc_crash_client", ld, 2) == 1 && ld[0].pid == requested_by,
		  "the crash was requested by someone else");
	th_result_free(&r);
}
END_TEST

static Suite *ipc_apps_suite(void)
{
	Suite *s = suite_create("integration_ipc_apps");
	TCase *flood = th_tcase("flood"), *bad = th_tcase("bad_input"), *death = th_tcase("death");

	tcase_add_test(flood, test_flood);
	suite_add_tcase(s, flood);

	tcase_add_unchecked_fixture(bad, bad_run_setup, bad_run_teardown);
	tcase_add_test(bad, test_bad_input_run);
	tcase_add_loop_test(bad, test_bad_input_case, 0, (int)TH_ARRAY_SIZE(bad_cases));
	tcase_add_loop_test(bad, test_bad_input_check, 0, (int)TH_ARRAY_SIZE(bad_checks));
	suite_add_tcase(s, bad);

	tcase_add_test(death, test_client_dies_in_service);
	tcase_add_test(death, test_server_dies);
	suite_add_tcase(s, death);
	return s;
}

int main(void)
{
	return th_run_suite(ipc_apps_suite());
}
