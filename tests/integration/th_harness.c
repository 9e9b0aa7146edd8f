/* Integration-test harness: spawns the real tockhost supervisor, feeds stdin, collects stdout/stderr/status. */
#include "th_harness.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/clock.h"

#define TH_PATH_SLOTS 64
#define TH_MAX_LIVE 8

/* Supervisors still running, killed at exit so a failed assertion (Check exits) leaves none behind. */
static pid_t live_groups[TH_MAX_LIVE];
static bool atexit_registered;
static char tmpdir_path[PATH_MAX];

static double hang_guard_seconds(void)
{
	const char *s = getenv("TH_HANG_GUARD_SECONDS");
	double v = s ? strtod(s, NULL) : 0;

	return v > 0 ? v : TH_HANG_GUARD_DEFAULT_SECONDS;
}

static void kill_live_groups(void)
{
	for (size_t i = 0; i < TH_MAX_LIVE; i++) {
		if (live_groups[i] > 0) {
			kill(-live_groups[i], SIGKILL);
			waitpid(live_groups[i], NULL, 0);
			live_groups[i] = 0;
		}
	}
	th_tmpdir_cleanup();
}

static void track_live(pid_t pid, bool live)
{
	for (size_t i = 0; i < TH_MAX_LIVE; i++) {
		if (live ? live_groups[i] == 0 : live_groups[i] == pid) {
			live_groups[i] = live ? pid : 0;
			return;
		}
	}
}

const char *th_tockhost(void)
{
	const char *p = getenv("TOCKHOST");

	ck_assert_msg(p && *p, "TOCKHOST is not set (run through meson test)");
	return p;
}

const char *th_app(const char *name)
{
	static char slots[TH_PATH_SLOTS][PATH_MAX];
	static unsigned next;
	static const char *const dirs[] = { "APPS_DIR", "TEST_APPS_DIR" };
	char *slot = slots[next++ % TH_PATH_SLOTS];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *dir = getenv(dirs[i]);

		ck_assert_msg(dir && *dir, "%s is not set (run through meson test)", dirs[i]);
		snprintf(slot, PATH_MAX, "%s/%s.tbf", dir, name);
		if (access(slot, R_OK) == 0)
			return slot;
	}
	ck_abort_msg("app image for '%s' not built (looked in $APPS_DIR and $TEST_APPS_DIR)", name);
	return NULL;
}

const char *th_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir_path[0])
		return tmpdir_path;
	snprintf(tmpdir_path, sizeof(tmpdir_path), "%s/tockhost-itest-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_msg(mkdtemp(tmpdir_path) != NULL, "mkdtemp: %s", strerror(errno));
	if (!atexit_registered) {
		atexit(kill_live_groups);
		atexit_registered = true;
	}
	return tmpdir_path;
}

const char *th_tmp_file(const char *name, const char *text)
{
	static char paths[4][PATH_MAX];
	static unsigned next;
	char *path = paths[next++ % 4];
	FILE *f;

	snprintf(path, PATH_MAX, "%s/%s", th_tmpdir(), name);
	f = fopen(path, "we");
	ck_assert_msg(f && fputs(text, f) >= 0 && fclose(f) == 0, "cannot write %s", path);
	return path;
}

void th_tmpdir_cleanup(void)
{
	DIR *d;
	struct dirent *e;
	char path[PATH_MAX + 256];

	if (!tmpdir_path[0])
		return;
	d = opendir(tmpdir_path);
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir_path, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir_path);
	tmpdir_path[0] = '\0';
}

