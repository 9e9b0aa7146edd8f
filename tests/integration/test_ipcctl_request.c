/* Unit tests of the control-socket request parser (control/request.c): table-driven accept and refuse cases. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "control/request.h"

struct request_case {
	const char *line;
	int ok;                 /* 1: parses */
	enum control_cmd cmd;   /* when ok */
	const char *err_has;    /* when !ok: a piece of the error text */
};

static const struct request_case cases[] = {
	{ "{\"v\":1,\"cmd\":\"ps\"}", 1, CONTROL_CMD_PS, NULL },
	{ "{\"v\":1,\"cmd\":\"services\",\"future_field\":[1,2]}", 1, CONTROL_CMD_SERVICES, NULL },
	{ "  {\"v\":1,\"cmd\":\"relay\"}  ", 1, CONTROL_CMD_RELAY, NULL },
	{ "{\"v\":1,\"cmd\":\"trace\",\"driver\":655376,\"all\":true}", 1, CONTROL_CMD_TRACE, NULL },
	{ "{\"v\":1,\"cmd\":\"stop\",\"app\":\"echo\"}", 1, CONTROL_CMD_STOP, NULL },
	{ "{\"v\":1,\"cmd\":\"fault\",\"pid\":4294967295}", 1, CONTROL_CMD_FAULT, NULL },
	{ "", 0, 0, "malformed JSON" },
	{ "{\"v\":1,\"cmd\":\"ps\"", 0, 0, "malformed JSON" },
	{ "{\"v\":1,\"cmd\":\"ps\"} x", 0, 0, "malformed JSON" },
	{ "[]", 0, 0, "JSON object" },
	{ "{\"cmd\":\"ps\"}", 0, 0, "missing protocol version" },
	{ "{\"v\":2,\"cmd\":\"ps\"}", 0, 0, "unsupported protocol version" },
	{ "{\"v\":1.0,\"cmd\":\"ps\"}", 0, 0, "unsupported protocol version" },
	{ "{\"v\":1}", 0, 0, "missing command" },
	{ "{\"v\":1,\"cmd\":\"format-disk\"}", 0, 0, "unknown command 'format-disk'" },
	{ "{\"v\":1,\"cmd\":\"restart\"}", 0, 0, "needs the app" },
	{ "{\"v\":1,\"cmd\":\"stop\",\"app\":\"a\",\"pid\":1}", 0, 0, "not both" },
	{ "{\"v\":1,\"cmd\":\"stop\",\"pid\":4294967296}", 0, 0, "out of range" },
	{ "{\"v\":1,\"cmd\":\"stop\",\"pid\":\"3\"}", 0, 0, "must be an integer" },
	{ "{\"v\":1,\"cmd\":\"trace\",\"all\":1}", 0, 0, "true or false" },
	{ "{\"v\":1,\"cmd\":\"stop\",\"app\":\"\"}", 0, 0, "non-empty string" },
	{ "{\"v\":1,\"cmd\":\"ps\",\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", 0, 0, "malformed JSON" },
};

START_TEST(test_parse)
{
	const struct request_case *c = &cases[_i];
	struct control_request req;
	char err[256] = "";
	int r = control_request_parse(c->line, strlen(c->line), &req, err, sizeof(err));

	if (c->ok) {
		ck_assert_msg(r == 0, "'%s' refused: %s", c->line, err);
		ck_assert_int_eq(req.cmd, c->cmd);
	} else {
		ck_assert_msg(r < 0, "'%s' accepted", c->line);
		ck_assert_msg(strstr(err, c->err_has), "'%s': error '%s' lacks '%s'", c->line, err, c->err_has);
	}
	control_request_release(&req);
}
END_TEST

/* Fields land where the dispatcher reads them; id survives for the reply even on errors. */
START_TEST(test_fields)
{
	static const char ok[] = "{\"v\":1,\"cmd\":\"fault\",\"app\":\"srv\",\"cause\":\"boom\",\"id\":7}";
	static const char bad[] = "{\"v\":1,\"cmd\":\"nope\",\"id\":\"x\"}";
	struct control_request req;
	char err[256];

	ck_assert_int_eq(control_request_parse(ok, strlen(ok), &req, err, sizeof(err)), 0);
	ck_assert(req.has_app && !req.has_pid);
	ck_assert_str_eq(req.app, "srv");
	ck_assert_str_eq(req.cause, "boom");
	ck_assert_int_eq(json_object_get_int(req.id), 7);
	control_request_release(&req);
	ck_assert_int_lt(control_request_parse(bad, strlen(bad), &req, err, sizeof(err)), 0);
	ck_assert_str_eq(json_object_get_string(req.id), "x");
	control_request_release(&req);
	/* A NUL inside the line is refused, not truncated into a different request. */
	ck_assert_int_lt(control_request_parse("{\"v\":1,\"cmd\":\"ps\"}\0x", 20, &req, err, sizeof(err)), 0);
	control_request_release(&req);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control_request");
	TCase *tc = tcase_create("parse");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_parse, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_fields);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
