/* tbftool: writes a TAB with libarchive into memory; metadata.toml carries the fields elf2tab writes. */
#include "tab_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "loader/tab.h"

/* A TOML basic string: quotes, backslashes and control characters escaped. */
static void toml_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
}

char *tbftool_tab_metadata(const struct tbftool_tab_params *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct tm tm;

	if (!f)
		return NULL;
	fprintf(f, "tab-version = 1\nname = ");
	toml_string(f, p->package_name);
	fprintf(f, "\nonly-for-boards = \"\"\nminimum-tock-kernel-version = \"%u.%u\"\n", p->kernel_major,
		p->kernel_minor);
	if (!p->deterministic && gmtime_r(&p->now, &tm))
		fprintf(f, "build-date = %04d-%02d-%02dT%02d:%02d:%02dZ\n", tm.tm_year + 1900, tm.tm_mon + 1,
			tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int add_member(struct archive *a, const char *name, const void *data, size_t len, time_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	int r = -ENOMEM;

	if (!e)
		return r;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	r = -EIO;
	if (archive_write_header(a, e) == ARCHIVE_OK && archive_write_data(a, data, len) == (la_ssize_t)len)
		r = 0;
	archive_entry_free(e);
	return r;
}

static size_t blocks(size_t n)
{
	return (n + 511) / 512 * 512;
}

int tbftool_tab_build(const struct tbftool_tab_params *p, const uint8_t *tbf, size_t tbf_len, uint8_t **ret,
		      size_t *ret_len, char *why, size_t why_size)
{
	char *metadata = tbftool_tab_metadata(p);
	struct archive *a = archive_write_new();
	time_t mtime = p->deterministic ? 0 : p->now;
	size_t cap, used = 0;
	uint8_t *buf = NULL;
	int r = -ENOMEM;

	if (!metadata || !a) {
		snprintf(why, why_size, "out of memory");
		goto out;
	}
	/* Two headers, both members' blocks, the end-of-archive blocks, and the last record's padding. */
	cap = 2 * 512 + blocks(strlen(metadata)) + blocks(tbf_len) + 2 * 512 + 10240;
	buf = malloc(cap);
	if (!buf) {
		snprintf(why, why_size, "out of memory");
		goto out;
	}
	r = -EIO;
	if (archive_write_set_format_gnutar(a) != ARCHIVE_OK || archive_write_open_memory(a, buf, cap, &used) != ARCHIVE_OK ||
	    add_member(a, "metadata.toml", metadata, strlen(metadata), mtime) < 0 ||
	    add_member(a, TAB_ARCH ".tbf", tbf, tbf_len, mtime) < 0 || archive_write_close(a) != ARCHIVE_OK) {
		snprintf(why, why_size, "cannot write the TAB: %s",
			 archive_error_string(a) ? archive_error_string(a) : "libarchive failed");
		goto out;
	}
	*ret = buf;
	*ret_len = used;
	buf = NULL;
	r = 0;
out:
	if (a)
		archive_write_free(a);
	free(buf);
	free(metadata);
	return r;
}
