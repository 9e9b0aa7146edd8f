/* Tests for tbftool's TAB support: pack writes a tar GNU tar reads, inspect reads TABs (good, hostile, neither). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool_run.h"

/* A shell command in the temp dir (GNU tar makes and reads the archives here). */
static void sh(const char *cmd)
{
	char full[4096];
	int status;

	snprintf(full, sizeof(full), "set -e; cd '%s'; %s", tmp_path(""), cmd);
	status = system(full);
	ck_assert_msg(status == 0, "shell command failed (status 0x%x): %s", status, cmd);
}

static char *file_text(const char *name)
{
	return (char *)slurp(tmp_path(name)).data;
}

static void pack(const char *name, const char *out, const char *extra1, const char *extra2)
{
	const char *args[] = { "pack", "--name", name, "--output", out, elf_path, extra1, extra2, NULL };

	ck_assert_msg(run_tool(args) == 0, "pack %s failed: %s", out, tool_output("stderr"));
}

/* An output ending in .tab is a TAB: GNU tar lists metadata.toml and x86_64.tbf, the TBF is the plain pack's. */
START_TEST(test_pack_tab_by_name)
{
	static const char head[] = "tab-version = 1\nname = \"tiny\"\nonly-for-boards = \"\"\n"
				   "minimum-tock-kernel-version = \"2.3\"\nbuild-date = ";
	struct blob tbf, member;
	char *list, *meta, *date;
	int y, mo, d, h, mi, s;

	pack("tiny", tmp_path("tiny.tab"), NULL, NULL);
	pack("tiny", tmp_path("tiny.tbf"), NULL, NULL);
	sh("tar -tf tiny.tab > list.txt && tar -xOf tiny.tab x86_64.tbf > member.tbf &&"
	   " tar -xOf tiny.tab metadata.toml > metadata.toml");
	list = file_text("list.txt");
	ck_assert_str_eq(list, "metadata.toml\nx86_64.tbf\n");
	tbf = slurp(tmp_path("tiny.tbf"));
	member = slurp(tmp_path("member.tbf"));
	ck_assert_uint_eq(member.len, tbf.len);
	ck_assert_mem_eq(member.data, tbf.data, tbf.len);
	meta = file_text("metadata.toml");
	ck_assert_msg(strncmp(meta, head, strlen(head)) == 0, "metadata: %s", meta);
	date = meta + strlen(head); /* RFC 3339 in UTC, to the second, unquoted (a TOML date-time) */
	ck_assert_msg(sscanf(date, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &s) == 6 && y >= 2024 &&
		      date[4] == '-' && date[19] == 'Z' && !strcmp(date + 20, "\n"), "build-date: %s", date);
	free(list);
	free(meta);
	free(tbf.data);
	free(member.data);
}
END_TEST

/* --tab makes a TAB whatever the name; --deterministic leaves out build-date and is byte-for-byte repeatable. */
START_TEST(test_pack_tab_deterministic)
{
	struct blob a, b;
	char *meta, *list;

	pack("q\"uo\\te", tmp_path("a.bin"), "--tab", "--deterministic");
	pack("q\"uo\\te", tmp_path("b.bin"), "--deterministic", "--tab");
	a = slurp(tmp_path("a.bin"));
	b = slurp(tmp_path("b.bin"));
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_mem_eq(a.data, b.data, a.len);
	ck_assert_uint_eq(a.len % 512, 0);
	sh("tar -tvf a.bin > list.txt && tar -xOf a.bin metadata.toml > metadata.toml");
	meta = file_text("metadata.toml");
	ck_assert_str_eq(meta, "tab-version = 1\nname = \"q\\\"uo\\\\te\"\nonly-for-boards = \"\"\n"
			       "minimum-tock-kernel-version = \"2.3\"\n");
	list = file_text("list.txt");
	ck_assert_msg(strstr(list, "1970-01-01") && strstr(list, " x86_64.tbf\n") && strstr(list, " metadata.toml\n"),
		      "tar -tv: %s", list);
	free(meta);
	free(list);
	free(a.data);
	free(b.data);
}
END_TEST

START_TEST(test_pack_deterministic_needs_tab)
{
	const char *args[] = { "pack", "--name", "x", "--deterministic", "--output", tmp_path("x.tbf"), elf_path, NULL };
	char *err;

	ck_assert_int_eq(run_tool(args), 1);
	err = tool_output("stderr");
	ck_assert_msg(strstr(err, "--deterministic is for TABs"), "stderr: %s", err);
	free(err);
}
END_TEST

