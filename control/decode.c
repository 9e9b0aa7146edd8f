/* Trace decoding: syscall arguments and results, with the IPC capsules' commands and upcalls named and unpacked. */
#include <stdio.h>
#include <string.h>

#include "control/internal.h"

enum ipc_kind { IPC_NONE = 0, IPC_STRING_NAME, IPC_PACKAGE_NAME, IPC_RELAY_REQUEST, IPC_RELAY_MESSAGE };

static enum ipc_kind ipc_kind(const struct control_service *cs, uint32_t driver)
{
	const struct control_ipc *i = &cs->ipc;

	if (i->relay_request && driver == i->relay_request_driver)
		return IPC_RELAY_REQUEST;
	if (i->relay_message && driver == i->relay_message_driver)
		return IPC_RELAY_MESSAGE;
	if (i->string_name && driver == i->string_name_driver)
		return IPC_STRING_NAME;
	if (i->package_name && driver == i->package_name_driver)
		return IPC_PACKAGE_NAME;
	return IPC_NONE;
}

static uint64_t u64_of(uint64_t lo, uint64_t hi)
{
	return ((hi & 0xffffffffull) << 32) | (lo & 0xffffffffull);
}

static const char *command_name(enum ipc_kind kind, uint64_t cmd)
{
	if (cmd == 0)
		return "exists";
	switch (kind) {
	case IPC_STRING_NAME:
	case IPC_PACKAGE_NAME:
		return cmd == 1 ? "register" : cmd == 2 ? "discover" : NULL;
	case IPC_RELAY_REQUEST:
		switch (cmd) {
		case 0x10: return "send";
		case 0x11: return "cancel";
		case 0x20: return "enable";
		case 0x21: return "disable";
		case 0x22: return "get";
		case 0x23: return "get_from";
		case 0x24: return "respond";
		default: return NULL;
		}
	case IPC_RELAY_MESSAGE:
		return cmd == 0x10 ? "enable" : cmd == 0x11 ? "disable" : cmd == 0x20 ? "send" : NULL;
	default:
		return NULL;
	}
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
	const char *name = control_error_name(status);

	json_object_object_add(o, key, json_object_new_string(status == 0 ? "OK" : name ? name : "?"));
}

/* The variant, its ErrorCode, its values; u64 values split the way the variant packs them. */
static struct json_object *result_json(const uint64_t ret[4])
{
	struct json_object *r = json_object_new_object(), *vals = json_object_new_array();
	const char *vname = control_variant_name((uint32_t)ret[0]);
	uint32_t v = (uint32_t)ret[0];

	json_object_object_add(r, "variant", vname ? json_object_new_string(vname) : control_json_u64(ret[0]));
	if (vname && v < TOCK_RET_SUCCESS) {
		const char *e = control_error_name((uint32_t)ret[1]);

		json_object_object_add(r, "error", e ? json_object_new_string(e) : control_json_u64(ret[1]));
	}
	switch (v) {
	case TOCK_RET_FAILURE_U32: json_object_array_add(vals, control_json_u64(ret[2])); break;
	case TOCK_RET_FAILURE_U32_U32:
	case TOCK_RET_FAILURE_U64:
		if (v == TOCK_RET_FAILURE_U64) {
			json_object_array_add(vals, control_json_u64(u64_of(ret[2], ret[3])));
		} else {
			json_object_array_add(vals, control_json_u64(ret[2]));
			json_object_array_add(vals, control_json_u64(ret[3]));
		}
		break;
	case TOCK_RET_SUCCESS_U32: json_object_array_add(vals, control_json_u64(ret[1])); break;
	case TOCK_RET_SUCCESS_U64: json_object_array_add(vals, control_json_u64(u64_of(ret[1], ret[2]))); break;
	case TOCK_RET_SUCCESS_U32_U64:
		json_object_array_add(vals, control_json_u64(ret[1]));
		json_object_array_add(vals, control_json_u64(u64_of(ret[2], ret[3])));
		break;
	case TOCK_RET_SUCCESS_U32_U32:
	case TOCK_RET_SUCCESS_U32_U32_U32:
		for (int i = 1; i <= (v == TOCK_RET_SUCCESS_U32_U32 ? 2 : 3); i++)
			json_object_array_add(vals, control_json_u64(ret[i]));
		break;
	default:
		break;
	}
	json_object_object_add(r, "values", vals);
	return r;
}

