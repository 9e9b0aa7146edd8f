/* tock-proc: the trusted per-app runner; loads one TBF app into this process, sandboxes it, runs it. */

/*
 * Process contract (the Linux backend follows exactly this):
 *
 *   tock-proc RAM_SIZE STACK_SIZE GRANT_SIZE APP_NAME [socket|ring]   (decimal numbers)
 *
 *   fd 3  trap socket, AF_UNIX SOCK_SEQPACKET (include/tock/trap_frame.h)
 *   fd 4  flash memfd: bytes [0, tbf total_size) are the TBF image; its size is the layout's
 *         flash_size. Must allow PROT_EXEC mappings (no MFD_NOEXEC_SEAL).
 *   fd 5  RAM memfd of size ram_size, zero-filled.
 *   fd 6  with "ring" only: the ring memfd (include/tock/trap_ring.h). Frames then travel in it
 *         and the socket carries only SHARE_MAP fds; "socket" (the default) uses the socket alone.
 *   fd 7  with "ring", optional: the run's wake page (read-only; trap_ring.h says what it is for).
 *   stdin /dev/null; stdout/stderr: the supervisor's stderr (the runner's own pre-sandbox errors only).
 *
 * The supervisor computes the same layout with ldr_layout_compute() from the same TBF and maps both
 * memfds MAP_SHARED (flash read-only) to read and write allowed buffers.
 *
 * The runner: parses the TBF, computes the layout, maps flash at flash_start (read-only in the end:
 * the TBF image and the R / RX segments copied there, never writable), maps RAM only over
 * [ram_start, grant_start) so the grant region faults, copies the writable segments into RAM,
 * applies the relocations (RELATIVE, GLOB_DAT, JUMP_SLOT, 64, RELR; imports from the runner's glibc,
 * the malloc family from the runner's own RAM-heap allocator), makes the guard page PROT_NONE,
 * warms glibc, sets PDEATHSIG=SIGKILL, no-new-privs and rlimits, installs fault handlers (one
 * TOCK_TRAP_FAULT frame, then exit_group), closes every fd but 3, loads the seccomp filter, switches
 * malloc to the RAM heap, sends HELLO, waits for START, then - on the app stack in RAM - runs the
 * app's DT_INIT and init_array (sandboxed) and main(1, {APP_NAME}, {}). main's return and exit()
 * end in exit-terminate (SYSCALL class 6, r0 = 0, r1 = status) after the app's fini_array and a
 * flush of stdio. The runner itself sends SYSCALL frames only for memop sbrk (its malloc grows the
 * RAM heap that way, after START); it and apps/libtock number frames from one shared counter
 * (tock_proc_trap_seq), so seq rises by one per SYSCALL. Death by SIGSYS without a FAULT frame means
 * a foreign-arch (int 0x80) or x32 syscall (the filter kills those outright). The host environment
 * is wiped (only TZ is kept, so localtime() needs no file access). Exit status of the runner itself:
 * 2 = bad usage or load failure (message on stderr, before HELLO), 1 = trap channel broken,
 * 139 = after a FAULT frame.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/tock_proc/elf_app.h"
#include "loader/tock_proc/heap.h"
#include "loader/tock_proc/sandbox.h"
#include "loader/tock_proc/trap.h"
#include "loader/tock_proc/trap_ring.h"

#define FLASH_FD 4
#define RAM_FD 5

/* Switch to a new stack and call fn(arg) there; written in asm because C cannot move the stack. */
void ldr_run_on_stack(uint64_t stack_top, void (*fn)(void *), void *arg);
__asm__(".text\n"
        ".globl ldr_run_on_stack\n"
        ".type ldr_run_on_stack, @function\n"
        "ldr_run_on_stack:\n"
        "\tpush %rbp\n"
        "\tmov %rsp, %rbp\n"
        "\tmov %rdi, %rsp\n" /* stack_top is 16-byte aligned, so the call leaves rsp%16 == 8 */
        "\tmov %rdx, %rdi\n"
        "\tcall *%rsi\n"
        "\tmov %rbp, %rsp\n"
        "\tpop %rbp\n"
        "\tret\n"
        ".size ldr_run_on_stack, .-ldr_run_on_stack\n");

