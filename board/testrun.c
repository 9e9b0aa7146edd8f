/* `tockhost test SPEC`: run the supervisor as a child, match its output live, stop at the verdict. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/clock.h"
#include "board/testrun.h"

static const char test_usage[] =
	"Usage: tockhost test [--junit FILE] [-v] SPEC\n"
	"Run the apps a spec file names and check their console lines, exit codes and faults.\n"
	"  --junit FILE   also write the result as JUnit XML\n"
	"  -v, --verbose  show the supervisor's output as it comes\n"
	"Exit status: 0 passed, 1 an expectation failed, 2 timed out, 3 bad spec or usage.\n";

/* How long a stopped supervisor gets to tear its apps down before SIGKILL. */
#define TR_STOP_GRACE_MS 5000

struct stream {
	int fd;
	char buf[8192];
	size_t len;
	bool is_err;
};

struct run {
	struct tr_spec *s;
	struct stream *out; /* stdout, drained before each stderr line is handled */
	bool *out_open;
	bool verbose;
	FILE *log;       /* the whole output, for JUnit's system-out */
	char *log_buf;
	size_t log_len;
};

static int pump(struct run *r, struct stream *st);

static void on_line(struct run *r, const struct stream *st, char *line)
{
	if (r->verbose)
		fprintf(st->is_err ? stderr : stdout, "%s\n", line);
	fprintf(r->log, "%s\n", line);
	if (st->is_err) {
		/*
		 * The supervisor flushes stdout before each report, so every console line written before
		 * this report is in the stdout pipe now: read it all first, or an exit report could be
		 * matched before the app's last line.
		 */
		while (*r->out_open) {
			int n = pump(r, r->out);

			if (n < 0)
				*r->out_open = false;
			if (n <= 0)
				break;
		}
		if (!strncmp(line, "tockhost: ", 10))
			tr_on_kernel(r->s, line + 10);
		return;
	}
	/* "[app] text": app names hold no ']' (the spec parser refuses them), so the first "] " ends it. */
	if (line[0] == '[') {
		char *end = strstr(line, "] ");

		if (end) {
			*end = '\0';
			tr_on_console(r->s, line + 1, end + 2);
			return;
		}
	}
}

/* Read what is there (the fds are non-blocking): 1 read some, 0 nothing yet, -1 EOF or error.
 * Lines longer than the buffer are cut, not lost. */
static int pump(struct run *r, struct stream *st)
{
	ssize_t n = read(st->fd, st->buf + st->len, sizeof(st->buf) - 1 - st->len);
	char *start, *nl;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		if (st->len) {
			st->buf[st->len] = '\0';
			st->len = 0;
			on_line(r, st, st->buf);
		}
		return -1;
	}
	st->len += (size_t)n;
	st->buf[st->len] = '\0';
	start = st->buf;
	while ((nl = memchr(start, '\n', st->len - (size_t)(start - st->buf)))) {
		*nl = '\0';
		on_line(r, st, start);
		start = nl + 1;
	}
	st->len -= (size_t)(start - st->buf);
	memmove(st->buf, start, st->len);
	if (st->len == sizeof(st->buf) - 1) {
		st->buf[st->len] = '\0';
		st->len = 0;
		on_line(r, st, st->buf);
	}
	return 1;
}

static char **build_argv(const struct tr_spec *s, const char *self)
{
	size_t n = 0, max = 8 + s->n_options + s->n_apps;
	char **argv = calloc(max, sizeof(*argv));

	if (!argv)
		return NULL;
	argv[n++] = (char *)self;
	argv[n++] = "run";
	argv[n++] = "--no-color";
	argv[n++] = "--no-control-socket";
	argv[n++] = s->virtual_time ? "--virtual-time" : "--real-time";
	if (s->board) {
		argv[n++] = "--board";
		argv[n++] = s->board;
	}
	for (size_t i = 0; i < s->n_options; i++)
		argv[n++] = s->options[i];
	for (size_t i = 0; i < s->n_apps; i++)
		argv[n++] = s->apps[i].image;
	argv[n] = NULL;
	return argv;
}

static pid_t spawn(char **argv, int *out_fd, int *err_fd)
{
	int out[2], err[2], null_fd;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(err, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		/* stdin is /dev/null: an app waiting for console input waits, it does not read our terminal. */
		null_fd = open("/dev/null", O_RDONLY);
		if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0 ||
		    dup2(err[1], STDERR_FILENO) < 0)
			_exit(127);
		execv(argv[0], argv);
		dprintf(STDERR_FILENO, "tockhost: test: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	if (pid < 0) {
		close(out[0]);
		close(err[0]);
		return -1;
	}
	/* Non-blocking reads: stdout is drained up to "nothing more yet" before each report. */
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	*out_fd = out[0];
	*err_fd = err[0];
	return pid;
}

