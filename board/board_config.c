/* The board file: defaults, one table of known keys, strict value parsing, line-exact errors via inih. */
#include "board/board_config.h"

#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostkernel/mpu_model.h"
#include "tock/drivers/alarm.h"
#include "tock/drivers/console.h"
#include "tock/drivers/ipc_registry.h"
#include "tock/drivers/ipc_relay_message.h"
#include "tock/drivers/ipc_relay_request.h"
#include "tock/drivers/ipc_share.h"
#include "tock/drivers/rng.h"

void board_config_defaults(struct board_config *ret)
{
	*ret = (struct board_config){
		.fault_policy = { .kind = HK_FAULT_RESTART_UP_TO, .max_restarts = BOARD_DEFAULT_FAULT_RESTARTS },
		.upcall_queue_depth = BOARD_DEFAULT_UPCALL_QUEUE_DEPTH,
		.virtual_time = false,
		.timeslice_ms = 0,
		.alarm_frequency_hz = BOARD_DEFAULT_ALARM_HZ,
		.ram_size = BOARD_DEFAULT_RAM_SIZE,
		.ram_extra = 0,
		.stack_size = BOARD_DEFAULT_STACK_SIZE,
		.grant_size = BOARD_DEFAULT_GRANT_SIZE,
		.console = { true, TOCK_DRIVER_CONSOLE },
		.alarm = { true, TOCK_DRIVER_ALARM },
		.rng = { true, TOCK_DRIVER_RNG },
		.ipc_registry_string_name = { true, TOCK_DRIVER_IPC_REGISTRY_STRING_NAME },
		.ipc_registry_package_name = { true, TOCK_DRIVER_IPC_REGISTRY_PACKAGE_NAME },
		.ipc_relay_request = { true, TOCK_DRIVER_IPC_RELAY_REQUEST },
		.ipc_relay_message = { true, TOCK_DRIVER_IPC_RELAY_MESSAGE },
		.ipc_share = { true, TOCK_DRIVER_IPC_SHARE },
		.mpu_model = HK_MPU_CORTEX_M,
	};
}

__attribute__((format(printf, 2, 3))) static int set_error(struct board_config_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A whole-string unsigned number: decimal or 0x hex, optional K/M suffix (x1024) when `sizes`. */
static int parse_u64(const char *s, bool sizes, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	if (sizes && (*end == 'K' || *end == 'k' || *end == 'M' || *end == 'm')) {
		unsigned long long mul = (*end == 'K' || *end == 'k') ? 1024ull : 1024ull * 1024ull;
		if (v > UINT64_MAX / mul)
			return -EINVAL;
		v *= mul;
		end++;
	}
	if (*end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int board_parse_fault_policy(const char *s, struct hk_fault_policy *ret)
{
	uint64_t n;

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "panic")) {
		*ret = (struct hk_fault_policy){ HK_FAULT_PANIC, 0 };
	} else if (!strcmp(s, "stop")) {
		*ret = (struct hk_fault_policy){ HK_FAULT_STOP, 0 };
	} else if (!strcmp(s, "restart")) {
		*ret = (struct hk_fault_policy){ HK_FAULT_RESTART, 0 };
	} else if (!strncmp(s, "restart:", 8)) {
		if (parse_u64(s + 8, false, &n) < 0 || n > 1000000)
			return -EINVAL;
		*ret = (struct hk_fault_policy){ HK_FAULT_RESTART_UP_TO, (uint32_t)n };
	} else {
		return -EINVAL;
	}
	return 0;
}

int board_parse_trap_channel(const char *s, enum hk_linux_trap_channel *ret)
{
	static const struct {
		const char *name;
		enum hk_linux_trap_channel kind;
	} names[] = { { "auto", HK_LINUX_TRAP_AUTO }, { "socket", HK_LINUX_TRAP_SOCKET }, { "ring", HK_LINUX_TRAP_RING } };

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name)) {
			*ret = names[i].kind;
			return 0;
		}
	return -EINVAL;
}

