/* Host processes for apps: flash/RAM memfds, the trap channel, fork+exec of tock-proc, pidfd, kill and reap. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostkernel/linux/backend_internal.h"
#include "tock/trap_ring.h"

extern char **environ;

void lx_conn_free(struct lx_conn *c)
{
	if (!c)
		return;
	if (c->flash_map)
		munmap(c->flash_map, c->flash_size);
	if (c->ram_map)
		munmap(c->ram_map, c->ram_size);
	c->flash_map = c->ram_map = NULL;
	if (c->flash_fd >= 0)
		close(c->flash_fd);
	if (c->ram_fd >= 0)
		close(c->ram_fd);
	lx_channel_close(&c->chan);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->flash_fd = c->ram_fd = c->pidfd = -1;
	lx_share_conn_free(c->share);
	free(c);
}

/* A sealed-size memfd of `size` bytes, mapped shared into the supervisor with `prot`. */
static int make_region(const char *label, size_t size, int prot, int *ret_fd, uint8_t **ret_map)
{
	int fd = memfd_create(label, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	void *m;
	int r;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0)
		goto fail;
	/* Neither the runner nor the app may resize it under the supervisor's mapping (SIGBUS). */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)
		goto fail;
	m = mmap(NULL, size, prot, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		goto fail;
	*ret_fd = fd;
	*ret_map = m;
	return 0;
fail:
	r = -errno;
	close(fd);
	return r;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = pwrite(fd, buf + off, len - off, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		off += (size_t)n;
	}
	return 0;
}

struct child_args {
	const char *path;
	char *argv[7];
	int trap_fd, flash_fd, ram_fd, ring_fd, devnull; /* ring_fd -1: the socketpair transport */
	int wake_fd;                                     /* the run's wake page, or -1 */
	pid_t parent;
};

static void child_fail(const char *what, const char *path)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "tockhost: cannot start %s: %s: %s\n", path, what, strerror(errno));

	if (n > 0 && write(2, msg, (size_t)n) < 0)
		_exit(127);
	_exit(127);
}

/* In the forked child: only async-signal-safe calls until execve. */
static __attribute__((noreturn)) void child_exec(const struct child_args *a)
{
	sigset_t none;
	int s, f, r, n, g = -1, w = -1, first_closed;

	/* Move the sources above the fixed numbers first, so no dup2 overwrites another source. */
	s = fcntl(a->trap_fd, F_DUPFD_CLOEXEC, 10);
	f = fcntl(a->flash_fd, F_DUPFD_CLOEXEC, 10);
	r = fcntl(a->ram_fd, F_DUPFD_CLOEXEC, 10);
	n = fcntl(a->devnull, F_DUPFD_CLOEXEC, 10);
	if (a->ring_fd >= 0)
		g = fcntl(a->ring_fd, F_DUPFD_CLOEXEC, 10);
	if (a->ring_fd >= 0 && a->wake_fd >= 0)
		w = fcntl(a->wake_fd, F_DUPFD_CLOEXEC, 10);
	if (s < 0 || f < 0 || r < 0 || n < 0 || (a->ring_fd >= 0 && g < 0) || (a->ring_fd >= 0 && a->wake_fd >= 0 && w < 0))
		child_fail("dup", a->path);
	if (dup2(n, 0) < 0 || dup2(2, 1) < 0 || dup2(s, TOCK_TRAP_FD) < 0 || dup2(f, 4) < 0 || dup2(r, 5) < 0 ||
	    (g >= 0 && dup2(g, TOCK_RING_FD) < 0) || (w >= 0 && dup2(w, TOCK_RING_WAKE_FD) < 0))
		child_fail("dup2", a->path);
	first_closed = w >= 0 ? TOCK_RING_WAKE_FD + 1 : g >= 0 ? TOCK_RING_FD + 1 : 6;
	if (syscall(SYS_close_range, (unsigned)first_closed, ~0u, 0u) < 0)
		for (int fd = first_closed; fd < 1024; fd++)
			close(fd);
	/* The supervisor blocks SIGINT/SIGTERM and ignores SIGPIPE; both would survive exec. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Own process group: a terminal ^C reaches the supervisor, which shuts apps down itself. */
	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->parent)
		_exit(127);
	execve(a->path, a->argv, environ);
	child_fail("exec", a->path);
	_exit(127);
}

