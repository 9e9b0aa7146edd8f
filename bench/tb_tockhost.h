/* tockbench: run the tockhost supervisor on bench apps, collect their BENCH lines, time whole runs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tb_stats.h"

struct tb_output {
	char *out; /* tockhost's stdout (the apps' "[app] ..." lines), NUL-terminated */
	char *err; /* its stderr (supervisor messages), NUL-terminated */
	int status; /* wait status */
	bool timed_out;
};

/*
 * Run `tockhost run --quiet --no-color --real-time [--stdin-app APP] [EXTRA...] TBF...` (extra:
 * NULL-terminated options, or NULL), feeding stdin_text to stdin_app (both may be NULL), and
 * collect its output. Killed after timeout_s seconds (ret->timed_out). 0 once it ran (look at
 * ret->status), or -errno. Free with tb_output_free.
 */
int tb_tockhost_run(const char *tockhost, const char *const *tbfs, size_t count, const char *const *extra,
                    const char *stdin_app, const char *stdin_text, double timeout_s, struct tb_output *ret);
void tb_output_free(struct tb_output *o);

/*
 * One whole `tockhost run [EXTRA...]` of the given images with stdio on /dev/null: wall time from
 * just before fork to wait4's return, the max RSS wait4 reports (KiB; Linux reports the largest
 * of the supervisor and the children it reaped) and, when ret_cpu_ns is not NULL, the CPU time
 * (user + system) of the supervisor and every app process it reaped. 0 if it exited 0, -ECHILD
 * if it failed, -ETIMEDOUT, or -errno.
 */
int tb_tockhost_time(const char *tockhost, const char *const *tbfs, size_t count, const char *const *extra,
                     double timeout_s, uint64_t *ret_ns, long *ret_maxrss_kib, uint64_t *ret_cpu_ns);

/*
 * The max RSS wait4 reports for /bin/true spawned the same way: what the spawning itself
 * contributes (the child's pre-exec memory is tockbench's, and Linux counts it). 0 or -errno.
 */
int tb_spawn_baseline_rss(long *ret_maxrss_kib);

/*
 * For each stdout line "[app] BENCH <tag> ... <count_key>=N ... ns=T", add T/N (ns per
 * operation) to ret. Returns how many lines matched.
 */
size_t tb_parse_per_op(const char *out, const char *tag, const char *count_key, struct tb_samples *ret);
/* Sum of key=V over the lines "BENCH <tag> ..."; 0 when none. */
double tb_parse_sum(const char *out, const char *tag, const char *key);
/* The first "BENCH error ..." line (without the prefix, up to the newline) in out, or NULL. */
const char *tb_parse_error(const char *out, size_t *ret_len);
