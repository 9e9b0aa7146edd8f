/* Unit tests of the IPC string-name registry (0xA0000) on fake processes: ABI, errors, lifetimes, policy, notifications. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_registry_string_name.h"
#include "ipc_test.h"

#define REG TOCK_DRIVER_IPC_REGISTRY_STRING_NAME
#define NAME_LEN IPC_STRING_NAME_LEN

static struct hk_fake_world *w;
static struct ipc_registry_string_name *reg;

/* The policy under test: rejects names starting with "bad" with `reject_with`, records its calls. */
static uint32_t reject_with;
static unsigned policy_calls;
static hk_pid policy_last_pid;
static size_t policy_last_len;

static uint32_t test_policy(void *ctx, hk_pid pid, const uint8_t *name, size_t len)
{
	ck_assert_ptr_eq(ctx, &reject_with);
	policy_calls++;
	policy_last_pid = pid;
	policy_last_len = len;
	return memcmp(name, "bad", 3) == 0 ? reject_with : 0;
}

static void make_world(ipc_registration_policy_fn policy, void *ctx)
{
	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	reg = ipc_registry_string_name_new(hk_fake_kernel(w), REG, policy, ctx);
	ck_assert_ptr_nonnull(reg);
	ck_assert_int_eq(hk_fake_register_driver(w, REG, &ipc_registry_string_name_ops, reg), 0);
	reject_with = TOCK_ERR_FAIL;
	policy_calls = 0;
}

static void setup(void)
{
	make_world(test_policy, &reject_with);
}

static void teardown(void)
{
	hk_fake_world_free(w);
	ipc_registry_string_name_free(reg);
	w = NULL;
	reg = NULL;
}

/* A 20-byte name: s, zero padded (as libtock pads strlen(name)). */
static const uint8_t *name20(const char *s)
{
	static uint8_t buf[4][NAME_LEN];
	static unsigned next;
	uint8_t *b = buf[next++ % 4];

	memset(b, 0, NAME_LEN);
	memcpy(b, s, strnlen(s, NAME_LEN));
	return b;
}

static struct hk_fake_ret do_register(struct hk_process *p, const char *name)
{
	ipc_test_allow_ro(w, p, REG, 0, name20(name), NAME_LEN);
	return hk_fake_command(w, p, REG, 1, 0, 0);
}

static struct hk_fake_ret do_discover(struct hk_process *p, const char *name)
{
	ipc_test_allow_ro(w, p, REG, 0, name20(name), NAME_LEN);
	return hk_fake_command(w, p, REG, 2, 0, 0);
}

/* p registers `name` successfully and gets its upcall 0 (0, 0, 0). */
static void register_ok(struct hk_process *p, const char *name)
{
	ck_assert_ok(do_register(p, name));
	ck_assert_upcall(w, p, REG, 0, 0, 0, 0);
}

/* p discovers `name`; expects holder's identifier, or NODEVICE when holder is NULL. */
static void expect_discover(struct hk_process *p, const char *name, struct hk_process *holder)
{
	ck_assert_ok(do_discover(p, name));
	if (holder) {
		uint64_t id = ipc_test_id(w, holder);

		ck_assert_upcall(w, p, REG, 1, 0, ipc_identifier_low(id), ipc_identifier_high(id));
	} else {
		ck_assert_upcall(w, p, REG, 1, TOCK_ERR_NODEVICE, 0, 0);
	}
}

static size_t registrations(void)
{
	size_t cursor = 0, n = 0;

	while (ipc_registry_string_name_next(reg, &cursor, NULL, NULL, NULL))
		n++;
	return n;
}

/* ---- command decoding ---- */

static const struct {
	uint32_t cmd;
	uint32_t variant, err;
} bare_cmds[] = {
	{ 0, TOCK_RET_SUCCESS, 0 },
	{ 1, TOCK_RET_FAILURE, TOCK_ERR_SIZE }, /* nothing allowed: length 0 */
	{ 2, TOCK_RET_FAILURE, TOCK_ERR_SIZE },
	{ 3, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0x10, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0xffffffffu, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
};

START_TEST(test_bare_commands)
{
	struct hk_process *p = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);

	ck_assert_ret(hk_fake_command(w, p, REG, bare_cmds[_i].cmd, 0, 0), bare_cmds[_i].variant, bare_cmds[_i].err, 0,
	              0);
	ck_assert_no_upcall(w, p, REG, 0);
	ck_assert_no_upcall(w, p, REG, 1);
}
END_TEST

