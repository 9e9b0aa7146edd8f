/* Integration tests: broken app images are rejected with one clear line while the good apps still run. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/file.h"
#include "th_suite.h"

/* TBF base header offsets (little-endian), tock-facts §6.2. */
#define TBF_VERSION_OFF 0
#define TBF_HEADER_SIZE_OFF 2
#define TBF_TOTAL_SIZE_OFF 4
#define TBF_CHECKSUM_OFF 12
#define TBF_FIRST_TLV_OFF 16
#define TBF_TLV_PROGRAM 9

enum corruption {
	MISSING,        /* no such file */
	EMPTY,          /* zero bytes */
	TRUNCATED,      /* cut in half */
	CHECKSUM,       /* one checksum byte flipped */
	TLV_LENGTH,     /* first TLV's length runs past the header; checksum fixed up */
	VERSION,        /* version 3; checksum fixed up */
	ELF_BYTE,       /* one byte inside the ELF flipped: SHA-256 credential mismatch */
};

struct image_case {
	const char *file;
	enum corruption how;
	const char *keyword; /* the error line mentions this (case-insensitive), NULL: not checked */
	long offset;         /* the reported "at offset N", -1: not checked */
};

static const struct image_case image_cases[] = {
	{ "missing.tbf", MISSING, NULL, -1 },
	{ "empty.tbf", EMPTY, NULL, -1 },
	{ "truncated.tbf", TRUNCATED, NULL, -1 },
	{ "checksum.tbf", CHECKSUM, "checksum", TBF_CHECKSUM_OFF },
	{ "tlv_length.tbf", TLV_LENGTH, "length", TBF_FIRST_TLV_OFF + 2 },
	{ "version.tbf", VERSION, "version", TBF_VERSION_OFF },
	{ "elf_byte.tbf", ELF_BYTE, "sha", -1 },
};

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/* Recompute the header checksum (XOR of the header's words except word 3) after an edit. */
static void fix_checksum(uint8_t *img, size_t len)
{
	uint32_t header_size = get16(img + TBF_HEADER_SIZE_OFF), sum = 0;

	ck_assert_uint_le(header_size, len);
	for (uint32_t off = 0; off + 4 <= header_size; off += 4) {
		if (off != TBF_CHECKSUM_OFF)
			sum ^= get32(img + off);
	}
	put32(img + TBF_CHECKSUM_OFF, sum);
}

/* binary_end_offset from the Program TLV (else total_size), to find where the ELF ends. */
static uint32_t binary_end(const uint8_t *img)
{
	uint32_t header_size = get16(img + TBF_HEADER_SIZE_OFF);

	for (uint32_t off = TBF_FIRST_TLV_OFF; off + 4 <= header_size;) {
		uint32_t type = get16(img + off), length = get16(img + off + 2);

		if (type == TBF_TLV_PROGRAM && length == 20 && off + 4 + 20 <= header_size)
			return get32(img + off + 4 + 12);
		off += 4 + ((length + 3) & ~3u);
	}
	return get32(img + TBF_TOTAL_SIZE_OFF);
}

static uint8_t *read_all(const char *path, size_t *ret_len)
{
	uint8_t *data = NULL;
	int r = basic_read_file(path, SIZE_MAX - 1, &data, ret_len);

	ck_assert_msg(r == 0, "read %s: %s", path, strerror(-r));
	return data;
}

static void write_all(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "wbe");

	ck_assert_msg(f && fwrite(data, 1, len, f) == len && fclose(f) == 0, "write %s", path);
}

/* Make the broken copy of hello.tbf described by c at path. */
static void make_image(const struct image_case *c, const char *path)
{
	size_t len;
	uint8_t *img;
	uint32_t header_size, start, end;

	if (c->how == MISSING)
		return;
	img = read_all(th_app("hello"), &len);
	ck_assert_uint_ge(len, 64);
	header_size = get16(img + TBF_HEADER_SIZE_OFF);
	ck_assert_msg(header_size >= TBF_FIRST_TLV_OFF + 4 && header_size < len, "odd hello.tbf header");
	switch (c->how) {
	case EMPTY:
		len = 0;
		break;
	case TRUNCATED:
		len /= 2;
		break;
	case CHECKSUM:
		img[TBF_CHECKSUM_OFF + 1] ^= 0x5a;
		break;
	case TLV_LENGTH:
		put16(img + TBF_FIRST_TLV_OFF + 2, 0xfff0);
		fix_checksum(img, len);
		break;
	case VERSION:
		put16(img + TBF_VERSION_OFF, 3);
		fix_checksum(img, len);
		break;
	case ELF_BYTE:
		/* Middle of the binary: past the ELF header, so only the credential can notice. */
		start = header_size;
		end = binary_end(img);
		ck_assert_msg(end > start + 128 && end <= len, "binary end %u", end);
		img[start + (end - start) / 2] ^= 0x01;
		break;
	case MISSING:
		break;
	}
	write_all(path, img, len);
	free(img);
}

