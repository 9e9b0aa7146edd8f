/* Unit tests for the TBF parser: every malformed-image error (field, offset, errno) and the good path. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/tbf.h"
#include "tbf_builder.h"

/* ---- image makers: each builds one image into *b; arg tunes it ---- */

static void mk_std(struct tb *b, uint32_t arg)
{
	(void)arg;
	tb_standard(b);
}

static void mk_version(struct tb *b, uint32_t v)
{
	tb_standard(b);
	tb_put16(b, 0, (uint16_t)v);
	tb_fix_checksum(b);
}

static void mk_header_size(struct tb *b, uint32_t v)
{
	tb_standard(b);
	tb_put16(b, 2, (uint16_t)v);
	tb_fix_checksum(b);
}

static void mk_total_size(struct tb *b, uint32_t v)
{
	tb_standard(b);
	tb_put32(b, 4, v);
	tb_fix_checksum(b);
}

static void mk_bad_checksum(struct tb *b, uint32_t x)
{
	tb_standard(b);
	tb_put32(b, 12, tb_get32(b, 12) ^ x);
}

/* Patch a u16 or u32 at off in the standard image, then fix the checksum and SHA-256. */
static void mk_std_put(struct tb *b, uint32_t off, uint32_t v, int width)
{
	tb_standard(b);
	if (width == 2)
		tb_put16(b, off, (uint16_t)v);
	else
		tb_put32(b, off, v);
	tb_fix_checksum(b);
}

static void mk_name_length(struct tb *b, uint32_t v) { mk_std_put(b, STD_NAME + 2, v, 2); }
static void mk_perm_count(struct tb *b, uint32_t v) { mk_std_put(b, STD_PERMS + 4, v, 2); }
static void mk_binary_end(struct tb *b, uint32_t v) { mk_std_put(b, STD_PROGRAM + 4 + 12, v, 4); }
static void mk_protected(struct tb *b, uint32_t v) { mk_std_put(b, STD_PROGRAM + 4 + 4, v, 4); }
static void mk_init_fn(struct tb *b, uint32_t v) { mk_std_put(b, STD_PROGRAM + 4, v, 4); }
static void mk_wflash_size(struct tb *b, uint32_t v) { mk_std_put(b, STD_WFLASH + 8, v, 4); }
static void mk_wflash_offset(struct tb *b, uint32_t v) { mk_std_put(b, STD_WFLASH + 4, v, 4); }

/* One TLV of type (arg >> 16) with (arg & 0xffff) zero bytes of data, then a small binary. */
static void mk_one_tlv(struct tb *b, uint32_t arg)
{
	static const uint8_t zeros[300];

	tb_begin(b);
	tb_tlv(b, (uint16_t)(arg >> 16), zeros, (uint16_t)(arg & 0xffff));
	tb_end_header(b);
	tb_binary(b, 8);
	tb_finish(b);
}

#define ONE_TLV(type, len) (((uint32_t)(type) << 16) | (len))

/* Permissions with count 2 but a TLV one byte short of 2 + 2 * 16. */
static void mk_perm_one_short(struct tb *b, uint32_t arg)
{
	uint8_t perms[34] = { 2, 0 };

	(void)arg;
	tb_begin(b);
	tb_tlv(b, TBF_TLV_PERMISSIONS, perms, 33);
	tb_end_header(b);
	tb_finish(b);
}

static void mk_unknown_overrun(struct tb *b, uint32_t arg)
{
	mk_one_tlv(b, ONE_TLV(0x8001, 4));
	tb_put16(b, 18, (uint16_t)arg);
	tb_fix_checksum(b);
}

