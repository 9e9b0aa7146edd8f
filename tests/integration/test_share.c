/* Integration tests of IPC Share with real app processes: data both ways, MMU enforcement, revocation, budgets, leaks. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "th_suite.h"

#define SHARE_WINDOW "0x80000000"

/* One fault of `app` with this cause prefix, and no app line claiming it escaped. */
static void expect_fault(const struct th_result *r, const char *app, const char *cause_prefix, const char *access)
{
	struct th_fault f[4];
	size_t n = th_faults(r->err, app, f, 4);

	th_expect(r, n == 1, "want one fault of %s, got %zu", app, n);
	th_expect(r, !strncmp(f[0].cause, cause_prefix, strlen(cause_prefix)), "cause '%s', want '%s...'", f[0].cause,
		  cause_prefix);
	th_expect(r, f[0].has_address && !strcmp(f[0].access, access), "address line: want a %s", access);
	th_expect(r, !strstr(r->out, "ESCAPED") && !strstr(r->out, "UNEXPECTED"), "the app got past the MMU");
}

/* The example pair: a ring of 1000 samples, read by the consumer, tail advanced back to the producer. */
START_TEST(test_example_pair)
{
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", th_app("shm_producer"), th_app("shm_consumer")));
	th_expect_clean(&r);
	th_expect(&r, strstr(r.out, "shm_consumer: 1000 samples in order") != NULL, "consumer did not finish");
	th_expect(&r, strstr(r.out, "shm_producer: 1000 samples consumed") != NULL, "producer never saw the tail");
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_result_free(&r);
}
END_TEST

/* A read-only grant is unwritable by the host MMU: the write faults with the window address. */
START_TEST(test_read_only_enforced)
{
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--fault-policy", "stop", "--virtual-time", "--run-for", "60",
				 th_app("share_owner"), th_app("share_ro_reader")));
	th_expect_clean(&r);
	th_expect(&r, th_has_line(r.out, "[share_ro_reader] share_ro_reader: read 'hello from the owner' at " SHARE_WINDOW),
		  "the reader did not see the owner's bytes");
	expect_fault(&r, "share_ro_reader", "memory access violation: write at " SHARE_WINDOW, "write");
	th_result_free(&r);
}
END_TEST

/* Data both ways, then the owner faults: the peer gets upcall 1 and its next access faults. */
START_TEST(test_owner_fault_revokes)
{
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--fault-policy", "stop", "--virtual-time", "--run-for", "60",
				 th_app("share_owner"), th_app("share_peer")));
	th_expect_clean(&r);
	th_expect(&r, th_has_line(r.out, "[share_peer] share_peer: owner sees 'pong from peer'"), "peer's write unseen");
	th_expect(&r, th_has_line(r.out, "[share_peer] share_peer: region 1 gone (owner ok)"), "no upcall 1");
	expect_fault(&r, "org.tockhost.share_owner", "memory access violation: write at 0x10", "write");
	expect_fault(&r, "share_peer", "memory access violation: read at " SHARE_WINDOW, "read");
	th_result_free(&r);
}
END_TEST

/* Unmap, remap, revoke, destroy and their errors; a use after destroy faults. */
START_TEST(test_sequences)
{
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--fault-policy", "stop", "--virtual-time", "--run-for", "60",
				 th_app("share_owner"), th_app("share_sequence")));
	th_expect_clean(&r);
	th_expect(&r, strstr(r.out, "share_sequence: 0 unexpected results") != NULL, "a step gave the wrong result");
	th_expect(&r, th_has_line(r.out, "[share_sequence] share_sequence: map after revoke: INVAL"), "revoke kept it");
	expect_fault(&r, "share_sequence", "memory access violation: read at " SHARE_WINDOW, "read");
	th_result_free(&r);
}
END_TEST

/* Per MPU model: which sizes exist and how many regions fit next to flash and RAM. */
static const struct {
	const char *model;
	const char *lines[4];
} budgets[] = {
	{ "cortex-m", { "size 48: INVAL", "size 32: SUCCESS", "size 12288: INVAL", "6 regions, then NOMEM" } },
	{ "pmp", { "size 48: SUCCESS", "size 4: SUCCESS", "size 6000: SUCCESS", "14 regions, then NOMEM" } },
	{ "host", { "size 32: INVAL", "size 12288: SUCCESS", "size 16781312: SIZE", "62 regions, then NOMEM" } },
};

