/* The app side of the trap channel: the one place that moves frames on fd 3, plus the runner's own frames. */
#include "loader/tock_proc/trap.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "loader/tock_proc/trap_ring.h"
#include "tock/abi.h"

uint32_t tock_proc_trap_seq;
uint32_t tock_proc_trap_round_trips;

/* The seqs of the last frames sent that were yields that wait: their answers are probably far (trap_ring.c). */
static uint32_t waiting_yield_seqs[TOCK_CHAIN_MAX];

static void note_waiting_yields(const struct tock_trap_frame *f, unsigned count)
{
	for (unsigned i = 0; i < count && i < TOCK_CHAIN_MAX; i++)
		waiting_yield_seqs[i] = f[i].kind == TOCK_TRAP_SYSCALL && f[i].op == TOCK_CLASS_YIELD &&
		                                f[i].arg[0] != TOCK_YIELD_NO_WAIT
		                            ? f[i].seq
		                            : 0;
}

static bool may_block(uint32_t seq)
{
	for (unsigned i = 0; i < TOCK_CHAIN_MAX; i++)
		if (seq != 0 && waiting_yield_seqs[i] == seq)
			return true;
	return false;
}

void ldr_exit_group(int status)
{
	for (;;)
		syscall(SYS_exit_group, status);
}

/*
 * The transport: on the socket, one frame out with write(2), one frame (and the fd a SHARE_MAP
 * carries) in with recvmsg(2), both on TOCK_TRAP_FD; on the ring (trap_ring.c), frames in shared
 * memory and only the SHARE_MAP fds on the socket. These are what the seccomp filter allows for
 * the channel (sandbox.c), so every frame the process sends or receives goes through here.
 */
static int send_frames(const struct tock_trap_frame *f, unsigned count)
{
	ssize_t n;

	if (f[0].kind == TOCK_TRAP_SYSCALL) {
		tock_proc_trap_round_trips++; /* a chain is one */
		note_waiting_yields(f, count);
	}
	if (ldr_ring_active())
		return ldr_ring_send(f, count);
	/* The socket keeps frame boundaries: a chain is its frames back to back. */
	for (unsigned i = 0; i < count; i++) {
		do
			n = write(TOCK_TRAP_FD, &f[i], sizeof(f[i]));
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		if (n != (ssize_t)sizeof(f[i]))
			return -EPIPE;
	}
	return 0;
}

int ldr_trap_send_frame(const struct tock_trap_frame *f)
{
	return send_frames(f, 1);
}

int tock_proc_trap_send(const struct tock_trap_frame *frame)
{
	return ldr_trap_send_frame(frame);
}

int tock_proc_trap_send_chain(const struct tock_trap_frame *frames, unsigned count)
{
	if (count == 0 || count > TOCK_CHAIN_MAX)
		return -EINVAL;
	return send_frames(frames, count);
}

int ldr_trap_send(uint16_t kind, uint32_t seq, uint32_t op, const uint64_t arg[5])
{
	struct tock_trap_frame f = {
		.magic = TOCK_TRAP_MAGIC, .version = TOCK_TRAP_VERSION, .kind = kind, .seq = seq, .op = op,
	};

	if (arg)
		memcpy(f.arg, arg, sizeof(f.arg));
	return ldr_trap_send_frame(&f);
}

