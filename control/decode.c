/* Trace decoding: syscall arguments and results; each driver's calls named and unpacked from its ABI description. */
#include <stdio.h>
#include <string.h>

#include "control/internal.h"

/* The registered driver's ABI description (hk_driver_ops.abi), or NULL: unknown number, or none given. */
static const struct tock_driver_abi *driver_abi(struct control_service *cs, uint64_t driver)
{
	const struct hk_driver_ops *ops = driver <= UINT32_MAX ? hk_kernel_driver(cs->k, (uint32_t)driver, NULL) : NULL;

	return ops ? ops->abi : NULL;
}

static const struct tock_abi_call *abi_find(const struct tock_abi_call *calls, size_t n, uint64_t number)
{
	for (size_t i = 0; i < n; i++)
		if (calls[i].number == number)
			return &calls[i];
	return NULL;
}

static const struct tock_abi_call *abi_command(const struct tock_driver_abi *abi, uint64_t cmd)
{
	return abi ? abi_find(abi->commands, abi->n_commands, cmd) : NULL;
}

static uint64_t u64_of(uint64_t lo, uint64_t hi)
{
	return ((hi & 0xffffffffull) << 32) | (lo & 0xffffffffull);
}

/* Command 0 is every driver's existence check, described or not. */
static const char *command_name(const struct tock_abi_call *c, uint64_t cmd)
{
	return c ? c->name : cmd == 0 ? "exists" : NULL;
}

static void add_status(struct json_object *o, const char *key, uint32_t status);

/* One field of a tock_abi_call format (tock/driver_abi.h): "name[:type][?ok|?nz]" or "-". */
struct abi_field {
	char name[32];
	enum { FIELD_NUMBER, FIELD_ID, FIELD_STATUS, FIELD_BOOL, FIELD_SKIP } type;
	enum { SHOW_ALWAYS, SHOW_IF_OK, SHOW_IF_NONZERO } show;
};

/* Parse the next field of *fmt and move past it; false at the end or at a malformed field (which ends the format). */
static bool next_field(const char **fmt, struct abi_field *f)
{
	const char *p = *fmt, *end, *colon, *cond;
	size_t len;

	while (*p == ' ')
		p++;
	if (!*p)
		return false;
	end = strchr(p, ' ');
	if (!end)
		end = p + strlen(p);
	cond = memchr(p, '?', (size_t)(end - p));
	colon = memchr(p, ':', (size_t)(end - p));
	len = (size_t)((colon ? colon : cond ? cond : end) - p);
	if (len == 0 || len >= sizeof(f->name))
		return false;
	memcpy(f->name, p, len);
	f->name[len] = '\0';
	f->type = !strcmp(f->name, "-") ? FIELD_SKIP : FIELD_NUMBER;
	if (colon) {
		size_t tlen = (size_t)((cond ? cond : end) - colon - 1);

		if (tlen == 2 && !strncmp(colon + 1, "id", 2))
			f->type = FIELD_ID;
		else if (tlen == 6 && !strncmp(colon + 1, "status", 6))
			f->type = FIELD_STATUS;
		else if (tlen == 4 && !strncmp(colon + 1, "bool", 4))
			f->type = FIELD_BOOL;
		else
			return false;
	}
	f->show = SHOW_ALWAYS;
	if (cond && end - cond == 3 && !strncmp(cond, "?ok", 3))
		f->show = SHOW_IF_OK;
	else if (cond && end - cond == 3 && !strncmp(cond, "?nz", 3))
		f->show = SHOW_IF_NONZERO;
	else if (cond)
		return false;
	*fmt = end;
	return true;
}

bool control_format_valid(const char *fmt)
{
	struct abi_field f;

	if (!fmt)
		return true;
	while (next_field(&fmt, &f))
		;
	while (*fmt == ' ')
		fmt++;
	return *fmt == '\0';
}

/*
 * Name the values v[0, n) as the format says, adding each shown field to o and its key to a
 * "fields" list (in order, for renderers). id_pairs: an id takes two positions (low, high), as in
 * arguments and upcalls; else one (a result's u64). strict: decode only if the format uses exactly
 * n positions (results, whose shape depends on the variant).
 */
static void decode_fields(const char *fmt, const uint64_t *v, size_t n, bool id_pairs, bool strict,
                          struct json_object *o)
{
	struct json_object *fields;
	struct abi_field f;
	const char *p = fmt;
	size_t pos = 0;