static void fill_memory_map(const struct lx_app *app, const struct lx_conn *c, struct hk_memory_map *m)
{
	const struct ldr_layout *L = &app->layout;

	memset(m, 0, sizeof(*m));
	m->flash_start = L->flash_start;
	m->flash_end = L->flash_start + L->flash_size;
	m->flash_app_start = L->flash_start + app->info.header_size + app->info.protected_trailer_size;
	m->flash_host = c->flash_map;
	m->ram_start = L->ram_start;
	m->ram_end = L->ram_end;
	m->grant_start = L->grant_start;
	m->heap_start = L->heap_start;
	m->initial_break = L->heap_start;
	m->guard_start = L->guard_start;
	m->guard_end = L->guard_end;
	m->stack_top = L->stack_top;
	m->ram_host = c->ram_map;
	for (uint32_t i = 0; i < app->info.writeable_flash_count && i < 8; i++) {
		m->writeable_flash_start[i] = L->flash_start + app->info.writeable_flash[i].offset;
		m->writeable_flash_end[i] = m->writeable_flash_start[i] + app->info.writeable_flash[i].size;
		m->writeable_flash_count = i + 1;
	}
}

static int make_memory(struct lx_app *app, struct lx_conn *c, const char **ret_why)
{
	char label[64];
	int r;

	c->flash_size = app->layout.flash_size;
	c->ram_size = app->layout.ram_size;
	snprintf(label, sizeof(label), "tock-flash:%.40s", app->name);
	r = make_region(label, c->flash_size, PROT_READ, &c->flash_fd, &c->flash_map);
	if (r < 0) {
		*ret_why = "cannot create the flash memfd";
		return r;
	}
	r = write_all(c->flash_fd, app->image, app->image_len);
	if (r < 0) {
		*ret_why = "cannot write the image into flash";
		return r;
	}
	snprintf(label, sizeof(label), "tock-ram:%.40s", app->name);
	r = make_region(label, c->ram_size, PROT_READ | PROT_WRITE, &c->ram_fd, &c->ram_map);
	if (r < 0)
		*ret_why = "cannot create the RAM memfd";
	return r;
}

static int fork_runner(struct hk_linux *lx, struct lx_app *app, struct lx_conn *c, const char **ret_why)
{
	char ram[16], stack[16], grant[16];
	struct child_args a = { .path = lx->cfg.tock_proc_path, .parent = getpid() };
	pid_t pid;
	int r;

	/* The supervisor's end stays in c->chan (lx_conn_free closes it on failure); the app's is ours. */
	r = lx->chan_ops->create(&c->chan, &a.trap_fd);
	if (r < 0) {
		*ret_why = "cannot create the trap channel";
		return r;
	}
	a.ring_fd = c->chan.ring_fd;
	lx_channel_hint_spin(&c->chan, lx->spin_max_ns > 0);
	lx_wake_attach(lx, &c->chan);
	a.wake_fd = c->chan.wake_word ? lx->wake_fd : -1;
	a.devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (a.devnull < 0) {
		r = -errno;
		*ret_why = "cannot open /dev/null";
		goto out_close;
	}
	snprintf(ram, sizeof(ram), "%" PRIu64, app->layout.ram_size);
	snprintf(stack, sizeof(stack), "%" PRIu32, app->params.stack_size);
	snprintf(grant, sizeof(grant), "%" PRIu32, app->params.grant_size);
	a.argv[0] = (char *)"tock-proc";
	a.argv[1] = ram;
	a.argv[2] = stack;
	a.argv[3] = grant;
	a.argv[4] = app->name;
	a.argv[5] = (char *)(a.ring_fd >= 0 ? "ring" : "socket");
	a.argv[6] = NULL;
	a.flash_fd = c->flash_fd;
	a.ram_fd = c->ram_fd;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		*ret_why = "fork failed";
		goto out_close;
	}
	if (pid == 0)
		child_exec(&a);
	c->pid = pid;
	c->has_cpu_clock = clock_getcpuclockid(pid, &c->cpu_clock) == 0;
	c->pidfd = pidfd_open(pid, 0);
	if (c->pidfd < 0 && errno == ENOSYS) {
		/* No pidfds (e.g. under valgrind): SIGCHLD via the signalfd and plain pids instead. */
		c->pidfd = -1;
	} else if (c->pidfd < 0) {
		r = -errno;
		*ret_why = "pidfd_open failed";
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		c->reaped = true;
		goto out_close;
	}
	r = 0;
out_close:
	close(a.trap_fd);
	/* The child has its own copy of the ring memfd (or none came to be); ours is mapped, the fd not needed. */
	if (c->chan.ring_fd >= 0) {
		close(c->chan.ring_fd);
		c->chan.ring_fd = -1;
	}
	if (a.devnull >= 0)
		close(a.devnull);
	return r;
}

