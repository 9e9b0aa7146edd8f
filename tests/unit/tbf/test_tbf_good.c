/* Unit tests for the TBF parser: values decoded from well-formed images (TLVs, precedence, footers). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/tbf.h"
#include "tbf_builder.h"

Suite *tbf_good_suite(void);

static void parse_ok(const struct tb *b, size_t len, struct tbf_info *info)
{
	struct tbf_error err = { 0 };
	int r = tbf_parse(b->buf, len, info, &err);

	ck_assert_msg(r == 0, "parse: %d %s at %u: %s", r, err.field, err.offset, err.message);
	r = tbf_verify_credentials(b->buf, len, info, &err);
	ck_assert_msg(r == 0, "verify: %d %s at %u: %s", r, err.field, err.offset, err.message);
}

START_TEST(test_standard_values)
{
	struct tb b;
	struct tbf_info info;

	tb_standard(&b);
	parse_ok(&b, b.len, &info);
	ck_assert_uint_eq(info.version, 2);
	ck_assert_uint_eq(info.header_size, STD_HEADER_SIZE);
	ck_assert_uint_eq(info.total_size, STD_TOTAL);
	ck_assert_uint_eq(info.flags, TBF_FLAG_ENABLED);
	ck_assert(info.has_program && !info.has_main);
	ck_assert_uint_eq(info.init_fn_offset, 0);
	ck_assert_uint_eq(info.protected_trailer_size, 0);
	ck_assert_uint_eq(info.minimum_ram_size, 0x6000);
	ck_assert_uint_eq(info.binary_end_offset, STD_BINARY_END);
	ck_assert_uint_eq(info.app_version, 7);
	ck_assert_str_eq(info.package_name, "hello");
	ck_assert_uint_eq(info.package_name_len, 5);
	ck_assert(info.has_kernel_version);
	ck_assert_uint_eq(info.kernel_major, 2);
	ck_assert_uint_eq(info.kernel_minor, 3);
	ck_assert_uint_eq(info.short_id, 0x00c0ffee);
	ck_assert(info.has_permissions);
	ck_assert_uint_eq(info.permission_count, 2);
	ck_assert_uint_eq(info.permissions[0].driver, 1);
	ck_assert_uint_eq(info.permissions[0].offset, 0);
	ck_assert_uint_eq(info.permissions[0].allowed_commands, 0xf);
	ck_assert_uint_eq(info.permissions[1].driver, 0x40001);
	ck_assert_uint_eq(info.permissions[1].offset, 1);
	ck_assert_uint_eq(info.permissions[1].allowed_commands, 1u << 3);
	ck_assert_uint_eq(info.writeable_flash_count, 1);
	ck_assert_uint_eq(info.writeable_flash[0].offset, 16);
	ck_assert_uint_eq(info.writeable_flash[0].size, 32);
	ck_assert(!info.has_fixed_addresses && !info.has_storage_permissions);
	ck_assert(info.has_sha256 && info.sha256_verified);
	ck_assert_uint_eq(info.credentials_offset, STD_FOOTER);
}
END_TEST

/* ---- Program / Main precedence and defaults ---- */

enum { ORDER_MAIN_PROGRAM, ORDER_PROGRAM_MAIN, ORDER_MAIN_ONLY, ORDER_NEITHER, ORDER_PROGRAM_ONLY };

static const struct {
	const char *name;
	int order;
	bool has_main, has_program;
	uint32_t init_fn, min_ram, app_version;
	bool binary_end_is_total;
} precedence_cases[] = {
	{ "Main then Program", ORDER_MAIN_PROGRAM, true, true, 8, 0x2000, 5, false },
	{ "Program then Main", ORDER_PROGRAM_MAIN, true, true, 8, 0x2000, 5, false },
	{ "Main only", ORDER_MAIN_ONLY, true, false, 4, 0x1000, 0, true },
	{ "neither", ORDER_NEITHER, false, false, 0, 0, 0, true },
	{ "Program only", ORDER_PROGRAM_ONLY, false, true, 8, 0x2000, 5, false },
};

