/* Unit tests of the IPC package-name registry (0xA0001) on fake processes: ABI, errors, lifetimes, policy, notifications. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_registry_package_name.h"
#include "ipc_test.h"

#define REG TOCK_DRIVER_IPC_REGISTRY_PACKAGE_NAME

static struct hk_fake_world *w;
static struct ipc_registry_package_name *reg;

/* The policy under test: rejects packages starting with "bad" with `reject_with`, records its calls. */
static uint32_t reject_with;
static unsigned policy_calls;
static hk_pid policy_last_pid;
static char policy_last_name[64];

static uint32_t test_policy(void *ctx, hk_pid pid, const uint8_t *name, size_t len)
{
	ck_assert_ptr_eq(ctx, &reject_with);
	ck_assert_uint_lt(len, sizeof(policy_last_name));
	policy_calls++;
	policy_last_pid = pid;
	memcpy(policy_last_name, name, len);
	policy_last_name[len] = 0;
	return len >= 3 && memcmp(name, "bad", 3) == 0 ? reject_with : 0;
}

static void make_world(bool with_cap)
{
	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	reg = ipc_registry_package_name_new(hk_fake_kernel(w), REG, with_cap ? hk_fake_caps(w)->process_info : NULL,
	                                    test_policy, &reject_with);
	ck_assert_ptr_nonnull(reg);
	ck_assert_int_eq(hk_fake_register_driver(w, REG, &ipc_registry_package_name_ops, reg), 0);
	reject_with = TOCK_ERR_FAIL;
	policy_calls = 0;
}

static void setup(void)
{
	make_world(true);
}

static void teardown(void)
{
	hk_fake_world_free(w);
	ipc_registry_package_name_free(reg);
	w = NULL;
	reg = NULL;
}

static struct hk_process *spawn(const char *package)
{
	return ipc_test_spawn(w, package, 0, HK_FAULT_STOP);
}

static void register_ok(struct hk_process *p)
{
	ck_assert_ok(hk_fake_command(w, p, REG, 1, 0, 0));
	ck_assert_upcall(w, p, REG, 0, 0, 0, 0);
}

/* p discovers `name` (len bytes); expects holder's identifier, or NODEVICE when holder is NULL. */
static void expect_discover_bytes(struct hk_process *p, const void *name, size_t len, struct hk_process *holder)
{
	ipc_test_allow_ro(w, p, REG, 0, name, len);
	ck_assert_ok(hk_fake_command(w, p, REG, 2, 0, 0));
	if (holder) {
		uint64_t id = ipc_test_id(w, holder);

		ck_assert_upcall(w, p, REG, 1, 0, ipc_identifier_low(id), ipc_identifier_high(id));
	} else {
		ck_assert_upcall(w, p, REG, 1, TOCK_ERR_NODEVICE, 0, 0);
	}
}

static void expect_discover(struct hk_process *p, const char *name, struct hk_process *holder)
{
	expect_discover_bytes(p, name, strlen(name), holder);
}

static size_t registrations(void)
{
	size_t cursor = 0, n = 0;

	while (ipc_registry_package_name_next(reg, &cursor, NULL, NULL, NULL, NULL))
		n++;
	return n;
}

/* ---- command decoding ---- */