/* Relay Request get/get_from: (copied length, client id), or (error, client id). */
static void decode_command_result(enum ipc_kind kind, uint64_t cmd, const uint64_t ret[4], struct json_object *r)
{
	if (kind != IPC_RELAY_REQUEST || (cmd != 0x22 && cmd != 0x23))
		return;
	if (ret[0] == TOCK_RET_SUCCESS_U32_U64) {
		json_object_object_add(r, "len", control_json_u64(ret[1]));
		json_object_object_add(r, "client", control_json_id(u64_of(ret[2], ret[3])));
	} else if (ret[0] == TOCK_RET_FAILURE_U64 && (ret[2] || ret[3])) {
		json_object_object_add(r, "client", control_json_id(u64_of(ret[2], ret[3])));
	}
}

static void decode_command(struct control_service *cs, const struct hk_trace_syscall *s, struct json_object *o)
{
	enum ipc_kind kind = s->arg[0] <= UINT32_MAX ? ipc_kind(cs, (uint32_t)s->arg[0]) : IPC_NONE;
	const char *name = command_name(kind, s->arg[1]);
	struct json_object *args = json_object_new_array();
	uint64_t cmd = s->arg[1];

	add_driver(cs, o, s->arg[0]);
	json_object_object_add(o, "cmd", control_json_u64(cmd));
	if (name)
		json_object_object_add(o, "op", json_object_new_string(name));
	json_object_array_add(args, control_json_u64(s->arg[2]));
	json_object_array_add(args, control_json_u64(s->arg[3]));
	json_object_object_add(o, "args", args);
	if (kind == IPC_RELAY_REQUEST && cmd == 0x10)
		json_object_object_add(o, "server", control_json_id(u64_of(s->arg[2], s->arg[3])));
	else if (kind == IPC_RELAY_REQUEST && cmd == 0x23)
		json_object_object_add(o, "client", control_json_id(u64_of(s->arg[2], s->arg[3])));
	else if (kind == IPC_RELAY_MESSAGE && cmd == 0x20)
		json_object_object_add(o, "receiver", control_json_id(u64_of(s->arg[2], s->arg[3])));
	if (s->result == HK_SYSCALL_RESUME) {
		struct json_object *r = result_json(s->ret);

		decode_command_result(kind, cmd, s->ret, r);
		json_object_object_add(o, "result", r);
	}
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
		json_object_object_add(o, "result", result_json(s->ret));
}

static const char *upcall_name(enum ipc_kind kind, uint32_t slot)
{
	switch (kind) {
	case IPC_STRING_NAME:
	case IPC_PACKAGE_NAME:
		return slot == 0 ? "registered" : slot == 1 ? "discovered" : slot == 2 ? "service_registered" : NULL;
	case IPC_RELAY_REQUEST:
		return slot == 0 ? "response" : slot == 1 ? "request_waiting" : NULL;
	case IPC_RELAY_MESSAGE:
		return slot == 0 ? "appended" : slot == 1 ? "sender_gone" : NULL;
	default:
		return NULL;
	}
}

void control_decode_upcall(struct control_service *cs, const struct hk_trace_upcall *u, struct json_object *o)
{
	enum ipc_kind kind = ipc_kind(cs, u->driver);
	const char *name = upcall_name(kind, u->slot);
	struct json_object *args = json_object_new_array();

	add_driver(cs, o, u->driver);
	json_object_object_add(o, "slot", json_object_new_int64(u->slot));
	if (name)
		json_object_object_add(o, "op", json_object_new_string(name));
	json_object_array_add(args, json_object_new_int64(u->a0));
	json_object_array_add(args, json_object_new_int64(u->a1));
	json_object_array_add(args, json_object_new_int64(u->a2));
	json_object_object_add(o, "args", args);
	if (!name)
		return;
	if (kind == IPC_RELAY_REQUEST && u->slot == 0) {
		add_status(o, "status", u->a0);
		json_object_object_add(o, "len", json_object_new_int64(u->a1));
	} else if (kind == IPC_RELAY_REQUEST && u->slot == 1) {
		json_object_object_add(o, "client", control_json_id(u64_of(u->a0, u->a1)));
	} else if (kind == IPC_RELAY_MESSAGE && u->slot == 0) {
		json_object_object_add(o, "offset", json_object_new_int64(u->a0));
		json_object_object_add(o, "exceeded", json_object_new_boolean(u->a1 != 0));
	} else if (kind == IPC_RELAY_MESSAGE && u->slot == 1) {
		add_status(o, "status", u->a0);
		json_object_object_add(o, "sender", control_json_id(u64_of(u->a1, u->a2)));
	} else if (u->slot <= 1) {
		add_status(o, "status", u->a0);
		if (u->slot == 1 && u->a0 == 0)
			json_object_object_add(o, "service", control_json_id(u64_of(u->a1, u->a2)));
	}
}
