/* tockbench: measures tockhost (syscall, Relay Request/Message, shared region, start-up) beside plain-Linux floors. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tb_floor.h"
#include "tb_report.h"
#include "tb_tockhost.h"

#ifndef TOCKBENCH_TOCKHOST
#define TOCKBENCH_TOCKHOST "tockhost"
#endif
#ifndef TOCKBENCH_APPS_DIR
#define TOCKBENCH_APPS_DIR "bench/apps"
#endif

enum {
	TB_ONLY_NULL = 1,
	TB_ONLY_RPC = 2,
	TB_ONLY_MSG = 4,
	TB_ONLY_STARTUP = 8,
	TB_ONLY_SHM = 16,
	TB_ONLY_IDLE = 32,
	TB_ONLY_ALL = 63,
};

/* Every trap figure runs on both transports, side by side: index 0 the ring (the default), 1 the socketpair. */
#define TB_TRANSPORTS 2
static const char *const transports[TB_TRANSPORTS] = {"ring", "socket"};

/* The shared-region round: BENCH_SHM_REGION_SIZE and BENCH_SHM_PIECE in bench/apps/bench_app.h (checked per run). */
#define TB_SHM_REGION (4u << 20)
#define TB_SHM_PIECE (64u << 10)

/* How much work each figure does; one sample per rep. */
struct tb_plan {
	unsigned reps, null_iters, rpc_iters, msgs, start_reps;
	unsigned shm_rounds; /* of TB_SHM_REGION bytes */
	double timeout_s; /* per tockhost run */
};

static const struct tb_plan plan_full = {
	.reps = 9, .null_iters = 20000, .rpc_iters = 2000, .msgs = 10000, .start_reps = 7, .shm_rounds = 64,
	.timeout_s = 120};
static const struct tb_plan plan_quick = {
	.reps = 5, .null_iters = 5000, .rpc_iters = 500, .msgs = 3000, .start_reps = 3, .shm_rounds = 16,
	.timeout_s = 60};

static const unsigned start_counts[] = {1, 16, 64, 256};
#define TB_START_COUNTS (sizeof(start_counts) / sizeof(start_counts[0]))
#define TB_MAX_RESULTS 24

struct tb_ctx {
	const char *tockhost;
	const char *apps_dir;
	struct tb_plan plan;
	bool quick;
	unsigned only;
	const char *channel; /* the trap channel of the figures being measured: "ring" or "socket" */
	struct tb_result results[TB_MAX_RESULTS];
	size_t nresults;
};

/* Paths of the bench app images, built next to this program. */
struct tb_paths {
	char bnop[PATH_MAX], bnull[PATH_MAX], bidle[PATH_MAX], rpc_server[PATH_MAX], rpc_client[PATH_MAX], msg_tx[PATH_MAX],
		msg_rx[PATH_MAX], shm_tx[PATH_MAX], shm_rx[PATH_MAX];
};

static void app_path(char *buf, const char *dir, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s.tbf", dir, name);
}

static struct tb_result *new_result(struct tb_ctx *c, const char *name, const char *label, const char *unit,
                                    unsigned reps, unsigned iters)
{
	struct tb_result *r = &c->results[c->nresults++];

	r->name = name;
	r->subject.label = label;
	r->unit = unit;
	r->reps = reps;
	r->iters = iters;
	return r;
}

/* The last line of the supervisor's stderr, to say why a run failed. */
static const char *last_line(const char *s, int *ret_len)
{
	size_t len = strlen(s);
	const char *p;

	while (len && s[len - 1] == '\n')
		len--;
	p = s + len;
	while (p > s && p[-1] != '\n')
		p--;
	*ret_len = (int)(s + len - p);
	return p;
}

/* Mark every result in rs as failed if the run did not go cleanly; true when it did. */
static bool check_run(int err, const struct tb_output *o, struct tb_result **rs, size_t n)
{
	const char *why;
	size_t elen;
	int len;

	for (size_t i = 0; i < n; i++) {
		if (err)
			tb_result_fail(rs[i], "could not run tockhost: %s", strerror(-err));
		else if (o->timed_out)
			tb_result_fail(rs[i], "tockhost run timed out");
		else if ((why = tb_parse_error(o->out, &elen)))
			tb_result_fail(rs[i], "app reported: %.*s", (int)elen, why);
		else if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != 0) {
			why = last_line(o->err, &len);
			tb_result_fail(rs[i], "tockhost exit status %d: %.*s", WIFEXITED(o->status) ? WEXITSTATUS(o->status) : -1,
			               len, why);
		}
	}
	return !err && !rs[0]->error[0];
}

