/* Tests for the tbftool CLI: pack a real ELF shared object, parse the result, inspect good and bad copies. */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/tbf.h"
#include "tool_run.h"

/* Parses path with the library and checks it is a well-formed, self-consistent image. */
static struct blob parse_file(const char *path, struct tbf_info *info)
{
	struct blob img = slurp(path);
	struct tbf_error err;
	int r;

	r = tbf_parse(img.data, img.len, info, &err);
	ck_assert_msg(r == 0, "%s: %s at %u: %s", path, err.field, err.offset, err.message);
	r = tbf_verify_credentials(img.data, img.len, info, &err);
	ck_assert_msg(r == 0, "%s: %s at %u: %s", path, err.field, err.offset, err.message);
	ck_assert_uint_eq(info->total_size, img.len);
	ck_assert_uint_eq(info->total_size % 4, 0);
	return img;
}

/* Independent check of the default-RAM formula: writable span page-rounded + guard + stack + heap + grant. */
static uint32_t expected_min_ram(uint32_t stack, uint32_t heap, uint32_t grant)
{
	struct blob elf = slurp(elf_path);
	Elf64_Ehdr eh;
	uint64_t lo = UINT64_MAX, hi = 0, total;

	memcpy(&eh, elf.data, sizeof(eh));
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, elf.data + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W))
			continue;
		if (ph.p_vaddr / 4096 * 4096 < lo)
			lo = ph.p_vaddr / 4096 * 4096;
		if ((ph.p_vaddr + ph.p_memsz + 4095) / 4096 * 4096 > hi)
			hi = (ph.p_vaddr + ph.p_memsz + 4095) / 4096 * 4096;
	}
	free(elf.data);
	ck_assert_uint_ge(hi - lo, 3 * 4096); /* tiny_app's 10000-byte .bss spans pages */
	total = (hi - lo) + 4096 + stack + heap + grant;
	return (uint32_t)((total + 4095) / 4096 * 4096);
}

START_TEST(test_pack_defaults)
{
	const char *out = tmp_path("default.tbf");
	const char *args[] = { "pack", "--name", "tiny", "--output", out, elf_path, NULL };
	struct tbf_info info;
	struct blob img, elf;

	ck_assert_int_eq(run_tool(args), 0);
	img = parse_file(out, &info);
	elf = slurp(elf_path);
	ck_assert_str_eq(info.package_name, "tiny");
	ck_assert(info.has_program);
	ck_assert_uint_eq(info.flags, TBF_FLAG_ENABLED);
	ck_assert(info.has_kernel_version);
	ck_assert_uint_eq(info.kernel_major, 2);
	ck_assert_uint_eq(info.kernel_minor, 3);
	ck_assert_uint_eq(info.short_id, 0);
	ck_assert(!info.has_permissions);
	ck_assert_uint_eq(info.init_fn_offset, 0);
	ck_assert_uint_eq(info.protected_trailer_size, 0);
	ck_assert_uint_eq(info.binary_end_offset, info.header_size + elf.len);
	ck_assert_mem_eq(img.data + info.header_size, elf.data, elf.len);
	ck_assert(info.has_sha256 && info.sha256_verified);
	ck_assert_uint_eq(info.minimum_ram_size, expected_min_ram(16384, 32768, 8192));
	free(img.data);
	free(elf.data);
}
END_TEST

