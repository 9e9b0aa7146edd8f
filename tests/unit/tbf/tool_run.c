/* Helpers for the tbftool CLI tests: spawn the tool with its output captured in a private temp dir. */
#include "tool_run.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/file.h"

extern char **environ;

const char *tbftool_path, *elf_path;
static char tmpdir[] = "/tmp/test_tbftool.XXXXXX";

int tool_run_init(const char *tbftool, const char *elf)
{
	tbftool_path = tbftool;
	elf_path = elf;
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

void tool_run_cleanup(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

struct blob slurp(const char *path)
{
	struct blob b = { 0 };
	int r = basic_read_file(path, SIZE_MAX - 1, &b.data, &b.len);

	ck_assert_msg(r == 0, "read %s: %s", path, strerror(-r));
	return b; /* NUL-terminated by basic_read_file */
}

void spit(const char *path, const struct blob *b)
{
	FILE *f = fopen(path, "wbe");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b->data, 1, b->len, f), b->len);
	ck_assert_int_eq(fclose(f), 0);
}

char *tmp_path(const char *name)
{
	static char paths[64][512];
	static unsigned next;
	char *p = paths[next++ % 64];

	snprintf(p, sizeof(paths[0]), "%s/%s", tmpdir, name);
	return p;
}

int run_tool(const char *const *args)
{
	const char *argv[32] = { tbftool_path };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, n = 1;

	for (; args[n - 1]; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, tmp_path("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, tmp_path("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_eq(posix_spawn(&pid, tbftool_path, &fa, NULL, (char *const *)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "tbftool died with status 0x%x", status);
	return WEXITSTATUS(status);
}

char *tool_output(const char *which)
{
	return (char *)slurp(tmp_path(which)).data;
}
