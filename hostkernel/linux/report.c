/* What the supervisor prints: app console lines on stdout, lifecycle and fault reports on stderr. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hostkernel/kernel_ext.h"
#include "hostkernel/linux/backend_internal.h"
#include "hostkernel/transport/trap_codec.h"

void lx_report(struct hk_linux *lx, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	(void)lx;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fflush(stdout); /* keep app output and reports in the order they happened */
	fprintf(stderr, "tockhost: %s\n", line);
	fflush(stderr);
}

void lx_report_fault(struct hk_linux *lx, struct hk_process *p, hk_pid pid)
{
	struct hk_fault_info f = { .cause = "fault" };

	if (p)
		(void)hk_process_fault_info(p, &f);
	lx_report(lx, "process '%s' (ProcessId %" PRIu32 ") faulted: %s", p ? hk_process_name(p) : "?", pid, f.cause);
	if (f.pc)
		lx_report(lx, "  pc 0x%" PRIx64, f.pc);
	if (f.has_address)
		lx_report(lx, "  address 0x%" PRIx64 " (%s)", f.address, hk_trap_access_name(f.access));
}

void lx_listener_notify(struct hk_process_listener *self, struct hk_kernel *k, hk_pid pid, hk_pid new_pid,
                        enum hk_process_event event)
{
	struct hk_linux *lx = (struct hk_linux *)((char *)self - offsetof(struct hk_linux, listener));
	struct hk_process *p = hk_process_lookup(k, pid);

	/* A partial console line belongs before the report that ends its process. */
	if (p && hk_process_backend(p) && event != HK_EVENT_STARTED)
		lx_console_flush(lx, hk_process_backend(p));
	switch (event) {
	case HK_EVENT_FAULTED:
		lx_report_fault(lx, hk_process_lookup(k, pid), pid);
		return;
	case HK_EVENT_RESTARTED:
		p = hk_process_lookup(k, new_pid);
		if (p)
			lx_report(lx, "process '%s' restarted as ProcessId %" PRIu32 " (restart %" PRIu32 ")",
			          hk_process_name(p), new_pid, hk_process_restart_count(p));
		return;
	case HK_EVENT_TERMINATED:
		p = hk_process_lookup(k, pid);
		if (p && hk_process_has_completion_code(p))
			lx_report(lx, "process '%s' (ProcessId %" PRIu32 ") exited with code %" PRId32, hk_process_name(p),
			          pid, (int32_t)hk_process_completion_code(p));
		return;
	case HK_EVENT_STARTED:
	default:
		return;
	}
}

/* ---- console output: `[name] line` on stdout ---- */

static const char *const colors[] = { "\033[36m", "\033[33m", "\033[35m", "\033[32m", "\033[34m", "\033[31m" };

static void emit_line(struct hk_linux *lx, struct lx_app *app)
{
	if (lx->cfg.color)
		fprintf(stdout, "%s[%s]\033[0m %.*s\n", colors[app->color % 6], app->name, (int)app->line_len, app->line);
	else
		fprintf(stdout, "[%s] %.*s\n", app->name, (int)app->line_len, app->line);
	fflush(stdout);
	app->line_len = 0;
}

void lx_console_flush(struct hk_linux *lx, struct lx_app *app)
{
	if (app->line_len)
		emit_line(lx, app);
}

void hk_linux_console_write(struct hk_linux *lx, hk_pid pid, const uint8_t *bytes, size_t len)
{
	struct hk_process *p = hk_process_lookup(lx->k, pid);
	struct lx_app *app = p ? hk_process_backend(p) : NULL;

	if (!app)
		return;
	for (size_t i = 0; i < len; i++) {
		uint8_t b = bytes[i];

		if (b == '\n') {
			emit_line(lx, app);
			continue;
		}
		if (b == '\r')
			continue;
		/* An app must not drive the terminal: control bytes are shown, not obeyed. */
		if ((b < 0x20 && b != '\t') || b == 0x7f)
			b = '?';
		if (app->line_len == sizeof(app->line))
			emit_line(lx, app);
		app->line[app->line_len++] = (char)b;
	}
}