int lx_conn_spawn(struct hk_linux *lx, struct lx_app *app, struct lx_conn **ret, const char **ret_why)
{
	struct hk_memory_map map;
	struct lx_conn *c = calloc(1, sizeof(*c));
	int r;

	*ret_why = "out of memory";
	if (!c)
		return -ENOMEM;
	c->flash_fd = c->ram_fd = c->pidfd = -1;
	c->chan = (struct lx_channel){ .ops = NULL, .fd = -1, .ring_fd = -1 };
	lx_conn_init_ops(c);
	r = make_memory(app, c, ret_why);
	if (r >= 0)
		r = fork_runner(lx, app, c, ret_why);
	if (r < 0) {
		lx_conn_free(c);
		return r;
	}
	c->app = app;
	c->state = LX_AWAIT_HELLO;
	c->tock_pid = hk_process_pid(app->p);
	app->conn = c;
	app->stop_reported = false;
	fill_memory_map(app, c, &map);
	hk_process_set_memory(app->p, &map);
	lx_arm_conn(lx, c);
	*ret = c;
	return 0;
}

int lx_conn_signal(struct lx_conn *c, int sig)
{
	if (c->reaped)
		return -ESRCH;
	if (c->pidfd >= 0)
		return pidfd_send_signal(c->pidfd, sig, NULL, 0) < 0 ? -errno : 0;
	return kill(c->pid, sig) < 0 ? -errno : 0;
}

int lx_conn_waitid(struct lx_conn *c, siginfo_t *si, int options)
{
	int r;

	memset(si, 0, sizeof(*si));
	do
		r = c->pidfd >= 0 ? waitid(P_PIDFD, (id_t)c->pidfd, si, options) : waitid(P_PID, (id_t)c->pid, si, options);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

/* Reap the host process (it is dead or dying); idempotent. */
static void reap(struct lx_conn *c)
{
	siginfo_t si;

	if (c->reaped)
		return;
	lx_conn_signal(c, SIGKILL);
	lx_conn_waitid(c, &si, WEXITED);
	c->reaped = true;
}

static void cancel_op(struct hk_linux *lx, struct lx_op *op)
{
	struct io_uring_sqe *sqe;

	if (!lx->ring_ready)
		return;
	sqe = io_uring_get_sqe(&lx->ring);
	if (!sqe) {
		io_uring_submit(&lx->ring);
		sqe = io_uring_get_sqe(&lx->ring);
	}
	if (!sqe)
		return; /* it completes anyway: the process is gone, so EOF and exit arrive */
	io_uring_prep_cancel(sqe, op, 0);
	io_uring_sqe_set_data(sqe, NULL);
}

void lx_conn_kill(struct hk_linux *lx, struct lx_conn *c)
{
	struct lx_app *app;

	if (!c || c->state == LX_DEAD)
		return;
	app = c->app;
	reap(c);
	if (lx->running == c)
		lx->running = NULL;
	if (lx->park_pending == c)
		lx->park_pending = NULL;
	if (lx->wake_owed == c)
		lx->wake_owed = NULL;
	if (app) {
		lx_console_flush(lx, app);
		app->conn = NULL;
	}
	c->app = NULL;
	c->state = LX_DEAD;
	if (c->recv_armed)
		cancel_op(lx, &c->recv_op);
	if (c->poll_armed)
		cancel_op(lx, &c->poll_op);
	/* Submit now: a prepared request must never run on an fd number that is closed and reused. */
	if (lx->ring_ready)
		io_uring_submit(&lx->ring);
	/* Memory and fds go now; only the struct waits for its requests (they hold their own file refs). */
	if (c->flash_map)
		munmap(c->flash_map, c->flash_size);
	if (c->ram_map)
		munmap(c->ram_map, c->ram_size);
	c->flash_map = c->ram_map = NULL;
	lx_channel_close(&c->chan);
	{
		int *fds[] = { &c->pidfd, &c->flash_fd, &c->ram_fd };

		for (size_t i = 0; i < 3; i++) {
			if (*fds[i] >= 0)
				close(*fds[i]);
			*fds[i] = -1;
		}
	}
	if (lx_life_close(&c->life)) {
		lx_conn_free(c);
		return;
	}
	c->next_dead = lx->dead;
	lx->dead = c;
}

void lx_conn_unref(struct hk_linux *lx, struct lx_conn *c)
{
	struct lx_conn **pp;

	if (!lx_life_drop(&c->life))
		return;
	for (pp = &lx->dead; *pp; pp = &(*pp)->next_dead) {
		if (*pp == c) {
			*pp = c->next_dead;
			break;
		}
	}
	lx_conn_free(c);
}
