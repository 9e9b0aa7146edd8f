/* The runner's sandbox: glibc warm-up, rlimits, fault reporting via FAULT frames, the seccomp allowlist. */
#include "loader/tock_proc/sandbox.h"

#include <errno.h>
#include <linux/futex.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "loader/tock_proc/elf_app.h"
#include "loader/tock_proc/trap.h"
#include "loader/tock_proc/trap_ring.h"

#define ALT_STACK_SIZE (64 * 1024)
#define NOFILE_LIMIT 4 /* fds 0..3: only the trap socket (3) stays open */

static scmp_filter_ctx filter;
static _Alignas(16) uint8_t alt_stack[ALT_STACK_SIZE];

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/*
 * The app gets no host environment (it could carry secrets), only TZ. TZ must be set: with TZ
 * unset, every localtime() re-stats /etc/localtime; with it set, glibc reads the zone file once here.
 */
static void warm_time_zone(void)
{
	const char *tz = getenv("TZ");
	char saved[256];

	snprintf(saved, sizeof(saved), "%s", tz && *tz ? tz : ":/etc/localtime");
	/* Wipe the strings themselves too: they sit on the initial stack, readable by the app. */
	for (char **e = environ; e && *e; e++)
		memset(*e, 0, strlen(*e));
	clearenv();
	setenv("TZ", saved, 1);
	tzset();
}

void ldr_sandbox_warm_glibc(void)
{
	int numbers[512]; /* >= 1 KiB: qsort asks sysinfo once for the physical memory size */
	char buf[64];
	struct tm tm;
	time_t now = time(NULL);

	for (unsigned i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		numbers[i] = (int)((i * 7919u) % 512u);
	qsort(numbers, sizeof(numbers) / sizeof(numbers[0]), sizeof(numbers[0]), cmp_int);
	snprintf(buf, sizeof(buf), "%f %g %e %La", 1.5, 2.5e10, 3.25, 1.0L);
	(void)strtod("1.25", NULL);
	warm_time_zone();
	localtime_r(&now, &tm);
	(void)strerror(EINVAL);
	(void)rand();
}

/* Addresses whose bits above the window size equal the window start: [START, START + SIZE). */
#define SHARE_WINDOW_MASK (~(TOCK_SHARE_WINDOW_SIZE - 1))
_Static_assert((TOCK_SHARE_WINDOW_START & (TOCK_SHARE_WINDOW_SIZE - 1)) == 0, "the share window is aligned to its size");
_Static_assert(TOCK_SHARE_WINDOW_START + 2 * TOCK_SHARE_WINDOW_SIZE <= 0x100000000ull, "window + length stay below 4 GiB");
/* The only fds a share instruction can deliver: RLIMIT_NOFILE is 4 and fds 0..2 are closed, so 0..2. */
#define SHARE_FD_MAX 2

/*
 * Share instructions (tock/trap_frame.h): mmap exactly MAP_SHARED|MAP_FIXED_NOREPLACE of a
 * received fd at offset 0, read or read-write (never exec), start inside the share window and
 * length at most its size (so it ends below 4 GiB, where nothing else is mapped); munmap only
 * inside the window; close only the received fds. What is mapped is checked afterwards by the
 * supervisor in /proc (maps and fds), so a runtime that deviates is faulted.
 */
static int add_share_rules(void)
{
	static const uint64_t prots[] = { PROT_READ, PROT_READ | PROT_WRITE };
	struct scmp_arg_cmp in_window = SCMP_A0_64(SCMP_CMP_MASKED_EQ, SHARE_WINDOW_MASK, TOCK_SHARE_WINDOW_START);
	struct scmp_arg_cmp len_ok = SCMP_A1_64(SCMP_CMP_LE, TOCK_SHARE_WINDOW_SIZE);
	int r = 0;

	/* recvmsg: receive frames and the region fds riding on SHARE_MAP, on the trap socket only. */
	r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(recvmsg), 1, SCMP_A0_64(SCMP_CMP_EQ, TOCK_TRAP_FD));
	/* mmap: map a granted region where the kernel said, with the rights it said (RO fds refuse RW). */
	for (unsigned i = 0; r == 0 && i < sizeof(prots) / sizeof(prots[0]); i++)
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 6, in_window, len_ok,
		                     SCMP_A2_64(SCMP_CMP_EQ, prots[i]),
		                     SCMP_A3_64(SCMP_CMP_EQ, MAP_SHARED | MAP_FIXED_NOREPLACE),
		                     SCMP_A4_64(SCMP_CMP_LE, SHARE_FD_MAX), SCMP_A5_64(SCMP_CMP_EQ, 0));
	/* munmap: drop a revoked region, only inside the window. */
	if (r == 0)
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(munmap), 2, in_window, len_ok);
	/* close: drop a received region fd right after mapping it (never the trap socket). */
	if (r == 0)
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(close), 1, SCMP_A0_64(SCMP_CMP_LE, SHARE_FD_MAX));
	return r;
}

