/* `tockhost test SPEC`: the spec model, its parser, the live matcher and the reports. */
#ifndef TOCKHOST_BOARD_TESTRUN_H
#define TOCKHOST_BOARD_TESTRUN_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes of `tockhost test` (documented in the README and --help). */
enum { TR_PASS = 0, TR_FAIL = 1, TR_TIMEOUT = 2, TR_SPEC_ERROR = 3 };

struct tr_expect {
	char *text;      /* the exact line, or the regex source */
	bool is_re;
	regex_t re;
};

struct tr_app {
	char *name;      /* the console prefix and the kernel's process name */
	char *image;     /* resolved against the spec file's directory */
	struct tr_expect *lines;
	size_t n_lines;
	bool has_exit;
	int exit_code;
	struct tr_expect fault; /* text NULL when no fault is expected */
	unsigned line;   /* the spec line of the section's first key, for later errors */
	/* Live state. */
	size_t matched;  /* expectations met so far, in order */
	char **out;      /* every console line of this app, for the diff */
	size_t n_out;
	bool loaded, exited, faulted, exit_ok, fault_ok;
	int got_exit;
	char *got_fault; /* first fault report text (after "faulted: ") */
	char *broken;    /* why this app's expectations cannot be met any more */
};

struct tr_spec {
	char *path;
	char *name;
	double timeout_s;
	bool virtual_time;
	bool strict;     /* every console line of an app must be its next expected line */
	char *board;
	char **options;  /* extra `tockhost run` options, split on blanks */
	size_t n_options;
	struct tr_app *apps;
	size_t n_apps;
	char *broken;    /* a failure that belongs to no app (e.g. an image loaded under another name) */
};

/* Parse SPEC; on error, print one line "tockhost: FILE:LINE: message" to stderr and return -1. */
int tr_spec_load(struct tr_spec *s, const char *path);
void tr_spec_free(struct tr_spec *s);

/* The matcher, fed by the runner (and by unit tests). */
void tr_on_console(struct tr_spec *s, const char *app, const char *text);
void tr_on_kernel(struct tr_spec *s, const char *line); /* a stderr line without "tockhost: " */
void tr_on_end(struct tr_spec *s);                    /* the supervisor ended on its own */
bool tr_all_met(const struct tr_spec *s);
bool tr_any_broken(const struct tr_spec *s);

/* Expected vs actual per app, first unmet expectation marked. */
void tr_write_diff(const struct tr_spec *s, FILE *f);
int tr_write_junit(const struct tr_spec *s, const char *path, int result, double seconds, const char *diff,
                   const char *output);

int tr_main(int argc, char **argv, const char *self);

#endif