/* One frame and the fd riding on it (-1 if none), from the socket. */
static int recv_socket_frame(struct tock_trap_frame *ret_frame, int *ret_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { ret_frame, sizeof(*ret_frame) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
	                      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cm;
	ssize_t n;

	*ret_fd = -1;
	do
		n = recvmsg(TOCK_TRAP_FD, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	cm = CMSG_FIRSTHDR(&msg);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(ret_fd, CMSG_DATA(cm), sizeof(int));
	if (n != (ssize_t)sizeof(*ret_frame))
		return -EPIPE;
	if (ret_frame->magic != TOCK_TRAP_MAGIC || ret_frame->version != TOCK_TRAP_VERSION)
		return -EPROTO;
	return 0;
}

/* One frame from the ring; a SHARE_MAP's fd was put on the socket (with a copy of the frame) before it. */
static int recv_ring_frame(struct tock_trap_frame *ret_frame, int *ret_fd, uint32_t awaiting)
{
	struct tock_trap_frame carrier;
	int r;

	*ret_fd = -1;
	r = ldr_ring_recv(ret_frame, awaiting, may_block(awaiting));
	if (r < 0)
		return r;
	if (ret_frame->magic != TOCK_TRAP_MAGIC || ret_frame->version != TOCK_TRAP_VERSION)
		return -EPROTO;
	if (ret_frame->kind != TOCK_TRAP_SHARE_MAP)
		return 0;
	r = recv_socket_frame(&carrier, ret_fd);
	if (r == 0 && (carrier.kind != TOCK_TRAP_SHARE_MAP || carrier.seq != ret_frame->seq))
		r = -EPROTO;
	return r;
}

static int recv_frame(struct tock_trap_frame *ret_frame, int *ret_fd, uint32_t awaiting)
{
	return ldr_ring_active() ? recv_ring_frame(ret_frame, ret_fd, awaiting) : recv_socket_frame(ret_frame, ret_fd);
}

static bool in_share_window(uint64_t addr, uint64_t len)
{
	return addr >= TOCK_SHARE_WINDOW_START && addr < TOCK_SHARE_WINDOW_START + TOCK_SHARE_WINDOW_SIZE &&
	       len > 0 && len <= TOCK_SHARE_WINDOW_SIZE && addr % 4096 == 0;
}

/* Carry out one SHARE_MAP/UNMAP exactly as the seccomp filter permits it, close the fd, acknowledge. */
static int share_instruction(const struct tock_trap_frame *f, int fd)
{
	uint64_t addr = f->arg[0], len = f->arg[1], ack[5] = { addr, 0, 0, 0, 0 };
	int prot = (f->op & TOCK_SHARE_WRITABLE) ? PROT_READ | PROT_WRITE : PROT_READ;
	uint32_t status = 0;

	if (!in_share_window(addr, len))
		status = EINVAL;
	else if (f->kind == TOCK_TRAP_SHARE_UNMAP)
		status = munmap((void *)(uintptr_t)addr, len) < 0 ? (uint32_t)errno : 0;
	else if (fd < 0)
		status = EBADF;
	else if (mmap((void *)(uintptr_t)addr, len, prot, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0) == MAP_FAILED)
		status = (uint32_t)errno;
	if (fd >= 0)
		close(fd);
	return ldr_trap_send(TOCK_TRAP_SHARE_DONE, f->seq, status, ack);
}

/* The next answer, carrying out share instructions before it; `awaiting` is the seq it should echo. */
static int recv_answer(struct tock_trap_frame *ret_frame, uint32_t awaiting)
{
	int fd, r;

	for (;;) {
		r = recv_frame(ret_frame, &fd, awaiting);
		if (r == 0 && (ret_frame->kind == TOCK_TRAP_SHARE_MAP || ret_frame->kind == TOCK_TRAP_SHARE_UNMAP)) {
			r = share_instruction(ret_frame, fd);
			if (r < 0)
				return r;
			continue;
		}
		if (fd >= 0)
			close(fd); /* an fd on anything but SHARE_MAP is not ours to keep */
		return r;
	}
}

int ldr_trap_recv(struct tock_trap_frame *ret_frame)
{
	return recv_answer(ret_frame, tock_proc_trap_seq);
}

int tock_proc_trap_recv(struct tock_trap_frame *ret_frame)
{
	return ldr_trap_recv(ret_frame);
}

int tock_proc_trap_recv_for(struct tock_trap_frame *ret_frame, uint32_t seq)
{
	return recv_answer(ret_frame, seq);
}

int ldr_trap_handshake(void)
{
	struct tock_trap_frame f;
	int r = ldr_trap_send(TOCK_TRAP_HELLO, 0, 0, NULL);

	if (r < 0)
		return r;
	r = ldr_trap_recv(&f);
	if (r < 0)
		return r;
	return f.kind == TOCK_TRAP_START ? 0 : -EPROTO;
}

void ldr_trap_syscall(uint32_t class_id, const uint64_t in[4], uint64_t ret_r[4])
{
	uint64_t arg[5] = {in[0], in[1], in[2], in[3], 0};
	uint32_t seq = ++tock_proc_trap_seq;
	struct tock_trap_frame f;

	if (ldr_trap_send(TOCK_TRAP_SYSCALL, seq, class_id, arg) < 0 || ldr_trap_recv(&f) < 0 ||
	    f.kind != TOCK_TRAP_RETURN || f.seq != seq)
		ldr_exit_group(1);
	memcpy(ret_r, f.arg, 4 * sizeof(uint64_t));
}

uint64_t ldr_trap_sbrk(int64_t increment)
{
	uint64_t in[4] = {TOCK_MEMOP_SBRK, (uint64_t)increment, 0, 0}, r[4];

	ldr_trap_syscall(TOCK_CLASS_MEMOP, in, r);
	if ((uint32_t)r[0] != TOCK_RET_SUCCESS_U32 && (uint32_t)r[0] != TOCK_RET_SUCCESS)
		return 0;
	return (uint32_t)r[1];
}

void ldr_trap_exit(uint32_t code)
{
	uint64_t arg[5] = {TOCK_EXIT_TERMINATE, code, 0, 0, 0};
	struct tock_trap_frame f;

	/* A successful exit gets no answer: the supervisor ends us, or we see the channel close. */
	if (ldr_trap_send(TOCK_TRAP_SYSCALL, ++tock_proc_trap_seq, TOCK_CLASS_EXIT, arg) == 0)
		(void)ldr_trap_recv(&f);
	ldr_exit_group((int)(code & 0xff));
}

void ldr_trap_fault(uint32_t cause, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t arg[5] = {a0, a1, a2, 0, 0};

	(void)ldr_trap_send(TOCK_TRAP_FAULT, tock_proc_trap_seq + 1, cause, arg);
	ldr_exit_group(128 + 11);
}