/* The name's shape, for register (cmd 1) and discover (cmd 2) alike. */
static const struct {
	size_t len;
	bool all_zero;
	uint32_t err; /* 0 = accepted */
} shapes[] = {
	{ 0, false, TOCK_ERR_SIZE },  { 1, false, TOCK_ERR_SIZE },         { 19, false, TOCK_ERR_SIZE },
	{ 21, false, TOCK_ERR_SIZE }, { 64, false, TOCK_ERR_SIZE },        { 20, true, TOCK_ERR_INVAL },
	{ 20, false, 0 },             { 21, true, TOCK_ERR_SIZE },
};

START_TEST(test_name_shape)
{
	struct hk_process *p = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *q = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	uint8_t buf[64];

	memset(buf, shapes[_i].all_zero ? 0 : 'x', sizeof(buf));
	ipc_test_allow_ro(w, p, REG, 0, buf, shapes[_i].len);
	ipc_test_allow_ro(w, q, REG, 0, buf, shapes[_i].len);
	if (shapes[_i].err) {
		ck_assert_fail(hk_fake_command(w, p, REG, 1, 0, 0), shapes[_i].err);
		ck_assert_fail(hk_fake_command(w, q, REG, 2, 0, 0), shapes[_i].err);
		/* A failing command changes nothing and sends nothing. */
		ck_assert_no_upcall(w, p, REG, 0);
		ck_assert_no_upcall(w, q, REG, 1);
		ck_assert_uint_eq(registrations(), 0);
		ck_assert_uint_eq(policy_calls, 0);
	} else {
		ck_assert_ok(hk_fake_command(w, p, REG, 1, 0, 0));
		ck_assert_upcall(w, p, REG, 0, 0, 0, 0);
		ck_assert_ok(hk_fake_command(w, q, REG, 2, 0, 0));
		ck_assert_upcall(w, q, REG, 1, 0, ipc_test_pid(p), 0);
	}
}
END_TEST

/* ---- register / discover ---- */

START_TEST(test_register_and_discover)
{
	struct hk_process *server = ipc_test_spawn(w, "server", 0x12345678u, HK_FAULT_STOP);
	struct hk_process *client = ipc_test_spawn(w, "client", 7, HK_FAULT_STOP);
	const uint8_t *name;
	uint64_t id;
	hk_pid pid;
	size_t cursor = 0;

	register_ok(server, "org.example.echo");
	ck_assert_uint_eq(policy_calls, 1);
	ck_assert_uint_eq(policy_last_pid, ipc_test_pid(server));
	ck_assert_uint_eq(policy_last_len, NAME_LEN);

	/* The identifier carries the ShortId in the high half. */
	expect_discover(client, "org.example.echo", server);
	ck_assert_uint_eq(ipc_identifier_high(ipc_test_id(w, server)), 0x12345678u);

	ck_assert(ipc_registry_string_name_next(reg, &cursor, &pid, &id, &name));
	ck_assert_uint_eq(pid, ipc_test_pid(server));
	ck_assert_uint_eq(id, ipc_test_id(w, server));
	ck_assert_mem_eq(name, name20("org.example.echo"), NAME_LEN);
	ck_assert(!ipc_registry_string_name_next(reg, &cursor, &pid, &id, &name));

	/* Names compare on all 20 bytes. */
	expect_discover(client, "org.example.ech", NULL);
	expect_discover(client, "org.example.echo2", NULL);
}
END_TEST

START_TEST(test_discover_not_found_and_not_self)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);

	expect_discover(a, "nobody", NULL);
	register_ok(a, "me");
	/* A match other than the caller: one's own registration is not found. */
	expect_discover(a, "me", NULL);
}
END_TEST

START_TEST(test_already_held_by_live_process)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	struct hk_process *c = ipc_test_spawn(w, "c", 0, HK_FAULT_STOP);

	register_ok(a, "svc");
	ck_assert_fail(do_register(b, "svc"), TOCK_ERR_ALREADY);
	ck_assert_no_upcall(w, b, REG, 0);
	expect_discover(c, "svc", a);
	/* b keeps no half registration: it may register another name and "svc" still resolves to a. */
	register_ok(b, "other");
	expect_discover(c, "svc", a);
	expect_discover(c, "other", b);
	ck_assert_uint_eq(registrations(), 2);
}
END_TEST

START_TEST(test_reregister_replaces_own)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *c = ipc_test_spawn(w, "c", 0, HK_FAULT_STOP);

	register_ok(a, "first");
	register_ok(a, "first"); /* the same name again: not ALREADY against oneself */
	register_ok(a, "second");
	expect_discover(c, "first", NULL);
	expect_discover(c, "second", a);
	ck_assert_uint_eq(registrations(), 1);
}
END_TEST