const char *board_fault_policy_str(const struct hk_fault_policy *p, char *buf, size_t len)
{
	switch (p->kind) {
	case HK_FAULT_PANIC: snprintf(buf, len, "panic"); break;
	case HK_FAULT_STOP: snprintf(buf, len, "stop"); break;
	case HK_FAULT_RESTART: snprintf(buf, len, "restart"); break;
	case HK_FAULT_RESTART_UP_TO: snprintf(buf, len, "restart:%" PRIu32, p->max_restarts); break;
	default: snprintf(buf, len, "?"); break;
	}
	return buf;
}

enum key_kind { KEY_U32, KEY_SIZE, KEY_POLICY, KEY_TIME, KEY_DRIVER, KEY_MPU, KEY_TRAP_CHANNEL };

struct key_def {
	const char *section, *key;
	enum key_kind kind;
	uint64_t min, max;
	size_t offset; /* into struct board_config */
};

#define CFG_OFF(field) offsetof(struct board_config, field)

/* Every key the board file knows; adding a capsule means adding its [drivers] line here. */
static const struct key_def keys[] = {
	{ "kernel", "fault_policy", KEY_POLICY, 0, 0, CFG_OFF(fault_policy) },
	{ "kernel", "upcall_queue_depth", KEY_U32, 1, 1024, CFG_OFF(upcall_queue_depth) },
	{ "kernel", "time", KEY_TIME, 0, 0, CFG_OFF(virtual_time) },
	{ "kernel", "timeslice_ms", KEY_U32, 1, 60000, CFG_OFF(timeslice_ms) },
	{ "kernel", "alarm_frequency_hz", KEY_U32, 1, 1000000000, CFG_OFF(alarm_frequency_hz) },
	{ "kernel", "mpu", KEY_MPU, 0, 0, CFG_OFF(mpu_model) },
	{ "kernel", "trap_channel", KEY_TRAP_CHANNEL, 0, 0, CFG_OFF(trap_channel) },
	{ "kernel", "mpu_regions", KEY_U32, HK_MPU_FIXED_REGIONS + 1, HK_MPU_MAX_REGIONS, CFG_OFF(mpu_regions) },
	{ "memory", "ram_size", KEY_SIZE, 4096, 256u << 20, CFG_OFF(ram_size) },
	{ "memory", "ram_extra", KEY_SIZE, 0, 256u << 20, CFG_OFF(ram_extra) },
	{ "memory", "stack_size", KEY_SIZE, 4096, 16u << 20, CFG_OFF(stack_size) },
	{ "memory", "grant_size", KEY_SIZE, 4096, 16u << 20, CFG_OFF(grant_size) },
	{ "drivers", "console", KEY_DRIVER, 0, UINT32_MAX, CFG_OFF(console) },
	{ "drivers", "alarm", KEY_DRIVER, 0, UINT32_MAX, CFG_OFF(alarm) },
	{ "drivers", "rng", KEY_DRIVER, 0, UINT32_MAX, CFG_OFF(rng) },
	{ "drivers", "ipc_registry_string_name", KEY_DRIVER, 0, UINT32_MAX, CFG_OFF(ipc_registry_string_name) },
	{ "drivers", "ipc_registry_package_name", KEY_DRIVER, 0, UINT32_MAX, CFG_OFF(ipc_registry_package_name) },
	{ "drivers", "ipc_relay_request", KEY_DRIVER, 0, UINT32_MAX, CFG_OFF(ipc_relay_request) },
	{ "drivers", "ipc_relay_message", KEY_DRIVER, 0, UINT32_MAX, CFG_OFF(ipc_relay_message) },
	{ "drivers", "ipc_share", KEY_DRIVER, 0, UINT32_MAX, CFG_OFF(ipc_share) },
};

/* [ipc_names] NAME = PACKAGE: reserve a string-registry name for one package. */
static int reserve_name(struct board_config *c, const char *name, const char *package, struct board_config_error *err)
{
	size_t len = strlen(name);

	if (len == 0 || len > 20)
		return set_error(err, "bad name '%s' in [ipc_names]: a string-registry name has 1 to 20 bytes", name);
	if (!package || !*package || strlen(package) > 255)
		return set_error(err, "bad value for '%s' in [ipc_names]: expected the TBF package name (1 to 255 bytes)",
		                 name);
	for (unsigned i = 0; i < c->n_reserved_names; i++)
		if (!strcmp(c->reserved_names[i].name, name))
			return set_error(err, "name '%s' is reserved twice in [ipc_names]", name);
	if (c->n_reserved_names == BOARD_MAX_RESERVED_NAMES)
		return set_error(err, "too many names in [ipc_names] (at most %u)", BOARD_MAX_RESERVED_NAMES);
	memcpy(c->reserved_names[c->n_reserved_names].name, name, len + 1);
	strcpy(c->reserved_names[c->n_reserved_names].package, package);
	c->n_reserved_names++;
	return 0;
}

