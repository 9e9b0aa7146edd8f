/* Unit tests of the control service's trace decoder (control/decode.c): every described driver's calls, table-driven. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "capsules/alarm.h"
#include "capsules/console.h"
#include "capsules/rng.h"
#include "capsules/ipc/ipc_registry_package_name.h"
#include "capsules/ipc/ipc_registry_string_name.h"
#include "capsules/ipc/ipc_relay_message.h"
#include "capsules/ipc/ipc_relay_request.h"
#include "capsules/ipc/ipc_share.h"
#include "control/internal.h"
#include "hostkernel/fake/fake_backend.h"

#define RR TOCK_DRIVER_IPC_RELAY_REQUEST
#define RM TOCK_DRIVER_IPC_RELAY_MESSAGE
#define SN TOCK_DRIVER_IPC_REGISTRY_STRING_NAME
#define PN TOCK_DRIVER_IPC_REGISTRY_PACKAGE_NAME
#define SH TOCK_DRIVER_IPC_SHARE
#define UNKNOWN 0x70000u

#define S TOCK_RET_SUCCESS
#define F TOCK_RET_FAILURE

/* A syscall (class, r0..r3, its result r0..r3) or, with upcall set, an upcall ((driver, slot, a0, a1), (a2)). */
struct decode_case {
	bool upcall;
	uint32_t class_id;
	uint64_t arg[4];
	uint64_t ret[4];
	/*
	 * The decoded object with every "fields" list removed: what the decoder wrote before drivers
	 * described themselves (the IPC cases are its output then, byte for byte).
	 */
	const char *want;
	const char *fields; /* the top-level, then the result's "fields" lists, as JSON text; NULL: none */
};

