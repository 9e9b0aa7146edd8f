/* tockbench results: one row per figure with its floor; printed as an aligned table and as JSON. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "tb_stats.h"

#define TB_MAX_EXTRA 8

/* A figure as median and best (best = the minimum time, i.e. the maximum rate). */
struct tb_figure {
	const char *label;
	struct tb_samples ns; /* ns per operation, one per rep; empty for derived figures */
	double median_ns, best_ns; /* filled by tb_result_finish from ns, or set directly when derived */
};

struct tb_result {
	const char *name; /* JSON key */
	const char *unit; /* "ns", "us", "ms" (a time per operation) or "msg/s", "MB/s" (a rate; MB = 10^6 bytes) */
	unsigned reps, iters; /* what one sample covers (iters operations) */
	struct tb_figure subject, floor;
	/* subject / floor of each rep, the two measured back to back: drift in machine load cancels out */
	struct tb_samples ratio;
	struct {
		const char *key;
		double value;
	} extra[TB_MAX_EXTRA]; /* more numbers for JSON, e.g. max_rss_kib; the note shows the first and every *_per_* count */
	unsigned nextra;
	char error[256]; /* non-empty: the figure could not be measured, and why */
};

/* Compute median/best of the figures that have samples. */
void tb_result_finish(struct tb_result *r);
/* Record one rep's pair: subject and floor in ns per operation (adds to both figures and to ratio). */
void tb_result_pair(struct tb_result *r, double subject_ns, double floor_ns);
void tb_result_extra(struct tb_result *r, const char *key, double value);
void tb_result_fail(struct tb_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The aligned table, a header with the host and the mode first. */
void tb_report_table(FILE *f, const struct tb_result *results, size_t count, bool quick);
/* The JSON document. 0 or -errno (-ENOMEM). */
int tb_report_json(FILE *f, const struct tb_result *results, size_t count, bool quick);
