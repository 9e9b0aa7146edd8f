/* Board setup: the kernel, its capabilities, the capsules under their driver numbers, apps, the event loop. */
#include "board/board.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "board/app_load.h"
#include "board/board_ipc.h"
#include "board/syscall_filter.h"
#include "capsules/alarm.h"
#include "capsules/console.h"
#include "capsules/rng.h"
#include "control/control.h"
#include "hostkernel/board_caps.h"
#include "hostkernel/kernel.h"
#include "hostkernel/linux/linux_backend.h"

struct board {
	const struct board_options *o;
	struct hk_linux *lx;
	struct hk_kernel *k;
	struct hk_kernel_caps caps;
	struct capsule_console *console;
	struct capsule_alarm *alarm;
	struct capsule_rng *rng;
	struct board_ipc *ipc;
	struct control_service *control;
	struct board_app_file *files;
	int n_files;
	int load_failures;
};

/* ---- capsule ports: the console and rng capsules reach the host only through these ---- */

static void console_write(void *ctx, hk_pid pid, const uint8_t *bytes, size_t len)
{
	struct board *b = ctx;

	hk_linux_console_write(b->lx, pid, bytes, len);
}

static bool console_input_allowed(void *ctx, hk_pid pid)
{
	struct board *b = ctx;
	struct hk_process *p = hk_process_lookup(b->k, pid);

	return p && b->o->stdin_app && !strcmp(hk_process_name(p), b->o->stdin_app);
}

static size_t stdin_receive(void *ctx, const uint8_t *bytes, size_t len)
{
	struct board *b = ctx;

	return capsule_console_receive(b->console, bytes, len);
}

