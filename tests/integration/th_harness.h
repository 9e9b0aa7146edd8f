/* Integration-test harness: spawns the real tockhost supervisor, feeds stdin, collects stdout/stderr/status. */
#ifndef TOCKHOST_TH_HARNESS_H
#define TOCKHOST_TH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Hang guard for one supervisor run. It only stops a hung run from blocking the suite; no test
 * asserts anything about how fast a run is. Override with TH_HANG_GUARD_SECONDS.
 */
#define TH_HANG_GUARD_DEFAULT_SECONDS 150

/* Check's per-test timeout for integration test cases (must exceed the hang guard). */
#define TH_TCASE_TIMEOUT_SECONDS 600

/* A growable NUL-terminated byte buffer. */
struct th_buf {
	char *data;
	size_t len, cap;
};

/* A running supervisor. */
struct th_proc {
	pid_t pid;
	int pidfd;             /* -1 when pidfd_open is unavailable: then we poll waitpid */
	int in_fd, out_fd, err_fd;
	const char *stdin_data;
	size_t stdin_len, stdin_off;
	struct th_buf out, err;
	bool reaped, timed_out;
	int status;            /* raw wait status, valid when reaped */
	double deadline;       /* CLOCK_MONOTONIC seconds */
};

/* What one finished run produced. out/err are NUL-terminated (never NULL). */
struct th_result {
	char *out, *err;
	size_t out_len, err_len;
	int exit_code;   /* WEXITSTATUS, or -1 when killed by a signal */
	int term_signal; /* signal that killed it, or 0 */
	bool timed_out;  /* the hang guard fired (always a test failure) */
};

/* Path of the supervisor under test ($TOCKHOST); aborts the test when unset. */
const char *th_tockhost(void);

/*
 * Path of the image of app `name`: $APPS_DIR/<name>.tbf when present, else
 * $TEST_APPS_DIR/<name>.tbf. Fails the test when neither exists. The string lives in a
 * static ring of slots (enough for any one command line here), so callers never free it.
 */
const char *th_app(const char *name);

/* A fresh private temp dir for this test (under $TMPDIR or /tmp); removed by th_tmpdir_cleanup(). */
const char *th_tmpdir(void);
void th_tmpdir_cleanup(void);

/*
 * Write `text` to th_tmpdir()/<name> (a board file, say) and return its path, from a static ring
 * of slots like th_app's; fails the test when it cannot be written.
 */
const char *th_tmp_file(const char *name, const char *text);

/*
 * Start `tockhost args...` (args NULL-terminated, without argv[0]) in its own process group.
 * stdin_data (may be NULL: stdin is /dev/null) is written to its stdin, which is then closed.
 * Returns 0 or -errno.
 */
int th_start(struct th_proc *p, const char *const *args, const char *stdin_data);

/* Pump I/O until stdout contains `needle`; false if the process ended or the guard fired first. */
bool th_wait_stdout(struct th_proc *p, const char *needle);

/*
 * Pump I/O until the process exits (or the guard fires and kills it); fill *ret and release *p.
 * With TH_VERBOSE set in the environment every run is dumped to stderr (for debugging the suite).
 */
void th_finish(struct th_proc *p, struct th_result *ret);

/* th_start + th_finish; fails the test when the supervisor cannot be started. */
void th_run(struct th_result *ret, const char *stdin_data, const char *const *args);

void th_result_free(struct th_result *r);

/* Print a run's output to stderr (Check shows it next to the failure). */
void th_dump(const char *what, const struct th_result *r);

#endif