/* ---- lifetimes ---- */

enum death { DEATH_TERMINATE, DEATH_RESTART, DEATH_FAULT_STOP, DEATH_FAULT_RESTART };

static const struct {
	enum death how;
	bool comes_back;
} deaths[] = {
	{ DEATH_TERMINATE, false },
	{ DEATH_RESTART, true },
	{ DEATH_FAULT_STOP, false },
	{ DEATH_FAULT_RESTART, true },
};

static void kill_process(struct hk_process *p, enum death how)
{
	switch (how) {
	case DEATH_TERMINATE:
		hk_fake_exit(w, p, TOCK_EXIT_TERMINATE, 0);
		break;
	case DEATH_RESTART:
		hk_fake_exit(w, p, TOCK_EXIT_RESTART, 0);
		break;
	case DEATH_FAULT_STOP:
	case DEATH_FAULT_RESTART:
		hk_fake_fault(w, p, "test fault");
		break;
	}
}

START_TEST(test_registration_vanishes_with_process)
{
	enum death how = deaths[_i].how;
	struct hk_process *a =
		ipc_test_spawn(w, "a", 5, how == DEATH_FAULT_RESTART ? HK_FAULT_RESTART : HK_FAULT_STOP);
	struct hk_process *b = ipc_test_spawn(w, "b", 0, HK_FAULT_STOP);
	hk_pid old_pid;

	register_ok(a, "svc");
	old_pid = ipc_test_pid(a);
	kill_process(a, how);
	ck_assert(!hk_fake_panicked(w, NULL));
	ck_assert(!hk_process_alive(hk_fake_kernel(w), old_pid));
	ck_assert_ptr_null(hk_grant_get(hk_fake_kernel(w), REG, old_pid));

	expect_discover(b, "svc", NULL);
	ck_assert_uint_eq(registrations(), 0);

	if (deaths[_i].comes_back) {
		/* The new incarnation re-registers; discovery gives its new identifier. */
		ck_assert_uint_ne(ipc_test_pid(a), old_pid);
		register_ok(a, "svc");
		expect_discover(b, "svc", a);
		ck_assert_uint_ne(ipc_identifier_low(ipc_test_id(w, a)), old_pid);
	} else {
		/* The name is free again. */
		register_ok(b, "svc");
	}
}
END_TEST

/* ---- registration policy ---- */

static const struct {
	uint32_t verdict, expect;
} verdicts[] = {
	{ TOCK_ERR_FAIL, TOCK_ERR_FAIL },
	{ TOCK_ERR_NOMEM, TOCK_ERR_NOMEM },
	{ TOCK_ERR_NOACK, TOCK_ERR_NOACK },
	{ 14, TOCK_ERR_FAIL },          /* not an ErrorCode: FAIL */
	{ 0xffffffffu, TOCK_ERR_FAIL },
};

START_TEST(test_policy_rejects)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *c = ipc_test_spawn(w, "c", 0, HK_FAULT_STOP);

	ck_assert_ok(hk_fake_command(w, c, REG, 0, 0, 0)); /* c has a grant: it would hear of a registration */
	reject_with = verdicts[_i].verdict;
	ck_assert_fail(do_register(a, "bad.name"), verdicts[_i].expect);
	ck_assert_uint_eq(policy_calls, 1);
	ck_assert_no_upcall(w, a, REG, 0);
	ck_assert_no_upcall(w, c, REG, 2);
	expect_discover(c, "bad.name", NULL);
	ck_assert_uint_eq(registrations(), 0);
	register_ok(a, "good.name");
}
END_TEST

/* The policy DESIGN §6 gives as the example: string name "echo" only for package "echo-server". */
static const struct hk_cap_process_info *package_cap;

static uint32_t echo_only_for_package(void *ctx, hk_pid pid, const uint8_t *name, size_t len)
{
	size_t plen;
	const uint8_t *package = hk_process_package_name(ctx, package_cap, pid, &plen);

	if (len != NAME_LEN || memcmp(name, name20("echo"), NAME_LEN) != 0)
		return 0;
	return package && plen == 11 && memcmp(package, "echo-server", 11) == 0 ? 0 : TOCK_ERR_FAIL;
}

