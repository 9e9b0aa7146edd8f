/* Linux backend lifecycle: setup and teardown, the platform ops the core calls, loading apps. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "basic/array.h"
#include "hostkernel/linux/backend_internal.h"

static uint64_t op_now_ns(void *ctx)
{
	(void)ctx;
	return basic_mono_ns();
}

static void op_process_kill(void *ctx, struct hk_process *p)
{
	struct lx_app *app = hk_process_backend(p);

	if (app && app->conn)
		lx_conn_kill(ctx, app->conn);
}

static int op_process_spawn(void *ctx, struct hk_process *p)
{
	struct hk_linux *lx = ctx;
	struct lx_app *app = hk_process_backend(p);
	struct lx_conn *c;
	const char *why;
	int r;

	if (!app)
		return -EINVAL;
	if (app->conn)
		lx_conn_kill(lx, app->conn);
	r = lx_conn_spawn(lx, app, &c, &why);
	if (r < 0)
		lx_report(lx, "cannot restart '%s': %s: %s", app->name, why, strerror(-r));
	return r;
}

static void op_panic(void *ctx, struct hk_process *p, const char *why)
{
	struct hk_linux *lx = ctx;

	(void)why; /* the kernel keeps p's whole fault; the report reads it */
	if (p)
		lx_report_fault(lx, p, hk_process_pid(p));
	lx_report(lx, "kernel panic: process '%s' faulted under fault policy panic", p ? hk_process_name(p) : "?");
	lx->panicked = true;
}

static const struct hk_platform_ops linux_ops = {
	.now_ns = op_now_ns,
	.process_kill = op_process_kill,
	.process_spawn = op_process_spawn,
	.panic = op_panic,
	.share_create = lx_op_share_create,
	.share_map = lx_op_share_map,
	.share_unmap = lx_op_share_unmap,
	.share_destroy = lx_op_share_destroy,
};

const struct hk_platform_ops *hk_linux_platform_ops(void)
{
	return &linux_ops;
}

static int setup_signals(struct hk_linux *lx)
{
	sigset_t mask;

	signal(SIGPIPE, SIG_IGN); /* a vanished app must not kill the supervisor; sends also use MSG_NOSIGNAL */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD); /* only consulted when the kernel (or valgrind) has no pidfds */
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	lx->signal_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	return lx->signal_fd < 0 ? -errno : 0;
}

/* The most the loop spins for the running app's next frame: about one sleeping hand-off's cost. */
#define LX_SPIN_MAX_NS 50000ull

/* Ring where possible (or asked for), else the socketpair; -EOPNOTSUPP when the ring was asked for and cannot run. */
static int choose_trap_channel(struct hk_linux *lx)
{
	bool ring_ok = lx->cfg.trap_channel != HK_LINUX_TRAP_SOCKET && lx_channel_ring_supported(&lx->ring);

	if (lx->cfg.trap_channel == HK_LINUX_TRAP_RING && !ring_ok)
		return -EOPNOTSUPP;
	lx->chan_ops = ring_ok ? &lx_channel_ring : &lx_channel_socketpair;
	/* Spinning only pays while a second core runs the app meanwhile (cores.c). */
	lx->spin_max_ns = ring_ok && lx_cores_split(lx) == 0 ? LX_SPIN_MAX_NS : 0;
	/* Hand-offs between apps need both: a ring, and the apps together on their own cores. */
	if (lx->spin_max_ns)
		(void)lx_wake_page_create(lx); /* without it the supervisor wakes every app itself */
	lx->spin_ns = lx->spin_max_ns;
	return 0;
}

const char *hk_linux_trap_channel_name(const struct hk_linux *lx)
{
	return lx->chan_ops == &lx_channel_ring ? "ring" : "socket";
}

int hk_linux_new(const struct hk_linux_config *cfg, struct hk_linux **ret)
{
	struct hk_linux *lx;
	int r;

	if (!cfg || !cfg->tock_proc_path || !ret)
		return -EINVAL;
	lx = calloc(1, sizeof(*lx));
	if (!lx)
		return -ENOMEM;
	lx->cfg = *cfg;
	if (!lx->cfg.timeslice_ms)
		lx->cfg.timeslice_ms = 10;
	lx->signal_fd = -1;
	lx->wake_fd = -1;
	lx_loop_init_ops(lx);
	r = io_uring_queue_init(256, &lx->ring, 0);
	if (r < 0) {
		free(lx);
		return r;
	}
	lx->ring_ready = true;
	r = choose_trap_channel(lx);
	if (r == 0)
		r = setup_signals(lx);
	if (r < 0) {
		hk_linux_free(lx);
		return r;
	}
	*ret = lx;
	return 0;
}

