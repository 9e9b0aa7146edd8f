/* ipcctl's side of the control socket: instance discovery, connection, line-framed JSON requests and replies. */
#include "tools/ipcctl/client.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "tockhost/control_protocol.h"

#define MAX_INSTANCES 64
#define MAX_LINE (CONTROL_MAX_PENDING + 1)

static int connect_path(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

/* Live sockets in the instance directory (one that refuses a connection is a dead instance's: skipped). */
static int scan(char paths[][256], int max, char *dir, size_t dirlen)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (control_socket_dir(dir, dirlen) < 0 || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d)) && n < max) {
		int fd;

		if (!has_suffix(e->d_name, CONTROL_SOCKET_SUFFIX))
			continue;
		if (snprintf(paths[n], 256, "%s/%s", dir, e->d_name) >= 256)
			continue;
		fd = connect_path(paths[n]);
		if (fd < 0)
			continue;
		close(fd);
		n++;
	}
	closedir(d);
	return n;
}

int ipcctl_list(bool json)
{
	static char paths[MAX_INSTANCES][256];
	char dir[256];
	int n = scan(paths, MAX_INSTANCES, dir, sizeof(dir));
	struct json_object *arr = json_object_new_array();

	for (int i = 0; i < n; i++) {
		if (json)
			json_object_array_add(arr, json_object_new_string(paths[i]));
		else
			printf("%s\n", paths[i]);
	}
	if (json)
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
	json_object_put(arr);
	return n;
}

static int pick_instance(char *ret, size_t len)
{
	static char paths[MAX_INSTANCES][256];
	char dir[256];
	int n = scan(paths, MAX_INSTANCES, dir, sizeof(dir));

	if (n == 0) {
		fprintf(stderr, "ipcctl: no running tockhost found in %s; start one with `tockhost run APP.tbf...` "
		                "or name its socket with --socket PATH\n", dir);
		return -1;
	}
	if (n > 1) {
		fprintf(stderr, "ipcctl: %d tockhost instances are running; pick one with --socket PATH:\n", n);
		for (int i = 0; i < n; i++)
			fprintf(stderr, "  %s\n", paths[i]);
		return -1;
	}
	snprintf(ret, len, "%s", paths[0]);
	return 0;
}

int ipcctl_connect(struct ipcctl_conn *c, const char *path)
{
	const char *env = getenv("IPCCTL_SOCKET");

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (!path && env && *env)
		path = env;
	if (path)
		snprintf(c->path, sizeof(c->path), "%s", path);
	else if (pick_instance(c->path, sizeof(c->path)) < 0)
		return -1;
	c->fd = connect_path(c->path);
	if (c->fd < 0) {
		fprintf(stderr, "ipcctl: cannot connect to %s: %s%s\n", c->path, strerror(errno),
		        errno == ECONNREFUSED || errno == ENOENT ? " (is tockhost still running?)" : "");
		return -1;
	}
	return 0;
}

void ipcctl_close(struct ipcctl_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
}

struct json_object *ipcctl_request(const char *cmd)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "v", json_object_new_int(CONTROL_PROTOCOL_VERSION));
	json_object_object_add(o, "cmd", json_object_new_string(cmd));
	return o;
}

int ipcctl_send(struct ipcctl_conn *c, struct json_object *req)
{
	size_t len;
	const char *s = json_object_to_json_string_length(req, JSON_C_TO_STRING_PLAIN, &len);
	size_t off = 0;

	while (off < len + 1) {
		/* The newline goes out as its own write only if it must; requests are small. */
		const char *p = off < len ? s + off : "\n";
		size_t n = off < len ? len - off : 1;
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		off += (size_t)w;
	}
	return 0;
}

/* A complete line in the buffer: parse it and shift it out. */
static struct json_object *take_line(struct ipcctl_conn *c)
{
	char *nl = c->len ? memchr(c->buf, '\n', c->len) : NULL;
	struct json_object *o;
	size_t n;

	if (!nl)
		return NULL;
	n = (size_t)(nl - c->buf);
	*nl = '\0';
	o = json_tokener_parse(c->buf);
	memmove(c->buf, nl + 1, c->len - n - 1);
	c->len -= n + 1;
	if (!o) {
		/* A line the supervisor should never send: make it visible rather than hang. */
		o = json_object_new_object();
		json_object_object_add(o, "ok", json_object_new_boolean(0));
		json_object_object_add(o, "error", json_object_new_string("unparsable line from the supervisor"));
	}
	return o;
}

struct json_object *ipcctl_recv(struct ipcctl_conn *c, int timeout_ms, volatile int *stop, bool *ret_eof)
{
	struct json_object *o;

	*ret_eof = false;
	for (;;) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		ssize_t n;

		if ((o = take_line(c)))
			return o;
		if (stop && *stop)
			return NULL;
		if (c->cap - c->len < 4096) {
			size_t cap = c->cap ? c->cap * 2 : 65536;
			char *b;

			if (cap > MAX_LINE * 2 || !(b = realloc(c->buf, cap)))
				return NULL;
			c->buf = b;
			c->cap = cap;
		}
		n = poll(&pfd, 1, timeout_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*ret_eof = true;
			return NULL;
		}
		c->len += (size_t)n;
	}
}