static const struct {
	const char *bytes;
	uint16_t len;
} bad_names[] = {
	{ "ab\xff", 3 },            /* 0: byte that never appears in UTF-8 */
	{ "\xc0\x80", 2 },          /* 1: overlong NUL */
	{ "a\xed\xa0\x80", 4 },     /* 2: UTF-16 surrogate */
	{ "ok\xe2\x82", 4 },        /* 3: truncated 3-byte sequence */
	{ "\xf4\x90\x80\x80", 4 },  /* 4: above U+10FFFF */
	{ "\xe0\x9f\xbf", 3 },      /* 5: overlong 3-byte */
	{ "abc\x80", 4 },           /* 6: lone continuation byte */
	{ "ab\0c", 4 },             /* 7: NUL inside the name */
	{ "\xf0\x8f\xbf\xbf", 4 },  /* 8: overlong 4-byte */
	{ "x\xc3(", 3 },            /* 9: bad continuation */
};

static void mk_bad_name(struct tb *b, uint32_t idx)
{
	tb_begin(b);
	tb_tlv(b, TBF_TLV_PACKAGE_NAME, bad_names[idx].bytes, bad_names[idx].len);
	tb_end_header(b);
	tb_finish(b);
}

static void mk_wflash_too_many(struct tb *b, uint32_t arg)
{
	static const uint8_t regions[9 * 8];

	(void)arg;
	tb_begin(b);
	tb_program(b, 0, 0, 4096, 0);
	tb_tlv(b, TBF_TLV_WRITEABLE_FLASH, regions, 5 * 8);
	tb_tlv(b, TBF_TLV_WRITEABLE_FLASH, regions, 4 * 8); /* 9 in all; this TLV is at 84 */
	tb_end_header(b);
	tb_binary(b, 8);
	tb_finish(b);
}

static void mk_duplicate(struct tb *b, uint32_t type)
{
	static const uint8_t data[20];

	tb_begin(b);
	tb_tlv(b, (uint16_t)type, data, type == TBF_TLV_SHORT_ID ? 4 : 20);
	tb_tlv(b, (uint16_t)type, data, type == TBF_TLV_SHORT_ID ? 4 : 20);
	tb_end_header(b);
	tb_binary(b, 8);
	tb_finish(b);
}

/* header_size ends 2 bytes into what would be the next TLV header. */
static void mk_tlv_header_cut(struct tb *b, uint32_t arg)
{
	static const uint8_t four[4];

	(void)arg;
	tb_begin(b);
	tb_tlv(b, TBF_TLV_SHORT_ID, four, 4);
	tb_tlv(b, TBF_TLV_SHORT_ID + 100, four, 0);
	tb_end_header(b);
	tb_put16(b, 2, 26);
	tb_finish(b);
}

static const struct {
	uint8_t bytes[16];
	uint16_t len;
} bad_storage[] = {
	{ { 1, 0 }, 2 },                                    /* 0: no room for write_id */
	{ { 1, 0, 0, 0 }, 4 },                              /* 1: no read count */
	{ { 1, 0, 0, 0, 3, 0, 9, 0, 0, 0 }, 10 },           /* 2: 3 read ids, 1 present */
	{ { 1, 0, 0, 0, 1, 0, 9, 0, 0, 0 }, 10 },           /* 3: no modify count */
	{ { 1, 0, 0, 0, 17, 0 }, 6 },                       /* 4: too many read ids */
	{ { 1, 0, 0, 0, 0, 0, 2, 0, 5, 0, 0, 0 }, 12 },     /* 5: 2 modify ids, 1 present */
};

static void mk_bad_storage(struct tb *b, uint32_t idx)
{
	tb_begin(b);
	tb_tlv(b, TBF_TLV_STORAGE_PERMISSIONS, bad_storage[idx].bytes, bad_storage[idx].len);
	tb_end_header(b);
	tb_finish(b);
}

static void mk_footer_length(struct tb *b, uint32_t v)
{
	tb_standard(b);
	tb_put16(b, STD_FOOTER + 2, (uint16_t)v);
}

/* Flip one byte at arg after the image is final: checksum and SHA-256 stay as they were. */
static void mk_flip(struct tb *b, uint32_t off)
{
	tb_standard(b);
	b->buf[off] ^= 0x20;
}

