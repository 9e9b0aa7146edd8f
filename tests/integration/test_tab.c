/* Integration tests: TAB files made by GNU tar run under tockhost; hostile TABs get one clear line and load nothing. */
#include <stdio.h>
#include <stdlib.h>

#include "th_suite.h"

#define HELLO_LINE "[hello] Hello from Tock on tockhost!"

/*
 * Run a shell command in the test's temp dir, with $HELLO the path of hello.tbf. Every case starts
 * from s/ holding metadata.toml (as elf2tab writes it) and x86_64.tbf (a copy of hello.tbf).
 */
static void sh(const char *cmd)
{
	char full[8192];
	int status;

	ck_assert_int_eq(setenv("D", th_tmpdir(), 1), 0);
	ck_assert_int_eq(setenv("HELLO", th_app("hello"), 1), 0);
	snprintf(full, sizeof(full),
		 "set -e; cd \"$D\"; if [ ! -d s ]; then mkdir s; cp \"$HELLO\" s/x86_64.tbf;"
		 " printf 'tab-version = 1\\nname = \"hello\"\\nonly-for-boards = \"\"\\n"
		 "minimum-tock-kernel-version = \"2.3\"\\nbuild-date = 2026-12-08T01:00:00Z\\n' > s/metadata.toml; fi; %s",
		 cmd);
	status = system(full);
	ck_assert_msg(status == 0, "shell command failed (status 0x%x): %s", status, cmd);
}

static const char *tmp_path(const char *name)
{
	static char paths[4][4096];
	static unsigned next;
	char *p = paths[next++ % 4];

	snprintf(p, sizeof(paths[0]), "%s/%s", th_tmpdir(), name);
	return p;
}

static void cleanup(void)
{
	sh("rm -rf -- \"$D\"/*");
	th_tmpdir_cleanup();
}

/* A TAB as elf2tab makes it, plus TBFs for other architectures: tockhost runs its x86_64.tbf. */
START_TEST(test_tab_runs)
{
	const char *tab = tmp_path("hello.tab");
	struct th_result r;
	struct th_loaded l[2];

	sh("cp s/x86_64.tbf s/cortex-m4.tbf && cp s/x86_64.tbf s/rv32imac.tbf &&"
	   " tar -cf hello.tab -C s metadata.toml cortex-m4.tbf x86_64.tbf rv32imac.tbf");
	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", tab, th_app("rng_app")));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_expect(&r, th_has_line(r.out, HELLO_LINE), "hello from the TAB did not run");
	th_expect(&r, th_has_line(r.out, "[rng_app] rng_app done"), "rng_app did not run");
	th_expect(&r, th_loaded(r.err, "hello", l, 2) == 1, "hello not loaded exactly once");
	th_result_free(&r);
	cleanup();
}
END_TEST

/* A TAB written by `tbftool pack` runs too. */
START_TEST(test_packed_tab_runs)
{
	const char *tab = tmp_path("packed.tab");
	struct th_result r;

	ck_assert_msg(getenv("TBFTOOL") && getenv("APPS_DIR"), "TBFTOOL and APPS_DIR must be set");
	sh("\"$TBFTOOL\" pack --name packed --output packed.tab \"$APPS_DIR/hello.elf\"");
	th_run(&r, NULL, TH_ARGS(TH_RUN, tab));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_expect(&r, th_has_line(r.out, "[packed] Hello from Tock on tockhost!"), "the packed TAB did not run");
	th_result_free(&r);
	cleanup();
}
END_TEST

/* `tar -C dir .` writes "./" and "./x86_64.tbf": the same TAB. */
START_TEST(test_tab_dot_names)
{
	const char *tab = tmp_path("dot.tab");
	struct th_result r;

	sh("tar -cf dot.tab -C s .");
	th_run(&r, NULL, TH_ARGS(TH_RUN, tab));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0 && th_has_line(r.out, HELLO_LINE), "hello from ./x86_64.tbf did not run");
	th_result_free(&r);
	cleanup();
}
END_TEST

/* `tockhost test` takes a TAB as a spec's image. */
START_TEST(test_tab_in_spec)
{
	const char *spec;
	char text[8192];
	struct th_result r;

	sh("tar -cf spec.tab -C s metadata.toml x86_64.tbf");
	snprintf(text, sizeof(text), "[test]\nname = tab\ntimeout = 30\n\n[app hello]\nimage = %s\n"
		 "expect = Hello from Tock on tockhost!\nexit = 0\n", tmp_path("spec.tab"));
	spec = th_tmp_file("tab.ini", text);
	th_run(&r, NULL, TH_ARGS("test", spec));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "tockhost test with a TAB image: exit status %d, want 0", r.exit_code);
	th_result_free(&r);
	cleanup();
}
END_TEST

