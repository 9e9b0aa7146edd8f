/* Reading .tbf and .tab files for the board: bounded read, TAB member pick, TBF parse, SHA-256 and kernel checks. */
#include "board/app_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/file.h"
#include "loader/tab.h"

/* The whole file, bounded; err says what is wrong with it ("file at offset 0: ..."). */
static int read_file(const char *path, uint8_t **ret, size_t *ret_len, char *err, size_t err_len)
{
	int r = basic_read_file(path, BOARD_MAX_IMAGE_FILE, ret, ret_len);

	if (r == 0 && *ret_len == 0) {
		free(*ret);
		r = -EINVAL;
		snprintf(err, err_len, "file at offset 0: empty file (truncated image)");
	} else if (r == -EISDIR || r == -EINVAL) {
		r = -EINVAL;
		snprintf(err, err_len, "file at offset 0: not a regular file");
	} else if (r == -EFBIG) {
		r = -EINVAL;
		snprintf(err, err_len, "file at offset 0: larger than 64 MiB");
	} else if (r == -EAGAIN) {
		snprintf(err, err_len, "file at offset 0: read failed: the file grew while reading");
	} else if (r < 0) {
		snprintf(err, err_len, "file at offset 0: cannot open: %s", strerror(-r));
	}
	return r;
}

/* Offset of the Kernel Version TLV inside the header, for the error message (0 if not found). */
static uint32_t kernel_version_offset(const uint8_t *img, const struct tbf_info *info)
{
	uint32_t pos = TBF_BASE_HEADER_SIZE;

	while (pos + 4 <= info->header_size) {
		uint16_t type = (uint16_t)(img[pos] | img[pos + 1] << 8);
		uint16_t len = (uint16_t)(img[pos + 2] | img[pos + 3] << 8);

		if (type == TBF_TLV_KERNEL_VERSION)
			return pos;
		pos += 4 + ((len + 3u) & ~3u);
	}
	return 0;
}

static void file_stem(const char *path, char *out, size_t out_len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && (!strcmp(base + n - 4, ".tbf") || !strcmp(base + n - 4, ".tab")))
		n -= 4;
	if (n >= out_len)
		n = out_len - 1;
	memcpy(out, base, n);
	out[n] = '\0';
}

/* The name is shown on the terminal ([name] prefixes, reports): its control bytes are shown, not obeyed. */
static void make_printable(char *name)
{
	for (unsigned char *c = (unsigned char *)name; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			*c = '?';
}

/*
 * Check one object at `off`; 0 (usable), 1 (skip: disabled or padding), or -errno with err set.
 * `within` prefixes error lines ("x86_64.tbf: " for a TAB's member, else "").
 */
static int check_object(const char *path, const char *within, const uint8_t *img, size_t avail, size_t off,
                        struct board_app_image *a, char *err, size_t err_len)
{
	struct tbf_error te;
	int r;

	memset(&te, 0, sizeof(te));
	r = tbf_parse(img, avail, &a->info, &te);
	if (r == 0)
		r = tbf_verify_credentials(img, a->info.total_size, &a->info, &te);
	if (r < 0) {
		snprintf(err, err_len, "%s%s at offset %zu: %s", within, te.field ? te.field : "header", off + te.offset,
		         te.message);
		return r;
	}
	if (a->info.has_kernel_version &&
	    (a->info.kernel_major != BOARD_KERNEL_MAJOR || a->info.kernel_minor > BOARD_KERNEL_MINOR)) {
		snprintf(err, err_len, "%sKernel Version TLV at offset %zu: app needs kernel %u.%u, this kernel is %u.%u",
		         within, off + kernel_version_offset(img, &a->info), a->info.kernel_major, a->info.kernel_minor,
		         BOARD_KERNEL_MAJOR, BOARD_KERNEL_MINOR);
		return -EPROTONOSUPPORT;
	}
	if (!(a->info.flags & TBF_FLAG_ENABLED) || (!a->info.has_main && !a->info.has_program))
		return 1;
	a->image = img;
	a->len = a->info.total_size;
	if (a->info.package_name[0])
		snprintf(a->name, sizeof(a->name), "%s", a->info.package_name);
	else
		file_stem(path, a->name, sizeof(a->name));
	make_printable(a->name);
	return 0;
}

/* Replace the TAB in f->data by its x86_64.tbf member; *within names that member for error lines. */
static int take_tab_member(struct board_app_file *f, char *within, size_t within_len, char *err, size_t err_len)
{
	struct tab t;
	int r, i;

	r = tab_read(f->data, f->len, BOARD_MAX_IMAGE_FILE, &t, err, err_len);
	if (r < 0)
		return r;
	i = tab_find_arch(&t, TAB_ARCH, err, err_len);
	if (i < 0) {
		tab_release(&t);
		return i;
	}
	free(f->data);
	f->data = t.tbfs[i].data;
	f->len = t.tbfs[i].len;
	t.tbfs[i].data = NULL;
	snprintf(within, within_len, "%s: ", t.tbfs[i].name);
	tab_release(&t);
	return 0;
}

int board_app_file_load(const char *path, struct board_app_file *ret, char *err, size_t err_len)
{
	struct board_app_file f = { 0 };
	char within[TAB_MAX_NAME + 3] = "";
	size_t off = 0;
	int r;

	r = read_file(path, &f.data, &f.len, err, err_len);
	if (r < 0)
		return r;
	if (tab_is_tar(f.data, f.len)) {
		r = take_tab_member(&f, within, sizeof(within), err, err_len);
		if (r < 0)
			goto fail;
	} else if (f.len < 2 || (f.data[0] | f.data[1] << 8) != 2) {
		r = -ENOEXEC;
		if (f.len < 2)
			snprintf(err, err_len, "version at offset 0: neither a TBF image (%zu bytes, too short for a TBF "
			         "header) nor a TAB (tar archive)", f.len);
		else
			snprintf(err, err_len, "version at offset 0: neither a TBF image (version %u, expected 2) nor a TAB "
			         "(tar archive)", f.data[0] | f.data[1] << 8);
		goto fail;
	}
	while (off < f.len) {
		struct board_app_image a;
		void *v;

		memset(&a, 0, sizeof(a));
		r = check_object(path, within, f.data + off, f.len - off, off, &a, err, err_len);
		/* After the first object, bytes that are not a TBF end the list (Tock's rule for flash). */
		if (r == -ENOEXEC && off > 0)
			break;
		if (r < 0)
			goto fail;
		if (r == 0) {
			v = realloc(f.apps, (f.n_apps + 1) * sizeof(*f.apps));
			if (!v) {
				r = -ENOMEM;
				snprintf(err, err_len, "file at offset %zu: out of memory", off);
				goto fail;
			}
			f.apps = v;
			f.apps[f.n_apps++] = a;
		}
		if (a.info.total_size == 0)
			break;
		off += a.info.total_size;
	}
	if (f.n_apps == 0) {
		r = -ENOENT;
		snprintf(err, err_len, "%sflags at offset 8: no enabled app in the file", within);
		goto fail;
	}
	*ret = f;
	return 0;
fail:
	board_app_file_release(&f);
	return r;
}

void board_app_file_release(struct board_app_file *f)
{
	if (!f)
		return;
	free(f->data);
	free(f->apps);
	memset(f, 0, sizeof(*f));
}