/* Change the package name and fix the checksum but not the SHA-256. */
static void mk_header_edit(struct tb *b, uint32_t arg)
{
	(void)arg;
	tb_standard(b);
	b->buf[STD_NAME + 4] = 'j';
	tb_set_checksum(b);
}

/* Program image with a single credentials footer of (arg >> 16) format and (arg & 0xffff) length. */
static void mk_credential(struct tb *b, uint32_t arg)
{
	uint8_t data[64] = { 0 };

	tb_begin(b);
	tb_program(b, 0, 0, 4096, 0);
	tb_end_header(b);
	tb_binary(b, 8);
	data[0] = (uint8_t)(arg >> 16);
	tb_footer(b, TBF_TLV_CREDENTIALS, data, (uint16_t)(arg & 0xffff));
	tb_finish(b);
}

/* ---- malformed images ---- */

enum stage { PARSE, VERIFY };

struct bad_case {
	const char *name;
	void (*make)(struct tb *b, uint32_t arg);
	uint32_t arg;
	uint32_t cut;       /* parse only this many bytes (0: all of them) */
	enum stage stage;   /* which call must fail */
	int rc;
	const char *field;
	uint32_t offset;
	const char *message; /* expected substring */
};

#define NOCUT 0

static const struct bad_case bad_cases[] = {
	{ "version 1", mk_version, 1, NOCUT, PARSE, -ENOEXEC, "version", 0, "version 1, expected 2" },
	{ "version 3", mk_version, 3, NOCUT, PARSE, -ENOEXEC, "version", 0, "expected 2" },
	{ "version 0 (erased)", mk_version, 0, NOCUT, PARSE, -ENOEXEC, "version", 0, NULL },
	{ "header_size 0", mk_header_size, 0, NOCUT, PARSE, -EINVAL, "header_size", 2, "smaller" },
	{ "header_size 15", mk_header_size, 15, NOCUT, PARSE, -EINVAL, "header_size", 2, NULL },
	{ "header_size > total_size", mk_header_size, STD_TOTAL + 4, NOCUT, PARSE, -EINVAL, "header_size", 2,
	  "exceeds total_size" },
	{ "total_size > len", mk_total_size, STD_TOTAL + 1, NOCUT, PARSE, -E2BIG, "total_size", 4, "truncated" },
	{ "total_size huge", mk_total_size, 0xffffffffu, NOCUT, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "bad checksum", mk_bad_checksum, 0x100, NOCUT, PARSE, -EINVAL, "checksum", 12,
	  "bad checksum: header says 0x" },
	{ "checksum off by one bit", mk_bad_checksum, 0x80000000u, NOCUT, PARSE, -EINVAL, "checksum", 12, NULL },
	{ "name TLV runs past header", mk_name_length, 200, NOCUT, PARSE, -EINVAL, "TLV 3 length", STD_NAME + 2,
	  "runs past header_size 120" },
	{ "name TLV 1 byte too long", mk_name_length, STD_HEADER_SIZE - STD_NAME - 3, NOCUT, PARSE, -EINVAL,
	  "TLV 3 length", STD_NAME + 2, NULL },
	{ "unknown TLV runs past", mk_unknown_overrun, 5, NOCUT, PARSE, -EINVAL, "TLV length", 18, "TLV 32769" },
	{ "Main length 8", mk_one_tlv, ONE_TLV(1, 8), NOCUT, PARSE, -EINVAL, "TLV 1 length", 18, "expected 12" },
	{ "Main length 16", mk_one_tlv, ONE_TLV(1, 16), NOCUT, PARSE, -EINVAL, "TLV 1 length", 18, NULL },
	{ "Fixed addresses length 4", mk_one_tlv, ONE_TLV(5, 4), NOCUT, PARSE, -EINVAL, "TLV 5 length", 18,
	  "expected 8" },
	{ "Kernel version length 8", mk_one_tlv, ONE_TLV(8, 8), NOCUT, PARSE, -EINVAL, "TLV 8 length", 18,
	  "expected 4" },
	{ "Kernel version length 2", mk_one_tlv, ONE_TLV(8, 2), NOCUT, PARSE, -EINVAL, "TLV 8 length", 18, NULL },
	{ "Program length 16", mk_one_tlv, ONE_TLV(9, 16), NOCUT, PARSE, -EINVAL, "TLV 9 length", 18,
	  "expected 20" },
	{ "Program length 24", mk_one_tlv, ONE_TLV(9, 24), NOCUT, PARSE, -EINVAL, "TLV 9 length", 18, NULL },
	{ "ShortId length 0", mk_one_tlv, ONE_TLV(10, 0), NOCUT, PARSE, -EINVAL, "TLV 10 length", 18,
	  "expected 4" },
	{ "ShortId length 8", mk_one_tlv, ONE_TLV(10, 8), NOCUT, PARSE, -EINVAL, "TLV 10 length", 18, NULL },
	{ "Writeable flash length 12", mk_one_tlv, ONE_TLV(2, 12), NOCUT, PARSE, -EINVAL, "TLV 2 length", 18,
	  "multiple of 8" },
	{ "Permissions length 1", mk_one_tlv, ONE_TLV(6, 1), NOCUT, PARSE, -EINVAL, "TLV 6 length", 18, NULL },
	{ "Permissions length 0", mk_one_tlv, ONE_TLV(6, 0), NOCUT, PARSE, -EINVAL, "TLV 6 length", 18, NULL },
	{ "Storage permissions length 0", mk_one_tlv, ONE_TLV(7, 0), NOCUT, PARSE, -EINVAL, "TLV 7 length", 18,
	  NULL },
	{ "Package name 256 bytes", mk_one_tlv, ONE_TLV(3, 256), NOCUT, PARSE, -EINVAL, "TLV 3 length", 18,
	  "at most 255" },
	{ "permissions count 3 of 2", mk_perm_count, 3, NOCUT, PARSE, -EINVAL, "permissions count", STD_PERMS + 4,
	  "3 permissions need 50 bytes" },
	{ "permissions one byte short", mk_perm_one_short, 0, NOCUT, PARSE, -EINVAL, "permissions count", 20,
	  "2 permissions need 34 bytes, the TLV has 33" },
	{ "permissions count 0xffff", mk_perm_count, 0xffff, NOCUT, PARSE, -EINVAL, "permissions count",
	  STD_PERMS + 4, NULL },
	{ "permissions count 65", mk_perm_count, 65, NOCUT, PARSE, -EINVAL, "permissions count", STD_PERMS + 4,
	  "at most 64" },
	{ "UTF-8 0xff", mk_bad_name, 0, NOCUT, PARSE, -EINVAL, "package name", 22, "invalid UTF-8 at byte 2" },
	{ "UTF-8 overlong NUL", mk_bad_name, 1, NOCUT, PARSE, -EINVAL, "package name", 20, NULL },
	{ "UTF-8 surrogate", mk_bad_name, 2, NOCUT, PARSE, -EINVAL, "package name", 21, NULL },
	{ "UTF-8 truncated", mk_bad_name, 3, NOCUT, PARSE, -EINVAL, "package name", 22, NULL },
	{ "UTF-8 > U+10FFFF", mk_bad_name, 4, NOCUT, PARSE, -EINVAL, "package name", 20, NULL },
	{ "UTF-8 overlong 3-byte", mk_bad_name, 5, NOCUT, PARSE, -EINVAL, "package name", 20, NULL },
	{ "UTF-8 lone continuation", mk_bad_name, 6, NOCUT, PARSE, -EINVAL, "package name", 23, NULL },
	{ "package name with NUL", mk_bad_name, 7, NOCUT, PARSE, -EINVAL, "package name", 20, "NUL" },
	{ "UTF-8 overlong 4-byte", mk_bad_name, 8, NOCUT, PARSE, -EINVAL, "package name", 20, NULL },
	{ "UTF-8 bad continuation", mk_bad_name, 9, NOCUT, PARSE, -EINVAL, "package name", 21, NULL },
	{ "binary_end < header_size", mk_binary_end, STD_HEADER_SIZE - 1, NOCUT, PARSE, -EINVAL,
	  "binary_end_offset", STD_PROGRAM + 16, "outside [120, 224]" },
	{ "binary_end 0", mk_binary_end, 0, NOCUT, PARSE, -EINVAL, "binary_end_offset", STD_PROGRAM + 16, NULL },
	{ "binary_end > total_size", mk_binary_end, STD_TOTAL + 1, NOCUT, PARSE, -EINVAL, "binary_end_offset",
	  STD_PROGRAM + 16, NULL },
	{ "binary_end inside protected trailer", mk_protected, 80, NOCUT, PARSE, -EINVAL, "binary_end_offset",
	  STD_PROGRAM + 16, "outside [200, 224]" },
	{ "protected trailer past total", mk_protected, 0xffffffffu, NOCUT, PARSE, -EINVAL,
	  "protected_trailer_size", STD_PROGRAM + 8, NULL },
	{ "init_fn past binary_end", mk_init_fn, STD_BINARY_END - STD_HEADER_SIZE + 1, NOCUT, PARSE, -EINVAL,
	  "init_fn_offset", STD_PROGRAM + 4, NULL },
	{ "init_fn huge", mk_init_fn, 0xfffffff0u, NOCUT, PARSE, -EINVAL, "init_fn_offset", STD_PROGRAM + 4, NULL },
	{ "writeable flash past binary", mk_wflash_size, 49, NOCUT, PARSE, -EINVAL, "writeable flash region",
	  STD_WFLASH + 4, "outside the 64-byte binary" },
	{ "writeable flash wraps", mk_wflash_offset, 0xfffffff8u, NOCUT, PARSE, -EINVAL, "writeable flash region",
	  STD_WFLASH + 4, NULL },
	{ "9 writeable flash regions", mk_wflash_too_many, 0, NOCUT, PARSE, -EINVAL, "TLV 2", 84, "more than 8" },
	{ "duplicate ShortId", mk_duplicate, TBF_TLV_SHORT_ID, NOCUT, PARSE, -EINVAL, "TLV 10", 24, "duplicate" },
	{ "duplicate Program", mk_duplicate, TBF_TLV_PROGRAM, NOCUT, PARSE, -EINVAL, "TLV 9", 40, NULL },
	{ "TLV header cut by header_size", mk_tlv_header_cut, 0, NOCUT, PARSE, -EINVAL, "TLV header", 24, NULL },
	{ "storage: no write_id", mk_bad_storage, 0, NOCUT, PARSE, -EINVAL, "TLV 7 length", 18, NULL },
	{ "storage: no read count", mk_bad_storage, 1, NOCUT, PARSE, -EINVAL, "storage permissions", 24, NULL },
	{ "storage: read ids overrun", mk_bad_storage, 2, NOCUT, PARSE, -EINVAL, "storage permissions", 26, NULL },
	{ "storage: no modify count", mk_bad_storage, 3, NOCUT, PARSE, -EINVAL, "storage permissions", 30, NULL },
	{ "storage: 17 read ids", mk_bad_storage, 4, NOCUT, PARSE, -EINVAL, "storage permissions", 24, NULL },
	{ "storage: modify ids overrun", mk_bad_storage, 5, NOCUT, PARSE, -EINVAL, "storage permissions", 28, NULL },
	{ "cut at 0", mk_std, 0, 0xffff0000u, PARSE, -E2BIG, "total_size", 4, "truncated" },
	{ "cut at 1", mk_std, 0, 1, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "cut at 15", mk_std, 0, 15, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "cut at 16", mk_std, 0, 16, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "cut at 17", mk_std, 0, 17, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "cut inside a TLV", mk_std, 0, STD_NAME + 2, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "cut at header_size", mk_std, 0, STD_HEADER_SIZE, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "cut inside binary", mk_std, 0, STD_BINARY_END - 1, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "cut inside footer", mk_std, 0, STD_TOTAL - 1, PARSE, -E2BIG, "total_size", 4, NULL },
	{ "footer length past total", mk_footer_length, 37, NOCUT, VERIFY, -EINVAL, "footer length",
	  STD_FOOTER + 2, "runs past total_size 224" },
	{ "footer length 0xffff", mk_footer_length, 0xffff, NOCUT, VERIFY, -EINVAL, "footer length",
	  STD_FOOTER + 2, NULL },
	{ "SHA-256: binary byte changed", mk_flip, STD_HEADER_SIZE + 10, NOCUT, VERIFY, -EBADMSG,
	  "credentials SHA-256", STD_FOOTER + 8, "SHA-256 mismatch" },
	{ "SHA-256: hash byte changed", mk_flip, STD_FOOTER + 20, NOCUT, VERIFY, -EBADMSG, "credentials SHA-256",
	  STD_FOOTER + 8, NULL },
	{ "SHA-256: header changed, checksum fixed", mk_header_edit, 0, NOCUT, VERIFY, -EBADMSG,
	  "credentials SHA-256", STD_FOOTER + 8, NULL },
	{ "SHA-256 footer of 16 bytes", mk_credential, (3u << 16) | 20, NOCUT, VERIFY, -EINVAL,
	  "credentials length", 50, "expected 32" },
	{ "credentials footer length 2", mk_credential, (3u << 16) | 2, NOCUT, VERIFY, -EINVAL,
	  "credentials length", 50, "no room for the format" },
};