static const struct bad_tab {
	const char *file;
	const char *make; /* shell, run in the temp dir */
	const char *says; /* the error line (after "tockhost: FILE: ") contains this */
} bad_tabs[] = {
	{ "noarch.tab",
	  "mkdir o && cp s/x86_64.tbf o/cortex-m4.tbf && cp s/x86_64.tbf o/rv32imac.tbf &&"
	  " tar -cf noarch.tab -C o cortex-m4.tbf rv32imac.tbf",
	  "TAB: no x86_64.tbf; the TAB has only cortex-m4.tbf, rv32imac.tbf" },
	{ "empty.tab", "mkdir e && cp s/metadata.toml e/ && tar -cf empty.tab -C e metadata.toml",
	  "TAB: no x86_64.tbf (the TAB holds no .tbf file at all)" },
	{ "truncated.tab", "tar -cf full.tab -C s metadata.toml x86_64.tbf && head -c 4096 full.tab > truncated.tab",
	  "TAB member 'x86_64.tbf' at offset 1024: truncated or damaged archive" },
	{ "headcut.tab", "tar -cf full.tab -C s metadata.toml x86_64.tbf && head -c 1200 full.tab > headcut.tab",
	  "TAB: truncated or damaged tar archive" },
	{ "traversal.tab", "tar -cPf traversal.tab -C s --transform='s,^x86,../x86,' metadata.toml x86_64.tbf",
	  "TAB member '../x86_64.tbf' at offset 1024: a path with '..'" },
	{ "absolute.tab", "tar -cPf absolute.tab \"$D/s/x86_64.tbf\"", "an absolute path" },
	{ "subdir.tab", "tar -cf subdir.tab s/x86_64.tbf", "TAB member 's/x86_64.tbf' at offset 0: in a subdirectory" },
	{ "huge.tab", "mkdir h && truncate -s 100M h/x86_64.tbf && tar -S -cf huge.tab -C h x86_64.tbf",
	  "TAB member 'x86_64.tbf' at offset 0: 104857600 bytes, more than the 67108864-byte limit" },
	{ "symlink.tab", "mkdir l && ln -s \"$HELLO\" l/x86_64.tbf && tar -cf symlink.tab -C l x86_64.tbf",
	  "TAB member 'x86_64.tbf' at offset 0: a symbolic link, not a regular file" },
	{ "hardlink.tab", "mkdir k && cp s/x86_64.tbf k/a.tbf && ln k/a.tbf k/x86_64.tbf &&"
	  " tar -cf hardlink.tab -C k a.tbf x86_64.tbf", "a hard link, not a regular file" },
	{ "fifo.tab", "mkdir f && mkfifo f/x86_64.tbf && tar -cf fifo.tab -C f x86_64.tbf", "a FIFO, not a regular file" },
	{ "duplicate.tab", "tar -cf duplicate.tab -C s metadata.toml x86_64.tbf && tar -rf duplicate.tab -C s x86_64.tbf",
	  "a second member of that name" },
	{ "badtbf.tab", "mkdir c && cp s/x86_64.tbf c/ && printf 'Z' | dd of=c/x86_64.tbf bs=1 seek=13 conv=notrunc"
	  " 2>/dev/null && tar -cf badtbf.tab -C c x86_64.tbf", "x86_64.tbf: checksum at offset 12: bad checksum" },
	{ "text.bin", "echo 'just some text, neither an app nor an archive' > text.bin",
	  "version at offset 0: neither a TBF image (version 30058, expected 2) nor a TAB (tar archive)" },
};

/* Each bad TAB: one "tockhost: FILE: ..." line that says what is wrong; nothing of it runs; hello still does. */
START_TEST(test_bad_tab)
{
	const struct bad_tab *c = &bad_tabs[_i];
	const char *path = tmp_path(c->file);
	char prefix[4200];
	struct th_result r;
	struct th_lines l;
	struct th_loaded loaded[2];
	const char *line = NULL;
	size_t naming = 0;

	sh(c->make);
	snprintf(prefix, sizeof(prefix), "tockhost: %s: ", path);
	th_run(&r, NULL, TH_ARGS(TH_RUN, path, th_app("hello")));
	th_expect_clean(&r);
	th_lines_split(r.err, &l);
	for (size_t i = 0; i < l.n; i++) {
		if (strstr(l.v[i], c->file)) {
			naming++;
			line = l.v[i];
		}
	}
	th_expect(&r, naming == 1, "%s: %zu stderr lines name the file, want 1", c->file, naming);
	th_expect(&r, strncmp(line, prefix, strlen(prefix)) == 0, "%s: line does not start '%s'", c->file, prefix);
	th_expect(&r, strstr(line + strlen(prefix), c->says) != NULL, "%s: line lacks '%s'", c->file, c->says);
	th_expect(&r, th_loaded(r.err, "hello", loaded, 2) == 1, "%s: want hello loaded once (from hello.tbf only)",
		  c->file);
	th_expect(&r, th_has_line(r.out, HELLO_LINE), "%s: hello did not run", c->file);
	th_expect(&r, r.exit_code == 1, "%s: exit status %d, want 1 (an app did not load)", c->file, r.exit_code);
	th_lines_free(&l);
	th_result_free(&r);
	cleanup();
}
END_TEST

static Suite *tab_suite(void)
{
	Suite *s = suite_create("integration-tab");
	TCase *tc = th_tcase("tab");

	tcase_add_test(tc, test_tab_runs);
	tcase_add_test(tc, test_packed_tab_runs);
	tcase_add_test(tc, test_tab_dot_names);
	tcase_add_test(tc, test_tab_in_spec);
	tcase_add_loop_test(tc, test_bad_tab, 0, TH_ARRAY_SIZE(bad_tabs));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run_suite(tab_suite());
}