static void check_floor(struct tb_result *r, int err)
{
	if (err)
		tb_result_fail(r, "floor failed: %s", strerror(-err));
}

/* The single sample a one-rep floor call produced (NAN if it failed). */
static double floor_value(struct tb_result *r, int err, const struct tb_samples *s)
{
	check_floor(r, err);
	return !err && s->n ? s->v[0] : NAN;
}

/* ns per operation from the one "BENCH <tag>" line of a one-rep run (NAN, and r fails, if missing). */
static double subject_value(struct tb_result *r, const char *out, const char *tag, const char *count_key)
{
	struct tb_samples one = {0};

	if (tb_parse_per_op(out, tag, count_key, &one) != 1 || !one.n) {
		tb_result_fail(r, "no 'BENCH %s' line from the app", tag);
		return NAN;
	}
	return one.v[0];
}

/*
 * One rep of an app benchmark: a tockhost run whose stdin_app does "1 ITERS". On a clean run *o
 * holds the output (free it); otherwise every result in rs fails and false is returned.
 */
static bool run_rep(struct tb_ctx *c, const char *const *tbfs, size_t n, const char *stdin_app, unsigned iters,
                    struct tb_result **rs, size_t nrs, struct tb_output *o)
{
	const char *extra[] = {"--trap-channel", c->channel, NULL};
	char line[64];
	int err;

	snprintf(line, sizeof(line), "1 %u\n", iters);
	err = tb_tockhost_run(c->tockhost, tbfs, n, extra, stdin_app, line, c->plan.timeout_s, o);
	if (check_run(err, o, rs, nrs))
		return true;
	tb_output_free(o);
	return false;
}

/* Sum of traps= over sum of count_key= on the "BENCH <tag>" lines, accumulated across reps in *acc. */
struct tb_traps {
	double traps, rtts, ops; /* syscalls, trap round trips (a chain of syscalls is one), operations */
};

static void count_traps(struct tb_traps *acc, const char *out, const char *tag, const char *count_key)
{
	acc->traps += tb_parse_sum(out, tag, "traps");
	acc->rtts += tb_parse_sum(out, tag, "rtts");
	acc->ops += tb_parse_sum(out, tag, count_key);
}

static double traps_per_op(const struct tb_traps *acc)
{
	return acc->ops > 0 ? acc->traps / acc->ops : NAN;
}

static double round_trips_per_op(const struct tb_traps *acc)
{
	return acc->ops > 0 ? acc->rtts / acc->ops : NAN;
}

static void bench_null(struct tb_ctx *c, const struct tb_paths *p, int t)
{
	static const char *const names[TB_TRANSPORTS] = {"null_syscall", "null_syscall_socket"};
	static const char *const labels[TB_TRANSPORTS] = {"null syscall RTT", "null syscall RTT socket"};
	const struct tb_plan *pl = &c->plan;
	struct tb_result *r = new_result(c, names[t], labels[t], "ns", pl->reps, pl->null_iters);
	const char *tbfs[] = {p->bnull};
	struct tb_traps traps = {0};

	r->floor.label = "socketpair RTT 56 B";
	for (unsigned rep = 0; rep < pl->reps && !r->error[0]; rep++) {
		struct tb_samples fl = {0};
		double floor_ns = floor_value(r, tb_floor_pingpong(56, 1, pl->null_iters, &fl), &fl);
		struct tb_output o;

		if (r->error[0] || !run_rep(c, tbfs, 1, "bnull", pl->null_iters, &r, 1, &o))
			break;
		tb_result_pair(r, subject_value(r, o.out, "null", "iters"), floor_ns);
		count_traps(&traps, o.out, "null", "iters");
		tb_output_free(&o);
	}
	tb_result_extra(r, "traps_per_op", traps_per_op(&traps));
}

