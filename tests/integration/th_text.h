/* Integration-test helpers that read tockhost's output contract: app lines and supervisor messages. */
#ifndef TOCKHOST_TH_TEXT_H
#define TOCKHOST_TH_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "th_harness.h"

#define TH_MAX_LINES 4096

/* Lines of one buffer (pointers into a private copy). */
struct th_lines {
	char *copy;
	char **v;
	size_t n;
};

/* Split buf into lines (a trailing partial line counts). */
void th_lines_split(const char *buf, struct th_lines *ret);

/* The text of every "[app] text" stdout line of `app`, in order. */
void th_app_lines(const char *out, const char *app, struct th_lines *ret);

void th_lines_free(struct th_lines *l);

/* Whether some line of buf equals `line` exactly. */
bool th_has_line(const char *buf, const char *line);

/* Occurrences of needle in buf. */
size_t th_count(const char *buf, const char *needle);

/* `tockhost: loaded '<name>' as ProcessId <n> (flash 0x..-0x.., RAM 0x..-0x..)` */
struct th_loaded {
	unsigned pid;
	uint64_t flash_start, flash_end, ram_start, ram_end;
};
size_t th_loaded(const char *err, const char *name, struct th_loaded *ret, size_t max);

/* `tockhost: process '<name>' restarted as ProcessId <n> (restart <count>)` */
struct th_restart {
	unsigned pid, count;
};
size_t th_restarts(const char *err, const char *name, struct th_restart *ret, size_t max);

/* `tockhost: process '<name>' (ProcessId <n>) faulted: <cause>` and its indented detail lines. */
struct th_fault {
	unsigned pid;
	char cause[200];
	bool has_pc, has_address;
	uint64_t pc, address;
	char access[8]; /* "read" / "write" / "exec" from the address line */
};
size_t th_faults(const char *err, const char *name, struct th_fault *ret, size_t max);

/* ProcessIds in `tockhost: process '<name>' (ProcessId <n>) <what>` lines (what: "stopped after fault"). */
size_t th_process_events(const char *err, const char *name, const char *what, unsigned *ret_pids, size_t max);

/* Fail the test (after dumping the run) when cond is false. */
#define th_expect(r, cond, ...)                                   \
	do {                                                      \
		if (!(cond)) {                                    \
			th_dump(#cond, (r));                      \
			ck_abort_msg(__VA_ARGS__);                \
		}                                                 \
	} while (0)

/* Every run should end on its own: no hang guard, no signal death, no sanitizer report. */
#define th_expect_clean(r)                                                                    \
	do {                                                                                  \
		th_expect((r), !(r)->timed_out, "supervisor hung (hang guard fired)");       \
		th_expect((r), (r)->term_signal == 0, "supervisor died of signal %d",         \
			  (r)->term_signal);                                                  \
		th_expect((r), !strstr((r)->err, "Sanitizer:") &&                             \
				       !strstr((r)->err, "runtime error:"),                   \
			  "sanitizer report in supervisor stderr");                           \
	} while (0)

#endif