bool board_config_known_section(const char *name)
{
	if (!strcmp(name, "ipc_names"))
		return true;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].section, name))
			return true;
	return false;
}

static int set_value(struct board_config *c, const struct key_def *d, const char *value,
                     struct board_config_error *err)
{
	void *field = (char *)c + d->offset;
	uint64_t v;

	switch (d->kind) {
	case KEY_POLICY:
		if (board_parse_fault_policy(value, field) < 0)
			return set_error(err, "bad value '%s' for key '%s' in [%s]: expected panic, stop, restart or restart:N",
			                 value, d->key, d->section);
		return 0;
	case KEY_MPU:
		if (!hk_mpu_model_find(value))
			return set_error(err, "bad value '%s' for key '%s' in [%s]: expected cortex-m, pmp or host", value,
			                 d->key, d->section);
		*(uint32_t *)field = (uint32_t)hk_mpu_model_find(value)->kind;
		return 0;
	case KEY_TRAP_CHANNEL:
		if (board_parse_trap_channel(value, field) < 0)
			return set_error(err, "bad value '%s' for key '%s' in [%s]: expected ring, socket or auto", value,
			                 d->key, d->section);
		return 0;
	case KEY_TIME:
		if (strcmp(value, "real") && strcmp(value, "virtual"))
			return set_error(err, "bad value '%s' for key '%s' in [%s]: expected real or virtual", value,
			                 d->key, d->section);
		*(bool *)field = !strcmp(value, "virtual");
		return 0;
	case KEY_DRIVER:
		if (!strcmp(value, "off")) {
			((struct board_driver_setting *)field)->enabled = false;
			return 0;
		}
		if (parse_u64(value, false, &v) < 0 || v > d->max)
			return set_error(err, "bad value '%s' for key '%s' in [%s]: expected a driver number or off", value,
			                 d->key, d->section);
		*(struct board_driver_setting *)field = (struct board_driver_setting){ true, (uint32_t)v };
		return 0;
	case KEY_U32:
	case KEY_SIZE:
		if (parse_u64(value, d->kind == KEY_SIZE, &v) < 0 || v < d->min || v > d->max)
			return set_error(err, "bad value '%s' for key '%s' in [%s]: expected %s from %" PRIu64 " to %" PRIu64,
			                 value, d->key, d->section, d->kind == KEY_SIZE ? "a size" : "an integer", d->min,
			                 d->max);
		*(uint32_t *)field = (uint32_t)v;
		return 0;
	}
	return set_error(err, "internal error");
}

int board_config_set(struct board_config *c, const char *section, const char *key, const char *value,
                     struct board_config_error *ret_err)
{
	if (!section || !*section)
		return set_error(ret_err, "key '%s' outside a section", key);
	if (!board_config_known_section(section))
		return set_error(ret_err, "unknown section [%s]", section);
	if (!strcmp(section, "ipc_names"))
		return reserve_name(c, key, value, ret_err);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key))
			return set_value(c, &keys[i], value ? value : "", ret_err);
	return set_error(ret_err, "unknown key '%s' in [%s]", key, section);
}

/* inih gives no line numbers to the handler, so the reader counts lines and checks section headers. */
struct parse_ctx {
	struct board_config *config;
	FILE *file;
	unsigned line;
	bool failed;
	struct board_config_error err;
};

static bool check_section_line(struct parse_ctx *ctx, const char *text)
{
	const char *s = text + strspn(text, " \t");
	const char *close;
	char name[64];
	size_t n;

	if (*s != '[')
		return true;
	close = strchr(s, ']');
	if (!close)
		return true; /* inih reports the syntax error */
	n = (size_t)(close - s - 1);
	if (n >= sizeof(name)) {
		set_error(&ctx->err, "unknown section [%.*s]", (int)n, s + 1);
		return false;
	}
	memcpy(name, s + 1, n);
	name[n] = '\0';
	if (!board_config_known_section(name)) {
		set_error(&ctx->err, "unknown section [%s]", name);
		return false;
	}
	return true;
}

