/* Where the control socket lives and how it is created: a private 0700 directory, a 0600 socket, stale ones replaced. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "hostkernel/linux/ctlsock_internal.h"
#include "tockhost/control_protocol.h"

/* Our directory or none: a symlink, another owner or group/other access could let someone else in. */
static int ensure_private_dir(const char *dir, const char **ret_why)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		*ret_why = "cannot create the socket directory";
		return -errno;
	}
	if (lstat(dir, &st) < 0) {
		*ret_why = "cannot inspect the socket directory";
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		*ret_why = "the socket directory is not a directory";
		return -ENOTDIR;
	}
	if (st.st_uid != getuid()) {
		*ret_why = "the socket directory belongs to another user";
		return -EPERM;
	}
	if ((st.st_mode & 077) && chmod(dir, 0700) < 0) {
		*ret_why = "the socket directory is open to other users and cannot be made private";
		return -EPERM;
	}
	return 0;
}

static int fill_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

/* Something at path: a socket nobody answers on is stale (a crashed supervisor) and goes. */
static int clear_stale(const char *path, const char **ret_why)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		*ret_why = "the path exists and is not a socket";
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	fill_addr(&sa, path);
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (r == 0) {
		*ret_why = "another tockhost is serving this socket";
		return -EADDRINUSE;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		*ret_why = "cannot remove the stale socket";
		return -errno;
	}
	return 0;
}

static int default_path(char *buf, size_t len, const char **ret_why)
{
	char dir[PATH_MAX_CONTROL];
	int r = control_socket_dir(dir, sizeof(dir));

	if (r < 0) {
		*ret_why = "the socket directory path is too long";
		return r;
	}
	r = ensure_private_dir(dir, ret_why);
	if (r < 0)
		return r;
	r = snprintf(buf, len, "%s/%ld%s", dir, (long)getpid(), CONTROL_SOCKET_SUFFIX);
	return r < 0 || (size_t)r >= len ? -ENAMETOOLONG : 0;
}

static int bind_listen(const char *path, const char **ret_why)
{
	struct sockaddr_un sa;
	mode_t old;
	int fd, r;

	if (fill_addr(&sa, path) < 0) {
		*ret_why = "the socket path is longer than a Unix socket address allows";
		return -ENAMETOOLONG;
	}
	r = clear_stale(path, ret_why);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		*ret_why = "cannot create a socket";
		return -errno;
	}
	/* The umask decides the socket file's mode at bind: no window in which it is 0777. */
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || chmod(path, 0600) < 0 || listen(fd, 16) < 0) {
		r = -errno;
		*ret_why = "cannot bind or listen on the socket";
		close(fd);
		return r;
	}
	return fd;
}

int lx_ctlsock_listen(const char *path, char **ret_path, const char **ret_why)
{
	char buf[PATH_MAX_CONTROL];
	int fd, r;

	*ret_path = NULL;
	if (!path) {
		r = default_path(buf, sizeof(buf), ret_why);
		if (r < 0) {
			if (r == -ENAMETOOLONG)
				*ret_why = "the socket path is too long";
			return r;
		}
		path = buf;
	}
	fd = bind_listen(path, ret_why);
	if (fd < 0)
		return fd;
	*ret_path = strdup(path);
	if (!*ret_path) {
		close(fd);
		unlink(path);
		*ret_why = "out of memory";
		return -ENOMEM;
	}
	return fd;
}