/* SIGTERM is the supervisor's clean stop; keep draining its pipes so it never blocks on a write. */
static void stop_child(struct run *r, pid_t pid, struct stream *st, bool *open_fd)
{
	int waited_ms = 0;

	kill(pid, SIGTERM);
	while (waitpid(pid, NULL, WNOHANG) == 0) {
		struct pollfd p[2] = { { .fd = open_fd[0] ? st[0].fd : -1, .events = POLLIN },
		                       { .fd = open_fd[1] ? st[1].fd : -1, .events = POLLIN } };

		if (waited_ms >= TR_STOP_GRACE_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			break;
		}
		if (poll(p, 2, 10) > 0)
			for (int i = 0; i < 2; i++)
				if (p[i].revents && open_fd[i] && pump(r, &st[i]) < 0)
					open_fd[i] = false;
		waited_ms += 10;
	}
}

/* TR_PASS, TR_FAIL or TR_TIMEOUT. */
static int run_spec(struct run *r, const char *self)
{
	struct stream st[2] = { { .is_err = false }, { .is_err = true } };
	bool open_fd[2] = { true, true };
	double deadline = basic_mono_s() + r->s->timeout_s;
	char **argv = build_argv(r->s, self);
	int result = -1;
	pid_t pid;

	if (!argv)
		return TR_FAIL;
	r->out = &st[0];
	r->out_open = &open_fd[0];
	pid = spawn(argv, &st[0].fd, &st[1].fd);
	free(argv);
	if (pid < 0) {
		fprintf(stderr, "tockhost: test: cannot start the supervisor: %s\n", strerror(errno));
		return TR_FAIL;
	}
	while (result < 0) {
		struct pollfd p[2] = { { .fd = open_fd[0] ? st[0].fd : -1, .events = POLLIN },
		                       { .fd = open_fd[1] ? st[1].fd : -1, .events = POLLIN } };
		double left = deadline - basic_mono_s();
		int n;

		if (!open_fd[0] && !open_fd[1]) {
			waitpid(pid, NULL, 0);
			pid = -1;
			tr_on_end(r->s);
			result = tr_all_met(r->s) ? TR_PASS : TR_FAIL;
			break;
		}
		if (left <= 0) {
			result = TR_TIMEOUT;
			break;
		}
		n = poll(p, 2, (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR)
			result = TR_FAIL;
		for (int i = 0; n > 0 && i < 2; i++)
			if (p[i].revents && open_fd[i] && pump(r, &st[i]) < 0)
				open_fd[i] = false;
		if (tr_any_broken(r->s))
			result = TR_FAIL;
		else if (tr_all_met(r->s))
			result = TR_PASS;
	}
	if (pid > 0)
		stop_child(r, pid, st, open_fd);
	close(st[0].fd);
	close(st[1].fd);
	return result;
}

int tr_main(int argc, char **argv, const char *self)
{
	static const struct option opts[] = {
		{ "junit", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *junit = NULL;
	struct tr_spec s;
	struct run r = { .s = &s };
	char *diff = NULL;
	size_t diff_len = 0;
	FILE *df;
	double start;
	int opt, result;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': junit = optarg; break;
		case 'v': r.verbose = true; break;
		case 'h': fputs(test_usage, stdout); return TR_PASS;
		default: fputs(test_usage, stderr); return TR_SPEC_ERROR;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "tockhost: test: want exactly one SPEC\n%s", test_usage);
		return TR_SPEC_ERROR;
	}
	if (tr_spec_load(&s, argv[optind]) < 0) {
		tr_spec_free(&s);
		return TR_SPEC_ERROR;
	}
	r.log = open_memstream(&r.log_buf, &r.log_len);
	df = r.log ? open_memstream(&diff, &diff_len) : NULL;
	if (!df) {
		fputs("tockhost: out of memory\n", stderr);
		tr_spec_free(&s);
		return TR_FAIL;
	}
	fflush(stdout);
	start = basic_mono_s();
	result = run_spec(&r, self);
	if (result == TR_TIMEOUT)
		fprintf(df, "timed out after %g s\n", s.timeout_s);
	if (result != TR_PASS)
		tr_write_diff(&s, df);
	fclose(df);
	fclose(r.log);
	if (result == TR_PASS)
		printf("PASS %s (%.2f s)\n", s.name, basic_mono_s() - start);
	else
		printf("%s %s (%.2f s)\n%s", result == TR_TIMEOUT ? "TIMEOUT" : "FAIL", s.name, basic_mono_s() - start, diff);
	fflush(stdout);
	if (junit && tr_write_junit(&s, junit, result, basic_mono_s() - start, diff, r.log_buf) < 0 && result == TR_PASS)
		result = TR_FAIL;
	free(diff);
	free(r.log_buf);
	tr_spec_free(&s);
	return result;
}