static void bench_rpc(struct tb_ctx *c, const struct tb_paths *p, int t)
{
	static const size_t sizes[2] = {16, 4096};
	static const char *const tags[2] = {"rpc16", "rpc4096"};
	static const char *const names[TB_TRANSPORTS][2] = {{"relay_request_16B", "relay_request_4KiB"},
	                                                    {"relay_request_16B_socket", "relay_request_4KiB_socket"}};
	static const char *const labels[TB_TRANSPORTS][2] = {
		{"Relay Request RTT 16 B", "Relay Request RTT 4 KiB"},
		{"Relay Request 16 B socket", "Relay Request 4 KiB socket"}};
	const struct tb_plan *pl = &c->plan;
	const char *tbfs[] = {p->rpc_server, p->rpc_client};
	struct tb_traps client[2] = {{0}}, server = {0};
	struct tb_result *r[2];

	r[0] = new_result(c, names[t][0], labels[t][0], "us", pl->reps, pl->rpc_iters);
	r[1] = new_result(c, names[t][1], labels[t][1], "us", pl->reps, pl->rpc_iters);
	r[0]->floor.label = "socketpair RTT 16 B";
	r[1]->floor.label = "socketpair RTT 4 KiB";
	for (unsigned rep = 0; rep < pl->reps && !r[0]->error[0] && !r[1]->error[0]; rep++) {
		double floor_ns[2];
		struct tb_output o;

		for (int i = 0; i < 2; i++) {
			struct tb_samples fl = {0};

			floor_ns[i] = floor_value(r[i], tb_floor_pingpong(sizes[i], 1, pl->rpc_iters, &fl), &fl);
		}
		if (r[0]->error[0] || r[1]->error[0] || !run_rep(c, tbfs, 2, "brpc_client", pl->rpc_iters, r, 2, &o))
			break;
		for (int i = 0; i < 2; i++) {
			tb_result_pair(r[i], subject_value(r[i], o.out, tags[i], "iters"), floor_ns[i]);
			count_traps(&client[i], o.out, tags[i], "iters");
		}
		count_traps(&server, o.out, "rpcsrv", "requests");
		tb_output_free(&o);
	}
	/* The client's syscalls per round trip, and the server's per request served (over the whole run). */
	for (int i = 0; i < 2; i++) {
		tb_result_extra(r[i], "client_traps_per_rpc", traps_per_op(&client[i]));
		tb_result_extra(r[i], "server_traps_per_rpc", traps_per_op(&server));
		tb_result_extra(r[i], "client_round_trips_per_rpc", round_trips_per_op(&client[i]));
		tb_result_extra(r[i], "server_round_trips_per_rpc", round_trips_per_op(&server));
	}
}

static void bench_msg(struct tb_ctx *c, const struct tb_paths *p, int t)
{
	static const char *const names[TB_TRANSPORTS] = {"relay_message_64B", "relay_message_64B_socket"};
	static const char *const labels[TB_TRANSPORTS] = {"Relay Message 64 B", "Relay Message 64 B socket"};
	const struct tb_plan *pl = &c->plan;
	struct tb_result *r = new_result(c, names[t], labels[t], "msg/s", pl->reps, pl->msgs);
	const char *tbfs[] = {p->msg_rx, p->msg_tx};
	double retries = 0, swaps = 0, overflows = 0;
	struct tb_traps tx = {0}, rx = {0};

	r->floor.label = "socketpair stream 64 B";
	for (unsigned rep = 0; rep < pl->reps && !r->error[0]; rep++) {
		struct tb_samples fl = {0};
		double floor_ns = floor_value(r, tb_floor_stream(64, 1, pl->msgs, &fl), &fl);
		struct tb_output o;

		if (r->error[0] || !run_rep(c, tbfs, 2, "bmsg_tx", pl->msgs, &r, 1, &o))
			break;
		tb_result_pair(r, subject_value(r, o.out, "msg", "msgs"), floor_ns);
		/* Resends after "no room" (ESIZE): the sender outran the receiver's swaps. */
		retries += tb_parse_sum(o.out, "msgtx", "full");
		swaps += tb_parse_sum(o.out, "msg", "swaps");
		overflows += tb_parse_sum(o.out, "msg", "overflows");
		count_traps(&tx, o.out, "msgtx", "msgs");
		count_traps(&rx, o.out, "msg", "msgs");
		tb_output_free(&o);
	}
	tb_result_extra(r, "tx_traps_per_msg", traps_per_op(&tx));
	tb_result_extra(r, "rx_traps_per_msg", traps_per_op(&rx));
	tb_result_extra(r, "rx_round_trips_per_msg", round_trips_per_op(&rx));
	tb_result_extra(r, "full_retries", retries);
	tb_result_extra(r, "swaps", swaps);
	tb_result_extra(r, "overflowed_swaps", overflows);
}