/*
 * The ring's wake-ups (tock/trap_ring.h): FUTEX_WAKE on our own head, FUTEX_WAIT (no timeout) on
 * the supervisor's head; shared futexes, so no FUTEX_PRIVATE_FLAG. No other futex word or op.
 */
static int add_ring_rules(void)
{
	const uint64_t base = TOCK_RING_ADDR;
	const uint64_t app_head = base + offsetof(struct tock_ring_app_page, a2s_head);
	const uint64_t sup_head = base + TOCK_RING_PAGE + offsetof(struct tock_ring_sup_page, s2a_head);

	const uint32_t *own_word = ldr_ring_wake_word();
	int r;

	r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(futex), 2, SCMP_A0_64(SCMP_CMP_EQ, app_head),
	                     SCMP_A1_64(SCMP_CMP_EQ, FUTEX_WAKE));
	if (r == 0)
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(futex), 3, SCMP_A0_64(SCMP_CMP_EQ, sup_head),
		                     SCMP_A1_64(SCMP_CMP_EQ, FUTEX_WAIT), SCMP_A3_64(SCMP_CMP_EQ, 0));
	/* sched_yield: a parked app gives its core to the app it handed off to before it sleeps (trap_ring.c). */
	if (r == 0)
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(sched_yield), 0);
	if (r == 0 && own_word) {
		/* The wake page: wait on our own word only; wake any word of the page (a hand-off). */
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(futex), 3,
		                     SCMP_A0_64(SCMP_CMP_EQ, (uint64_t)(uintptr_t)own_word),
		                     SCMP_A1_64(SCMP_CMP_EQ, FUTEX_WAIT), SCMP_A3_64(SCMP_CMP_EQ, 0));
		if (r == 0)
			r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(futex), 2,
			                     SCMP_A0_64(SCMP_CMP_MASKED_EQ, ~(uint64_t)(TOCK_RING_PAGE - 1), TOCK_RING_WAKE_ADDR),
			                     SCMP_A1_64(SCMP_CMP_EQ, FUTEX_WAKE));
	}
	return r;
}