START_TEST(test_budget_per_model)
{
	char text[64], line[96];
	struct th_result r;

	snprintf(text, sizeof(text), "[kernel]\nmpu = %s\n", budgets[_i].model);
	th_run(&r, NULL, TH_ARGS(TH_RUN, "--board", th_tmp_file("mpu.ini", text), th_app("share_budget")));
	th_expect_clean(&r);
	for (int i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "[share_budget] share_budget: %s", budgets[_i].lines[i]);
		th_expect(&r, th_has_line(r.out, line), "%s: missing '%s'", budgets[_i].model, line);
	}
	th_expect(&r, r.exit_code == 0, "exit status %d", r.exit_code);
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

START_TEST(test_bad_mpu_key)
{
	struct th_result r;

	th_run(&r, NULL, TH_ARGS(TH_RUN, "--board", th_tmp_file("bad.ini", "[kernel]\n\nmpu = armv9\n"), th_app("hello")));
	th_expect(&r, r.exit_code == 1 && strstr(r.err, ":3: bad value 'armv9' for key 'mpu'"), "bad mpu not named");
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

/* What of tockhost could leak per cycle: open fds, share memfd mappings, resident memory. */
struct usage {
	unsigned fds, share_maps;
	unsigned long rss_kib;
};

static struct usage usage_of(pid_t pid)
{
	struct usage u = { 0, 0, 0 };
	char path[64], line[512];
	struct dirent *d;
	DIR *dir;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	ck_assert_ptr_nonnull(dir);
	while ((d = readdir(dir)))
		u.fds += d->d_name[0] != '.';
	closedir(dir);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		u.share_maps += strstr(line, "memfd:tockhost-share") != NULL;
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		sscanf(line, "VmRSS: %lu", &u.rss_kib);
	fclose(f);
	return u;
}

/* 1,000 create/grant/map/unmap/destroy cycles: tockhost's fds and mappings stay put, RSS barely moves. */
START_TEST(test_thousand_cycles_no_leak)
{
	struct th_proc p;
	struct th_result r;
	struct usage early, late;
	const char *asan = getenv("ASAN_OPTIONS");
	char options[512];

	/* Under ASan freed memory sits in a quarantine that grows RSS by design: turn it off for this run. */
	snprintf(options, sizeof(options), "%s%squarantine_size_mb=0", asan ? asan : "", asan && *asan ? ":" : "");
	setenv("ASAN_OPTIONS", options, 1);
	ck_assert_int_eq(th_start(&p, TH_ARGS(TH_RUN, "--quiet", th_app("share_owner"), th_app("share_cycles")), NULL), 0);
	ck_assert_msg(th_wait_stdout(&p, "share_cycles: cycle 100\n"), "no progress to cycle 100");
	early = usage_of(p.pid);
	ck_assert_msg(th_wait_stdout(&p, "share_cycles: cycle 1000\n"), "no progress to cycle 1000");
	late = usage_of(p.pid);
	th_finish(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, th_has_line(r.out, "[share_cycles] share_cycles: done"), "cycles did not finish");
	th_expect(&r, late.fds == early.fds, "fds grew from %u to %u", early.fds, late.fds);
	th_expect(&r, late.share_maps == early.share_maps, "share mappings grew from %u to %u", early.share_maps,
		  late.share_maps);
	/* 900 leaked 4 KiB regions would be 3.6 MiB; bookkeeping (and ASan's quarantine) stays far below 1 MiB. */
	th_expect(&r, late.rss_kib < early.rss_kib + 1024, "RSS grew from %lu to %lu KiB", early.rss_kib, late.rss_kib);
	th_expect(&r, r.exit_code == 0, "exit status %d", r.exit_code);
	th_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_share");
	TCase *tc = th_tcase("share");

	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_example_pair);
	tcase_add_test(tc, test_read_only_enforced);
	tcase_add_test(tc, test_owner_fault_revokes);
	tcase_add_test(tc, test_sequences);
	tcase_add_loop_test(tc, test_budget_per_model, 0, TH_ARRAY_SIZE(budgets));
	tcase_add_test(tc, test_bad_mpu_key);
	tcase_add_test(tc, test_thousand_cycles_no_leak);
	return th_run_suite(s);
}