static const struct {
	uint32_t cmd;
	uint32_t variant, err;
} bare_cmds[] = {
	{ 0, TOCK_RET_SUCCESS, 0 },
	{ 2, TOCK_RET_SUCCESS, 0 }, /* discover "" : Success, then NODEVICE by upcall */
	{ 3, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0x22, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
};

START_TEST(test_bare_commands)
{
	struct hk_process *p = spawn("a");

	ck_assert_ret(hk_fake_command(w, p, REG, bare_cmds[_i].cmd, 0, 0), bare_cmds[_i].variant, bare_cmds[_i].err, 0,
	              0);
	if (bare_cmds[_i].cmd == 2)
		ck_assert_upcall(w, p, REG, 1, TOCK_ERR_NODEVICE, 0, 0);
	ck_assert_no_upcall(w, p, REG, 0);
	ck_assert_no_upcall(w, p, REG, 1);
}
END_TEST

/* ---- register / discover ---- */

START_TEST(test_register_and_discover)
{
	struct hk_process *server = ipc_test_spawn(w, "org.tock.echo", 0xabcdef01u, HK_FAULT_STOP);
	struct hk_process *client = spawn("client");
	const uint8_t *name;
	size_t cursor = 0, len;
	uint64_t id;
	hk_pid pid;

	/* Not registered yet: the package exists but is not a service. */
	expect_discover(client, "org.tock.echo", NULL);
	ck_assert_uint_eq(registrations(), 0);

	register_ok(server);
	ck_assert_uint_eq(policy_calls, 1);
	ck_assert_uint_eq(policy_last_pid, ipc_test_pid(server));
	ck_assert_str_eq(policy_last_name, "org.tock.echo");
	expect_discover(client, "org.tock.echo", server);
	ck_assert_uint_eq(ipc_identifier_high(ipc_test_id(w, server)), 0xabcdef01u);

	ck_assert(ipc_registry_package_name_next(reg, &cursor, &pid, &id, &name, &len));
	ck_assert_uint_eq(pid, ipc_test_pid(server));
	ck_assert_uint_eq(id, ipc_test_id(w, server));
	ck_assert_uint_eq(len, 13);
	ck_assert_mem_eq(name, "org.tock.echo", 13);
	ck_assert(!ipc_registry_package_name_next(reg, &cursor, &pid, &id, &name, &len));
}
END_TEST

/* Byte-for-byte comparison: prefixes, extensions, a trailing NUL and case all miss. */
static const struct {
	const char *bytes;
	size_t len;
	bool match;
} probes[] = {
	{ "svc", 3, true },  { "sv", 2, false },    { "svcx", 4, false }, { "svc", 4, false }, /* with its NUL */
	{ "SVC", 3, false }, { "", 0, false },
};

START_TEST(test_discover_compares_bytes)
{
	struct hk_process *server = spawn("svc");
	struct hk_process *client = spawn("client");

	register_ok(server);
	expect_discover_bytes(client, probes[_i].bytes, probes[_i].len, probes[_i].match ? server : NULL);
}
END_TEST

START_TEST(test_discover_not_self)
{
	struct hk_process *a = spawn("svc");

	register_ok(a);
	expect_discover(a, "svc", NULL);
}
END_TEST

START_TEST(test_no_package_name_nomem)
{
	struct hk_process *anon = spawn("");
	struct hk_process *c = spawn("c");

	ck_assert_ok(hk_fake_command(w, c, REG, 0, 0, 0));
	ck_assert_fail(hk_fake_command(w, anon, REG, 1, 0, 0), TOCK_ERR_NOMEM);
	ck_assert_no_upcall(w, anon, REG, 0);
	ck_assert_no_upcall(w, c, REG, 2);
	ck_assert_uint_eq(registrations(), 0);
	ck_assert_uint_eq(policy_calls, 0);
}
END_TEST

START_TEST(test_without_capability_nothing_registers)
{
	struct hk_process *a;

	teardown();
	make_world(false);
	a = spawn("svc");
	ck_assert_fail(hk_fake_command(w, a, REG, 1, 0, 0), TOCK_ERR_NOMEM);
}
END_TEST

START_TEST(test_duplicates_first_in_slot_order)
{
	struct hk_process *first = spawn("svc");
	struct hk_process *second = spawn("svc");
	struct hk_process *client = spawn("client");

	/* No duplicate check: both register; discovery finds the first live one in slot order. */
	register_ok(second);
	register_ok(first);
	ck_assert_uint_eq(registrations(), 2);
	expect_discover(client, "svc", first);
	/* A registered process looking for its own package finds the other one. */
	expect_discover(first, "svc", second);
	hk_fake_exit(w, first, TOCK_EXIT_TERMINATE, 0);
	expect_discover(client, "svc", second);
}
END_TEST

/* ---- lifetimes ---- */

START_TEST(test_restart_forgets_and_reregisters)
{
	struct hk_process *a = ipc_test_spawn(w, "svc", 3, HK_FAULT_RESTART);
	struct hk_process *client = spawn("client");
	hk_pid old = ipc_test_pid(a);

	register_ok(a);
	hk_fake_fault(w, a, "test fault");
	ck_assert(!hk_fake_panicked(w, NULL));
	ck_assert_uint_ne(ipc_test_pid(a), old);
	ck_assert_ptr_null(hk_grant_get(hk_fake_kernel(w), REG, old));
	expect_discover(client, "svc", NULL);
	ck_assert_uint_eq(registrations(), 0);
	register_ok(a);
	expect_discover(client, "svc", a);

	hk_fake_exit(w, a, TOCK_EXIT_RESTART, 0);
	expect_discover(client, "svc", NULL);
}
END_TEST

START_TEST(test_fault_stop_forgets)
{
	struct hk_process *a = spawn("svc");
	struct hk_process *client = spawn("client");

	register_ok(a);
	hk_fake_fault(w, a, "test fault");
	ck_assert_int_eq(hk_process_state(a), HK_STATE_FAULTED);
	expect_discover(client, "svc", NULL);
	ck_assert_uint_eq(registrations(), 0);
}
END_TEST

/* ---- registration policy ---- */

START_TEST(test_policy_rejects)
{
	struct hk_process *bad = spawn("bad.package");
	struct hk_process *client = spawn("client");

	ck_assert_ok(hk_fake_command(w, client, REG, 0, 0, 0));
	ck_assert_fail(hk_fake_command(w, bad, REG, 1, 0, 0), TOCK_ERR_FAIL);
	ck_assert_str_eq(policy_last_name, "bad.package");
	reject_with = 99; /* not an ErrorCode: FAIL */
	ck_assert_fail(hk_fake_command(w, bad, REG, 1, 0, 0), TOCK_ERR_FAIL);
	reject_with = TOCK_ERR_BUSY;
	ck_assert_fail(hk_fake_command(w, bad, REG, 1, 0, 0), TOCK_ERR_BUSY);
	ck_assert_no_upcall(w, bad, REG, 0);
	ck_assert_no_upcall(w, client, REG, 2);
	expect_discover(client, "bad.package", NULL);
}
END_TEST

/* ---- "a service registered" notification (extension) ---- */

START_TEST(test_service_registered_coalesces)
{
	struct hk_process *a = spawn("svc");
	struct hk_process *watcher = spawn("watcher");
	struct hk_process *stranger = spawn("stranger");
	struct hk_process_stats before, after;

	ck_assert_ok(hk_fake_command(w, watcher, REG, 0, 0, 0));
	hk_process_get_stats(watcher, &before);
	for (int i = 0; i < 20; i++)
		register_ok(a);
	hk_process_get_stats(watcher, &after);
	ck_assert_uint_eq(after.upcalls_queued, before.upcalls_queued + 1);
	ck_assert_uint_eq(after.upcalls_coalesced, before.upcalls_coalesced + 19);
	ck_assert_upcall(w, watcher, REG, 2, 0, 0, 0);
	ck_assert_no_upcall(w, watcher, REG, 2);
	ck_assert_no_upcall(w, a, REG, 2);
	ck_assert_no_upcall(w, stranger, REG, 2);
}
END_TEST

START_TEST(test_free_null)
{
	ipc_registry_package_name_free(NULL);
}
END_TEST

static Suite *registry_package_name_suite(void)
{
	Suite *s = suite_create("ipc_registry_package_name");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_bare_commands, 0, sizeof(bare_cmds) / sizeof(bare_cmds[0]));
	tcase_add_test(tc, test_register_and_discover);
	tcase_add_loop_test(tc, test_discover_compares_bytes, 0, sizeof(probes) / sizeof(probes[0]));
	tcase_add_test(tc, test_discover_not_self);
	tcase_add_test(tc, test_no_package_name_nomem);
	tcase_add_test(tc, test_without_capability_nothing_registers);
	tcase_add_test(tc, test_duplicates_first_in_slot_order);
	tcase_add_test(tc, test_restart_forgets_and_reregisters);
	tcase_add_test(tc, test_fault_stop_forgets);
	tcase_add_test(tc, test_policy_rejects);
	tcase_add_test(tc, test_service_registered_coalesces);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(registry_package_name_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
