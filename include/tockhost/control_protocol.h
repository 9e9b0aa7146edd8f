/* Control-socket protocol constants and socket-directory rules, shared by the supervisor and ipcctl (doc/control-protocol.md). */
#ifndef TOCKHOST_CONTROL_PROTOCOL_H
#define TOCKHOST_CONTROL_PROTOCOL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Header-only on purpose: ipcctl links no kernel or backend object (STYLE layering table), yet
 * both sides must agree on the version, the limits and where sockets live.
 */

#define CONTROL_PROTOCOL_VERSION 1
/* A request line longer than this (newline excluded) is refused with an error reply. */
#define CONTROL_MAX_REQUEST 4096u
/* A reply line is never longer than this; a client whose unread replies exceed it is dropped. */
#define CONTROL_MAX_PENDING (1024u * 1024u)
/* Trace events are dropped (and counted) once this much is unread by a trace client. */
#define CONTROL_TRACE_HIGH_WATER (256u * 1024u)
#define CONTROL_MAX_CLIENTS 64u

/* Socket file name inside the directory: "<supervisor pid>.sock". */
#define CONTROL_SOCKET_SUFFIX ".sock"

/*
 * The directory instances put their sockets in: $XDG_RUNTIME_DIR/tockhost when that variable
 * names an absolute path, else /tmp/tockhost-<uid>. Writes it to buf; 0 or -ENAMETOOLONG.
 * The supervisor creates it 0700 and checks ownership; ipcctl only reads it.
 */
static inline int control_socket_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/tockhost", xdg);
	else
		n = snprintf(buf, len, "/tmp/tockhost-%u", (unsigned)getuid());
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

#endif
