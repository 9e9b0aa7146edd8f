/* JUnit XML for `tockhost test --junit FILE`: one testsuite, one testcase, a <failure> when it did not pass. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "board/testrun.h"

/* Length of the well-formed UTF-8 sequence at p (at most n bytes), 0 if it is not one. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : 0;

	if (p[0] >= 0xf5 || !len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
	    (p[0] == 0xf4 && p[1] >= 0x90))
		return 0; /* overlong, surrogate or beyond U+10FFFF */
	return len;
}

/* App output is arbitrary bytes: markup is escaped, and what XML 1.0 cannot hold becomes '?'. */
static void put_escaped(FILE *f, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text);

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = p[i];
		size_t len;

		switch (ch) {
		case '&': fputs("&amp;", f); continue;
		case '<': fputs("&lt;", f); continue;
		case '>': fputs("&gt;", f); continue;
		case '"': fputs("&quot;", f); continue;
		case '\'': fputs("&apos;", f); continue;
		default: break;
		}
		if (ch < 0x80) {
			fputc(ch >= 0x20 || ch == '\n' || ch == '\t' ? ch : '?', f);
			continue;
		}
		len = utf8_len(p + i, n - i);
		if (!len) {
			fputc('?', f);
			continue;
		}
		fwrite(p + i, 1, len, f);
		i += len - 1;
	}
}

int tr_write_junit(const struct tr_spec *s, const char *path, int result, double seconds, const char *diff,
                   const char *output)
{
	FILE *f = fopen(path, "we");
	bool failed = result != TR_PASS;

	if (!f) {
		fprintf(stderr, "tockhost: --junit %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"tockhost\" tests=\"1\" "
	        "failures=\"%d\" errors=\"0\" time=\"%.3f\">\n<testcase classname=\"tockhost.test\" name=\"", failed, seconds);
	put_escaped(f, s->name);
	fprintf(f, "\" time=\"%.3f\">\n", seconds);
	if (failed) {
		fprintf(f, "<failure type=\"%s\" message=\"", result == TR_TIMEOUT ? "timeout" : "mismatch");
		put_escaped(f, result == TR_TIMEOUT ? "timed out" : "expectation not met");
		fputs("\">", f);
		put_escaped(f, diff);
		fputs("</failure>\n", f);
	}
	fputs("<system-out>", f);
	put_escaped(f, output);
	fputs("</system-out>\n</testcase>\n</testsuite>\n</testsuites>\n", f);
	if (fclose(f) != 0) {
		fprintf(stderr, "tockhost: --junit %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}