START_TEST(test_bad_image)
{
	const struct bad_case *c = &bad_cases[_i];
	struct tb *b = calloc(1, sizeof(*b));
	struct tbf_info info, untouched;
	struct tbf_error err = { 0 };
	size_t len;
	int r;

	ck_assert_ptr_nonnull(b);
	c->make(b, c->arg);
	len = c->cut == 0 ? b->len : c->cut == 0xffff0000u ? 0 : c->cut;
	memset(&info, 0x5a, sizeof(info));
	untouched = info;
	r = tbf_parse(b->buf, len, &info, &err);
	if (c->stage == VERIFY) {
		ck_assert_msg(r == 0, "%s: parse failed: %s at %u: %s", c->name, err.field, err.offset, err.message);
		r = tbf_verify_credentials(b->buf, len, &info, &err);
		ck_assert_msg(!info.sha256_verified, "%s: still verified", c->name);
	} else {
		ck_assert_msg(memcmp(&info, &untouched, sizeof(info)) == 0, "%s: info clobbered on failure", c->name);
	}
	ck_assert_msg(r == c->rc, "%s: rc %d, want %d (%s)", c->name, r, c->rc, err.message);
	ck_assert_ptr_nonnull(err.field);
	ck_assert_msg(strcmp(err.field, c->field) == 0, "%s: field '%s', want '%s'", c->name, err.field, c->field);
	ck_assert_msg(err.offset == c->offset, "%s: offset %u, want %u (%s)", c->name, err.offset, c->offset,
		      err.message);
	ck_assert_msg(strchr(err.message, '\n') == NULL && err.message[0], "%s: message not one line", c->name);
	if (c->message)
		ck_assert_msg(strstr(err.message, c->message), "%s: message '%s' lacks '%s'", c->name, err.message,
			      c->message);
	free(b);
}
END_TEST

