/* Shared bits of the integration test programs: argument lists and the Check runner. */
#ifndef TOCKHOST_TH_SUITE_H
#define TOCKHOST_TH_SUITE_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "th_harness.h"
#include "th_text.h"

/* A NULL-terminated argument list for th_run(): TH_ARGS("run", "--quiet", th_app("hello")). */
#define TH_ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Every run passes --no-color so the output contract can be matched byte for byte. */
#define TH_RUN "run", "--no-color"

#define TH_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A test case with the integration timeout (the per-run hang guard is shorter). */
static inline TCase *th_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, TH_TCASE_TIMEOUT_SECONDS);
	return tc;
}

static inline int th_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