START_TEST(test_pack_options)
{
	const char *out = tmp_path("options.tbf");
	const char *args[] = { "pack", "--name", "org.tockos.examples.rot13", "--output", out,
			       "--min-ram", "0x12345", "--short-id", "0x42", "--permission", "0x1:0:0xf",
			       "--permission", "0x40001:1:0x8000000000000001", "--kernel-version", "2.1",
			       "--disabled", elf_path, NULL };
	struct tbf_info info;
	struct blob img;

	ck_assert_int_eq(run_tool(args), 0);
	img = parse_file(out, &info);
	ck_assert_str_eq(info.package_name, "org.tockos.examples.rot13");
	ck_assert_uint_eq(info.minimum_ram_size, 0x12345);
	ck_assert_uint_eq(info.short_id, 0x42);
	ck_assert_uint_eq(info.flags & TBF_FLAG_ENABLED, 0);
	ck_assert_uint_eq(info.kernel_major, 2);
	ck_assert_uint_eq(info.kernel_minor, 1);
	ck_assert(info.has_permissions);
	ck_assert_uint_eq(info.permission_count, 2);
	ck_assert_uint_eq(info.permissions[0].driver, 1);
	ck_assert_uint_eq(info.permissions[0].offset, 0);
	ck_assert_uint_eq(info.permissions[0].allowed_commands, 0xf);
	ck_assert_uint_eq(info.permissions[1].driver, 0x40001);
	ck_assert_uint_eq(info.permissions[1].offset, 1);
	ck_assert_uint_eq(info.permissions[1].allowed_commands, 0x8000000000000001ull);
	ck_assert_int_eq(tbf_permission_check_command(&info, 1, 3), 0);
	ck_assert_int_ne(tbf_permission_check_command(&info, 1, 4), 0);
	ck_assert_int_eq(tbf_permission_check_command(&info, 0x40001, 127), 0);
	ck_assert(info.sha256_verified);
	free(img.data);
}
END_TEST

START_TEST(test_pack_budget_and_no_sha)
{
	const char *out = tmp_path("budget.tbf");
	const char *args[] = { "pack", "--name", "b", "--output", out, "--stack", "4096", "--heap", "0x100",
			       "--grant", "1", "--no-sha256", elf_path, NULL };
	struct tbf_info info;
	struct blob img;

	ck_assert_int_eq(run_tool(args), 0);
	img = parse_file(out, &info);
	ck_assert_uint_eq(info.minimum_ram_size, expected_min_ram(4096, 0x100, 1));
	ck_assert_uint_eq(info.minimum_ram_size % 4096, 0);
	ck_assert(!info.has_sha256 && !info.sha256_verified);
	free(img.data);
}
END_TEST

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/*
 * --minimum-footer-size reserves footer room as elf2tab does: after the SHA-256 credentials
 * footer (type 128, length 36, format 3, digest) comes one Credentials footer of format Reserved
 * (type 128, length L, format 0, L - 4 zero bytes) so that the footers take at least N bytes and
 * the object ends on a 4-byte boundary; the image still verifies. Checked byte for byte.
 */
START_TEST(test_minimum_footer_size)
{
	static const uint32_t sizes[] = { 256, 1000, 41, 0 };
	const char *out = tmp_path("footer.tbf");
	char n[16];
	const char *pack[] = { "pack", "--name", "footer", "--minimum-footer-size", n, "--output", out, elf_path, NULL };
	uint32_t want = sizes[_i];
	struct tbf_info info;
	struct blob img;
	uint32_t pos, footers, reserved;

	snprintf(n, sizeof(n), "%u", want);
	ck_assert_int_eq(run_tool(pack), 0);
	img = parse_file(out, &info); /* parses and verifies the SHA-256 */
	ck_assert(info.sha256_verified);
	ck_assert_uint_eq(info.total_size, img.len);
	ck_assert_uint_eq(info.total_size % 4, 0);
	footers = info.total_size - info.binary_end_offset;
	ck_assert_uint_ge(footers, want);
	ck_assert_uint_lt(footers, (want > 40 ? want : 40) + 8 + 4); /* no more than the rounding needs */
	pos = info.binary_end_offset;
	/* SHA-256 credentials: type 128, length 36, format 3 (SHA256). */
	ck_assert_uint_eq(img.data[pos] | (img.data[pos + 1] << 8), 128);
	ck_assert_uint_eq(img.data[pos + 2] | (img.data[pos + 3] << 8), 36);
	ck_assert_uint_eq(le32(img.data + pos + 4), 3);
	pos += 40;
	if (pos == info.total_size) {
		ck_assert_uint_le(want, 40); /* room enough already, and aligned */
	} else {
		/* Reserved credentials: type 128, length L, format 0, then zeros to total_size. */
		reserved = info.total_size - pos;
		ck_assert_uint_ge(reserved, 8);
		ck_assert_uint_eq(img.data[pos] | (img.data[pos + 1] << 8), 128);
		ck_assert_uint_eq(img.data[pos + 2] | (img.data[pos + 3] << 8), reserved - 4);
		ck_assert_uint_eq(le32(img.data + pos + 4), 0);
		for (uint32_t i = pos + 8; i < info.total_size; i++)
			ck_assert_msg(img.data[i] == 0, "reserved byte at %u is 0x%02x", i, img.data[i]);
	}
	free(img.data);
}
END_TEST