/* inspect of a TAB: the metadata, which TBF tockhost runs, and each TBF in full. */
START_TEST(test_inspect_tab)
{
	const char *tab = tmp_path("multi.tab");
	const char *args[] = { "inspect", tab, NULL };
	char *out, want[700];

	pack("tiny", tmp_path("x86_64.tbf"), NULL, NULL);
	pack("other", tmp_path("rv32imac.tbf"), NULL, NULL);
	sh("printf 'tab-version = 1\\nname = \"tiny\"\\n' > metadata.toml &&"
	   " tar -cf multi.tab metadata.toml rv32imac.tbf x86_64.tbf");
	ck_assert_int_eq(run_tool(args), 0);
	out = tool_output("stdout");
	snprintf(want, sizeof(want), "%s: TAB (tar archive), 3 members, 2 TBFs\n  metadata.toml          30 bytes\n"
		 "    tab-version = 1\n    name = \"tiny\"\n  tockhost runs          x86_64.tbf\n%s:rv32imac.tbf:\n",
		 tab, tab);
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "stdout:\n%s\nwant start:\n%s", out, want);
	snprintf(want, sizeof(want), "%s:x86_64.tbf:\n", tab);
	ck_assert_msg(strstr(out, want), "no section for x86_64.tbf: %s", out);
	ck_assert_ptr_nonnull(strstr(out, "package_name           \"other\""));
	ck_assert_ptr_nonnull(strstr(out, "package_name           \"tiny\""));
	ck_assert_ptr_nonnull(strstr(out, "3 SHA-256"));
	free(out);
}
END_TEST

/* Hostile or broken TABs and non-TBF files: exit 1 and one line saying what is wrong. */
static const struct {
	const char *file, *make, *says;
} bad[] = {
	{ "traversal.tab", "tar -cPf traversal.tab --transform='s,^,../,' x86_64.tbf",
	  "traversal.tab: TAB member '../x86_64.tbf' at offset 0: a path with '..'" },
	{ "symlink.tab", "mkdir -p l && ln -sf ../x86_64.tbf l/x86_64.tbf && tar -cf symlink.tab -C l x86_64.tbf",
	  "symlink.tab: TAB member 'x86_64.tbf' at offset 0: a symbolic link, not a regular file" },
	{ "truncated.tab", "tar -cf full.tab x86_64.tbf && head -c 2000 full.tab > truncated.tab",
	  "truncated.tab: TAB member 'x86_64.tbf' at offset 0: truncated or damaged archive" },
	{ "badtbf.tab", "mkdir -p c && cp x86_64.tbf c/ && printf 'Z' | dd of=c/x86_64.tbf bs=1 seek=13 conv=notrunc"
	  " 2>/dev/null && tar -cf badtbf.tab -C c x86_64.tbf",
	  "badtbf.tab:x86_64.tbf: checksum at offset 12: bad checksum" },
	{ "text.txt", "echo 'plain text' > text.txt",
	  "text.txt: version at offset 0: neither a TBF image (version 27760, expected 2) nor a TAB (tar archive)" },
	{ "one.bin", "printf 'x' > one.bin", "one.bin: version at offset 0: neither a TBF image (1 bytes, too short)" },
};

START_TEST(test_inspect_bad)
{
	const char *path = tmp_path(bad[_i].file);
	const char *args[] = { "inspect", path, NULL };
	char *err, want[700];

	pack("tiny", tmp_path("x86_64.tbf"), NULL, NULL);
	sh(bad[_i].make);
	ck_assert_int_eq(run_tool(args), 1);
	err = tool_output("stderr");
	snprintf(want, sizeof(want), "%s%s", tmp_path(""), bad[_i].says);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "stderr: %s\nwant: %s", err, want);
	ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1, "not one line: %s", err);
	free(err);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("tbftool_tab");
	TCase *tc = tcase_create("tab");
	SRunner *sr;
	int failed;

	if (argc != 3) {
		fprintf(stderr, "usage: %s TBFTOOL ELF\n", argv[0]);
		return EXIT_FAILURE;
	}
	if (tool_run_init(argv[1], argv[2]) < 0)
		return EXIT_FAILURE;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pack_tab_by_name);
	tcase_add_test(tc, test_pack_tab_deterministic);
	tcase_add_test(tc, test_pack_deterministic_needs_tab);
	tcase_add_test(tc, test_inspect_tab);
	tcase_add_loop_test(tc, test_inspect_bad, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tool_run_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