/* 11. each broken image gives exactly one "tockhost: FILE: ..." line; hello still runs. */
START_TEST(test_bad_image)
{
	const struct image_case *c = &image_cases[_i];
	char path[4096], prefix[4200];
	struct th_result r;
	struct th_lines l;
	const char *line = NULL;
	size_t naming = 0;

	snprintf(path, sizeof(path), "%s/%s", th_tmpdir(), c->file);
	make_image(c, path);
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
	if (c->keyword)
		th_expect(&r, strcasestr(line + strlen(prefix), c->keyword) != NULL, "%s: '%s' not mentioned",
			  c->file, c->keyword);
	if (c->offset >= 0) {
		char want[64];

		snprintf(want, sizeof(want), " at offset %ld: ", c->offset);
		th_expect(&r, strstr(line, want) != NULL, "%s: want '%s'", c->file, want);
	}
	th_expect(&r, th_has_line(r.out, "[hello] Hello from Tock on tockhost!"), "%s: hello did not run", c->file);
	th_expect(&r, r.exit_code == 1, "%s: exit status %d, want 1 (an app did not load)", c->file, r.exit_code);
	th_expect(&r, strncmp(r.out, "[hello] ", 8) == 0 && th_count(r.out, "\n") == th_count(r.out, "\n[hello] ") + 1,
		  "%s: stdout has lines from something other than hello", c->file);
	th_lines_free(&l);
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

/* Two bad images and two good apps: each bad one reported once, both good ones run. */
START_TEST(test_bad_images_mixed)
{
	char trunc[4096], vers[4096];
	struct th_result r;

	snprintf(trunc, sizeof(trunc), "%s/%s", th_tmpdir(), image_cases[2].file);
	snprintf(vers, sizeof(vers), "%s/%s", th_tmpdir(), image_cases[5].file);
	make_image(&image_cases[2], trunc);
	make_image(&image_cases[5], vers);
	th_run(&r, NULL, TH_ARGS(TH_RUN, "--virtual-time", trunc, th_app("hello"), vers, th_app("rng_app")));
	th_expect_clean(&r);
	th_expect(&r, th_count(r.err, trunc) == 1 && th_count(r.err, vers) == 1, "each bad image once");
	th_expect(&r, th_has_line(r.out, "[hello] Hello from Tock on tockhost!"), "hello did not run");
	th_expect(&r, th_has_line(r.out, "[rng_app] rng_app done"), "rng_app did not run");
	th_expect(&r, r.exit_code == 1, "exit status %d, want 1 (apps did not load)", r.exit_code);
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

/* Pack hello.elf as package `name` with $TBFTOOL into `out`. */
static void pack_hello(const char *name, const char *out)
{
	const char *tool = getenv("TBFTOOL"), *apps = getenv("APPS_DIR");
	char elf[4096];
	int status;
	pid_t pid;

	ck_assert_msg(tool && apps, "TBFTOOL and APPS_DIR must be set");
	snprintf(elf, sizeof(elf), "%s/hello.elf", apps);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl(tool, tool, "pack", "--name", name, "--output", out, elf, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "tbftool pack failed");
}

/* A package name is untrusted text: its control bytes must not reach the terminal (prefix or reports). */
START_TEST(test_name_control_bytes)
{
	char path[4096];
	struct th_result r;

	snprintf(path, sizeof(path), "%s/evil.tbf", th_tmpdir());
	pack_hello("evil\033]0;pwned\007\033[2J", path);
	th_run(&r, NULL, TH_ARGS(TH_RUN, path));
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit status %d, want 0", r.exit_code);
	th_expect(&r, th_has_line(r.out, "[evil?]0;pwned??[2J] Hello from Tock on tockhost!"),
		  "the app's prefix does not show its name with control bytes replaced");
	th_expect(&r, !strchr(r.out, '\033') && !strchr(r.err, '\033') && !strchr(r.err, '\007'),
		  "a control byte from the package name reached the terminal");
	th_result_free(&r);
	th_tmpdir_cleanup();
}
END_TEST

static Suite *images_suite(void)
{
	Suite *s = suite_create("integration-images");
	TCase *tc = th_tcase("images");

	tcase_add_loop_test(tc, test_bad_image, 0, TH_ARRAY_SIZE(image_cases));
	tcase_add_test(tc, test_bad_images_mixed);
	tcase_add_test(tc, test_name_control_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run_suite(images_suite());
}