/*
 * Shared-region bandwidth: bshm_tx fills a 4 MiB IPC Share region and bshm_rx copies it out,
 * round after round, handing the CPU over with a Relay Message doorbell once per round (tockhost
 * runs one app at a time). The figure is bshm_tx's bytes and ns; the floor is the same copies in
 * and out inside tockbench. Time per operation is ns per MB (10^6 bytes), shown as MB/s.
 */
static void bench_shm(struct tb_ctx *c, const struct tb_paths *p)
{
	const struct tb_plan *pl = &c->plan;
	struct tb_result *r =
		new_result(c, "shared_region_4MiB", "shared region 4 MiB", "MB/s", pl->reps, pl->shm_rounds);
	const char *tbfs[] = {p->shm_rx, p->shm_tx};
	struct tb_samples rx = {0}, over = {0}; /* rx: bshm_rx's own view, ns per byte */

	r->floor.label = "memcpy in+out 4 MiB";
	for (unsigned rep = 0; rep < pl->reps && !r->error[0]; rep++) {
		struct tb_samples fl = {0};
		int err = tb_floor_memcpy(TB_SHM_REGION, TB_SHM_PIECE, 1, pl->shm_rounds, &fl);
		double floor_ns = floor_value(r, err, &fl) * 1e6 / TB_SHM_REGION, ns;
		struct tb_output o;

		if (r->error[0] || !run_rep(c, tbfs, 2, "bshm_tx", pl->shm_rounds, &r, 1, &o))
			break;
		ns = subject_value(r, o.out, "shm", "bytes") * 1e6;
		if (!r->error[0] && (tb_parse_sum(o.out, "shm", "region") != TB_SHM_REGION ||
		                     tb_parse_sum(o.out, "shm", "piece") != TB_SHM_PIECE))
			tb_result_fail(r, "bshm_tx uses another region or piece size than tockbench (rebuild both)");
		if (!r->error[0] && tb_parse_per_op(o.out, "shmrx", "bytes", &rx) != 1)
			tb_result_fail(r, "no 'BENCH shmrx' line from bshm_rx");
		if (!r->error[0])
			tb_result_pair(r, ns, floor_ns);
		tb_output_free(&o);
	}
	/* What a round costs beyond the floor's copies, per rep: mostly the two doorbell handovers. */
	for (size_t i = 0; i < r->subject.ns.n; i++)
		tb_samples_add(&over, (r->subject.ns.v[i] - r->floor.ns.v[i]) * (TB_SHM_REGION / 1e6) / 1e3);
	tb_result_extra(r, "overhead_us_per_round", tb_samples_median(&over));
	tb_result_extra(r, "region_bytes", TB_SHM_REGION);
	tb_result_extra(r, "piece_bytes", TB_SHM_PIECE);
	tb_result_extra(r, "consumer_MBps_median", 1e3 / tb_samples_median(&rx));
}

/* One whole run of n copies of bnop: wall ns and max RSS KiB, or NAN (and r fails). */
static double time_startup(struct tb_ctx *c, struct tb_result *r, const char *const *tbfs, unsigned n,
                           struct tb_samples *rss)
{
	uint64_t ns = 0;
	long kib = 0;
	int err = tb_tockhost_time(c->tockhost, tbfs, n, NULL, c->plan.timeout_s, &ns, &kib, NULL);

	if (err == -ECHILD)
		tb_result_fail(r, "tockhost failed (run it by hand: %s run %s)", c->tockhost, tbfs[0]);
	else if (err)
		tb_result_fail(r, "tockhost run: %s", strerror(-err));
	if (err)
		return NAN;
	tb_samples_add(rss, (double)kib);
	return (double)ns;
}

/* Per-app cost of rep `rep`: (t(n) - t(1)) / (n - 1), beside one fork+exec from the same rep. */
static void startup_per_app(struct tb_result *per, struct tb_result **r, size_t last, unsigned rep)
{
	unsigned n = start_counts[last];

	if (r[0]->subject.ns.n <= rep || r[last]->subject.ns.n <= rep) {
		tb_result_fail(per, "needs start-up 1 and %u", n);
		return;
	}
	tb_result_pair(per, (r[last]->subject.ns.v[rep] - r[0]->subject.ns.v[rep]) / (n - 1), r[0]->floor.ns.v[rep]);
}