START_TEST(test_checksum_message)
{
	struct tb b;
	struct tbf_info info;
	struct tbf_error err;
	uint32_t good;
	char want[160];

	tb_standard(&b);
	good = tb_get32(&b, 12);
	tb_put32(&b, 12, 0x12345678);
	ck_assert_int_eq(tbf_parse(b.buf, b.len, &info, &err), -EINVAL);
	snprintf(want, sizeof(want), "bad checksum: header says 0x12345678, computed 0x%08x", good);
	ck_assert_str_eq(err.message, want);
}
END_TEST

/* A SHA-256 mismatch names both digests whole, so a user can compare them with sha256sum. */
START_TEST(test_sha256_message)
{
	static const char hex[] = "0123456789abcdef";
	struct tb b;
	struct tbf_info info;
	struct tbf_error err;
	char footer[65], computed[65], want[192];

	tb_standard(&b);
	for (int i = 0; i < 32; i++) { /* the correct digest, before we break the stored one */
		computed[2 * i] = hex[b.buf[STD_FOOTER + 8 + i] >> 4];
		computed[2 * i + 1] = hex[b.buf[STD_FOOTER + 8 + i] & 15];
	}
	b.buf[STD_FOOTER + 8 + 31] ^= 0x01;
	for (int i = 0; i < 32; i++) {
		footer[2 * i] = hex[b.buf[STD_FOOTER + 8 + i] >> 4];
		footer[2 * i + 1] = hex[b.buf[STD_FOOTER + 8 + i] & 15];
	}
	footer[64] = computed[64] = '\0';
	ck_assert_int_eq(tbf_parse(b.buf, b.len, &info, &err), 0);
	ck_assert_int_eq(tbf_verify_credentials(b.buf, b.len, &info, &err), -EBADMSG);
	snprintf(want, sizeof(want), "SHA-256 mismatch: footer says %s, computed %s", footer, computed);
	ck_assert_str_eq(err.message, want);
}
END_TEST