/* The whole allowlist. Every entry is needed by the runtime inside the sandbox; nothing else is. */
int ldr_sandbox_prepare(bool ring, struct ldr_err *err)
{
	struct scmp_arg_cmp trap_fd = SCMP_A0_64(SCMP_CMP_EQ, TOCK_TRAP_FD);
	int r;

	filter = seccomp_init(SCMP_ACT_TRAP);
	if (!filter)
		return ldr_fail(err, -ENOMEM, "seccomp_init failed");
	/* Foreign arches (int 0x80 i386 calls) and x32 numbers: kill outright, no handler runs. */
	r = seccomp_attr_set(filter, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (ring) {
		/* futex: the ring's two wake-up words; frames themselves need no syscall. */
		if (r == 0)
			r = add_ring_rules();
	} else {
		/* read: receive RETURN/UPCALL/START frames on the trap socket only. */
		if (r == 0)
			r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, trap_fd);
		/* write: send SYSCALL/HELLO/FAULT frames on the trap socket only. */
		if (r == 0)
			r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, trap_fd);
	}
	/* exit_group: exit() and the fault handlers end the process with it. */
	if (r == 0)
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
	/* exit: a thread's own end (glibc uses it only if exit_group failed). */
	if (r == 0)
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
	/* rt_sigreturn: returning from a signal handler (ours never return, but the kernel may need it). */
	if (r == 0)
		r = seccomp_rule_add(filter, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigreturn), 0);
	if (r == 0)
		r = add_share_rules();
	if (r < 0)
		return ldr_fail(err, r, "building the seccomp filter: %s", strerror(-r));
	return 0;
}

static uint32_t access_kind(const ucontext_t *uc)
{
	uint64_t code = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];

	if (code & 0x10) /* page-fault error code: instruction fetch */
		return TOCK_ACCESS_EXEC;
	return (code & 0x2) ? TOCK_ACCESS_WRITE : TOCK_ACCESS_READ;
}

/* Runs on the alternate stack; sends one FAULT frame and ends the process (never returns). */
static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	const ucontext_t *uc = ucv;
	uint64_t pc = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];

	switch (sig) {
	case SIGSYS:
		ldr_trap_fault(TOCK_FAULT_SYSCALL, (uint64_t)(uint32_t)si->si_syscall, pc, si->si_arch);
	case SIGSEGV:
	case SIGBUS:
		ldr_trap_fault(TOCK_FAULT_MEMORY, (uint64_t)(uintptr_t)si->si_addr, pc, access_kind(uc));
	case SIGABRT:
		ldr_trap_fault(TOCK_FAULT_ABORT, 0, pc, (uint64_t)sig);
	default:
		ldr_trap_fault(TOCK_FAULT_ILLEGAL, (uint64_t)(uintptr_t)si->si_addr, pc, (uint64_t)sig);
	}
}

static int install_handlers(struct ldr_err *err)
{
	static const int signals[] = {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT};
	stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof(alt_stack)};
	struct sigaction sa;

	if (sigaltstack(&ss, NULL) < 0)
		return ldr_fail(err, -errno, "sigaltstack: %m");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (sigaction(signals[i], &sa, NULL) < 0)
			return ldr_fail(err, -errno, "sigaction(%d): %m", signals[i]);
	/* A closed trap socket must show up as EPIPE (then exit_group), not as a silent SIGPIPE death. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int ldr_sandbox_limits(struct ldr_err *err)
{
	static const struct {
		int resource;
		rlim_t value;
	} limits[] = {
		{RLIMIT_CORE, 0}, {RLIMIT_NPROC, 0}, {RLIMIT_FSIZE, 0}, {RLIMIT_NOFILE, NOFILE_LIMIT},
		{RLIMIT_MEMLOCK, 0}, {RLIMIT_MSGQUEUE, 0},
	};
	sigset_t all;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ldr_fail(err, -errno, "prctl: %m");
	for (unsigned i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		struct rlimit rl = {limits[i].value, limits[i].value};
		if (setrlimit(limits[i].resource, &rl) < 0)
			return ldr_fail(err, -errno, "setrlimit(%d): %m", limits[i].resource);
	}
	/* The fault signals must never be blocked: a blocked SIGSYS would kill without a report. */
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	return install_handlers(err);
}

int ldr_sandbox_enter(void)
{
	int r;

	if (close_range(0, TOCK_TRAP_FD - 1, 0) < 0 || close_range(TOCK_TRAP_FD + 1, ~0u, 0) < 0)
		return -errno;
	r = seccomp_load(filter);
	seccomp_release(filter);
	filter = NULL;
	return r;
}
