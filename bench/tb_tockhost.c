/* tockbench: spawn tockhost on bench app images, capture or discard its output, and parse the apps' BENCH lines. */
#include "tb_tockhost.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/clock.h"

extern char **environ;

struct tb_buf {
	char *data;
	size_t len, cap;
};

/* argv for `tockhost run ... [extra...] TBF...`; free() the array only (the strings are borrowed). */
static char **build_argv(const char *tockhost, const char *const *tbfs, size_t count, const char *stdin_app,
                         const char *const *extra)
{
	size_t nextra = 0, n = 0;
	char **argv;

	while (extra && extra[nextra])
		nextra++;
	argv = calloc(count + nextra + 9, sizeof(*argv));
	if (!argv)
		return NULL;
	argv[n++] = (char *)tockhost;
	argv[n++] = "run";
	argv[n++] = "--quiet";
	argv[n++] = "--no-color";
	argv[n++] = "--real-time";
	if (stdin_app) {
		argv[n++] = "--stdin-app";
		argv[n++] = (char *)stdin_app;
	}
	for (size_t i = 0; i < nextra; i++)
		argv[n++] = (char *)extra[i];
	for (size_t i = 0; i < count; i++)
		argv[n++] = (char *)tbfs[i];
	argv[n] = NULL;
	return argv;
}

