/* Helpers for the tbftool CLI tests: run tbftool, temp paths, whole-file read and write. */
#ifndef TOCKHOST_TEST_TOOL_RUN_H
#define TOCKHOST_TEST_TOOL_RUN_H

#include <stddef.h>
#include <stdint.h>

struct blob {
	uint8_t *data; /* NUL-terminated (one byte past len) when read by slurp() */
	size_t len;
};

extern const char *tbftool_path, *elf_path;

/* Remember the tool and the test ELF, make the private temp dir. 0, or -1 after printing why. */
int tool_run_init(const char *tbftool, const char *elf);
void tool_run_cleanup(void); /* removes the temp dir */

struct blob slurp(const char *path);
void spit(const char *path, const struct blob *b);

/* <tempdir>/<name>; paths live in a ring large enough that no test reuses one while it still holds it. */
char *tmp_path(const char *name);

/* Runs tbftool with args (NULL-terminated, without argv[0]); stdout/stderr land in the temp dir. Returns the exit code. */
int run_tool(const char *const *args);

/* What the last run_tool wrote to "stdout" or "stderr" (malloc'ed, NUL-terminated). */
char *tool_output(const char *which);

#endif
