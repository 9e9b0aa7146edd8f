/* Reading a TAB (tar) from memory with libarchive, every member treated as hostile: name, type, size, duplicates. */
#include "loader/tab.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#define TAR_MAGIC_OFFSET 257
#define TAR_BLOCK 512

bool tab_is_tar(const uint8_t *data, size_t len)
{
	/* "ustar\0" (POSIX) and "ustar  \0" (GNU) both start with these five bytes. */
	return len >= TAR_BLOCK && memcmp(data + TAR_MAGIC_OFFSET, "ustar", 5) == 0;
}

__attribute__((format(printf, 4, 5)))
static int fail(char *err, size_t err_len, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return rc;
}

/* A member name as it may be shown (out_len > 3): control bytes replaced, a long name cut with "...". */
static void printable(const char *name, char *out, size_t out_len)
{
	size_t n = strlen(name), keep = n < out_len ? n : out_len - 1;

	for (size_t i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)name[i];

		out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (keep < n)
		memcpy(out + keep - 3, "...", 3);
	out[keep] = '\0';
}

static const char *type_name(unsigned type)
{
	switch (type) {
	case AE_IFLNK: return "a symbolic link";
	case AE_IFDIR: return "a directory";
	case AE_IFCHR: return "a character device";
	case AE_IFBLK: return "a block device";
	case AE_IFIFO: return "a FIFO";
	case AE_IFSOCK: return "a socket";
	default: return "of an unknown type";
	}
}

/* The member's name without leading "./"; NULL (and *why set) when it is not a plain file name. */
static const char *plain_name(const char *path, const char **why)
{
	const char *p = path;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (path[0] == '/') {
		*why = "an absolute path (a TAB member may not leave the archive)";
		return NULL;
	}
	for (const char *c = p; c; c = strchr(c, '/') ? strchr(c, '/') + 1 : NULL) {
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == '\0')) {
			*why = "a path with '..' (a TAB member may not leave the archive)";
			return NULL;
		}
	}
	if (strchr(p, '/')) {
		*why = "in a subdirectory (a TAB holds its files at the top level)";
		return NULL;
	}
	if (!p[0]) {
		*why = "an empty name";
		return NULL;
	}
	for (const unsigned char *c = (const unsigned char *)p; *c; c++) {
		if (*c < 0x20 || *c == 0x7f) {
			*why = "a name with control characters";
			return NULL;
		}
	}
	if (strlen(p) > TAB_MAX_NAME) {
		*why = "a name longer than 255 bytes";
		return NULL;
	}
	return p;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

struct reader {
	struct archive *a;
	struct tab t;
	char (*names)[TAB_MAX_NAME + 1]; /* every regular member seen, for duplicates */
	size_t max_member;
	char *err;
	size_t err_len;
};

/* The current member's data, exactly its header's size; -errno with err set on a short or damaged archive. */
static int read_data(struct reader *r, const char *shown, long long pos, size_t size, uint8_t **ret)
{
	uint8_t *buf = malloc(size + 1); /* + 1: room for a NUL, and never malloc(0) */
	size_t off = 0;

	if (!buf)
		return fail(r->err, r->err_len, -ENOMEM, "TAB member '%s' at offset %lld: out of memory", shown, pos);
	while (off < size) {
		la_ssize_t n = archive_read_data(r->a, buf + off, size - off);

		if (n <= 0) {
			const char *why = n < 0 ? archive_error_string(r->a) : NULL;

			free(buf);
			return fail(r->err, r->err_len, -EBADMSG,
				    "TAB member '%s' at offset %lld: truncated or damaged archive (%zu of %zu bytes: %s)",
				    shown, pos, off, size, why ? why : "the archive ends");
		}
		off += (size_t)n;
	}
	buf[size] = 0;
	*ret = buf;
	return 0;
}