START_TEST(test_minimum_footer_size_bad)
{
	const char *out = tmp_path("footer-bad.tbf");
	const char *pack[] = { "pack", "--name", "footer", "--minimum-footer-size", "65536", "--output", out, elf_path, NULL };
	char *text;

	ck_assert_int_eq(run_tool(pack), 1);
	text = tool_output("stderr");
	ck_assert_msg(strstr(text, "--minimum-footer-size"), "stderr: %s", text);
	free(text);
}
END_TEST

/* Several TBFs back to back (as in flash, and as tockhost run loads them): inspect prints every one. */
START_TEST(test_inspect_several_objects)
{
	const char *a = tmp_path("first.tbf"), *b = tmp_path("second.tbf"), *both = tmp_path("both.tbf");
	const char *pack_a[] = { "pack", "--name", "first", "--output", a, elf_path, NULL };
	const char *pack_b[] = { "pack", "--name", "second", "--output", b, elf_path, NULL };
	const char *inspect[] = { "inspect", both, NULL };
	struct blob ia, ib, cat;
	struct tbf_info info_a, info_b;
	char *text, want[600];

	ck_assert_int_eq(run_tool(pack_a), 0);
	ck_assert_int_eq(run_tool(pack_b), 0);
	ia = parse_file(a, &info_a);
	ib = parse_file(b, &info_b);
	cat.len = ia.len + ib.len + 512; /* then 512 zero bytes: erased flash, not a TBF */
	cat.data = calloc(1, cat.len);
	ck_assert_ptr_nonnull(cat.data);
	memcpy(cat.data, ia.data, ia.len);
	memcpy(cat.data + ia.len, ib.data, ib.len);
	spit(both, &cat);
	ck_assert_int_eq(run_tool(inspect), 0);
	text = tool_output("stdout");
	ck_assert_ptr_nonnull(strstr(text, "package_name           \"first\""));
	ck_assert_ptr_nonnull(strstr(text, "package_name           \"second\""));
	snprintf(want, sizeof(want), "%s, object 2 at offset %zu:", both, ia.len);
	ck_assert_msg(strstr(text, want), "stdout lacks '%s': %s", want, text);
	snprintf(want, sizeof(want), "%s: 512 bytes at offset %zu are not a TBF object", both, ia.len + ib.len);
	ck_assert_msg(strstr(text, want), "stdout lacks '%s': %s", want, text);
	free(text);

	/* The second object's binary changed: one error line, its offset counted from the file's start. */
	cat.data[ia.len + info_b.header_size + 100] ^= 0x01;
	spit(both, &cat);
	ck_assert_int_eq(run_tool(inspect), 1);
	text = tool_output("stderr");
	snprintf(want, sizeof(want), "%s: credentials SHA-256 at offset %zu: SHA-256 mismatch", both,
		 ia.len + info_b.binary_end_offset + 8);
	ck_assert_msg(strstr(text, want), "stderr: %s", text);
	free(text);
	free(cat.data);
	free(ia.data);
	free(ib.data);
}
END_TEST