static void bench_startup(struct tb_ctx *c, const struct tb_paths *p)
{
	static const char *const labels[] = {"start-up 1 app", "start-up 16 apps", "start-up 64 apps",
	                                     "start-up 256 apps"};
	static const char *const names[] = {"startup_1", "startup_16", "startup_64", "startup_256"};
	static const char *const floors[] = {"fork+exec /bin/true x1", "fork+exec /bin/true x16",
	                                     "fork+exec /bin/true x64", "fork+exec /bin/true x256"};
	static const char *tbfs[256];
	struct tb_samples rss[TB_START_COUNTS] = {0};
	struct tb_result *r[TB_START_COUNTS], *per;
	const size_t last = TB_START_COUNTS - 1;
	uint64_t warm_ns;
	long warm_kib;

	for (size_t i = 0; i < 256; i++)
		tbfs[i] = p->bnop;
	for (size_t i = 0; i < TB_START_COUNTS; i++) {
		r[i] = new_result(c, names[i], labels[i], "ms", c->plan.start_reps, start_counts[i]);
		r[i]->floor.label = floors[i];
	}
	per = new_result(c, "startup_per_app", "start-up per extra app", "ms", c->plan.start_reps, start_counts[last]);
	per->floor.label = "fork+exec /bin/true x1";
	tb_tockhost_time(c->tockhost, tbfs, 1, NULL, c->plan.timeout_s, &warm_ns, &warm_kib, NULL); /* page cache */
	for (unsigned rep = 0; rep < c->plan.start_reps; rep++) {
		for (size_t i = 0; i < TB_START_COUNTS; i++) {
			struct tb_samples fl = {0};
			double floor_ns = floor_value(r[i], tb_floor_spawn_true(start_counts[i], 1, &fl), &fl);

			if (!r[i]->error[0])
				tb_result_pair(r[i], time_startup(c, r[i], tbfs, start_counts[i], &rss[i]), floor_ns);
		}
		if (!per->error[0])
			startup_per_app(per, r, last, rep);
	}
	if (tb_spawn_baseline_rss(&warm_kib) < 0)
		warm_kib = -1;
	for (size_t i = 0; i < TB_START_COUNTS; i++) {
		tb_result_extra(r[i], "max_rss_kib", tb_samples_median(&rss[i]));
		tb_result_extra(r[i], "max_rss_kib_max", tb_samples_max(&rss[i]));
		tb_result_extra(r[i], "spawn_baseline_rss_kib", warm_kib >= 0 ? (double)warm_kib : NAN);
	}
	tb_result_extra(per, "rss_kib_per_app",
	                (tb_samples_median(&rss[last]) - tb_samples_median(&rss[0])) / (start_counts[last] - 1));
}

/* CPU ns of one `tockhost run --run-for SECONDS` of the idle apps on the current transport, or NAN (r fails). */
static double idle_run_cpu(struct tb_ctx *c, struct tb_result *r, const char *const *tbfs, size_t n,
                           const char *seconds)
{
	const char *extra[] = {"--trap-channel", c->channel, "--run-for", seconds, NULL};
	uint64_t ns = 0, cpu = 0;
	long kib = 0;
	int err = tb_tockhost_time(c->tockhost, tbfs, n, extra, c->plan.timeout_s, &ns, &kib, &cpu);

	if (err) {
		tb_result_fail(r, "idle run (--run-for %s): %s", seconds, err == -ECHILD ? "tockhost failed" : strerror(-err));
		return NAN;
	}
	return (double)cpu;
}

/*
 * Idle is free: eight apps wait in yield with nothing that could wake them (no alarm, no upcall).
 * CPU time (supervisor + apps) of a 5.5 s run minus that of a 0.5 s run is what 5 s of idling
 * cost; shown per idle second beside one core-second, so "x floor" is the share of a core used.
 */
#define TB_IDLE_APPS 8
#define TB_IDLE_SECONDS 5.0