/* The layout constants the table above relies on. */
START_TEST(test_standard_layout)
{
	struct tb b;

	tb_standard(&b);
	ck_assert_uint_eq(b.header_size, STD_HEADER_SIZE);
	ck_assert_uint_eq(b.len, STD_TOTAL);
	ck_assert_uint_eq(b.program_at, STD_PROGRAM + 4);
	ck_assert_uint_eq(b.buf[STD_NAME], TBF_TLV_PACKAGE_NAME);
	ck_assert_uint_eq(b.buf[STD_KVER], TBF_TLV_KERNEL_VERSION);
	ck_assert_uint_eq(b.buf[STD_SHORT_ID], TBF_TLV_SHORT_ID);
	ck_assert_uint_eq(b.buf[STD_PERMS], TBF_TLV_PERMISSIONS);
	ck_assert_uint_eq(b.buf[STD_WFLASH], TBF_TLV_WRITEABLE_FLASH);
	ck_assert_uint_eq(tb_get32(&b, STD_PROGRAM + 16), STD_BINARY_END);
	ck_assert_uint_eq(b.buf[STD_FOOTER], TBF_TLV_CREDENTIALS);
}
END_TEST

/* Checksum: XOR of whole LE words except word 3; trailing bytes ignored. */
static const struct {
	uint8_t header[22];
	size_t size;
	uint32_t want;
} checksum_cases[] = {
	{ { 0 }, 16, 0 },
	{ { 1, 2, 3, 4 }, 16, 0x04030201 },
	{ { 1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff }, 16, 7 },
	{ { [16] = 0x10, [20] = 0xaa, [21] = 0xbb }, 22, 0x10 },
	{ { [0] = 0xf0, [16] = 0x0f, [17] = 1 }, 20, 0x1ff },
	{ { 1, 2, 3 }, 3, 0 },
};

START_TEST(test_checksum_table)
{
	ck_assert_uint_eq(tbf_header_checksum(checksum_cases[_i].header, checksum_cases[_i].size),
			  checksum_cases[_i].want);
}
END_TEST

Suite *tbf_good_suite(void);

static Suite *tbf_bad_suite(void)
{
	Suite *s = suite_create("tbf_errors");
	TCase *tc = tcase_create("errors");

	tcase_add_loop_test(tc, test_bad_image, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_checksum_message);
	tcase_add_test(tc, test_sha256_message);
	tcase_add_test(tc, test_standard_layout);
	tcase_add_loop_test(tc, test_checksum_table, 0, (int)(sizeof(checksum_cases) / sizeof(checksum_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tbf_bad_suite());
	int failed;

	srunner_add_suite(sr, tbf_good_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