static struct ldr_app app;
static char *app_argv[2];
static char *app_envp[1];

static int parse_u32(const char *s, uint32_t *ret)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*ret = (uint32_t)v;
	return 0;
}

/* on_exit handler: the app's destructors, stdio flush, then exit-terminate with main's status. */
static void on_app_exit(int status, void *arg)
{
	const struct ldr_app *a = arg;
	const uint64_t *fini = (const uint64_t *)(uintptr_t)a->fini_array;

	for (uint64_t i = a->fini_count; i-- > 0;)
		if (fini[i] != 0 && fini[i] != UINT64_MAX)
			((void (*)(void))(uintptr_t)fini[i])();
	fflush(NULL);
	ldr_trap_exit((uint32_t)status);
}

/* First code on the app stack, already sandboxed: constructors, then main. */
static void app_entry(void *arg)
{
	const struct ldr_app *a = arg;
	const uint64_t *init = (const uint64_t *)(uintptr_t)a->init_array;
	typedef void init_fn(int, char **, char **);
	typedef int main_fn(int, char **, char **);

	if (a->init_fn)
		((void (*)(void))(uintptr_t)a->init_fn)();
	for (uint64_t i = 0; i < a->init_count; i++)
		if (init[i] != 0 && init[i] != UINT64_MAX)
			((init_fn *)(uintptr_t)init[i])(1, app_argv, app_envp);
	exit(((main_fn *)(uintptr_t)a->main_fn)(1, app_argv, app_envp));
}

static int check_fds(int last)
{
	for (int fd = TOCK_TRAP_FD; fd <= last; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			fprintf(stderr, "tock-proc: fd %d is not open (see the process contract in main.c)\n", fd);
			return -EBADF;
		}
	return 0;
}

int main(int argc, char **argv)
{
	struct ldr_layout_params params;
	struct ldr_err err = {{0}};
	bool ring = argc == 6 && !strcmp(argv[5], "ring");
	int r;

	if ((argc != 5 && argc != 6) || (argc == 6 && !ring && strcmp(argv[5], "socket")) ||
	    parse_u32(argv[1], &params.ram_size) < 0 || parse_u32(argv[2], &params.stack_size) < 0 ||
	    parse_u32(argv[3], &params.grant_size) < 0) {
		fprintf(stderr, "usage: tock-proc RAM_SIZE STACK_SIZE GRANT_SIZE APP_NAME [socket|ring] "
		                "(fd 3 trap socket, fd 4 flash memfd, fd 5 RAM memfd, fd 6 ring memfd with ring)\n");
		return 2;
	}
	app_argv[0] = argv[4];
	if (check_fds(ring ? TOCK_RING_FD : RAM_FD) < 0)
		return 2;
	if (ring && (r = ldr_ring_map(TOCK_RING_FD, fcntl(TOCK_RING_WAKE_FD, F_GETFD) >= 0 ? TOCK_RING_WAKE_FD : -1)) < 0) {
		fprintf(stderr, "tock-proc: %s: cannot map the trap ring: %s\n", argv[4], strerror(-r));
		return 2;
	}
	if (ldr_image_load(&app, FLASH_FD, RAM_FD, &params, &err) < 0 || ldr_sandbox_prepare(ring, &err) < 0) {
		fprintf(stderr, "tock-proc: %s: %s\n", argv[4], err.text);
		return 2;
	}
	ldr_sandbox_warm_glibc();
	if (on_exit(on_app_exit, &app) != 0 || ldr_sandbox_limits(&err) < 0) {
		fprintf(stderr, "tock-proc: %s: %s\n", argv[4], err.text[0] ? err.text : "on_exit failed");
		return 2;
	}
	fflush(NULL);
	/* From here on stderr is gone; failures show up to the supervisor as an exit before HELLO. */
	if (ldr_sandbox_enter() < 0)
		ldr_exit_group(2);
	ldr_heap_use_ram();
	if (ldr_trap_handshake() < 0)
		ldr_exit_group(1);
	ldr_run_on_stack(app.layout.stack_top, app_entry, &app);
	ldr_exit_group(1);
}