	if (!fmt || !*fmt)
		return;
	if (strict) {
		while (next_field(&p, &f))
			pos += f.type == FIELD_ID && id_pairs ? 2 : 1;
		if (pos != n)
			return;
		p = fmt;
		pos = 0;
	}
	fields = json_object_new_array();
	while (next_field(&p, &f)) {
		size_t width = f.type == FIELD_ID && id_pairs ? 2 : 1;
		uint64_t val;

		if (pos + width > n)
			break;
		val = width == 2 ? u64_of(v[pos], v[pos + 1]) : v[pos];
		pos += width;
		if (f.type == FIELD_SKIP || (f.show == SHOW_IF_OK && v[0] != 0) || (f.show == SHOW_IF_NONZERO && val == 0))
			continue;
		switch (f.type) {
		case FIELD_ID: json_object_object_add(o, f.name, control_json_id(val)); break;
		case FIELD_STATUS: add_status(o, f.name, (uint32_t)val); break;
		case FIELD_BOOL: json_object_object_add(o, f.name, json_object_new_boolean(val != 0)); break;
		default: json_object_object_add(o, f.name, control_json_u64(val)); break;
		}
		json_object_array_add(fields, json_object_new_string(f.name));
	}
	if (json_object_array_length(fields))
		json_object_object_add(o, "fields", fields);
	else
		json_object_put(fields);
}

static void add_driver(struct control_service *cs, struct json_object *o, uint64_t driver)
{
	const char *name = driver <= UINT32_MAX ? control_driver_name(cs->k, (uint32_t)driver) : NULL;

	json_object_object_add(o, "driver", control_json_u64(driver));
	if (name)
		json_object_object_add(o, "driver_name", json_object_new_string(name));
}

static void add_status(struct json_object *o, const char *key, uint32_t status)
{
	const char *name = basic_error_code_name(status);

	json_object_object_add(o, key, json_object_new_string(status == 0 ? "OK" : name ? name : "?"));
}

/* The values a return variant carries after r0 (and after the ErrorCode of a failure), u64s joined. */
static size_t result_values(const uint64_t ret[4], uint64_t vals[3])
{
	switch ((uint32_t)ret[0]) {
	case TOCK_RET_FAILURE_U32: vals[0] = ret[2]; return 1;
	case TOCK_RET_FAILURE_U32_U32: vals[0] = ret[2]; vals[1] = ret[3]; return 2;
	case TOCK_RET_FAILURE_U64: vals[0] = u64_of(ret[2], ret[3]); return 1;
	case TOCK_RET_SUCCESS_U32: vals[0] = ret[1]; return 1;
	case TOCK_RET_SUCCESS_U64: vals[0] = u64_of(ret[1], ret[2]); return 1;
	case TOCK_RET_SUCCESS_U32_U64: vals[0] = ret[1]; vals[1] = u64_of(ret[2], ret[3]); return 2;
	case TOCK_RET_SUCCESS_U32_U32: vals[0] = ret[1]; vals[1] = ret[2]; return 2;
	case TOCK_RET_SUCCESS_U32_U32_U32: vals[0] = ret[1]; vals[1] = ret[2]; vals[2] = ret[3]; return 3;
	default: return 0;
	}
}

/* The variant, its ErrorCode, its values; named as the command's description says, when it has one. */
static struct json_object *result_json(const uint64_t ret[4], const struct tock_abi_call *call)
{
	struct json_object *r = json_object_new_object(), *vals = json_object_new_array();
	const char *vname = control_variant_name((uint32_t)ret[0]);
	uint32_t v = (uint32_t)ret[0];
	uint64_t values[3];
	size_t n = result_values(ret, values);

	json_object_object_add(r, "variant", vname ? json_object_new_string(vname) : control_json_u64(ret[0]));
	if (vname && v < TOCK_RET_SUCCESS) {
		const char *e = basic_error_code_name((uint32_t)ret[1]);

		json_object_object_add(r, "error", e ? json_object_new_string(e) : control_json_u64(ret[1]));
	}
	for (size_t i = 0; i < n; i++)
		json_object_array_add(vals, control_json_u64(values[i]));
	json_object_object_add(r, "values", vals);
	if (call && vname)
		decode_fields(v < TOCK_RET_SUCCESS ? call->failure : call->success, values, n, false, true, r);
	return r;
}

static void decode_command(struct control_service *cs, const struct hk_trace_syscall *s, struct json_object *o)
{
	const struct tock_abi_call *call = abi_command(driver_abi(cs, s->arg[0]), s->arg[1]);
	const char *name = command_name(call, s->arg[1]);
	struct json_object *args = json_object_new_array();

	add_driver(cs, o, s->arg[0]);
	json_object_object_add(o, "cmd", control_json_u64(s->arg[1]));
	if (name)
		json_object_object_add(o, "op", json_object_new_string(name));
	json_object_array_add(args, control_json_u64(s->arg[2]));
	json_object_array_add(args, control_json_u64(s->arg[3]));
	json_object_object_add(o, "args", args);
	if (call)
		decode_fields(call->args, &s->arg[2], 2, true, false, o);
	if (s->result == HK_SYSCALL_RESUME)
		json_object_object_add(o, "result", result_json(s->ret, call));
}