static void bench_idle(struct tb_ctx *c, const struct tb_paths *p, int t)
{
	static const char *const names[TB_TRANSPORTS] = {"idle_cpu", "idle_cpu_socket"};
	static const char *const labels[TB_TRANSPORTS] = {"idle CPU per second", "idle CPU per second socket"};
	const char *tbfs[TB_IDLE_APPS];
	struct tb_result *r = new_result(c, names[t], labels[t], "us", 1, TB_IDLE_APPS);
	double short_cpu, long_cpu;

	r->floor.label = "one core for 1 s";
	for (size_t i = 0; i < TB_IDLE_APPS; i++)
		tbfs[i] = p->bidle;
	short_cpu = idle_run_cpu(c, r, tbfs, TB_IDLE_APPS, "0.5");
	long_cpu = r->error[0] ? NAN : idle_run_cpu(c, r, tbfs, TB_IDLE_APPS, "5.5");
	if (r->error[0])
		return;
	/* A difference at or below zero is "nothing measurable": one jiffy of CPU time is the resolution. */
	tb_result_pair(r, long_cpu > short_cpu ? (long_cpu - short_cpu) / TB_IDLE_SECONDS : 1.0, 1e9);
	tb_result_extra(r, "cpu_ms_over_5s", long_cpu > short_cpu ? (long_cpu - short_cpu) / 1e6 : 0);
}

/* The figures measured on each trap channel, in table order. */
static const struct {
	unsigned bit;
	void (*run)(struct tb_ctx *c, const struct tb_paths *p, int transport);
} trap_figures[] = {
	{TB_ONLY_NULL, bench_null},
	{TB_ONLY_RPC, bench_rpc},
	{TB_ONLY_MSG, bench_msg},
	{TB_ONLY_IDLE, bench_idle},
};

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: tockbench [--quick] [--json FILE] [--only LIST] [--reps N] [--tockhost PATH] [--apps DIR]\n"
	        "                 [--timeout SECS]\n"
	        "\n"
	        "Measures tockhost beside plain-Linux floors in the same run and prints a table and JSON.\n"
	        "  --quick          about 15 s instead of about a minute (fewer reps and iterations)\n"
	        "  --json FILE      write the JSON there ('-' = stdout, the table then goes to stderr);\n"
	        "                   without it the JSON follows the table on stdout\n"
	        "  --only LIST      comma-separated subset of: null,rpc,msg,shm,startup,idle\n"
	        "                   (null, rpc, msg and idle run on both trap channels: ring and socket)\n"
	        "  --reps N         samples per figure (default 9, quick 5; start-up: 7, quick 3)\n"
	        "  --tockhost PATH  supervisor to measure (default %s)\n"
	        "  --apps DIR       where the bench app images are (default %s)\n"
	        "  --timeout SECS   stop a tockhost run that takes longer (default 120, quick 60)\n"
	        "Exit status: 0 when every figure was measured, 1 if any failed (see its row), 2 on bad usage.\n",
	        TOCKBENCH_TOCKHOST, TOCKBENCH_APPS_DIR);
}

static int parse_only(const char *list, unsigned *ret)
{
	static const char *const names[] = {"null", "rpc", "msg", "startup", "shm", "idle"}; /* bit i: TB_ONLY_* */
	char buf[128], *save = NULL;

	*ret = 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < 6 && strcmp(tok, names[i]) != 0; i++)
			;
		if (i == 6)
			return -EINVAL;
		*ret |= 1u << i;
	}
	return *ret ? 0 : -EINVAL;
}