START_TEST(test_policy_by_package)
{
	struct hk_process *impostor, *real, *c;

	teardown();
	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	package_cap = hk_fake_caps(w)->process_info;
	reg = ipc_registry_string_name_new(hk_fake_kernel(w), REG, echo_only_for_package, hk_fake_kernel(w));
	ck_assert_int_eq(hk_fake_register_driver(w, REG, &ipc_registry_string_name_ops, reg), 0);
	impostor = ipc_test_spawn(w, "impostor", 0, HK_FAULT_STOP);
	real = ipc_test_spawn(w, "echo-server", 0, HK_FAULT_STOP);
	c = ipc_test_spawn(w, "client", 0, HK_FAULT_STOP);

	ck_assert_fail(do_register(impostor, "echo"), TOCK_ERR_FAIL);
	register_ok(impostor, "something-else");
	register_ok(real, "echo");
	expect_discover(c, "echo", real);
}
END_TEST

START_TEST(test_no_policy_allows_all)
{
	struct hk_process *a;

	teardown();
	make_world(NULL, NULL);
	a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	register_ok(a, "bad.but.allowed");
	ck_assert_uint_eq(policy_calls, 0);
}
END_TEST

/* ---- "a service registered" notification (extension) ---- */

START_TEST(test_service_registered_notification)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *watcher = ipc_test_spawn(w, "watcher", 0, HK_FAULT_STOP);
	struct hk_process *stranger = ipc_test_spawn(w, "stranger", 0, HK_FAULT_STOP);

	ck_assert_uint_eq(hk_fake_subscribe(w, watcher, REG, 2, hk_fake_upcall_fn(w, watcher, 2), 0x77).r0,
	                  TOCK_RET_SUCCESS_U32_U32);
	ck_assert_ok(hk_fake_command(w, watcher, REG, 0, 0, 0));
	register_ok(a, "svc");
	ck_assert_upcall(w, watcher, REG, 2, 0, 0, 0);
	/* Not to the registrant itself, nor to a process that never used the driver. */
	ck_assert_no_upcall(w, a, REG, 2);
	ck_assert_no_upcall(w, stranger, REG, 2);
	ck_assert_ptr_null(hk_grant_get(hk_fake_kernel(w), REG, ipc_test_pid(stranger)));
	/* A failed registration announces nothing. */
	ck_assert_fail(do_register(watcher, "svc"), TOCK_ERR_ALREADY);
	ck_assert_no_upcall(w, a, REG, 2);
}
END_TEST

START_TEST(test_service_registered_coalesces)
{
	struct hk_process *a = ipc_test_spawn(w, "a", 0, HK_FAULT_STOP);
	struct hk_process *watcher = ipc_test_spawn(w, "watcher", 0, HK_FAULT_STOP);
	struct hk_process_stats before, after;

	ck_assert_ok(hk_fake_command(w, watcher, REG, 0, 0, 0));
	hk_process_get_stats(watcher, &before);
	for (int i = 0; i < 50; i++)
		register_ok(a, i % 2 ? "flood.one" : "flood.two");
	hk_process_get_stats(watcher, &after);
	/* 50 registrations, one queued entry: the rest were coalesced, none dropped. */
	ck_assert_uint_eq(after.upcalls_queued, before.upcalls_queued + 1);
	ck_assert_uint_eq(after.upcalls_coalesced, before.upcalls_coalesced + 49);
	ck_assert_uint_eq(after.upcalls_dropped, before.upcalls_dropped);
	ck_assert_upcall(w, watcher, REG, 2, 0, 0, 0);
	ck_assert_no_upcall(w, watcher, REG, 2);
	/* Once consumed, the next registration is announced again. */
	register_ok(a, "flood.three");
	ck_assert_upcall(w, watcher, REG, 2, 0, 0, 0);
}
END_TEST

START_TEST(test_free_null)
{
	ipc_registry_string_name_free(NULL);
}
END_TEST

static Suite *registry_string_name_suite(void)
{
	Suite *s = suite_create("ipc_registry_string_name");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_bare_commands, 0, sizeof(bare_cmds) / sizeof(bare_cmds[0]));
	tcase_add_loop_test(tc, test_name_shape, 0, sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, test_register_and_discover);
	tcase_add_test(tc, test_discover_not_found_and_not_self);
	tcase_add_test(tc, test_already_held_by_live_process);
	tcase_add_test(tc, test_reregister_replaces_own);
	tcase_add_loop_test(tc, test_registration_vanishes_with_process, 0, sizeof(deaths) / sizeof(deaths[0]));
	tcase_add_loop_test(tc, test_policy_rejects, 0, sizeof(verdicts) / sizeof(verdicts[0]));
	tcase_add_test(tc, test_policy_by_package);
	tcase_add_test(tc, test_no_policy_allows_all);
	tcase_add_test(tc, test_service_registered_notification);
	tcase_add_test(tc, test_service_registered_coalesces);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(registry_string_name_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
