/* tockbench floors: socketpair ping-pong, socketpair message stream, fork+exec of /bin/true, memcpy. */
#include "tb_floor.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/clock.h"

#define TB_FLOOR_MAX_MSG 4096

/* The echo side of the ping-pong: answer every message with one of the same size until EOF. */
static void child_echo(int fd)
{
	static char buf[TB_FLOOR_MAX_MSG];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0 || send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
			_exit(n == 0 ? 0 : 1);
	}
}

/* The sink side of the stream: swallow messages; a 1-byte message ends a rep and is acknowledged. */
static void child_sink(int fd)
{
	static char buf[TB_FLOOR_MAX_MSG];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			_exit(n == 0 ? 0 : 1);
		if (n == 1 && send(fd, buf, 1, MSG_NOSIGNAL) != 1)
			_exit(1);
	}
}

/* A socketpair with `body` running in a forked child on one end; *ret_fd is the parent's end. */
static int start_peer(void (*body)(int fd), pid_t *ret_pid, int *ret_fd)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(sv[0]);
		close(sv[1]);
		return err;
	}
	if (pid == 0) {
		close(sv[0]);
		body(sv[1]);
		_exit(0);
	}
	close(sv[1]);
	*ret_pid = pid;
	*ret_fd = sv[0];
	return 0;
}

/* Close our end (the child sees EOF and exits) and reap it; -EIO if it did not exit cleanly. */
static int stop_peer(pid_t pid, int fd, int err)
{
	int status = 0;

	close(fd);
	if (waitpid(pid, &status, 0) < 0)
		return err ? err : -errno;
	if (!err && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		return -EIO;
	return err;
}

static int roundtrips(int fd, char *buf, size_t size, unsigned iters)
{
	for (unsigned i = 0; i < iters; i++) {
		if (send(fd, buf, size, MSG_NOSIGNAL) != (ssize_t)size)
			return -EIO;
		if (recv(fd, buf, TB_FLOOR_MAX_MSG, 0) != (ssize_t)size)
			return -EIO;
	}
	return 0;
}

int tb_floor_pingpong(size_t size, unsigned reps, unsigned iters, struct tb_samples *ret_ns)
{
	static char buf[TB_FLOOR_MAX_MSG];
	pid_t pid;
	int fd, err;

	if (size == 0 || size > TB_FLOOR_MAX_MSG)
		return -EINVAL;
	err = start_peer(child_echo, &pid, &fd);
	if (err)
		return err;
	memset(buf, 0xa5, size);
	err = roundtrips(fd, buf, size, iters < 100 ? iters : 100); /* warm-up, as the apps do */
	for (unsigned rep = 0; !err && rep < reps; rep++) {
		uint64_t t0 = basic_mono_ns();

		err = roundtrips(fd, buf, size, iters);
		if (!err)
			tb_samples_add(ret_ns, (double)(basic_mono_ns() - t0) / iters);
	}
	return stop_peer(pid, fd, err);
}

int tb_floor_stream(size_t size, unsigned reps, unsigned msgs, struct tb_samples *ret_ns)
{
	static char buf[TB_FLOOR_MAX_MSG];
	pid_t pid;
	int fd, err;

	if (size < 2 || size > TB_FLOOR_MAX_MSG)
		return -EINVAL; /* 1 byte is the end-of-rep marker */
	err = start_peer(child_sink, &pid, &fd);
	if (err)
		return err;
	memset(buf, 0x5a, size);
	for (unsigned rep = 0; !err && rep < reps; rep++) {
		uint64_t t0 = basic_mono_ns();

		for (unsigned i = 0; !err && i < msgs; i++)
			if (send(fd, buf, size, MSG_NOSIGNAL) != (ssize_t)size)
				err = -EIO;
		if (!err && (send(fd, buf, 1, MSG_NOSIGNAL) != 1 || recv(fd, buf, 1, 0) != 1))
			err = -EIO;
		if (!err)
			tb_samples_add(ret_ns, (double)(basic_mono_ns() - t0) / msgs);
	}
	return stop_peer(pid, fd, err);
}

static int spawn_true_once(void)
{
	static char *const argv[] = {"true", NULL};
	static char *const envp[] = {NULL};
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execve("/bin/true", argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ENOEXEC;
}

int tb_floor_spawn_true(unsigned count, unsigned reps, struct tb_samples *ret_ns)
{
	int err = spawn_true_once(); /* warm-up: page cache, dynamic loader */

	for (unsigned rep = 0; !err && rep < reps; rep++) {
		uint64_t t0 = basic_mono_ns();

		for (unsigned i = 0; !err && i < count; i++)
			err = spawn_true_once();
		if (!err)
			tb_samples_add(ret_ns, (double)(basic_mono_ns() - t0));
	}
	return err;
}

/*
 * `rounds` rounds numbered on from *n: fill region from src piece by piece, each piece stamped
 * with the round, then copy it out into dst piece by piece and check the stamps (-EIO if wrong).
 */
static int copy_rounds(uint8_t *src, uint8_t *region, uint8_t *dst, size_t region_size, size_t piece, uint32_t *n,
                       unsigned rounds)
{
	for (unsigned i = 0; i < rounds; i++) {
		uint32_t seq = ++*n, head, tail;

		memcpy(src, &seq, sizeof(seq));
		memcpy(src + piece - sizeof(seq), &seq, sizeof(seq));
		for (size_t off = 0; off < region_size; off += piece)
			memcpy(region + off, src, piece);
		__asm__ volatile("" ::: "memory"); /* region stands for the shared one: every copy happens in full */
		for (size_t off = 0; off < region_size; off += piece) {
			memcpy(dst, region + off, piece);
			__asm__ volatile("" ::: "memory");
			memcpy(&head, dst, sizeof(head));
			memcpy(&tail, dst + piece - sizeof(tail), sizeof(tail));
			if (head != seq || tail != seq)
				return -EIO;
		}
	}
	return 0;
}

int tb_floor_memcpy(size_t region_size, size_t piece, unsigned reps, unsigned rounds, struct tb_samples *ret_ns)
{
	size_t size = (region_size + 2 * piece + 4095) / 4096 * 4096; /* aligned_alloc wants a multiple */
	uint8_t *buf;
	uint32_t n = 0;
	int err;

	if (piece < 8 || piece % 64 || region_size % piece || rounds == 0)
		return -EINVAL;
	buf = aligned_alloc(4096, size);
	if (!buf)
		return -ENOMEM;
	memset(buf, 0x3c, size); /* fault every page in before timing */
	err = copy_rounds(buf + region_size, buf, buf + region_size + piece, region_size, piece, &n, 4); /* as the apps */
	for (unsigned rep = 0; !err && rep < reps; rep++) {
		uint64_t t0 = basic_mono_ns();

		err = copy_rounds(buf + region_size, buf, buf + region_size + piece, region_size, piece, &n, rounds);
		if (!err)
			tb_samples_add(ret_ns, (double)(basic_mono_ns() - t0) / rounds);
	}
	free(buf);
	return err;
}