START_TEST(test_precedence)
{
	struct tb b;
	struct tbf_info info;
	int order = precedence_cases[_i].order;

	tb_begin(&b);
	if (order == ORDER_MAIN_PROGRAM || order == ORDER_MAIN_ONLY)
		tb_main(&b, 4, 0, 0x1000);
	if (order == ORDER_MAIN_PROGRAM || order == ORDER_PROGRAM_MAIN || order == ORDER_PROGRAM_ONLY)
		tb_program(&b, 8, 0, 0x2000, 5);
	if (order == ORDER_PROGRAM_MAIN)
		tb_main(&b, 4, 0, 0x1000);
	tb_end_header(&b);
	tb_binary(&b, 16);
	if (b.program_at)
		tb_sha256_footer(&b);
	tb_finish(&b);
	parse_ok(&b, b.len, &info);
	ck_assert_msg(info.has_main == precedence_cases[_i].has_main, "%s", precedence_cases[_i].name);
	ck_assert(info.has_program == precedence_cases[_i].has_program);
	ck_assert_uint_eq(info.init_fn_offset, precedence_cases[_i].init_fn);
	ck_assert_uint_eq(info.minimum_ram_size, precedence_cases[_i].min_ram);
	ck_assert_uint_eq(info.app_version, precedence_cases[_i].app_version);
	ck_assert_uint_eq(info.binary_end_offset,
			  precedence_cases[_i].binary_end_is_total ? b.len : b.header_size + 16);
	ck_assert(info.sha256_verified == (b.program_at != 0));
}
END_TEST

/* ---- package names ---- */

static const char *const good_names[] = {
	"",
	"org.tockos.examples.rot13",
	"h\xc3\xa9llo",                 /* 2-byte sequence */
	"\xe6\x97\xa5\xe6\x9c\xac",     /* 3-byte sequences */
	"\xf0\x9f\x98\x80!",            /* 4-byte sequence */
	"\xef\xbf\xbf\xf4\x8f\xbf\xbf", /* U+FFFF, U+10FFFF */
	"\xed\x9f\xbf\xee\x80\x80",     /* around the surrogates */
	"a\x7f",
};

START_TEST(test_package_names)
{
	struct tb b;
	struct tbf_info info;
	const char *name = good_names[_i];

	tb_begin(&b);
	tb_tlv(&b, TBF_TLV_PACKAGE_NAME, name, (uint16_t)strlen(name));
	tb_end_header(&b);
	tb_finish(&b);
	parse_ok(&b, b.len, &info);
	ck_assert_str_eq(info.package_name, name);
	ck_assert_uint_eq(info.package_name_len, strlen(name));
}
END_TEST

START_TEST(test_package_name_max)
{
	struct tb b;
	struct tbf_info info;
	char name[TBF_MAX_PACKAGE_NAME];

	memset(name, 'n', sizeof(name));
	tb_begin(&b);
	tb_tlv(&b, TBF_TLV_PACKAGE_NAME, name, sizeof(name));
	tb_end_header(&b);
	tb_finish(&b);
	parse_ok(&b, b.len, &info);
	ck_assert_uint_eq(info.package_name_len, TBF_MAX_PACKAGE_NAME);
	ck_assert_uint_eq(strlen(info.package_name), TBF_MAX_PACKAGE_NAME);
}
END_TEST

/* ---- other TLVs ---- */