void hk_linux_free(struct hk_linux *lx)
{
	sigset_t mask;

	if (!lx)
		return;
	lx_shutdown_all(lx);
	if (lx->ring_ready)
		io_uring_queue_exit(&lx->ring); /* cancels what is still in flight */
	lx->ring_ready = false;
	while (lx->dead) {
		struct lx_conn *c = lx->dead;

		lx->dead = c->next_dead;
		lx_conn_free(c);
	}
	for (size_t i = 0; i < lx->n_apps; i++) {
		free(lx->apps[i]->name);
		free(lx->apps[i]->image);
		free(lx->apps[i]);
	}
	free(lx->apps);
	lx_wake_page_free(lx);
	if (lx->signal_fd >= 0) {
		close(lx->signal_fd);
		sigemptyset(&mask);
		sigaddset(&mask, SIGINT);
		sigaddset(&mask, SIGTERM);
		sigaddset(&mask, SIGCHLD);
		sigprocmask(SIG_UNBLOCK, &mask, NULL);
	}
	free(lx);
}

int hk_linux_attach_kernel(struct hk_linux *lx, struct hk_kernel *k, const struct hk_cap_process_state *cap)
{
	if (!lx || !k)
		return -EINVAL;
	lx->k = k;
	lx->listener.notify = lx_listener_notify;
	return hk_process_listener_register(k, cap, &lx->listener);
}

void hk_linux_set_stdin(struct hk_linux *lx, const struct hk_linux_stdin_sink *sink)
{
	lx->stdin_enabled = sink && sink->receive;
	if (lx->stdin_enabled)
		lx->stdin_sink = *sink;
}

void hk_linux_request_stop(struct hk_linux *lx)
{
	lx->stop_requested = true;
}

static struct lx_app *app_new(struct hk_linux *lx, const struct hk_linux_app_spec *spec, const char **ret_why)
{
	struct lx_app *app;
	int r;

	*ret_why = "out of memory";
	if (!basic_array_reserve((void **)&lx->apps, &lx->cap_apps, lx->n_apps, sizeof(*lx->apps)))
		return NULL;
	app = calloc(1, sizeof(*app));
	if (!app)
		return NULL;
	app->lx = lx;
	app->name = strdup(spec->desc.name ? spec->desc.name : "app");
	app->image = malloc(spec->image_len ? spec->image_len : 1);
	if (!app->name || !app->image)
		goto fail;
	memcpy(app->image, spec->image, spec->image_len);
	app->image_len = spec->image_len;
	app->info = *spec->info;
	app->params = spec->params;
	r = ldr_layout_compute(app->image, app->image_len, &app->info, &app->params, &app->layout, ret_why);
	if (r < 0)
		goto fail;
	return app;
fail:
	free(app->name);
	free(app->image);
	free(app);
	return NULL;
}

int hk_linux_add_app(struct hk_linux *lx, const struct hk_linux_app_spec *spec, struct hk_process **ret,
                     const char **ret_why)
{
	struct hk_process_desc desc;
	struct lx_app *app;
	struct lx_conn *c;
	char cause[160];
	int r;

	if (!lx || !lx->k || !spec || !spec->info || !spec->image)
		return -EINVAL;
	app = app_new(lx, spec, ret_why);
	if (!app)
		return -EINVAL;
	desc = spec->desc;
	desc.backend = app;
	desc.header = &app->info; /* the board's syscall filter reads its Permissions */
	app->p = hk_process_create(lx->k, &desc);
	if (!app->p) {
		*ret_why = "out of memory";
		free(app->name);
		free(app->image);
		free(app);
		return -ENOMEM;
	}
	app->color = (unsigned)lx->n_apps;
	lx->apps[lx->n_apps++] = app;
	r = lx_conn_spawn(lx, app, &c, ret_why);
	if (r < 0) {
		/* The kernel already holds the process; its fault policy decides what happens next. */
		snprintf(cause, sizeof(cause), "cannot start its host process: %s", *ret_why);
		lx_fault(lx, app, cause, 0, 0, -1);
		return r;
	}
	if (!lx->cfg.quiet)
		lx_report(lx, "loaded '%s' as ProcessId %" PRIu32 " (flash 0x%" PRIx64 "-0x%" PRIx64 ", RAM 0x%" PRIx64
		              "-0x%" PRIx64 ")",
		          app->name, hk_process_pid(app->p), app->layout.flash_start,
		          app->layout.flash_start + app->layout.flash_size, app->layout.ram_start, app->layout.ram_end);
	if (ret)
		*ret = app->p;
	return 0;
}