static const struct decode_case cases[] = {
	/* Relay Request (upstream ABI): ids of server and client, the get result split in len and client. */
	{ false, TOCK_CLASS_COMMAND, { RR, 0x10, 5, 7 }, { S },
	  "{\"class\":\"command\",\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"cmd\":16,\"op\":\"send\",\"args\":[5,7],\"server\":\"0x0000000700000005\",\"result\":{\"variant\":\"Success\",\"values\":[]}}",
	  "[\"server\"]" },
	{ false, TOCK_CLASS_COMMAND, { RR, 0x22, 0, 0 }, { TOCK_RET_SUCCESS_U32_U64, 16, 1, 0 },
	  "{\"class\":\"command\",\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"cmd\":34,\"op\":\"get\",\"args\":[0,0],\"result\":{\"variant\":\"SuccessU32U64\",\"values\":[16,1],\"len\":16,\"client\":\"0x0000000000000001\"}}",
	  "[\"len\",\"client\"]" },
	{ false, TOCK_CLASS_COMMAND, { RR, 0x22, 0, 0 }, { TOCK_RET_FAILURE_U64, TOCK_ERR_SIZE, 2, 0 },
	  "{\"class\":\"command\",\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"cmd\":34,\"op\":\"get\",\"args\":[0,0],\"result\":{\"variant\":\"FailureU64\",\"error\":\"SIZE\",\"values\":[2],\"client\":\"0x0000000000000002\"}}",
	  "[\"client\"]" },
	{ false, TOCK_CLASS_COMMAND, { RR, 0x22, 0, 0 }, { TOCK_RET_FAILURE_U64, TOCK_ERR_NODEVICE, 0, 0 },
	  "{\"class\":\"command\",\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"cmd\":34,\"op\":\"get\",\"args\":[0,0],\"result\":{\"variant\":\"FailureU64\",\"error\":\"NODEVICE\",\"values\":[0]}}",
	  NULL },
	{ false, TOCK_CLASS_COMMAND, { RR, 0x22, 0, 0 }, { F, TOCK_ERR_ALREADY },
	  "{\"class\":\"command\",\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"cmd\":34,\"op\":\"get\",\"args\":[0,0],\"result\":{\"variant\":\"Failure\",\"error\":\"ALREADY\",\"values\":[]}}",
	  NULL },
	{ false, TOCK_CLASS_COMMAND, { RR, 0x23, 3, 1 }, { TOCK_RET_SUCCESS_U32_U64, 4, 3, 1 },
	  "{\"class\":\"command\",\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"cmd\":35,\"op\":\"get_from\",\"args\":[3,1],\"client\":\"0x0000000100000003\",\"result\":{\"variant\":\"SuccessU32U64\",\"values\":[4,4294967299],\"len\":4,\"client\":\"0x0000000100000003\"}}",
	  "[\"client\"][\"len\",\"client\"]" },
	{ false, TOCK_CLASS_COMMAND, { RR, 0x24, 0, 0 }, { S },
	  "{\"class\":\"command\",\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"cmd\":36,\"op\":\"respond\",\"args\":[0,0],\"result\":{\"variant\":\"Success\",\"values\":[]}}",
	  NULL },
	{ false, TOCK_CLASS_COMMAND, { RR, 0x99, 1, 2 }, { F, TOCK_ERR_NOSUPPORT },
	  "{\"class\":\"command\",\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"cmd\":153,\"args\":[1,2],\"result\":{\"variant\":\"Failure\",\"error\":\"NOSUPPORT\",\"values\":[]}}",
	  NULL },
	{ true, 0, { RR, 0, TOCK_ERR_SIZE, 24 }, { 0 },
	  "{\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"slot\":0,\"op\":\"response\",\"args\":[7,24,0],\"status\":\"SIZE\",\"len\":24}",
	  "[\"status\",\"len\"]" },
	{ true, 0, { RR, 1, 1, 0 }, { 0 },
	  "{\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"slot\":1,\"op\":\"request_waiting\",\"args\":[1,0,0],\"client\":\"0x0000000000000001\"}",
	  "[\"client\"]" },
	{ true, 0, { RR, 2, 1, 2 }, { 3 },
	  "{\"driver\":655376,\"driver_name\":\"ipc_relay_request\",\"slot\":2,\"args\":[1,2,3]}",
	  NULL },
	/* Relay Message */
	{ false, TOCK_CLASS_COMMAND, { RM, 0x20, 0, 0 }, { F, TOCK_ERR_NOACK },
	  "{\"class\":\"command\",\"driver\":655377,\"driver_name\":\"ipc_relay_message\",\"cmd\":32,\"op\":\"send\",\"args\":[0,0],\"receiver\":\"0x0000000000000000\",\"result\":{\"variant\":\"Failure\",\"error\":\"NOACK\",\"values\":[]}}",
	  "[\"receiver\"]" },
	{ false, TOCK_CLASS_COMMAND, { RM, 0x10, 0, 0 }, { S },
	  "{\"class\":\"command\",\"driver\":655377,\"driver_name\":\"ipc_relay_message\",\"cmd\":16,\"op\":\"enable\",\"args\":[0,0],\"result\":{\"variant\":\"Success\",\"values\":[]}}",
	  NULL },
	{ true, 0, { RM, 0, 44, 1 }, { 0 },
	  "{\"driver\":655377,\"driver_name\":\"ipc_relay_message\",\"slot\":0,\"op\":\"appended\",\"args\":[44,1,0],\"offset\":44,\"exceeded\":true}",
	  "[\"offset\",\"exceeded\"]" },
	{ true, 0, { RM, 1, TOCK_ERR_NODEVICE, 2 }, { 9 },
	  "{\"driver\":655377,\"driver_name\":\"ipc_relay_message\",\"slot\":1,\"op\":\"sender_gone\",\"args\":[11,2,9],\"status\":\"NODEVICE\",\"sender\":\"0x0000000900000002\"}",
	  "[\"status\",\"sender\"]" },
	/* The registries (one ABI): the discovered service only on success. */
	{ false, TOCK_CLASS_COMMAND, { SN, 1, 0, 0 }, { S },
	  "{\"class\":\"command\",\"driver\":655360,\"driver_name\":\"ipc_registry_string_name\",\"cmd\":1,\"op\":\"register\",\"args\":[0,0],\"result\":{\"variant\":\"Success\",\"values\":[]}}",
	  NULL },
	{ false, TOCK_CLASS_COMMAND, { PN, 2, 0, 0 }, { S },
	  "{\"class\":\"command\",\"driver\":655361,\"driver_name\":\"ipc_registry_package_name\",\"cmd\":2,\"op\":\"discover\",\"args\":[0,0],\"result\":{\"variant\":\"Success\",\"values\":[]}}",
	  NULL },
	{ true, 0, { SN, 0, TOCK_ERR_ALREADY, 0 }, { 0 },
	  "{\"driver\":655360,\"driver_name\":\"ipc_registry_string_name\",\"slot\":0,\"op\":\"registered\",\"args\":[3,0,0],\"status\":\"ALREADY\"}",
	  "[\"status\"]" },
	{ true, 0, { SN, 1, 0, 4 }, { 1 },
	  "{\"driver\":655360,\"driver_name\":\"ipc_registry_string_name\",\"slot\":1,\"op\":\"discovered\",\"args\":[0,4,1],\"status\":\"OK\",\"service\":\"0x0000000100000004\"}",
	  "[\"status\",\"service\"]" },
	{ true, 0, { PN, 1, TOCK_ERR_NODEVICE, 0 }, { 0 },
	  "{\"driver\":655361,\"driver_name\":\"ipc_registry_package_name\",\"slot\":1,\"op\":\"discovered\",\"args\":[11,0,0],\"status\":\"NODEVICE\"}",
	  "[\"status\"]" },
	{ true, 0, { PN, 2, 0, 0 }, { 0 },
	  "{\"driver\":655361,\"driver_name\":\"ipc_registry_package_name\",\"slot\":2,\"op\":\"service_registered\",\"args\":[0,0,0]}",
	  NULL },
	/* Share: decoded now that it describes itself (it was numbers only). */
	{ false, TOCK_CLASS_COMMAND, { SH, 1, 4096, 0 }, { TOCK_RET_SUCCESS_U32_U64, 3, 0x80000000u, 0 },
	  "{\"class\":\"command\",\"driver\":655392,\"driver_name\":\"ipc_share\",\"cmd\":1,\"op\":\"create\",\"args\":[4096,0],\"size\":4096,\"result\":{\"variant\":\"SuccessU32U64\",\"values\":[3,2147483648],\"region\":3,\"address\":2147483648}}",
	  "[\"size\"][\"region\",\"address\"]" },
	{ false, TOCK_CLASS_COMMAND, { SH, 3, 3, 0 }, { TOCK_RET_SUCCESS_U32_U64, 4096, 0x80010000u, 0 },
	  "{\"class\":\"command\",\"driver\":655392,\"driver_name\":\"ipc_share\",\"cmd\":3,\"op\":\"map\",\"args\":[3,0],\"region\":3,\"result\":{\"variant\":\"SuccessU32U64\",\"values\":[4096,2147549184],\"size\":4096,\"address\":2147549184}}",
	  "[\"region\"][\"size\",\"address\"]" },
	{ false, TOCK_CLASS_COMMAND, { SH, 4, 3, 0 }, { F, TOCK_ERR_ALREADY },
	  "{\"class\":\"command\",\"driver\":655392,\"driver_name\":\"ipc_share\",\"cmd\":4,\"op\":\"unmap_or_destroy\",\"args\":[3,0],\"region\":3,\"result\":{\"variant\":\"Failure\",\"error\":\"ALREADY\",\"values\":[]}}",
	  "[\"region\"]" },
	{ true, 0, { SH, 0, 0, 0 }, { 3 },
	  "{\"driver\":655392,\"driver_name\":\"ipc_share\",\"slot\":0,\"op\":\"granted\",\"args\":[0,0,3],\"owner\":\"0x0000000000000000\",\"region\":3}",
	  "[\"owner\",\"region\"]" },
	{ true, 0, { SH, 1, 0, 0 }, { 3 },
	  "{\"driver\":655392,\"driver_name\":\"ipc_share\",\"slot\":1,\"op\":\"gone\",\"args\":[0,0,3],\"owner\":\"0x0000000000000000\",\"region\":3}",
	  "[\"owner\",\"region\"]" },
	{ false, TOCK_CLASS_ALLOW_RO, { SH, 0, 0x40006f00, 16 }, { TOCK_RET_SUCCESS_U32_U32, 0, 0 },
	  "{\"class\":\"allow_ro\",\"driver\":655392,\"driver_name\":\"ipc_share\",\"slot\":0,\"slot_name\":\"request\",\"ptr\":\"0x40006f00\",\"len\":16,\"result\":{\"variant\":\"SuccessU32U32\",\"values\":[0,0]}}",
	  NULL },
	/* Console: every capsule may describe itself. */
	{ false, TOCK_CLASS_COMMAND, { TOCK_DRIVER_CONSOLE, 1, 5, 0 }, { S },
	  "{\"class\":\"command\",\"driver\":1,\"driver_name\":\"console\",\"cmd\":1,\"op\":\"write\",\"args\":[5,0],\"len\":5,\"result\":{\"variant\":\"Success\",\"values\":[]}}",
	  "[\"len\"]" },
	{ true, 0, { TOCK_DRIVER_CONSOLE, 1, 5, 0 }, { 0 },
	  "{\"driver\":1,\"driver_name\":\"console\",\"slot\":1,\"op\":\"write_done\",\"args\":[5,0,0],\"len\":5}",
	  "[\"len\"]" },
	{ false, TOCK_CLASS_SUBSCRIBE, { TOCK_DRIVER_CONSOLE, 1, 0x1234, 0 }, { TOCK_RET_SUCCESS_U32_U32, 0, 0 },
	  "{\"class\":\"subscribe\",\"driver\":1,\"driver_name\":\"console\",\"slot\":1,\"slot_name\":\"write_done\",\"fn\":\"0x1234\",\"result\":{\"variant\":\"SuccessU32U32\",\"values\":[0,0]}}",
	  NULL },
	/* No driver, or no description: numbers only, command 0 still "exists". */
	{ false, TOCK_CLASS_COMMAND, { UNKNOWN, 0, 0, 0 }, { F, TOCK_ERR_NODEVICE },
	  "{\"class\":\"command\",\"driver\":458752,\"cmd\":0,\"op\":\"exists\",\"args\":[0,0],\"result\":{\"variant\":\"Failure\",\"error\":\"NODEVICE\",\"values\":[]}}",
	  NULL },
	{ false, TOCK_CLASS_COMMAND, { UNKNOWN, 1, 2, 3 }, { F, TOCK_ERR_NODEVICE },
	  "{\"class\":\"command\",\"driver\":458752,\"cmd\":1,\"args\":[2,3],\"result\":{\"variant\":\"Failure\",\"error\":\"NODEVICE\",\"values\":[]}}",
	  NULL },
	{ true, 0, { UNKNOWN, 0, 1, 2 }, { 3 },
	  "{\"driver\":458752,\"slot\":0,\"args\":[1,2,3]}",
	  NULL },
};