/* posix_spawn with fds 0, 1, 2 replaced and SIGPIPE back to default (tockbench ignores it). */
static int spawn_tockhost(char **argv, int in_fd, int out_fd, int err_fd, pid_t *ret_pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def;
	int err;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	err = posix_spawn(ret_pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return -err;
}

/* Stop a run that overstayed: SIGTERM (a clean stop for tockhost), SIGKILL if that does not do. */
static void kill_run(pid_t pid)
{
	kill(pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		siginfo_t si = {0};

		/* WNOWAIT: the caller still reaps it and gets the status. */
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
}

static int buf_read(struct tb_buf *b, int fd)
{
	ssize_t n;

	if (b->cap - b->len < 4097) {
		size_t cap = b->cap ? b->cap * 2 : 16384;
		char *p = realloc(b->data, cap);

		if (!p)
			return -ENOMEM;
		b->data = p;
		b->cap = cap;
	}
	n = read(fd, b->data + b->len, b->cap - b->len - 1);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	b->len += (size_t)n;
	b->data[b->len] = '\0';
	return n > 0;
}

/* Read both pipes to EOF or the deadline. 0, -ETIMEDOUT or -errno. */
static int collect(int out_fd, int err_fd, struct tb_buf *out, struct tb_buf *err, uint64_t deadline)
{
	struct pollfd p[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
	struct tb_buf *bufs[2] = {out, err};
	int open_count = 2;

	while (open_count > 0) {
		uint64_t now = basic_mono_ns();
		int r;

		if (now >= deadline)
			return -ETIMEDOUT;
		r = poll(p, 2, (int)((deadline - now) / 1000000 + 1));
		if (r < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; r > 0 && i < 2; i++) {
			int got;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			got = buf_read(bufs[i], p[i].fd);
			if (got < 0)
				return got;
			if (got == 0) {
				p[i].fd = -1;
				open_count--;
			}
		}
	}
	return 0;
}

static void close_pair(int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* The parent's half of a run: stdin text in, output out, then the wait status. */
static int drive_run(pid_t pid, int in_fd, int out_fd, int err_fd, const char *stdin_text, double timeout_s,
                     struct tb_output *ret)
{
	struct tb_buf out = {0}, err = {0};
	size_t len = stdin_text ? strlen(stdin_text) : 0;
	int e = 0;

	/* The line is far below the pipe's capacity, so this write cannot block. */
	if (in_fd >= 0 && len && write(in_fd, stdin_text, len) != (ssize_t)len)
		e = -errno;
	if (!e)
		e = collect(out_fd, err_fd, &out, &err, basic_mono_ns() + (uint64_t)(timeout_s * 1e9));
	if (e)
		kill_run(pid);
	ret->timed_out = e == -ETIMEDOUT;
	if (waitpid(pid, &ret->status, 0) < 0 && !e)
		e = -errno;
	ret->out = out.data ? out.data : strdup("");
	ret->err = err.data ? err.data : strdup("");
	return ret->timed_out ? 0 : e;
}

int tb_tockhost_run(const char *tockhost, const char *const *tbfs, size_t count, const char *const *extra,
                    const char *stdin_app, const char *stdin_text, double timeout_s, struct tb_output *ret)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
	char **argv = build_argv(tockhost, tbfs, count, stdin_app, extra);
	pid_t pid;
	int e = 0;

	memset(ret, 0, sizeof(*ret));
	if (!argv)
		return -ENOMEM;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		e = -errno;
	if (!e)
		e = spawn_tockhost(argv, in[0], out[1], errp[1], &pid);
	free(argv);
	if (!e) {
		close(in[0]);
		close(out[1]);
		close(errp[1]);
		in[0] = out[1] = errp[1] = -1;
		e = drive_run(pid, in[1], out[0], errp[0], stdin_text, timeout_s, ret);
	}
	close_pair(in);
	close_pair(out);
	close_pair(errp);
	return e;
}

void tb_output_free(struct tb_output *o)
{
	if (!o)
		return;
	free(o->out);
	free(o->err);
	o->out = o->err = NULL;
}

/* wait4 with a deadline: poll a pidfd for the exit. -ETIMEDOUT leaves the child running. */
static int wait_deadline(pid_t pid, double timeout_s, int *status, struct rusage *ru)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd >= 0) {
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		int r;

		do
			r = poll(&p, 1, (int)(timeout_s * 1000));
		while (r < 0 && errno == EINTR);
		close(pidfd);
		if (r == 0)
			return -ETIMEDOUT;
	}
	return wait4(pid, status, 0, ru) < 0 ? -errno : 0;
}

/*
 * Spawn argv with stdio on /dev/null and wait: wall ns, wait4's max RSS and CPU time (user +
 * system, the reaped app processes included). 0, -ECHILD (exit != 0), -ETIMEDOUT, -errno.
 */
static int time_argv(char **argv, double timeout_s, uint64_t *ret_ns, long *ret_maxrss_kib, uint64_t *ret_cpu_ns)
{
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct rusage ru;
	int status = 0, e;
	uint64_t t0;
	pid_t pid;

	if (null_fd < 0)
		return -errno;
	t0 = basic_mono_ns();
	e = spawn_tockhost(argv, null_fd, null_fd, null_fd, &pid);
	close(null_fd);
	if (e)
		return e;
	e = wait_deadline(pid, timeout_s, &status, &ru);
	if (e == -ETIMEDOUT) {
		kill_run(pid);
		waitpid(pid, NULL, 0);
		return e;
	}
	if (e)
		return e;
	*ret_ns = basic_mono_ns() - t0;
	*ret_maxrss_kib = ru.ru_maxrss;
	if (ret_cpu_ns)
		*ret_cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000ull +
		              ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

int tb_tockhost_time(const char *tockhost, const char *const *tbfs, size_t count, const char *const *extra,
                     double timeout_s, uint64_t *ret_ns, long *ret_maxrss_kib, uint64_t *ret_cpu_ns)
{
	char **argv = build_argv(tockhost, tbfs, count, NULL, extra);
	int e;

	if (!argv)
		return -ENOMEM;
	e = time_argv(argv, timeout_s, ret_ns, ret_maxrss_kib, ret_cpu_ns);
	free(argv);
	return e;
}

int tb_spawn_baseline_rss(long *ret_maxrss_kib)
{
	char *argv[] = {"/bin/true", NULL};
	uint64_t ns;

	return time_argv(argv, 10, &ns, ret_maxrss_kib, NULL);
}

/* The value of " key=" in line [p, end), or NAN. */
static double line_value(const char *p, const char *end, const char *key)
{
	size_t klen = strlen(key);

	for (const char *q = p; q + klen + 1 < end; q++) {
		if (q[0] == ' ' && strncmp(q + 1, key, klen) == 0 && q[1 + klen] == '=')
			return strtod(q + klen + 2, NULL);
	}
	return NAN;
}

/* Calls fn for every "BENCH <tag> " line of out; the line spans [p, end). */
static size_t for_each_line(const char *out, const char *tag,
                            void (*fn)(const char *p, const char *end, void *ctx), void *ctx)
{
	char needle[64];
	size_t matched = 0;

	snprintf(needle, sizeof(needle), "] BENCH %s ", tag);
	for (const char *p = out; p && *p;) {
		const char *end = strchr(p, '\n');
		const char *hit;

		if (!end)
			end = p + strlen(p);
		hit = strstr(p, needle);
		if (hit && hit < end) {
			fn(hit, end, ctx);
			matched++;
		}
		p = *end ? end + 1 : end;
	}
	return matched;
}

struct per_op_ctx {
	const char *count_key;
	struct tb_samples *samples;
};

static void add_per_op(const char *p, const char *end, void *ctx)
{
	struct per_op_ctx *c = ctx;
	double count = line_value(p, end, c->count_key), ns = line_value(p, end, "ns");

	if (count > 0 && ns > 0)
		tb_samples_add(c->samples, ns / count);
}

size_t tb_parse_per_op(const char *out, const char *tag, const char *count_key, struct tb_samples *ret)
{
	struct per_op_ctx c = {count_key, ret};

	return for_each_line(out, tag, add_per_op, &c);
}

struct sum_ctx {
	const char *key;
	double sum;
};

static void add_sum(const char *p, const char *end, void *ctx)
{
	struct sum_ctx *c = ctx;
	double v = line_value(p, end, c->key);

	if (!isnan(v))
		c->sum += v;
}

double tb_parse_sum(const char *out, const char *tag, const char *key)
{
	struct sum_ctx c = {key, 0};

	for_each_line(out, tag, add_sum, &c);
	return c.sum;
}

const char *tb_parse_error(const char *out, size_t *ret_len)
{
	const char *hit = out ? strstr(out, "] BENCH error ") : NULL;
	const char *end;

	if (!hit)
		return NULL;
	hit += 2;
	end = strchr(hit, '\n');
	*ret_len = end ? (size_t)(end - hit) : strlen(hit);
	return hit;
}