/* The name of a subscribe (its upcall) or allow slot, from the driver's description. */
static const char *slot_name(const struct tock_driver_abi *abi, uint32_t class_id, uint64_t slot)
{
	const struct tock_abi_call *c = NULL;

	if (!abi)
		return NULL;
	if (class_id == TOCK_CLASS_SUBSCRIBE)
		c = abi_find(abi->upcalls, abi->n_upcalls, slot);
	else if (class_id == TOCK_CLASS_ALLOW_RO)
		c = abi_find(abi->allows_ro, abi->n_allows_ro, slot);
	else if (class_id == TOCK_CLASS_ALLOW_RW)
		c = abi_find(abi->allows_rw, abi->n_allows_rw, slot);
	return c ? c->name : NULL;
}

static const char *class_name(uint32_t c)
{
	static const char *const names[] = { "yield", "subscribe", "command", "allow_rw",
		                             "allow_ro", "memop", "exit", "allow_ur" };

	return c < 8 ? names[c] : "invalid";
}

static const char *yield_name(uint64_t kind)
{
	return kind == TOCK_YIELD_NO_WAIT ? "no-wait" : kind == TOCK_YIELD_WAIT ? "wait" :
	       kind == TOCK_YIELD_WAIT_FOR ? "wait-for" : "invalid";
}

void control_decode_syscall(struct control_service *cs, const struct hk_trace_syscall *s, struct json_object *o)
{
	const char *name;
	char hex[24];

	json_object_object_add(o, "class", json_object_new_string(class_name(s->class_id)));
	switch (s->class_id) {
	case TOCK_CLASS_YIELD:
		json_object_object_add(o, "yield", json_object_new_string(yield_name(s->arg[0])));
		if (s->arg[0] == TOCK_YIELD_WAIT_FOR) {
			add_driver(cs, o, s->arg[1]);
			json_object_object_add(o, "slot", control_json_u64(s->arg[2]));
		}
		break;
	case TOCK_CLASS_COMMAND:
		decode_command(cs, s, o);
		return;
	case TOCK_CLASS_SUBSCRIBE:
	case TOCK_CLASS_ALLOW_RW:
	case TOCK_CLASS_ALLOW_RO:
	case TOCK_CLASS_ALLOW_USERSPACE_READ:
		add_driver(cs, o, s->arg[0]);
		json_object_object_add(o, "slot", control_json_u64(s->arg[1]));
		if ((name = slot_name(driver_abi(cs, s->arg[0]), s->class_id, s->arg[1])))
			json_object_object_add(o, "slot_name", json_object_new_string(name));
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)s->arg[2]);
		json_object_object_add(o, s->class_id == TOCK_CLASS_SUBSCRIBE ? "fn" : "ptr", json_object_new_string(hex));
		if (s->class_id != TOCK_CLASS_SUBSCRIBE)
			json_object_object_add(o, "len", control_json_u64(s->arg[3]));
		break;
	case TOCK_CLASS_MEMOP:
		json_object_object_add(o, "op", control_json_u64(s->arg[0]));
		json_object_object_add(o, "arg", control_json_u64(s->arg[1]));
		break;
	case TOCK_CLASS_EXIT:
		json_object_object_add(o, "exit", json_object_new_string(s->arg[0] == 0 ? "terminate" :
		                                                        s->arg[0] == 1 ? "restart" : "invalid"));
		json_object_object_add(o, "code", control_json_u64(s->arg[1] & 0xffffffffull));
		break;
	default:
		break;
	}
	if (s->result == HK_SYSCALL_BLOCKED)
		json_object_object_add(o, "result", json_object_new_string("blocked"));
	else if (s->result == HK_SYSCALL_ENDED)
		json_object_object_add(o, "result", json_object_new_string("ended"));
	else if (s->class_id != TOCK_CLASS_YIELD)
		json_object_object_add(o, "result", result_json(s->ret, NULL));
}

void control_decode_upcall(struct control_service *cs, const struct hk_trace_upcall *u, struct json_object *o)
{
	const struct tock_driver_abi *abi = driver_abi(cs, u->driver);
	const struct tock_abi_call *call = abi ? abi_find(abi->upcalls, abi->n_upcalls, u->slot) : NULL;
	struct json_object *args = json_object_new_array();
	const uint64_t a[3] = { u->a0, u->a1, u->a2 };

	add_driver(cs, o, u->driver);
	json_object_object_add(o, "slot", json_object_new_int64(u->slot));
	if (call)
		json_object_object_add(o, "op", json_object_new_string(call->name));
	json_object_array_add(args, json_object_new_int64(u->a0));
	json_object_array_add(args, json_object_new_int64(u->a1));
	json_object_array_add(args, json_object_new_int64(u->a2));
	json_object_object_add(o, "args", args);
	if (call)
		decode_fields(call->args, a, 3, true, false, o);
}