static struct hk_fake_world *w;
static struct control_service cs;

static void setup(void)
{
	static const struct {
		uint32_t num;
		const struct hk_driver_ops *ops;
	} drivers[] = {
		{ RR, &ipc_relay_request_ops }, { RM, &ipc_relay_message_ops }, { SN, &ipc_registry_string_name_ops },
		{ PN, &ipc_registry_package_name_ops }, { SH, &ipc_share_ops }, { TOCK_DRIVER_CONSOLE, &capsule_console_ops },
	};

	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	/* The decoder only reads the registered ops; no command is ever run, so no capsule state is needed. */
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		ck_assert_int_eq(hk_fake_register_driver(w, drivers[i].num, drivers[i].ops, NULL), 0);
	cs = (struct control_service){ .k = hk_fake_kernel(w) };
}

static void teardown(void)
{
	hk_fake_world_free(w);
}

/* Remove "fields" from o and from its "result", appending both lists (JSON text) to buf. */
static void take_fields(struct json_object *o, char *buf, size_t len)
{
	struct json_object *f, *r;

	if (json_object_object_get_ex(o, "fields", &f)) {
		strncat(buf, json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN), len - strlen(buf) - 1);
		json_object_object_del(o, "fields");
	}
	if (json_object_object_get_ex(o, "result", &r) && json_object_object_get_ex(r, "fields", &f)) {
		strncat(buf, json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN), len - strlen(buf) - 1);
		json_object_object_del(r, "fields");
	}
}

