/* Credentials format names: every number a public Tock source names prints by that name, others by none. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "loader/tbf.h"

static const struct {
	uint32_t format;
	const char *name; /* NULL: no source names this number */
} names[] = {
	/* tock/tock libraries/tock-tbf/src/types.rs, TbfFooterV2CredentialsType */
	{ 0, "Reserved" },
	{ 1, "RSA-3072 key" },
	{ 2, "RSA-4096 key" },
	{ 3, "SHA-256" },
	{ 4, "SHA-384" },
	{ 5, "SHA-512" },
	{ 6, "ECDSA NIST P-256" },
	/* tock/tockloader tockloader/tbfh.py, CREDENTIALS_TYPE_CLEARTEXTID */
	{ 0xf1, "cleartext ID" },
	{ 7, NULL },
	{ 0xf0, NULL },
	{ 0xf2, NULL },
	{ 0xffffffff, NULL },
};

START_TEST(test_credential_name)
{
	const char *got = tbf_credential_name(names[_i].format);

	if (names[_i].name)
		ck_assert_msg(got && !strcmp(got, names[_i].name), "format 0x%x: '%s', want '%s'", names[_i].format,
			      got ? got : "(null)", names[_i].name);
	else
		ck_assert_msg(got == NULL, "format 0x%x has a name '%s' no source gives it", names[_i].format, got);
}
END_TEST

/* The enum carries the same numbers as the table above (the parser keys SHA-256 checks on it). */
START_TEST(test_enum_numbers)
{
	ck_assert_uint_eq(TBF_CRED_RESERVED, 0);
	ck_assert_uint_eq(TBF_CRED_SHA256, 3);
	ck_assert_uint_eq(TBF_CRED_ECDSA_P256, 6);
	ck_assert_uint_eq(TBF_CRED_CLEARTEXT_ID, 0xf1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tbf_names");
	TCase *tc = tcase_create("names");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_credential_name, 0, (int)(sizeof(names) / sizeof(names[0])));
	tcase_add_test(tc, test_enum_numbers);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
