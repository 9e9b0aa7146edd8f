/* Linux backend internals shared by its files: apps, host-process incarnations, the loop state. */
#ifndef TOCKHOST_LINUX_BACKEND_INTERNAL_H
#define TOCKHOST_LINUX_BACKEND_INTERNAL_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

#include <liburing.h>

#include "basic/clock.h"
#include "hostkernel/capsule.h"
#include "hostkernel/linux/lifetime.h"
#include "hostkernel/linux/linux_backend.h"
#include "hostkernel/linux/trap_channel.h"
#include "loader/app_layout.h"
#include "loader/tbf.h"
#include "tock/trap_frame.h"

struct lx_conn;
struct hk_ctlsock;
struct lx_share_conn;
struct lx_op;

/*
 * One kind of io_uring request in flight: the SQE's user_data points at an lx_op embedded in
 * whatever the request is for, and its completion calls complete() with the CQE's result. The
 * loop (event_loop.c) knows no client: each one recovers its object with lx_container_of.
 */
typedef void lx_op_complete(struct hk_linux *lx, struct lx_op *op, int res);
struct lx_op {
	lx_op_complete *complete;
};

#define lx_container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Where one incarnation stands in its conversation with the supervisor. */
enum lx_conn_state {
	LX_AWAIT_HELLO = 0, /* runner setting up */
	LX_PARKED,          /* ready or blocked: waits for the scheduler, sends nothing */
	LX_RUNNING,         /* on the (single) CPU: its next frame is a trap */
	LX_PREEMPTED,       /* SIGSTOPped after its timeslice; SIGCONT when picked again */
	LX_DEAD,            /* killed; waits for its io_uring requests to drain before it is freed */
};

#define LX_RECV_BUF 128 /* larger than a frame, so an oversized one is seen as such */

/* One host process (an incarnation of an app); restarts get a new one. */
struct lx_conn {
	struct lx_app *app; /* NULL once dead */
	enum lx_conn_state state;
	hk_pid tock_pid; /* the ProcessId this incarnation runs as */
	pid_t pid;
	int pidfd, flash_fd, ram_fd;
	struct lx_channel chan; /* the trap channel (trap_channel.h) */
	uint8_t *flash_map, *ram_map;
	size_t flash_size, ram_size;
	bool reaped;
	bool exited;      /* pidfd became readable; handled at the end of the batch */
	bool eof;         /* the app's end of the trap channel is gone */
	bool recv_armed, poll_armed;
	struct lx_life life; /* held by armed io_uring requests + handlers on the stack; closing once LX_DEAD */
	uint32_t seq;     /* of the syscall being answered */
	/* Its chain (tock/trap_frame.h): the link of the syscall being answered, and what the next does. */
	uint64_t link;
	uint32_t class_id;
	enum { LX_CHAIN_NONE, LX_CHAIN_RUN, LX_CHAIN_SKIP } chain;
	uint32_t chain_len; /* syscalls of the current chain seen so far */
	uint64_t slice_start_ns;
	/* Under virtual time a slice is CPU time the app used (trap.c): its process CPU clock. */
	clockid_t cpu_clock;
	bool has_cpu_clock;
	uint64_t slice_cpu_start_ns;
	bool stash_valid; /* a trap that arrived just as it was being preempted, or behind a chained syscall that blocks */
	uint8_t stash[sizeof(struct tock_trap_frame)];
	struct lx_op recv_op, poll_op;
	uint8_t recv_buf[LX_RECV_BUF];
	struct lx_conn *next_dead; /* on lx->dead while requests drain */
	struct lx_share_conn *share; /* share.c: expected mappings, unacknowledged instructions; NULL if none */
};

/* One loaded app: its image and layout, kept for restarts. */
struct lx_app {
	struct hk_linux *lx;
	struct hk_process *p;
	char *name;
	uint8_t *image;
	size_t image_len;
	struct tbf_info info;
	struct ldr_layout_params params;
	struct ldr_layout layout;
	struct lx_conn *conn; /* the live incarnation, or NULL */
	unsigned color;
	bool stop_reported;
	char line[1024]; /* partial console line */
	size_t line_len;
};

struct hk_linux {
	struct hk_linux_config cfg;
	struct hk_kernel *k;
	struct hk_process_listener listener;
	struct io_uring ring;
	bool ring_ready;
	int signal_fd;
	struct lx_op signal_op;
	uint8_t signal_buf[128];
	bool signal_armed;

	struct lx_app **apps;
	size_t n_apps, cap_apps;
	struct lx_conn *running; /* the one app process on the CPU, or NULL */
	struct lx_conn *park_pending; /* blocked in its last syscall; told to sleep once the next app is dispatched */
	struct lx_conn *dead;    /* killed incarnations waiting for their requests */

	struct hk_linux_stdin_sink stdin_sink;
	bool stdin_enabled, stdin_armed, stdin_eof;
	struct lx_op stdin_op;
	uint8_t stdin_buf[256];
	size_t stdin_off, stdin_len; /* bytes read but not yet taken by the sink */