START_TEST(test_inspect_good_and_corrupt)
{
	const char *good = tmp_path("inspect.tbf"), *bad = tmp_path("corrupt.tbf"), *badsum = tmp_path("sum.tbf");
	const char *pack[] = { "pack", "--name", "tiny", "--short-id", "7", "--permission", "1:0:3", "--output",
			       good, elf_path, NULL };
	const char *inspect_good[] = { "inspect", good, NULL };
	const char *inspect_bad[] = { "inspect", bad, good, NULL };
	const char *inspect_sum[] = { "inspect", badsum, NULL };
	struct tbf_info info;
	struct blob img;
	char *text, want[600];

	ck_assert_int_eq(run_tool(pack), 0);
	img = parse_file(good, &info);
	ck_assert_int_eq(run_tool(inspect_good), 0);
	text = tool_output("stdout");
	ck_assert_ptr_nonnull(strstr(text, "package_name           \"tiny\""));
	ck_assert_ptr_nonnull(strstr(text, "TLV 9 Program"));
	ck_assert_ptr_nonnull(strstr(text, "TLV 10 ShortId"));
	ck_assert_ptr_nonnull(strstr(text, "TLV 6 Permissions"));
	ck_assert_ptr_nonnull(strstr(text, "kernel_version         2.3"));
	ck_assert_ptr_nonnull(strstr(text, "(ok)"));
	ck_assert_ptr_nonnull(strstr(text, "footer 128 Credentials"));
	ck_assert_ptr_nonnull(strstr(text, "verified"));
	free(text);

	/* One byte of the binary changed: the checksum still holds, the SHA-256 does not. */
	img.data[info.header_size + 100] ^= 0x01;
	spit(bad, &img);
	ck_assert_int_eq(run_tool(inspect_bad), 1);
	text = tool_output("stderr");
	snprintf(want, sizeof(want), "%s: credentials SHA-256 at offset %u: SHA-256 mismatch", bad,
		 info.binary_end_offset + 8);
	ck_assert_msg(strstr(text, want), "stderr: %s", text);
	ck_assert_ptr_null(strchr(strchr(text, '\n') + 1, '\n')); /* one line for the one bad file */
	free(text);
	text = tool_output("stdout");
	ck_assert_ptr_nonnull(strstr(text, "mismatch"));
	ck_assert_ptr_nonnull(strstr(text, "verified")); /* the good file after it was still inspected */
	free(text);

	/* A header byte changed: bad checksum. */
	img.data[info.header_size + 100] ^= 0x01;
	img.data[info.header_size - 1] ^= 0x40;
	spit(badsum, &img);
	ck_assert_int_eq(run_tool(inspect_sum), 1);
	text = tool_output("stderr");
	snprintf(want, sizeof(want), "%s: checksum at offset 12: bad checksum: header says 0x", badsum);
	ck_assert_msg(strstr(text, want), "stderr: %s", text);
	free(text);
	free(img.data);
}
END_TEST

/* ELF sizes that are not a multiple of 4: a Reserved footer pads total_size (with and without SHA-256). */
START_TEST(test_pack_odd_sizes)
{
	const char *elf_copy = tmp_path("odd.elf"), *out = tmp_path("odd.tbf");
	/* The option after the ELF also checks that options may follow the input. */
	const char *args[] = { "pack", "--name", "odd", "--output", out, elf_copy, _i >= 4 ? "--no-sha256" : NULL,
			       NULL };
	struct blob elf = slurp(elf_path), img;
	struct tbf_info info;

	elf.data = realloc(elf.data, elf.len + 3);
	ck_assert_ptr_nonnull(elf.data);
	memset(elf.data + elf.len, 0, 3);
	elf.len += (size_t)(_i % 4); /* trailing bytes after the section headers are legal */
	spit(elf_copy, &elf);
	ck_assert_int_eq(run_tool(args), 0);
	img = parse_file(out, &info);
	ck_assert_uint_eq(info.binary_end_offset, info.header_size + elf.len);
	ck_assert(info.sha256_verified == (_i < 4));
	free(img.data);
	free(elf.data);
}
END_TEST