/* Reads one line into inih's buffer with fgets, so a line never grows past it (a board file
 * of /dev/zero must fail, not eat memory). */
static char *reader(char *str, int num, void *stream)
{
	struct parse_ctx *ctx = stream;
	size_t n;

	if (ctx->failed)
		return NULL; /* stop at the first error: its line is the one reported */
	if (!fgets(str, num, ctx->file))
		return NULL;
	ctx->line++;
	n = strlen(str);
	if (n + 1 == (size_t)num && str[n - 1] != '\n' && !feof(ctx->file)) {
		ctx->failed = true;
		ctx->err.line = ctx->line;
		set_error(&ctx->err, "line too long (at most %d characters)", num - 3);
		return NULL;
	}
	if (!check_section_line(ctx, str)) {
		ctx->failed = true;
		ctx->err.line = ctx->line;
		return NULL;
	}
	return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *ctx = user;

	if (ctx->failed)
		return 1;
	if (board_config_set(ctx->config, section, name, value, &ctx->err) < 0) {
		ctx->failed = true;
		ctx->err.line = ctx->line;
		return 0;
	}
	return 1;
}

int board_config_parse_stream(struct board_config *c, void *file, struct board_config_error *ret_err)
{
	struct parse_ctx ctx = { .config = c, .file = file };
	int r;

	r = ini_parse_stream(reader, &ctx, handler, &ctx);
	if (r == 0 && !ctx.failed && ferror((FILE *)file))
		r = -1; /* a read error is not the end of the file */
	if (r == 0 && !ctx.failed)
		return 0;
	if (r > 0 && (!ctx.failed || (unsigned)r < ctx.err.line)) {
		/* inih found a line it could not read before any error of ours */
		ctx.err.line = (unsigned)r;
		set_error(&ctx.err, "syntax error (expected [section] or key = value)");
	} else if (r < 0 && !ctx.failed) {
		ctx.err.line = 0;
		set_error(&ctx.err, "cannot read the board file");
		if (ret_err)
			*ret_err = ctx.err;
		return -EIO;
	}
	if (ret_err)
		*ret_err = ctx.err;
	return -EINVAL;
}

/* Only a regular file: a directory, a FIFO or /dev/zero is refused up front. 0 or -errno. */
static int open_board_file(const char *path, FILE **ret, const char **ret_why)
{
	struct stat st;
	FILE *f = fopen(path, "re");

	*ret_why = NULL;
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		int r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;

		*ret_why = r == -EINVAL ? "not a regular file" : NULL;
		fclose(f);
		return r;
	}
	*ret = f;
	return 0;
}

int board_config_parse_file(struct board_config *c, const char *path, struct board_config_error *ret_err)
{
	const char *why;
	FILE *f = NULL;
	int r = open_board_file(path, &f, &why);

	if (r < 0) {
		if (ret_err) {
			ret_err->line = 0;
			snprintf(ret_err->message, sizeof(ret_err->message), "%s", why ? why : strerror(-r));
		}
		return r;
	}
	r = board_config_parse_stream(c, f, ret_err);
	fclose(f);
	return r;
}

int board_config_check(const struct board_config *c, struct board_config_error *ret_err)
{
	const struct {
		const char *name;
		const struct board_driver_setting *s;
	} d[] = {
		{ "console", &c->console },
		{ "alarm", &c->alarm },
		{ "rng", &c->rng },
		{ "ipc_registry_string_name", &c->ipc_registry_string_name },
		{ "ipc_registry_package_name", &c->ipc_registry_package_name },
		{ "ipc_relay_request", &c->ipc_relay_request },
		{ "ipc_relay_message", &c->ipc_relay_message },
		{ "ipc_share", &c->ipc_share },
	};

	if (ret_err)
		ret_err->line = 0;
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		for (size_t j = i + 1; j < sizeof(d) / sizeof(d[0]); j++)
			if (d[i].s->enabled && d[j].s->enabled && d[i].s->number == d[j].s->number)
				return set_error(ret_err, "drivers %s and %s both use number 0x%" PRIx32, d[i].name,
				                 d[j].name, d[i].s->number);
	return 0;
}
