/* ipcctl's side of the control socket: find the tockhost instance, connect, exchange JSON lines. */
#ifndef TOCKHOST_IPCCTL_CLIENT_H
#define TOCKHOST_IPCCTL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

struct json_object;

struct ipcctl_conn {
	int fd;
	char *buf;
	size_t len, cap;
	char path[256];
};

/*
 * Connect to `path`, or when NULL to $IPCCTL_SOCKET, or else to the only live socket in the
 * instance directory. Prints the one-line error itself (none running, several running, cannot
 * connect) and returns -1; 0 when connected.
 */
int ipcctl_connect(struct ipcctl_conn *c, const char *path);
void ipcctl_close(struct ipcctl_conn *c);

/* Print every live instance (path, supervisor pid): `ipcctl list`. Returns how many. */
int ipcctl_list(bool json);

/* Send one request object (not consumed). 0 or -errno. */
int ipcctl_send(struct ipcctl_conn *c, struct json_object *req);
/*
 * Next line from the supervisor, parsed; NULL at EOF, on a read error, after timeout_ms (-1 =
 * wait forever) or when *stop becomes true (stop may be NULL). *ret_eof tells EOF apart.
 */
struct json_object *ipcctl_recv(struct ipcctl_conn *c, int timeout_ms, volatile int *stop, bool *ret_eof);

/* A request {"v":1,"cmd":cmd} to add fields to. */
struct json_object *ipcctl_request(const char *cmd);

#endif