START_TEST(test_decode)
{
	const struct decode_case *c = &cases[_i];
	struct json_object *o = json_object_new_object();
	char fields[256] = "";
	const char *got;

	if (c->upcall) {
		struct hk_trace_upcall u = { (uint32_t)c->arg[0], (uint32_t)c->arg[1], (uint32_t)c->arg[2],
			                     (uint32_t)c->arg[3], (uint32_t)c->ret[0], false, false };

		control_decode_upcall(&cs, &u, o);
	} else {
		struct hk_trace_syscall s = { .class_id = c->class_id, .result = HK_SYSCALL_RESUME };

		memcpy(s.arg, c->arg, sizeof(s.arg));
		memcpy(s.ret, c->ret, sizeof(s.ret));
		control_decode_syscall(&cs, &s, o);
	}
	take_fields(o, fields, sizeof(fields));
	got = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	ck_assert_str_eq(got, c->want);
	ck_assert_str_eq(fields, c->fields ? c->fields : "");
	json_object_put(o);
}
END_TEST

/* Every format in every capsule's description parses to its end (a typo would silently hide fields). */
START_TEST(test_formats_valid)
{
	const struct hk_driver_ops *all[] = { &ipc_relay_request_ops, &ipc_relay_message_ops, &ipc_registry_string_name_ops,
		                              &ipc_registry_package_name_ops, &ipc_share_ops, &capsule_console_ops,
		                              &capsule_alarm_ops, &capsule_rng_ops };

	ck_assert(!control_format_valid("size:u32"));
	ck_assert(!control_format_valid("client:id?maybe"));
	ck_assert(control_format_valid("status:status service:id?ok - len"));
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const struct tock_driver_abi *abi = all[i]->abi;

		ck_assert_msg(abi, "%s has no ABI description", all[i]->name);
		for (size_t j = 0; j < abi->n_commands; j++) {
			const struct tock_abi_call *c = &abi->commands[j];

			ck_assert_msg(control_format_valid(c->args) && control_format_valid(c->success) &&
			              control_format_valid(c->failure), "%s command %s", all[i]->name, c->name);
		}
		for (size_t j = 0; j < abi->n_upcalls; j++)
			ck_assert_msg(control_format_valid(abi->upcalls[j].args), "%s upcall %s", all[i]->name,
			              abi->upcalls[j].name);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control_decode");
	TCase *tc = tcase_create("decode");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_decode, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_formats_valid);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