	struct hk_ctlsock *ctlsock; /* the control socket server, or NULL */

	const struct lx_channel_ops *chan_ops; /* the transport every incarnation gets */
	uint64_t spin_max_ns;   /* 0: never spin (one core); else the most the loop spins for a frame */
	uint64_t spin_ns;       /* the current budget, adapted to how often spinning pays off */
	bool cores_split;       /* cores.c: the supervisor on one core, apps on app_cores */
	cpu_set_t app_cores;
	int wake_fd;            /* wake_page.c: the run's wake page (fd 7 of every ring runner), or -1 */
	uint32_t *wake_words;
	bool wake_claimed[1024]; /* TOCK_RING_WAKE_WORDS; word 0 is never handed out */
	struct lx_conn *wake_owed; /* woken only by the parking app's hand-off so far (trap.c, event_loop.c) */
	uint64_t wake_owed_deadline_ns; /* then the supervisor wakes it itself */
#define LX_HANDOFF_GRACE_NS 200000ull /* how long a parker's hand-off may take */

	bool stop_requested;
	bool panicked;
	uint64_t start_real_ns, start_virtual_ns;
};

/* spawn.c */
int lx_conn_spawn(struct hk_linux *lx, struct lx_app *app, struct lx_conn **ret, const char **ret_why);
void lx_conn_kill(struct hk_linux *lx, struct lx_conn *c); /* SIGKILL, reap, unmap, close; may free c */
void lx_conn_unref(struct hk_linux *lx, struct lx_conn *c);
void lx_conn_free(struct lx_conn *c);
int lx_conn_signal(struct lx_conn *c, int sig);                  /* via the pidfd when there is one */
int lx_conn_waitid(struct lx_conn *c, siginfo_t *si, int options); /* P_PIDFD, or P_PID without pidfds */

/* cores.c: keep the spinning supervisor and the running app on different cores */
int lx_cores_split(struct hk_linux *lx); /* 0, or -errno / -ENODEV (fewer than two usable cores: no split) */
void lx_cores_place_app(struct hk_linux *lx, pid_t pid);

/* wake_page.c */
int lx_wake_page_create(struct hk_linux *lx);
void lx_wake_page_free(struct hk_linux *lx);
void lx_wake_attach(struct hk_linux *lx, struct lx_channel *ch); /* after create, before fork */

/* event_loop.c */
void lx_conn_init_ops(struct lx_conn *c);   /* the completions of an incarnation's requests */
void lx_loop_init_ops(struct hk_linux *lx); /* the signalfd's and stdin's */
void lx_arm_conn(struct hk_linux *lx, struct lx_conn *c);
void lx_shutdown_all(struct hk_linux *lx); /* kill and reap every app process */

/* trap.c */
void lx_dispatch(struct hk_linux *lx, struct hk_process *p, const struct hk_resume *res);
void lx_schedule(struct hk_linux *lx);                 /* hand the CPU out while nobody has it */
void lx_preempt_if_due(struct hk_linux *lx, uint64_t now);
void lx_handle_frame(struct hk_linux *lx, struct lx_conn *c, const void *buf, size_t len);
void lx_handle_exit(struct hk_linux *lx, struct lx_conn *c); /* its pidfd became readable */

/* ctlsock.c: send queued output before the loop sleeps */
void lx_ctlsock_flush(struct hk_linux *lx);

/* share.c: the platform's share ops, and the trap-channel side of share instructions */
int lx_op_share_create(void *ctx, uint64_t len, void **ret_handle);
int lx_op_share_map(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool writable);
void lx_op_share_unmap(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool ending);
void lx_op_share_destroy(void *ctx, void *handle);
void lx_share_conn_free(struct lx_share_conn *sc);
void lx_share_answer_sent(struct lx_conn *c);                  /* a RETURN/UPCALL/START went out */
bool lx_share_syscall_ok(struct hk_linux *lx, struct lx_conn *c); /* false: it skipped an instruction (faulted) */
void lx_share_done(struct hk_linux *lx, struct lx_conn *c, uint32_t seq, uint32_t status); /* SHARE_DONE frame */

/* report.c */
void lx_report(struct hk_linux *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "process ... faulted: cause" and, from the kernel's fault info, its pc and address lines. */
void lx_report_fault(struct hk_linux *lx, struct hk_process *p, hk_pid pid);
void lx_console_flush(struct hk_linux *lx, struct lx_app *app);
void lx_listener_notify(struct hk_process_listener *self, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                        enum hk_process_event event);

/* fault.c */
/* Once per process: "stopped after fault" for each that its policy left Faulted. */
void lx_check_stopped(struct hk_linux *lx);
/* A fault found by the backend (frame, death): the kernel keeps it whole and applies the policy; access -1: no
 * address. The host process of an incarnation that ended is killed. */
void lx_fault(struct hk_linux *lx, struct lx_app *app, const char *cause, uint64_t pc, uint64_t address,
              int access);

#endif