/* Bad inputs: exit 1, one "tbftool: ..." line, and no output file left behind. */
static const struct {
	const char *why;
	const char *name, *extra1, *extra2;
	bool input_is_not_elf;
	const char *stderr_has;
} pack_errors[] = {
	{ "input is not an ELF", "x", NULL, NULL, true, "not an ELF file" },
	{ "invalid UTF-8 name", "bad\xff", NULL, NULL, false, "invalid UTF-8" },
	{ "name too long",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0", NULL, NULL, false, "at most 255" },
	{ "permission without mask", "x", "--permission", "1:0", false, "DRIVER:OFFSET:MASK" },
	{ "permission junk", "x", "--permission", "1:0:0xzz", false, "DRIVER:OFFSET:MASK" },
	{ "negative stack", "x", "--stack", "-1", false, "invalid number" },
	{ "kernel version", "x", "--kernel-version", "2", false, "MAJOR.MINOR" },
	{ "min-ram too big", "x", "--min-ram", "0x100000000", false, "invalid number" },
};

START_TEST(test_pack_errors)
{
	const char *out = tmp_path("error.tbf");
	const char *input = pack_errors[_i].input_is_not_elf ? tmp_path("notelf") : elf_path;
	const char *args[12];
	static char text_file[] = "this is not an ELF file at all, just text, long enough for an ELF header...\n";
	struct blob junk = { (uint8_t *)text_file, sizeof(text_file) - 1 };
	struct stat st;
	char *text;
	int n = 0;

	if (pack_errors[_i].input_is_not_elf)
		spit(input, &junk);
	unlink(out);
	args[n++] = "pack";
	args[n++] = "--name";
	args[n++] = pack_errors[_i].name;
	args[n++] = "--output";
	args[n++] = out;
	if (pack_errors[_i].extra1) {
		args[n++] = pack_errors[_i].extra1;
		args[n++] = pack_errors[_i].extra2;
	}
	args[n++] = input;
	args[n] = NULL;
	ck_assert_int_eq(run_tool(args), 1);
	text = tool_output("stderr");
	ck_assert_msg(strncmp(text, "tbftool: ", 9) == 0 && strstr(text, pack_errors[_i].stderr_has),
		      "%s: stderr '%s'", pack_errors[_i].why, text);
	ck_assert_msg(strchr(text, '\n') == text + strlen(text) - 1, "%s: not one line: %s", pack_errors[_i].why, text);
	ck_assert_int_eq(stat(out, &st), -1);
	free(text);
}
END_TEST

START_TEST(test_help)
{
	const char *top[] = { "--help", NULL };
	const char *pack[] = { "pack", "--help", NULL };
	const char *inspect[] = { "inspect", "--help", NULL };
	const char *none[] = { "frobnicate", NULL };
	char *text;

	ck_assert_int_eq(run_tool(top), 0);
	ck_assert_int_eq(run_tool(pack), 0);
	text = tool_output("stdout");
	ck_assert_ptr_nonnull(strstr(text, "--permission"));
	free(text);
	ck_assert_int_eq(run_tool(inspect), 0);
	ck_assert_int_eq(run_tool(none), 1);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("tbftool");
	TCase *tc = tcase_create("cli");
	SRunner *sr;
	int failed;

	if (argc != 3) {
		fprintf(stderr, "usage: %s TBFTOOL ELF\n", argv[0]);
		return EXIT_FAILURE;
	}
	if (tool_run_init(argv[1], argv[2]) < 0)
		return EXIT_FAILURE;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_pack_defaults);
	tcase_add_test(tc, test_pack_options);
	tcase_add_test(tc, test_pack_budget_and_no_sha);
	tcase_add_test(tc, test_inspect_good_and_corrupt);
	tcase_add_test(tc, test_inspect_several_objects);
	tcase_add_loop_test(tc, test_minimum_footer_size, 0, 4);
	tcase_add_test(tc, test_minimum_footer_size_bad);
	tcase_add_loop_test(tc, test_pack_odd_sizes, 0, 8);
	tcase_add_loop_test(tc, test_pack_errors, 0, (int)(sizeof(pack_errors) / sizeof(pack_errors[0])));
	tcase_add_test(tc, test_help);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tool_run_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
