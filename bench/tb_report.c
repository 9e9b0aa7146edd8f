/* tockbench output: the aligned table for people and the JSON document for scripts, from the same rows. */
#include "tb_report.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static void figure_finish(struct tb_figure *f)
{
	if (f->ns.n) {
		f->median_ns = tb_samples_median(&f->ns);
		f->best_ns = tb_samples_min(&f->ns);
	}
}

void tb_result_finish(struct tb_result *r)
{
	figure_finish(&r->subject);
	figure_finish(&r->floor);
}

void tb_result_pair(struct tb_result *r, double subject_ns, double floor_ns)
{
	if (!(subject_ns > 0 && floor_ns > 0))
		return; /* a failed half (NAN): the result already says why */
	tb_samples_add(&r->subject.ns, subject_ns);
	tb_samples_add(&r->floor.ns, floor_ns);
	tb_samples_add(&r->ratio, subject_ns / floor_ns);
}

void tb_result_extra(struct tb_result *r, const char *key, double value)
{
	if (r->nextra < TB_MAX_EXTRA) {
		r->extra[r->nextra].key = key;
		r->extra[r->nextra++].value = value;
	}
}

void tb_result_fail(struct tb_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->error[0])
		return; /* keep the first reason */
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
}

/* "msg/s", "MB/s": an operation per second (MB/s: the operation is 10^6 bytes). */
static bool is_rate(const struct tb_result *r)
{
	return strcmp(r->unit, "msg/s") == 0 || strcmp(r->unit, "MB/s") == 0;
}

/* A time per operation in ns, in the row's unit. */
static double display(const struct tb_result *r, double ns)
{
	if (is_rate(r))
		return ns > 0 ? 1e9 / ns : NAN;
	if (strcmp(r->unit, "us") == 0)
		return ns / 1e3;
	if (strcmp(r->unit, "ms") == 0)
		return ns / 1e6;
	return ns;
}

/* Three significant digits or more, never an exponent: the columns stay readable. */
static const char *fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
	return buf;
}

static double ratio(double a, double b)
{
	return a > 0 && b > 0 ? a / b : NAN;
}

/* The median of the paired per-rep ratios; the ratio of the medians when there are no pairs. */
static double ratio_median(const struct tb_result *r)
{
	return r->ratio.n ? tb_samples_median(&r->ratio) : ratio(r->subject.median_ns, r->floor.median_ns);
}

static void table_row(FILE *f, const struct tb_result *r)
{
	char a[32], b[32], c[32], d[32], e[32], g[32];
	const struct tb_figure *s = &r->subject, *fl = &r->floor;

	if (r->error[0]) {
		fprintf(f, "%-24s %-5s  FAILED: %s\n", s->label, r->unit, r->error);
		return;
	}
	fprintf(f, "%-24s %-5s %9s %9s | %-25s %9s %9s | %7s %7s", s->label, r->unit,
	        fmt_num(a, sizeof(a), display(r, s->median_ns)), fmt_num(b, sizeof(b), display(r, s->best_ns)),
	        fl->label, fmt_num(c, sizeof(c), display(r, fl->median_ns)),
	        fmt_num(d, sizeof(d), display(r, fl->best_ns)),
	        fmt_num(e, sizeof(e), ratio_median(r)),
	        fmt_num(g, sizeof(g), ratio(s->best_ns, fl->best_ns)));
	/* The note: the first extra, and every count per operation (traps, round trips). */
	for (size_t i = 0; i < r->nextra; i++)
		if (i == 0 || strstr(r->extra[i].key, "_per_"))
			fprintf(f, "  %s=%s", r->extra[i].key, fmt_num(a, sizeof(a), r->extra[i].value));
	fputc('\n', f);
}