START_TEST(test_other_tlvs)
{
	static const uint8_t fixed[8] = { 0x00, 0x00, 0x02, 0x20, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t storage[22] = { 7, 0, 0, 0, 2, 0, 0xa, 0, 0, 0, 0xb, 0, 0, 0, 1, 0, 0xc, 0, 0, 0 };
	static const uint8_t junk[7] = { 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t regions[24] = { 0, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0, 24, 0, 0, 0, 8, 0, 0, 0 };
	struct tb b;
	struct tbf_info info;

	tb_begin(&b);
	tb_tlv(&b, 4, junk, 7);                           /* historical PicOption1: skipped */
	tb_tlv(&b, TBF_TLV_FIXED_ADDRESSES, fixed, sizeof(fixed));
	tb_tlv(&b, 0x8001, junk, 3);                      /* out-of-tree: skipped */
	tb_tlv(&b, TBF_TLV_STORAGE_PERMISSIONS, storage, 20);
	tb_tlv(&b, TBF_TLV_WRITEABLE_FLASH, regions, 16);
	tb_tlv(&b, 77, NULL, 0);                          /* unknown, empty */
	tb_tlv(&b, TBF_TLV_WRITEABLE_FLASH, regions + 16, 8); /* regions accumulate */
	tb_tlv(&b, TBF_TLV_CREDENTIALS, junk, 4);         /* footer type inside the header: skipped */
	tb_program(&b, 0, 8, 4096, 0);
	tb_end_header(&b);
	tb_binary(&b, 40);                                /* 8 protected + 32 binary */
	tb_finish(&b);
	parse_ok(&b, b.len, &info);
	ck_assert(info.has_fixed_addresses);
	ck_assert_uint_eq(info.fixed_ram_address, 0x20020000);
	ck_assert_uint_eq(info.fixed_flash_address, 0xffffffff);
	ck_assert(info.has_storage_permissions);
	ck_assert_uint_eq(info.storage_write_id, 7);
	ck_assert_uint_eq(info.storage_read_count, 2);
	ck_assert_uint_eq(info.storage_read_ids[0], 0xa);
	ck_assert_uint_eq(info.storage_read_ids[1], 0xb);
	ck_assert_uint_eq(info.storage_modify_count, 1);
	ck_assert_uint_eq(info.storage_modify_ids[0], 0xc);
	ck_assert_uint_eq(info.writeable_flash_count, 3);
	ck_assert_uint_eq(info.writeable_flash[1].offset, 8);
	ck_assert_uint_eq(info.writeable_flash[2].offset, 24);
	ck_assert_uint_eq(info.writeable_flash[2].size, 8); /* ends exactly at the 32-byte binary's end */
	ck_assert_uint_eq(info.protected_trailer_size, 8);
	ck_assert(!info.has_permissions && !info.has_kernel_version);
	ck_assert_uint_eq(info.short_id, 0);
	ck_assert_str_eq(info.package_name, "");
}
END_TEST

/* Permissions entries start at data+2, so every u32/u64 is unaligned. */
START_TEST(test_permissions_unaligned)
{
	uint8_t perms[2 + 16 * TBF_MAX_PERMISSIONS];
	struct tb b;
	struct tbf_info info;

	perms[0] = TBF_MAX_PERMISSIONS;
	perms[1] = 0;
	for (int i = 0; i < TBF_MAX_PERMISSIONS; i++) {
		uint8_t *e = perms + 2 + 16 * i;
		for (int k = 0; k < 16; k++)
			e[k] = (uint8_t)(i + k * 16);
	}
	tb_begin(&b);
	tb_tlv(&b, TBF_TLV_PERMISSIONS, perms, sizeof(perms));
	tb_end_header(&b);
	tb_finish(&b);
	parse_ok(&b, b.len, &info);
	ck_assert_uint_eq(info.permission_count, TBF_MAX_PERMISSIONS);
	ck_assert_uint_eq(info.permissions[0].driver, 0x30201000);
	ck_assert_uint_eq(info.permissions[0].offset, 0x70605040);
	ck_assert_uint_eq(info.permissions[0].allowed_commands, 0xf0e0d0c0b0a09080ull);
	ck_assert_uint_eq(info.permissions[63].driver, 0x6f5f4f3f);
}
END_TEST

/* ---- footers and sizes ---- */

enum { FOOT_NONE, FOOT_SHA, FOOT_RESERVED_SHA, FOOT_SHA_PAD3, FOOT_OTHER_FORMATS, FOOT_TWO_SHA, FOOT_NON_CRED };

static const struct {
	const char *name;
	int kind;
	bool sha256;
} footer_cases[] = {
	{ "no footer", FOOT_NONE, false },
	{ "SHA-256", FOOT_SHA, true },
	{ "Reserved then SHA-256", FOOT_RESERVED_SHA, true },
	{ "SHA-256 then 3 padding bytes", FOOT_SHA_PAD3, true },
	{ "RSA and ECDSA are not checked", FOOT_OTHER_FORMATS, false },
	{ "two SHA-256 footers", FOOT_TWO_SHA, true },
	{ "non-credentials footer skipped", FOOT_NON_CRED, true },
};

START_TEST(test_footers)
{
	uint8_t reserved[9] = { 0 }, rsa[4 + 768] = { 1 }, ecdsa[4 + 64] = { 6 };
	struct tb b;
	struct tbf_info info;
	int kind = footer_cases[_i].kind;

	tb_begin(&b);
	tb_program(&b, 0, 0, 4096, 0);
	tb_end_header(&b);
	tb_binary(&b, 13); /* an odd binary size leaves the footers unaligned */
	if (kind == FOOT_RESERVED_SHA)
		tb_footer(&b, TBF_TLV_CREDENTIALS, reserved, sizeof(reserved));
	if (kind == FOOT_OTHER_FORMATS) {
		tb_footer(&b, TBF_TLV_CREDENTIALS, rsa, sizeof(rsa));
		tb_footer(&b, TBF_TLV_CREDENTIALS, ecdsa, sizeof(ecdsa));
	}
	if (kind == FOOT_NON_CRED)
		tb_footer(&b, 0x8123, reserved, 5);
	if (kind != FOOT_NONE && kind != FOOT_OTHER_FORMATS)
		tb_sha256_footer(&b);
	if (kind == FOOT_TWO_SHA)
		tb_sha256_footer(&b);
	if (kind == FOOT_SHA_PAD3)
		b.len += 3;
	tb_finish(&b);
	parse_ok(&b, b.len, &info);
	ck_assert_msg(info.has_sha256 == footer_cases[_i].sha256, "%s", footer_cases[_i].name);
	ck_assert(info.sha256_verified == footer_cases[_i].sha256);
	ck_assert_uint_eq(info.credentials_offset, kind == FOOT_NONE ? 0 : info.binary_end_offset);
}
END_TEST

/* Objects sit back to back: bytes after total_size belong to the next one. */
START_TEST(test_trailing_bytes)
{
	struct tb b;
	struct tbf_info info;

	tb_standard(&b);
	memset(b.buf + b.len, 0xee, 100);
	parse_ok(&b, b.len + 100, &info);
	ck_assert_uint_eq(info.total_size, STD_TOTAL);
	ck_assert(info.sha256_verified);
}
END_TEST

/* A padding object: base header only, no TLVs. */
START_TEST(test_padding_object)
{
	struct tb b;
	struct tbf_info info;

	tb_begin(&b);
	tb_end_header(&b);
	tb_put32(&b, 8, 0);
	b.len = 4096;
	tb_finish(&b);
	parse_ok(&b, b.len, &info);
	ck_assert_uint_eq(info.header_size, 16);
	ck_assert_uint_eq(info.total_size, 4096);
	ck_assert_uint_eq(info.binary_end_offset, 4096);
	ck_assert_uint_eq(info.flags, 0);
	ck_assert(!info.has_sha256);
}
END_TEST

/* verify must not trust a tbf_info whose sizes do not fit the buffer. */
START_TEST(test_verify_rechecks_sizes)
{
	struct tb b;
	struct tbf_info info;
	struct tbf_error err;

	tb_standard(&b);
	parse_ok(&b, b.len, &info);
	info.total_size = STD_TOTAL + 100;
	ck_assert_int_eq(tbf_verify_credentials(b.buf, b.len, &info, &err), -EINVAL);
	info.total_size = STD_TOTAL;
	info.binary_end_offset = STD_TOTAL + 1;
	ck_assert_int_eq(tbf_verify_credentials(b.buf, b.len, &info, &err), -EINVAL);
}
END_TEST

/* A NULL error pointer is allowed. */
START_TEST(test_null_error)
{
	struct tb b;
	struct tbf_info info;

	tb_standard(&b);
	ck_assert_int_eq(tbf_parse(b.buf, 10, &info, NULL), -E2BIG);
	ck_assert_int_eq(tbf_parse(b.buf, b.len, &info, NULL), 0);
	b.buf[STD_HEADER_SIZE] ^= 1;
	ck_assert_int_eq(tbf_verify_credentials(b.buf, b.len, &info, NULL), -EBADMSG);
}
END_TEST

Suite *tbf_good_suite(void)
{
	Suite *s = suite_create("tbf_good");
	TCase *tc = tcase_create("good");

	tcase_add_test(tc, test_standard_values);
	tcase_add_loop_test(tc, test_precedence, 0, (int)(sizeof(precedence_cases) / sizeof(precedence_cases[0])));
	tcase_add_loop_test(tc, test_package_names, 0, (int)(sizeof(good_names) / sizeof(good_names[0])));
	tcase_add_test(tc, test_package_name_max);
	tcase_add_test(tc, test_other_tlvs);
	tcase_add_test(tc, test_permissions_unaligned);
	tcase_add_loop_test(tc, test_footers, 0, (int)(sizeof(footer_cases) / sizeof(footer_cases[0])));
	tcase_add_test(tc, test_trailing_bytes);
	tcase_add_test(tc, test_padding_object);
	tcase_add_test(tc, test_verify_rechecks_sizes);
	tcase_add_test(tc, test_null_error);
	suite_add_tcase(s, tc);
	return s;
}