static int rng_fill(void *ctx, uint8_t *buf, size_t len)
{
	size_t off = 0;

	(void)ctx;
	while (off < len) {
		ssize_t n = getrandom(buf + off, len - off, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return 0;
}

static int register_driver(struct board *b, const char *what, uint32_t num, const struct hk_driver_ops *ops,
                           void *self)
{
	int r;

	if (!self) {
		fprintf(stderr, "tockhost: cannot create the %s capsule: out of memory\n", what);
		return -ENOMEM;
	}
	r = hk_kernel_register_driver(b->k, num, ops, self);
	if (r < 0)
		fprintf(stderr, "tockhost: cannot register the %s capsule as driver 0x%x: %s\n", what, num, strerror(-r));
	return r;
}

/* Every capsule is created and registered here, under the board file's numbers. */
static int setup_capsules(struct board *b)
{
	const struct board_config *c = &b->o->config;
	int r;

	if (c->console.enabled) {
		struct capsule_console_port port = { console_write, console_input_allowed, b };

		b->console = capsule_console_new(b->k, c->console.number, &port);
		r = register_driver(b, "console", c->console.number, &capsule_console_ops, b->console);
		if (r < 0)
			return r;
	}
	if (c->alarm.enabled) {
		b->alarm = capsule_alarm_new(b->k, c->alarm.number, c->alarm_frequency_hz);
		r = register_driver(b, "alarm", c->alarm.number, &capsule_alarm_ops, b->alarm);
		if (r < 0)
			return r;
	}
	if (c->rng.enabled) {
		struct capsule_rng_source src = { rng_fill, NULL };

		b->rng = capsule_rng_new(b->k, c->rng.number, &src);
		r = register_driver(b, "rng", c->rng.number, &capsule_rng_ops, b->rng);
		if (r < 0)
			return r;
	}
	/* IPC capsules (registries, Relay Request, Relay Message); the privileged ones get b->caps. */
	return board_ipc_setup(b->k, &b->caps, c, &b->ipc);
}

static struct ldr_layout_params layout_params(const struct board_config *c, const struct tbf_info *info)
{
	uint64_t ram = info->minimum_ram_size > c->ram_size ? info->minimum_ram_size : c->ram_size;

	ram += c->ram_extra;
	ram = (ram + 4095) & ~4095ull;
	return (struct ldr_layout_params){
		.ram_size = ram > UINT32_MAX ? UINT32_MAX & ~4095u : (uint32_t)ram,
		.stack_size = c->stack_size,
		.grant_size = c->grant_size,
	};
}

static void load_apps(struct board *b)
{
	char err[256];
	const char *why;

	for (int i = 0; i < b->o->n_app_paths; i++) {
		const char *path = b->o->app_paths[i];
		struct board_app_file *f = &b->files[i];

		if (board_app_file_load(path, f, err, sizeof(err)) < 0) {
			fprintf(stderr, "tockhost: %s: %s\n", path, err);
			b->load_failures++;
			continue;
		}
		for (size_t j = 0; j < f->n_apps; j++) {
			const struct board_app_image *a = &f->apps[j];
			struct hk_linux_app_spec spec = {
				.desc = { .name = a->name, .package_name = a->info.package_name,
				          .short_id = a->info.short_id, .fault_policy = b->o->config.fault_policy },
				.image = a->image,
				.image_len = a->len,
				.info = &a->info,
				.params = layout_params(&b->o->config, &a->info),
			};
			int r = hk_linux_add_app(b->lx, &spec, NULL, &why);

			if (r < 0) {
				fprintf(stderr, "tockhost: %s: cannot load '%s': %s\n", path, a->name, why ? why : strerror(-r));
				b->load_failures++;
			}
		}
		/* The backend copied what it needs. */
		board_app_file_release(f);
	}
}

static int check_stdin_app(struct board *b)
{
	size_t n = hk_process_count(b->k);

	if (!b->o->stdin_app)
		return 0;
	if (!b->console) {
		fprintf(stderr, "tockhost: --stdin-app needs the console driver, which the board turned off\n");
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hk_process_name(hk_process_at(b->k, i)), b->o->stdin_app)) {
			struct hk_linux_stdin_sink sink = { stdin_receive, b };

			hk_linux_set_stdin(b->lx, &sink);
			return 0;
		}
	fprintf(stderr, "tockhost: --stdin-app: no loaded app is named '%s'\n", b->o->stdin_app);
	return -ENOENT;
}

static int setup(struct board *b)
{
	const struct board_config *c = &b->o->config;
	struct hk_linux_config lcfg = {
		.tock_proc_path = b->o->tock_proc_path,
		.timeslice_ms = c->timeslice_ms ? c->timeslice_ms
		                                : c->virtual_time ? BOARD_DEFAULT_VIRTUAL_TIMESLICE_MS
		                                                  : BOARD_DEFAULT_TIMESLICE_MS,
		.virtual_time = c->virtual_time,
		.color = b->o->color,
		.quiet = b->o->quiet,
		.run_for_ns = b->o->run_for_ns,
		.trap_channel = c->trap_channel,
	};
	struct hk_kernel_config kcfg = { .upcall_queue_depth = c->upcall_queue_depth, .virtual_time = c->virtual_time,
	                                 .mpu_model = c->mpu_model, .mpu_regions = c->mpu_regions };
	int r;

	r = hk_linux_new(&lcfg, &b->lx);
	if (r == -EOPNOTSUPP) {
		fprintf(stderr, "tockhost: trap_channel = ring needs io_uring futex waits (Linux 6.7 or later), which "
		                "this host lacks; use trap_channel = socket or auto\n");
		return r;
	}
	if (r < 0) {
		fprintf(stderr, "tockhost: cannot set up the Linux backend: %s\n", strerror(-r));
		return r;
	}
	b->k = hk_kernel_new(&kcfg, hk_linux_platform_ops(), b->lx);
	if (!b->k) {
		fprintf(stderr, "tockhost: cannot create the kernel: out of memory\n");
		return -ENOMEM;
	}
	hk_kernel_mint_caps(b->k, &b->caps);
	hk_kernel_set_syscall_filter(b->k, &board_tbf_syscall_filter);
	r = hk_linux_attach_kernel(b->lx, b->k, b->caps.process_state);
	if (r < 0) {
		fprintf(stderr, "tockhost: cannot attach the backend to the kernel: %s\n", strerror(-r));
		return r;
	}
	return setup_capsules(b);
}

/* The control socket for ipcctl. Only an explicitly requested socket is essential to the run. */
static int start_control(struct board *b)
{
	struct control_setup setup = { .virtual_time = b->o->config.virtual_time };
	const char *why = NULL;
	int r;

	if (b->o->no_control_socket)
		return 0;
	board_ipc_for_control(b->ipc, &setup.ipc);
	r = control_service_new(b->lx, b->k, &setup, b->o->control_socket, &b->control, &why);
	if (r < 0) {
		fprintf(stderr, "tockhost: %s control socket %s: %s (%s)\n", b->o->control_socket ? "cannot open the" :
		        "warning: running without a", b->o->control_socket ? b->o->control_socket : "", why,
		        strerror(-r));
		return b->o->control_socket ? r : 0;
	}
	if (!b->o->quiet)
		fprintf(stderr, "tockhost: control socket %s\n", control_service_path(b->control));
	return 0;
}

static void teardown(struct board *b)
{
	/* App processes first (they reference kernel state), then capsules (the alarm cancels its timer), kernel, backend. */
	control_service_free(b->control); /* its tracer and clients go before what they look at */
	if (b->lx)
		hk_linux_shutdown(b->lx);
	capsule_alarm_free(b->alarm);
	capsule_console_free(b->console);
	capsule_rng_free(b->rng);
	hk_kernel_free(b->k);
	board_ipc_free(b->ipc); /* after the kernel: their process listeners live until then */
	hk_linux_free(b->lx);
	for (int i = 0; i < b->n_files; i++)
		board_app_file_release(&b->files[i]);
	free(b->files);
}

int board_run(const struct board_options *o)
{
	struct board b = { .o = o };
	int status = 1;

	b.files = calloc(o->n_app_paths > 0 ? (size_t)o->n_app_paths : 1, sizeof(*b.files));
	b.n_files = o->n_app_paths;
	if (!b.files) {
		fprintf(stderr, "tockhost: out of memory\n");
		return 1;
	}
	if (setup(&b) < 0)
		goto out;
	load_apps(&b);
	if (hk_process_count(b.k) == 0) {
		fprintf(stderr, "tockhost: no app to run\n");
		goto out;
	}
	if (check_stdin_app(&b) < 0 || start_control(&b) < 0)
		goto out;
	status = hk_linux_run(b.lx);
	if (status == 0 && b.load_failures)
		status = 1;
out:
	teardown(&b);
	return status;
}
