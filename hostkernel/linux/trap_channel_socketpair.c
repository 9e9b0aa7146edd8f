/* The first trap-channel transport: an AF_UNIX SOCK_SEQPACKET socketpair, one frame per datagram. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <liburing.h>

#include "hostkernel/linux/trap_channel.h"
#include "tock/trap_frame.h"

/* SEQPACKET keeps frame boundaries, reports the peer's close as EOF and carries SCM_RIGHTS. */
int lx_socket_channel_create(int *ret_sup_fd, int *ret_app_fd)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	*ret_sup_fd = sv[0];
	*ret_app_fd = sv[1];
	return 0;
}

static int sp_create(struct lx_channel *ch, int *ret_app_fd)
{
	int fd, r = lx_socket_channel_create(&fd, ret_app_fd);

	if (r < 0)
		return r;
	ch->ops = &lx_channel_socketpair;
	ch->fd = fd;
	return 0;
}

static int sp_arm_recv(struct lx_channel *ch, struct io_uring *ring, void *buf, size_t len, void *user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe) {
		io_uring_submit(ring);
		sqe = io_uring_get_sqe(ring);
	}
	if (!sqe)
		return -EBUSY;
	/* MSG_TRUNC: the result is the datagram's real length, so an oversized frame is caught. */
	io_uring_prep_recv(sqe, ch->fd, buf, len, MSG_TRUNC);
	io_uring_sqe_set_data(sqe, user_data);
	return 0;
}

/* Is the app's end still open? (A dying app's end closes; the app cannot close fd 3.) */
bool lx_socket_peer_open(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return fd >= 0 && poll(&pfd, 1, 0) >= 0 && !(pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static bool sp_peer_open(struct lx_channel *ch)
{
	return lx_socket_peer_open(ch->fd);
}

/* A 0 is EOF when the peer has closed, else a live app sent an empty datagram. */
static int sp_recv_result(struct lx_channel *ch, int res)
{
	if (res < 0)
		return res;
	if (res == 0 && !sp_peer_open(ch))
		return -EPIPE;
	return res;
}

static int sp_try_recv(struct lx_channel *ch, void *buf, size_t len)
{
	ssize_t n;

	if (ch->fd < 0)
		return -EBADF;
	n = recv(ch->fd, buf, len, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n > (ssize_t)INT_MAX ? INT_MAX : (int)n;
}

/* The socket holds at most the one frame in flight (plus share instructions), so a full one means a broken app. */
int lx_socket_send(int fd, const struct tock_trap_frame *f, int pass_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { (void *)f, sizeof(*f) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t n;

	if (fd < 0)
		return -EBADF;
	if (pass_fd >= 0) {
		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	do
		n = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(*f))
		return 0;
	return n < 0 ? -errno : -EIO;
}

static int sp_send(struct lx_channel *ch, const struct tock_trap_frame *f, int pass_fd)
{
	return lx_socket_send(ch->fd, f, pass_fd);
}

static void sp_close(struct lx_channel *ch)
{
	if (ch->fd >= 0)
		close(ch->fd);
	ch->fd = -1;
}

const struct lx_channel_ops lx_channel_socketpair = {
	.name = "socketpair",
	.pollable = false,
	.create = sp_create,
	.arm_recv = sp_arm_recv,
	.recv_result = sp_recv_result,
	.try_recv = sp_try_recv,
	.peer_open = sp_peer_open,
	.send = sp_send,
	.close = sp_close,
};