static int parse_args(int argc, char **argv, struct tb_ctx *c, const char **json_path)
{
	static const struct option opts[] = {
		{"quick", no_argument, NULL, 'q'},          {"json", required_argument, NULL, 'j'},
		{"only", required_argument, NULL, 'o'},     {"reps", required_argument, NULL, 'r'},
		{"tockhost", required_argument, NULL, 't'}, {"apps", required_argument, NULL, 'a'},
		{"timeout", required_argument, NULL, 'T'},  {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	double timeout_s = 0;
	long reps = 0;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;

		switch (ch) {
		case 'q': c->quick = true; break;
		case 'j': *json_path = optarg; break;
		case 't': c->tockhost = optarg; break;
		case 'a': c->apps_dir = optarg; break;
		case 'o':
			if (parse_only(optarg, &c->only) < 0) {
				fprintf(stderr, "tockbench: --only: expected a list of null,rpc,msg,shm,startup,idle, got '%s'\n",
				        optarg);
				return -1;
			}
			break;
		case 'r':
			reps = strtol(optarg, &end, 10);
			if (*end || reps < 1 || reps > TB_MAX_SAMPLES) {
				fprintf(stderr, "tockbench: --reps: expected 1..%d, got '%s'\n", TB_MAX_SAMPLES, optarg);
				return -1;
			}
			break;
		case 'T':
			timeout_s = strtod(optarg, &end);
			if (*end || !(timeout_s > 0 && timeout_s <= 3600)) {
				fprintf(stderr, "tockbench: --timeout: expected seconds in (0, 3600], got '%s'\n", optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tockbench: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	c->plan = c->quick ? plan_quick : plan_full;
	if (reps)
		c->plan.reps = c->plan.start_reps = (unsigned)reps;
	if (timeout_s > 0)
		c->plan.timeout_s = timeout_s;
	return 0;
}

/* Say plainly what is missing before spending a minute on figures that cannot be measured. */
static int check_paths(const struct tb_ctx *c, const struct tb_paths *p)
{
	const char *const images[] = {p->bnop,   p->bnull,  p->rpc_server, p->rpc_client, p->msg_tx,
	                              p->msg_rx, p->shm_tx, p->shm_rx,     p->bidle};
	int rc = 0;

	if (access(c->tockhost, X_OK) < 0) {
		fprintf(stderr, "tockbench: cannot run tockhost '%s': %m (build it, or pass --tockhost)\n", c->tockhost);
		rc = -1;
	}
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		if (access(images[i], R_OK) < 0) {
			fprintf(stderr, "tockbench: cannot read app image '%s': %m (build bench/, or pass --apps)\n",
			        images[i]);
			rc = -1;
		}
	}
	return rc;
}

/* The table and the JSON, where --json asked for it. 0, or 1 if the JSON could not be written. */
static int emit(const struct tb_ctx *c, const char *json_path)
{
	FILE *table = json_path && strcmp(json_path, "-") == 0 ? stderr : stdout;
	FILE *jf = stdout;
	int rc = 0;

	tb_report_table(table, c->results, c->nresults, c->quick);
	if (json_path && strcmp(json_path, "-") != 0) {
		jf = fopen(json_path, "we");
		if (!jf) {
			fprintf(stderr, "tockbench: cannot write '%s': %m\n", json_path);
			return 1;
		}
	} else if (!json_path) {
		fprintf(stdout, "\n");
	}
	if (tb_report_json(jf, c->results, c->nresults, c->quick) < 0)
		rc = 1;
	if (jf != stdout && fclose(jf) != 0) {
		fprintf(stderr, "tockbench: writing '%s': %m\n", json_path);
		rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	static struct tb_ctx c = {.tockhost = TOCKBENCH_TOCKHOST, .apps_dir = TOCKBENCH_APPS_DIR, .only = TB_ONLY_ALL};
	static struct tb_paths p;
	const char *json_path = NULL;
	int rc;

	if (parse_args(argc, argv, &c, &json_path) < 0)
		return 2;
	signal(SIGPIPE, SIG_IGN); /* a dead peer shows up as an error return, not a killed benchmark */
	app_path(p.bnop, c.apps_dir, "bnop");
	app_path(p.bnull, c.apps_dir, "bnull");
	app_path(p.bidle, c.apps_dir, "bidle");
	app_path(p.rpc_server, c.apps_dir, "brpc_server");
	app_path(p.rpc_client, c.apps_dir, "brpc_client");
	app_path(p.msg_tx, c.apps_dir, "bmsg_tx");
	app_path(p.msg_rx, c.apps_dir, "bmsg_rx");
	app_path(p.shm_tx, c.apps_dir, "bshm_tx");
	app_path(p.shm_rx, c.apps_dir, "bshm_rx");
	if (check_paths(&c, &p) < 0)
		return 2;
	/* Ring and socket one after the other per figure, so the two rows read side by side. */
	for (size_t f = 0; f < sizeof(trap_figures) / sizeof(trap_figures[0]); f++)
		for (int t = 0; t < TB_TRANSPORTS && (c.only & trap_figures[f].bit); t++) {
			c.channel = transports[t];
			trap_figures[f].run(&c, &p, t);
		}
	if (c.only & TB_ONLY_SHM)
		bench_shm(&c, &p);
	if (c.only & TB_ONLY_STARTUP)
		bench_startup(&c, &p);
	for (size_t i = 0; i < c.nresults; i++)
		tb_result_finish(&c.results[i]); /* derived rows have no samples and keep their figures */
	rc = emit(&c, json_path);
	for (size_t i = 0; i < c.nresults; i++)
		if (c.results[i].error[0])
			rc = 1;
	return rc;
}