static void buf_append(struct th_buf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		ck_assert_msg(b->data != NULL, "out of memory");
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Runs in the forked child: wire up stdio, reset what exec would otherwise inherit, exec. */
static void __attribute__((noreturn)) child_exec(const char *const *args, int in_r, int out_w, int err_w)
{
	size_t n = 0;
	const char **argv;
	sigset_t none;

	while (args[n])
		n++;
	argv = calloc(n + 2, sizeof(*argv));
	if (!argv)
		_exit(127);
	argv[0] = th_tockhost();
	memcpy(argv + 1, args, n * sizeof(*argv));
	setpgid(0, 0);
	/* A test that fails (its process exits mid-run, skipping the cleanup) must not leave tockhost behind. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() == 1)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (in_r < 0)
		in_r = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (in_r < 0 || dup2(in_r, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
		_exit(127);
	execv(argv[0], (char *const *)argv);
	dprintf(2, "th_harness: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int th_start(struct th_proc *p, const char *const *args, const char *stdin_data)
{
	int in[2] = { -1, -1 }, out[2], err[2];

	memset(p, 0, sizeof(*p));
	p->pidfd = p->in_fd = p->out_fd = p->err_fd = -1;
	if (!atexit_registered) {
		atexit(kill_live_groups);
		atexit_registered = true;
	}
	signal(SIGPIPE, SIG_IGN); /* a supervisor that closes stdin early must not kill the test */
	if ((stdin_data && pipe2(in, O_CLOEXEC) < 0) || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0)
		child_exec(args, in[0], out[1], err[1]);
	setpgid(p->pid, p->pid); /* also in the parent, so kill(-pid) works at once */
	track_live(p->pid, true);
	close_fd(&in[0]);
	close(out[1]);
	close(err[1]);
	p->in_fd = in[1];
	p->out_fd = out[0];
	p->err_fd = err[0];
	fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
	if (p->in_fd >= 0)
		fcntl(p->in_fd, F_SETFL, O_NONBLOCK);
	p->stdin_data = stdin_data;
	p->stdin_len = stdin_data ? strlen(stdin_data) : 0;
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	p->deadline = basic_mono_s() + hang_guard_seconds();
	buf_append(&p->out, "", 0);
	buf_append(&p->err, "", 0);
	return 0;
}

/* Read what is available on *fd into b; closes it at EOF. */
static void drain(int *fd, struct th_buf *b)
{
	char chunk[8192];
	ssize_t n;

	while (*fd >= 0) {
		n = read(*fd, chunk, sizeof(chunk));
		if (n > 0) {
			buf_append(b, chunk, (size_t)n);
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			close_fd(fd);
		} else if (errno == EAGAIN) {
			return;
		}
	}
}

static void feed_stdin(struct th_proc *p)
{
	while (p->in_fd >= 0 && p->stdin_off < p->stdin_len) {
		ssize_t n = write(p->in_fd, p->stdin_data + p->stdin_off, p->stdin_len - p->stdin_off);

		if (n > 0)
			p->stdin_off += (size_t)n;
		else if (n < 0 && errno == EAGAIN)
			return;
		else if (n < 0 && errno != EINTR)
			break; /* EPIPE: the supervisor closed stdin; that is its business */
	}
	close_fd(&p->in_fd);
}

static void try_reap(struct th_proc *p, int flags)
{
	if (!p->reaped && waitpid(p->pid, &p->status, flags) == p->pid) {
		p->reaped = true;
		track_live(p->pid, false);
		close_fd(&p->pidfd);
	}
}

/* One round of waiting for I/O or exit. Returns false once nothing more can happen. */
static bool pump_once(struct th_proc *p)
{
	struct pollfd fds[4];
	nfds_t n = 0;
	double left = p->deadline - basic_mono_s();
	int timeout_ms;

	if (p->reaped) {
		/* Everything the supervisor wrote before exiting is already in the pipes. */
		drain(&p->out_fd, &p->out);
		drain(&p->err_fd, &p->err);
		close_fd(&p->out_fd);
		close_fd(&p->err_fd);
		return false;
	}
	if (left <= 0) {
		p->timed_out = true;
		kill(-p->pid, SIGKILL);
		try_reap(p, 0);
		return true;
	}
	fds[n++] = (struct pollfd){ .fd = p->out_fd, .events = POLLIN };
	fds[n++] = (struct pollfd){ .fd = p->err_fd, .events = POLLIN };
	fds[n++] = (struct pollfd){ .fd = p->pidfd, .events = POLLIN };
	fds[n++] = (struct pollfd){ .fd = p->in_fd, .events = POLLOUT };
	timeout_ms = left > 3600 ? 3600000 : (int)(left * 1000) + 1;
	if (p->pidfd < 0 && timeout_ms > 20)
		timeout_ms = 20; /* no pidfd: notice the exit by polling waitpid */
	if (poll(fds, n, timeout_ms) < 0 && errno != EINTR)
		ck_abort_msg("poll: %s", strerror(errno));
	drain(&p->out_fd, &p->out);
	drain(&p->err_fd, &p->err);
	feed_stdin(p);
	try_reap(p, WNOHANG);
	return true;
}

bool th_wait_stdout(struct th_proc *p, const char *needle)
{
	while (!strstr(p->out.data, needle)) {
		if (p->reaped || p->timed_out)
			return strstr(p->out.data, needle) != NULL;
		pump_once(p);
	}
	return true;
}

void th_finish(struct th_proc *p, struct th_result *ret)
{
	while (pump_once(p))
		;
	close_fd(&p->in_fd);
	memset(ret, 0, sizeof(*ret));
	ret->out = p->out.data;
	ret->out_len = p->out.len;
	ret->err = p->err.data;
	ret->err_len = p->err.len;
	ret->timed_out = p->timed_out;
	ret->exit_code = WIFEXITED(p->status) ? WEXITSTATUS(p->status) : -1;
	ret->term_signal = WIFSIGNALED(p->status) ? WTERMSIG(p->status) : 0;
	p->out = (struct th_buf){ 0 };
	p->err = (struct th_buf){ 0 };
	if (getenv("TH_VERBOSE"))
		th_dump("run", ret);
}

void th_run(struct th_result *ret, const char *stdin_data, const char *const *args)
{
	struct th_proc p;
	int r = th_start(&p, args, stdin_data);

	ck_assert_msg(r == 0, "cannot start %s: %s", th_tockhost(), strerror(-r));
	th_finish(&p, ret);
}

void th_result_free(struct th_result *r)
{
	if (!r)
		return;
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void th_dump(const char *what, const struct th_result *r)
{
	fprintf(stderr, "==== %s: exit %d, signal %d%s\n---- stdout\n%s---- stderr\n%s----\n", what,
		r->exit_code, r->term_signal, r->timed_out ? ", HANG GUARD FIRED" : "",
		r->out ? r->out : "", r->err ? r->err : "");
}