/* Check and keep (or skip) the member just read by archive_read_next_header. */
static int take_member(struct reader *r, struct archive_entry *e, long long pos)
{
	const char *path = archive_entry_pathname(e), *name, *why = NULL;
	unsigned type = archive_entry_filetype(e);
	char shown[96];
	la_int64_t size;
	uint8_t *data;
	int rc;

	if (!path)
		return fail(r->err, r->err_len, -EINVAL, "TAB member at offset %lld: no name", pos);
	printable(path, shown, sizeof(shown));
	/* The archive's own directory ("./", as `tar -C dir .` writes it) carries nothing. */
	if (type == AE_IFDIR && (!strcmp(path, ".") || !strcmp(path, "./")))
		return 0;
	name = plain_name(path, &why);
	if (!name)
		return fail(r->err, r->err_len, -EINVAL, "TAB member '%s' at offset %lld: %s", shown, pos, why);
	if (archive_entry_hardlink(e))
		return fail(r->err, r->err_len, -EINVAL, "TAB member '%s' at offset %lld: a hard link, not a regular file",
			    shown, pos);
	if (type != AE_IFREG)
		return fail(r->err, r->err_len, -EINVAL, "TAB member '%s' at offset %lld: %s, not a regular file", shown,
			    pos, type_name(type));
	for (size_t i = 0; i < r->t.n_members; i++)
		if (!strcmp(r->names[i], name))
			return fail(r->err, r->err_len, -EINVAL, "TAB member '%s' at offset %lld: a second member of that name",
				    shown, pos);
	if (r->t.n_members >= TAB_MAX_MEMBERS)
		return fail(r->err, r->err_len, -E2BIG, "TAB member '%s' at offset %lld: more than %d members", shown, pos,
			    TAB_MAX_MEMBERS);
	size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
	if (size < 0)
		return fail(r->err, r->err_len, -EINVAL, "TAB member '%s' at offset %lld: no size", shown, pos);
	snprintf(r->names[r->t.n_members++], TAB_MAX_NAME + 1, "%s", name);
	if (!strcmp(name, "metadata.toml")) {
		if ((uint64_t)size > TAB_MAX_METADATA)
			return fail(r->err, r->err_len, -EFBIG, "TAB member '%s' at offset %lld: %lld bytes, more than %u",
				    shown, pos, (long long)size, TAB_MAX_METADATA);
		rc = read_data(r, shown, pos, (size_t)size, &data);
		if (rc < 0)
			return rc;
		r->t.metadata = (char *)data;
		r->t.metadata_len = (size_t)size;
		return 0;
	}
	if ((uint64_t)size > r->max_member)
		return fail(r->err, r->err_len, -EFBIG, "TAB member '%s' at offset %lld: %lld bytes, more than the %zu-byte limit",
			    shown, pos, (long long)size, r->max_member);
	if (!ends_with(name, ".tbf"))
		return 0; /* not ours to read; archive_read_next_header skips it */
	rc = read_data(r, shown, pos, (size_t)size, &data);
	if (rc < 0)
		return rc;
	/* n_members bounds n_tbfs, and tbfs has TAB_MAX_MEMBERS slots. */
	snprintf(r->t.tbfs[r->t.n_tbfs].name, sizeof(r->t.tbfs[0].name), "%s", name);
	r->t.tbfs[r->t.n_tbfs].data = data;
	r->t.tbfs[r->t.n_tbfs].len = (size_t)size;
	r->t.n_tbfs++;
	return 0;
}

int tab_read(const uint8_t *data, size_t len, size_t max_member, struct tab *ret, char *err, size_t err_len)
{
	struct reader r = { .max_member = max_member, .err = err, .err_len = err_len };
	struct archive_entry *e;
	int rc = 0, ar;

	r.t.tbfs = calloc(TAB_MAX_MEMBERS, sizeof(*r.t.tbfs));
	r.names = calloc(TAB_MAX_MEMBERS, sizeof(*r.names));
	r.a = archive_read_new();
	if (!r.t.tbfs || !r.names || !r.a) {
		rc = fail(err, err_len, -ENOMEM, "TAB: out of memory");
		goto out;
	}
	/* tar only (ustar, GNU, pax): no compression filters, no other formats. */
	if (archive_read_support_format_tar(r.a) != ARCHIVE_OK ||
	    archive_read_open_memory(r.a, data, len) != ARCHIVE_OK) {
		rc = fail(err, err_len, -EINVAL, "TAB at offset 0: not a readable tar archive (%s)",
			  archive_error_string(r.a) ? archive_error_string(r.a) : "unknown error");
		goto out;
	}
	for (;;) {
		long long pos;

		ar = archive_read_next_header(r.a, &e);
		pos = (long long)archive_read_header_position(r.a);
		if (ar == ARCHIVE_EOF)
			break;
		if (ar != ARCHIVE_OK && ar != ARCHIVE_WARN) {
			const char *why = archive_error_string(r.a);

			/* After a failed header read libarchive knows no header position. */
			if (pos >= 0)
				rc = fail(err, err_len, -EBADMSG, "TAB at offset %lld: truncated or damaged tar archive (%s)",
					  pos, why ? why : "unreadable header");
			else
				rc = fail(err, err_len, -EBADMSG, "TAB: truncated or damaged tar archive (%s)",
					  why ? why : "unreadable header");
			goto out;
		}
		rc = take_member(&r, e, pos);
		if (rc < 0)
			goto out;
	}
	*ret = r.t;
	memset(&r.t, 0, sizeof(r.t));
out:
	if (r.a)
		archive_read_free(r.a);
	free(r.names);
	tab_release(&r.t);
	return rc;
}

int tab_find_arch(const struct tab *t, const char *arch, char *err, size_t err_len)
{
	size_t n = strlen(arch), used = 0;
	char list[512] = "";

	for (size_t i = 0; i < t->n_tbfs; i++) {
		const char *name = t->tbfs[i].name;

		if (!strncmp(name, arch, n) && name[n] == '.')
			return (int)i;
	}
	for (size_t i = 0; i < t->n_tbfs && used + 1 < sizeof(list); i++) {
		char shown[96];
		int w;

		printable(t->tbfs[i].name, shown, sizeof(shown));
		w = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", shown);
		if (w < 0 || (size_t)w >= sizeof(list) - used)
			break; /* the list is cut; the names shown so far make the point */
		used += (size_t)w;
	}
	if (t->n_tbfs == 0)
		return fail(err, err_len, -ENOENT, "TAB: no %s.tbf (the TAB holds no .tbf file at all)", arch);
	return fail(err, err_len, -ENOENT, "TAB: no %s.tbf; the TAB has only %s", arch, list);
}

void tab_release(struct tab *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->tbfs && i < t->n_tbfs; i++)
		free(t->tbfs[i].data);
	free(t->tbfs);
	free(t->metadata);
	memset(t, 0, sizeof(*t));
}
