/* Helpers for the ipcctl integration tests: run ipcctl, talk raw protocol to a control socket, JSON lookups. */
#include "test_ipcctl_util.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define IC_GUARD_MS 60000 /* hang guard for one ipcctl run or one line read; never a performance bound */

const char *ic_ipcctl(void)
{
	const char *p = getenv("IPCCTL");

	ck_assert_msg(p && *p, "IPCCTL is not set (run through meson test)");
	return p;
}

void ic_start(struct th_proc *p, char *sock_path, const char *name, const char *ready, const char *const *args)
{
	const char *argv[32];
	size_t n = 0;

	snprintf(sock_path, 256, "%s/%s.sock", th_tmpdir(), name);
	argv[n++] = "run";
	argv[n++] = "--no-color";
	argv[n++] = "--control-socket";
	argv[n++] = sock_path;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ck_assert_int_eq(th_start(p, argv, NULL), 0);
	if (ready)
		ck_assert_msg(th_wait_stdout(p, ready), "tockhost never printed '%s'", ready);
}

void ic_stop(struct th_proc *p, struct th_result *r)
{
	kill(p->pid, SIGTERM);
	th_finish(p, r);
}

static void drain(int fd, char **buf, size_t *len, size_t *cap, bool *open)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n <= 0) {
		*open = false;
		return;
	}
	if (*len + (size_t)n + 1 > *cap) {
		*cap = (*len + (size_t)n + 1) * 2;
		*buf = realloc(*buf, *cap);
		ck_assert_ptr_nonnull(*buf);
	}
	memcpy(*buf + *len, tmp, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
}

void ic_run(struct ic_out *r, struct th_proc *p, const char *sock, const char *const *args)
{
	int out[2], err[2], status;
	size_t olen = 0, ocap = 0, elen = 0, ecap = 0;
	bool oopen = true, eopen = true;
	pid_t pid;

	(void)p;
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		const char *argv[40];
		size_t n = 0;

		dup2(out[1], 1);
		dup2(err[1], 2);
		argv[n++] = ic_ipcctl();
		if (sock) {
			argv[n++] = "--socket";
			argv[n++] = sock;
		}
		for (size_t i = 0; args[i] && n < 39; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	while (oopen || eopen) {
		struct pollfd pf[2] = { { oopen ? out[0] : -1, POLLIN, 0 }, { eopen ? err[0] : -1, POLLIN, 0 } };

		if (poll(pf, 2, IC_GUARD_MS) <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		if (pf[0].revents)
			drain(out[0], &r->out, &olen, &ocap, &oopen);
		if (pf[1].revents)
			drain(err[0], &r->err, &elen, &ecap, &eopen);
	}
	close(out[0]);
	close(err[0]);
	waitpid(pid, &status, 0);
	r->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (!r->out)
		r->out = strdup("");
	if (!r->err)
		r->err = strdup("");
}

void ic_out_free(struct ic_out *r)
{
	free(r->out);
	free(r->err);
}

struct json_object *ic_json(struct th_proc *p, const char *sock, const char *const *args)
{
	struct ic_out r;
	struct json_object *o;

	ic_run(&r, p, sock, args);
	ck_assert_msg(r.code == 0, "ipcctl %s: exit %d: %s", args[0], r.code, r.err);
	o = json_tokener_parse(r.out);
	ck_assert_msg(o != NULL, "ipcctl %s: not JSON: %s", args[0], r.out);
	ic_out_free(&r);
	return o;
}

int ic_connect(const char *sock)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect %s: %s", sock, strerror(errno));
	return fd;
}

/* buf holds *len buffered bytes between calls. */
char *ic_read_line(int fd, char *buf, size_t cap, size_t *len)
{
	for (;;) {
		char *nl = memchr(buf, '\n', *len);
		struct pollfd pf = { fd, POLLIN, 0 };
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - buf);
			char *line = strndup(buf, l);

			memmove(buf, nl + 1, *len - l - 1);
			*len -= l + 1;
			return line;
		}
		ck_assert_msg(*len < cap, "line longer than the test's buffer");
		if (poll(&pf, 1, IC_GUARD_MS) <= 0)
			return NULL;
		n = read(fd, buf + *len, cap - *len);
		if (n <= 0)
			return NULL;
		*len += (size_t)n;
	}
}

struct json_object *ic_get(struct json_object *o, const char *path)
{
	char key[128];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (json_object_is_type(o, json_type_array)) {
			size_t i = strtoul(key, NULL, 10);

			o = i < json_object_array_length(o) ? json_object_array_get_idx(o, i) : NULL;
		} else if (!json_object_object_get_ex(o, key, &o)) {
			o = NULL;
		}
		path += n + (path[n] == '.');
	}
	return o;
}

const char *ic_str(struct json_object *o, const char *path)
{
	struct json_object *v = ic_get(o, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

long long ic_int(struct json_object *o, const char *path)
{
	struct json_object *v = ic_get(o, path);

	if (v && json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	return v && json_object_is_type(v, json_type_int) ? (long long)json_object_get_int64(v) : -1;
}