void tb_report_table(FILE *f, const struct tb_result *results, size_t count, bool quick)
{
	struct utsname u;

	if (uname(&u) < 0)
		strcpy(u.release, "?");
	fprintf(f, "tockbench (%s mode): every figure beside its floor, measured in the same run; "
	        "host: %ld CPUs, Linux %s\n", quick ? "quick" : "full", sysconf(_SC_NPROCESSORS_ONLN), u.release);
	fprintf(f, "%-24s %-5s %9s %9s | %-25s %9s %9s | %7s %7s  %s\n", "benchmark", "unit", "median", "best",
	        "floor", "median", "best", "x floor", "(best)", "note");
	for (int i = 0; i < 136; i++)
		fputc('-', f);
	fputc('\n', f);
	for (size_t i = 0; i < count; i++)
		table_row(f, &results[i]);
	fprintf(f, "x floor = median over reps of (time per operation / the floor's, measured right before it); "
	        "for msg/s, MB/s: floor rate / rate.\n(best) = best / floor best. best = minimum time (maximum rate).\n");
}

static json_object *json_num(double v)
{
	return isnan(v) || isinf(v) ? json_object_new_null() : json_object_new_double(v);
}

static json_object *json_figure(const struct tb_result *r, const struct tb_figure *fig)
{
	json_object *o = json_object_new_object(), *samples = json_object_new_array();

	json_object_object_add(o, "label", json_object_new_string(fig->label ? fig->label : ""));
	json_object_object_add(o, "median", json_num(display(r, fig->median_ns)));
	json_object_object_add(o, "best", json_num(display(r, fig->best_ns)));
	json_object_object_add(o, "median_ns_per_op", json_num(fig->median_ns));
	json_object_object_add(o, "min_ns_per_op", json_num(fig->best_ns));
	for (size_t i = 0; i < fig->ns.n; i++)
		json_object_array_add(samples, json_num(fig->ns.v[i]));
	json_object_object_add(o, "samples_ns_per_op", samples);
	return o;
}

static json_object *json_result(const struct tb_result *r)
{
	json_object *o = json_object_new_object(), *samples;

	json_object_object_add(o, "name", json_object_new_string(r->name));
	json_object_object_add(o, "unit", json_object_new_string(r->unit));
	json_object_object_add(o, "reps", json_object_new_int((int)r->reps));
	json_object_object_add(o, "iters", json_object_new_int((int)r->iters));
	if (r->error[0]) {
		json_object_object_add(o, "error", json_object_new_string(r->error));
		return o;
	}
	json_object_object_add(o, "tockhost", json_figure(r, &r->subject));
	json_object_object_add(o, "floor", json_figure(r, &r->floor));
	json_object_object_add(o, "x_floor_median", json_num(ratio_median(r)));
	json_object_object_add(o, "x_floor_best", json_num(ratio(r->subject.best_ns, r->floor.best_ns)));
	samples = json_object_new_array();
	for (size_t i = 0; i < r->ratio.n; i++)
		json_object_array_add(samples, json_num(r->ratio.v[i]));
	json_object_object_add(o, "x_floor_samples", samples);
	for (unsigned i = 0; i < r->nextra; i++)
		json_object_object_add(o, r->extra[i].key, json_num(r->extra[i].value));
	return o;
}

int tb_report_json(FILE *f, const struct tb_result *results, size_t count, bool quick)
{
	json_object *root = json_object_new_object(), *arr = json_object_new_array();
	struct utsname u;
	const char *text;

	if (!root || !arr)
		return -ENOMEM;
	if (uname(&u) < 0)
		strcpy(u.release, "?");
	json_object_object_add(root, "tool", json_object_new_string("tockbench"));
	json_object_object_add(root, "format", json_object_new_int(1));
	json_object_object_add(root, "mode", json_object_new_string(quick ? "quick" : "full"));
	json_object_object_add(root, "cpus", json_object_new_int((int)sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_object_add(root, "kernel", json_object_new_string(u.release));
	for (size_t i = 0; i < count; i++)
		json_object_array_add(arr, json_result(&results[i]));
	json_object_object_add(root, "results", arr);
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	fprintf(f, "%s\n", text);
	json_object_put(root);
	return 0;
}
