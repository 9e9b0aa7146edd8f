/* The Linux backend: app processes over trap sockets, driven by one io_uring event loop. */
#ifndef TOCKHOST_LINUX_BACKEND_H
#define TOCKHOST_LINUX_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/kernel.h"
#include "loader/app_layout.h"

struct hk_linux;
struct tbf_info;
struct hk_cap_process_state;

/* How frames travel between app processes and the supervisor (hostkernel/linux/trap_channel.h). */
enum hk_linux_trap_channel {
	HK_LINUX_TRAP_AUTO = 0, /* the ring where the host kernel supports it, else the socketpair */
	HK_LINUX_TRAP_SOCKET,   /* AF_UNIX socketpair: one syscall per frame each way */
	HK_LINUX_TRAP_RING,     /* shared-memory ring with spin-then-futex wake-ups (Linux 6.7+) */
};

struct hk_linux_config {
	const char *tock_proc_path; /* the runner to exec for every app */
	uint32_t timeslice_ms;      /* 0 = 10 ms */
	bool virtual_time;          /* must match the kernel's config */
	bool color;                 /* color the [app] prefixes on stdout */
	bool quiet;                 /* no "loaded" messages */
	uint64_t run_for_ns;        /* stop cleanly after this long (real or virtual); 0 = no limit */
	enum hk_linux_trap_channel trap_channel;
};

/* Host input for the app chosen with --stdin-app: returns how many bytes were taken. */
struct hk_linux_stdin_sink {
	size_t (*receive)(void *ctx, const uint8_t *bytes, size_t len);
	void *ctx;
};

/* One app to load: its image (copied) and the parsed, checked TBF header (copied). */
struct hk_linux_app_spec {
	struct hk_process_desc desc; /* desc.backend and desc.header (the copied TBF header) are set by hk_linux_add_app */
	const uint8_t *image;
	size_t image_len;
	const struct tbf_info *info;
	struct ldr_layout_params params;
};

/* 0 or -errno (-EOPNOTSUPP: the ring was asked for and this host cannot run it). Blocks
 * SIGINT/SIGTERM for the signalfd; the loop is set up by hk_linux_run. */
int hk_linux_new(const struct hk_linux_config *cfg, struct hk_linux **ret);
/* "ring" or "socket": the transport chosen for this run. */
const char *hk_linux_trap_channel_name(const struct hk_linux *lx);
/* Ends and reaps every app process still alive and frees everything. Accepts NULL. */
void hk_linux_free(struct hk_linux *lx);

/* The platform ops to give hk_kernel_new (ctx = the struct hk_linux). */
const struct hk_platform_ops *hk_linux_platform_ops(void);
/* The kernel these ops serve; the capability lets the backend report kernel-detected faults. */
int hk_linux_attach_kernel(struct hk_linux *lx, struct hk_kernel *k, const struct hk_cap_process_state *cap);

/* Create the process in the kernel and spawn its first host process. 0 or -errno (*ret_why says why). */
int hk_linux_add_app(struct hk_linux *lx, const struct hk_linux_app_spec *spec, struct hk_process **ret,
                     const char **ret_why);

/* Console output of pid: printed line by line as `[name] line` on stdout. */
void hk_linux_console_write(struct hk_linux *lx, hk_pid pid, const uint8_t *bytes, size_t len);
/* Feed stdin to this sink (only one; without it stdin is not read). */
void hk_linux_set_stdin(struct hk_linux *lx, const struct hk_linux_stdin_sink *sink);

/* Run until every process is done, a signal, --run-for, or a panic. Returns the exit status:
 * 0 all apps exited 0 or a clean requested stop, 1 an app exited non-zero or was stopped after a
 * fault, 2 kernel panic. */
int hk_linux_run(struct hk_linux *lx);
/* End and reap every app process now (idempotent; hk_linux_run does it on its way out). */
void hk_linux_shutdown(struct hk_linux *lx);
/* Ask the loop to stop cleanly at its next turn (also what SIGINT/SIGTERM do). */
void hk_linux_request_stop(struct hk_linux *lx);

#endif
