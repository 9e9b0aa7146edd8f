/* Tock Binary Format parser and credentials check: every offset is range-checked (fuzzed under ASan). */
#include "loader/tbf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "tock/abi.h"

/*
 * Return codes: -ENOEXEC when the bytes are not a version-2 TBF object at all (Tock reads that as
 * "end of the app list"), -E2BIG when the buffer is shorter than the object claims (truncated),
 * -EINVAL for any other malformed field, -EBADMSG when a credential does not match.
 */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

static uint32_t align4(uint32_t v)
{
	return (v + 3u) & ~3u;
}

__attribute__((format(printf, 5, 6)))
static int fail(struct tbf_error *err, int rc, const char *field, uint32_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return rc;
	err->field = field;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return rc;
}

uint32_t tbf_header_checksum(const uint8_t *header, size_t header_size)
{
	uint32_t sum = 0;

	/* Trailing bytes past the last whole word are not covered, as in Tock. */
	for (size_t i = 0; i + 4 <= header_size; i += 4)
		if (i != 12)
			sum ^= rd32(header + i);
	return sum;
}

/*
 * Length of the valid UTF-8 prefix of s (== len when all of it is valid). Rejects overlong forms,
 * surrogates, code points above U+10FFFF and truncated sequences (RFC 3629 table).
 */
static size_t utf8_valid_prefix(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t b = s[i];
		unsigned need;
		uint8_t lo = 0x80, hi = 0xbf; /* allowed range of the first continuation byte */

		if (b < 0x80)
			need = 0;
		else if (b >= 0xc2 && b <= 0xdf)
			need = 1;
		else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			if (b == 0xe0)
				lo = 0xa0;
			else if (b == 0xed)
				hi = 0x9f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			if (b == 0xf0)
				lo = 0x90;
			else if (b == 0xf4)
				hi = 0x8f;
		} else
			return i;
		if (need > len - i - 1)
			return i;
		for (unsigned k = 1; k <= need; k++) {
			uint8_t c = s[i + k];
			if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xbf))
				return i;
		}
		i += 1 + need;
	}
	return len;
}

/* Static descriptions of the TLVs this parser knows: error field names must outlive the call. */
struct tlv_desc {
	uint16_t type;
	int fixed_length; /* -1 = variable */
	const char *name;
	const char *length_field;
	const char *type_field;
};

static const struct tlv_desc tlv_descs[] = {
	{ TBF_TLV_MAIN, 12, "Main", "TLV 1 length", "TLV 1" },
	{ TBF_TLV_WRITEABLE_FLASH, -1, "Writeable flash regions", "TLV 2 length", "TLV 2" },
	{ TBF_TLV_PACKAGE_NAME, -1, "Package name", "TLV 3 length", "TLV 3" },
	{ TBF_TLV_FIXED_ADDRESSES, 8, "Fixed addresses", "TLV 5 length", "TLV 5" },
	{ TBF_TLV_PERMISSIONS, -1, "Permissions", "TLV 6 length", "TLV 6" },
	{ TBF_TLV_STORAGE_PERMISSIONS, -1, "Storage permissions", "TLV 7 length", "TLV 7" },
	{ TBF_TLV_KERNEL_VERSION, 4, "Kernel version", "TLV 8 length", "TLV 8" },
	{ TBF_TLV_PROGRAM, 20, "Program", "TLV 9 length", "TLV 9" },
	{ TBF_TLV_SHORT_ID, 4, "ShortId", "TLV 10 length", "TLV 10" },
};

static const struct tlv_desc *tlv_desc_find(uint16_t type)
{
	for (size_t i = 0; i < sizeof(tlv_descs) / sizeof(tlv_descs[0]); i++)
		if (tlv_descs[i].type == type)
			return &tlv_descs[i];
	return NULL;
}

/* State of one tbf_parse() call. */
struct parser {
	const uint8_t *image;
	struct tbf_info *info;
	struct tbf_error *err;
	uint32_t seen;             /* bit per known TLV type, to refuse duplicates */
	uint32_t main_data;        /* offset of the Main TLV data, 0 if none */
	uint32_t program_data;     /* offset of the Program TLV data, 0 if none */
	uint32_t main_init_fn, main_protected, main_min_ram;
	uint32_t wf_data[TBF_MAX_WRITEABLE_FLASH]; /* where each writeable flash region was found */
};

struct tlv {
	uint16_t type, length;
	uint32_t offset; /* of the TLV header */
	uint32_t data;   /* offset of the data */
	const uint8_t *p; /* the data */
	const struct tlv_desc *desc;
};

static int tlv_writeable_flash(struct parser *ps, const struct tlv *t)
{
	struct tbf_info *info = ps->info;
	uint32_t n = t->length / 8u;

	if (t->length % 8u)
		return fail(ps->err, -EINVAL, t->desc->length_field, t->offset + 2,
			    "Writeable flash regions TLV length %u is not a multiple of 8", t->length);
	if (n > (uint32_t)(TBF_MAX_WRITEABLE_FLASH - info->writeable_flash_count))
		return fail(ps->err, -EINVAL, t->desc->type_field, t->offset,
			    "more than %d writeable flash regions", TBF_MAX_WRITEABLE_FLASH);
	for (uint32_t i = 0; i < n; i++) {
		uint16_t k = info->writeable_flash_count++;
		info->writeable_flash[k].offset = rd32(t->p + 8 * i);
		info->writeable_flash[k].size = rd32(t->p + 8 * i + 4);
		ps->wf_data[k] = t->data + 8 * i;
	}
	return 0;
}

static int tlv_package_name(struct parser *ps, const struct tlv *t)
{
	size_t ok;

	if (t->length > TBF_MAX_PACKAGE_NAME)
		return fail(ps->err, -EINVAL, t->desc->length_field, t->offset + 2,
			    "package name is %u bytes, at most %d allowed", t->length, TBF_MAX_PACKAGE_NAME);
	ok = utf8_valid_prefix(t->p, t->length);
	if (ok != t->length)
		return fail(ps->err, -EINVAL, "package name", t->data + (uint32_t)ok,
			    "invalid UTF-8 at byte %zu of the package name", ok);
	/* A NUL would make the C string disagree with the TLV. */
	if (memchr(t->p, 0, t->length))
		return fail(ps->err, -EINVAL, "package name", t->data, "package name contains a NUL byte");
	memcpy(ps->info->package_name, t->p, t->length);
	ps->info->package_name[t->length] = '\0';
	ps->info->package_name_len = t->length;
	return 0;
}

static int tlv_permissions(struct parser *ps, const struct tlv *t)
{
	struct tbf_info *info = ps->info;
	uint16_t count;

	if (t->length < 2)
		return fail(ps->err, -EINVAL, t->desc->length_field, t->offset + 2,
			    "Permissions TLV length %u leaves no room for the count", t->length);
	count = rd16(t->p);
	if (count > TBF_MAX_PERMISSIONS)
		return fail(ps->err, -EINVAL, "permissions count", t->data,
			    "%u permissions, at most %d supported", count, TBF_MAX_PERMISSIONS);
	if (2u + 16u * count > t->length)
		return fail(ps->err, -EINVAL, "permissions count", t->data,
			    "%u permissions need %u bytes, the TLV has %u", count, 2u + 16u * count, t->length);
	for (uint16_t i = 0; i < count; i++) {
		const uint8_t *e = t->p + 2 + 16u * i; /* unaligned, hence the byte reads */
		info->permissions[i].driver = rd32(e);
		info->permissions[i].offset = rd32(e + 4);
		info->permissions[i].allowed_commands = rd64(e + 8);
	}
	info->permission_count = count;
	info->has_permissions = true;
	return 0;
}

/* Reads a u16 count then count u32 ids at *pos; advances *pos. */
static int storage_ids(struct parser *ps, const struct tlv *t, uint32_t *pos, const char *what,
		       uint16_t *ret_count, uint32_t *ids)
{
	uint16_t count;

	if (t->length < 2 || *pos > t->length - 2u)
		return fail(ps->err, -EINVAL, "storage permissions", t->data + *pos,
			    "Storage permissions TLV ends before the %s count", what);
	count = rd16(t->p + *pos);
	if (count > TBF_MAX_STORAGE_IDS)
		return fail(ps->err, -EINVAL, "storage permissions", t->data + *pos,
			    "%u %s ids, at most %d supported", count, what, TBF_MAX_STORAGE_IDS);
	*pos += 2;
	if (4u * count > t->length - *pos)
		return fail(ps->err, -EINVAL, "storage permissions", t->data + *pos,
			    "%u %s ids run past the TLV length %u", count, what, t->length);
	for (uint16_t i = 0; i < count; i++)
		ids[i] = rd32(t->p + *pos + 4u * i);
	*pos += 4u * count;
	*ret_count = count;
	return 0;
}

static int tlv_storage_permissions(struct parser *ps, const struct tlv *t)
{
	struct tbf_info *info = ps->info;
	uint32_t pos = 4;
	int r;

	if (t->length < 4)
		return fail(ps->err, -EINVAL, t->desc->length_field, t->offset + 2,
			    "Storage permissions TLV length %u leaves no room for the write id", t->length);
	info->storage_write_id = rd32(t->p);
	r = storage_ids(ps, t, &pos, "read", &info->storage_read_count, info->storage_read_ids);
	if (r < 0)
		return r;
	r = storage_ids(ps, t, &pos, "modify", &info->storage_modify_count, info->storage_modify_ids);
	if (r < 0)
		return r;
	info->has_storage_permissions = true;
	return 0;
}

/* Lengths were checked already for the fixed-size TLVs. */
static int tlv_apply(struct parser *ps, const struct tlv *t)
{
	struct tbf_info *info = ps->info;

	switch (t->type) {
	case TBF_TLV_MAIN:
		ps->main_data = t->data;
		ps->main_init_fn = rd32(t->p);
		ps->main_protected = rd32(t->p + 4);
		ps->main_min_ram = rd32(t->p + 8);
		info->has_main = true;
		return 0;
	case TBF_TLV_PROGRAM:
		ps->program_data = t->data;
		info->init_fn_offset = rd32(t->p);
		info->protected_trailer_size = rd32(t->p + 4);
		info->minimum_ram_size = rd32(t->p + 8);
		info->binary_end_offset = rd32(t->p + 12);
		info->app_version = rd32(t->p + 16);
		info->has_program = true;
		return 0;
	case TBF_TLV_WRITEABLE_FLASH:
		return tlv_writeable_flash(ps, t);
	case TBF_TLV_PACKAGE_NAME:
		return tlv_package_name(ps, t);
	case TBF_TLV_FIXED_ADDRESSES:
		info->fixed_ram_address = rd32(t->p);
		info->fixed_flash_address = rd32(t->p + 4);
		info->has_fixed_addresses = true;
		return 0;
	case TBF_TLV_PERMISSIONS:
		return tlv_permissions(ps, t);
	case TBF_TLV_STORAGE_PERMISSIONS:
		return tlv_storage_permissions(ps, t);
	case TBF_TLV_KERNEL_VERSION:
		info->kernel_major = rd16(t->p);
		info->kernel_minor = rd16(t->p + 2);
		info->has_kernel_version = true;
		return 0;
	case TBF_TLV_SHORT_ID:
		info->short_id = rd32(t->p);
		return 0;
	default:
		return 0; /* unknown types (and the historical type 4) are skipped */
	}
}

static int parse_tlv(struct parser *ps, struct tlv *t)
{
	const struct tlv_desc *d = t->desc;

	if (!d)
		return 0;
	if (d->fixed_length >= 0 && t->length != (uint32_t)d->fixed_length)
		return fail(ps->err, -EINVAL, d->length_field, t->offset + 2,
			    "%s TLV length %u, expected %d", d->name, t->length, d->fixed_length);
	/* Writeable flash regions may be split over several TLVs; any other repeat is ambiguous. */
	if (t->type != TBF_TLV_WRITEABLE_FLASH && (ps->seen & (1u << t->type)))
		return fail(ps->err, -EINVAL, d->type_field, t->offset, "duplicate %s TLV", d->name);
	ps->seen |= 1u << t->type;
	return tlv_apply(ps, t);
}

static int parse_tlvs(struct parser *ps)
{
	uint32_t header_size = ps->info->header_size;
	uint32_t pos = TBF_BASE_HEADER_SIZE;

	while (pos < header_size) {
		struct tlv t;
		int r;

		if (header_size - pos < 4)
			return fail(ps->err, -EINVAL, "TLV header", pos,
				    "%u bytes left before header_size %u, too few for a TLV header",
				    header_size - pos, header_size);
		t.offset = pos;
		t.type = rd16(ps->image + pos);
		t.length = rd16(ps->image + pos + 2);
		t.data = pos + 4;
		t.p = ps->image + t.data;
		t.desc = tlv_desc_find(t.type);
		if (t.length > header_size - t.data)
			return fail(ps->err, -EINVAL, t.desc ? t.desc->length_field : "TLV length", pos + 2,
				    "TLV %u length %u runs past header_size %u", t.type, t.length, header_size);
		r = parse_tlv(ps, &t);
		if (r < 0)
			return r;
		/* The data is padded to 4 bytes; padding past header_size just ends the walk. */
		pos = t.data + align4(t.length);
	}
	return 0;
}

/* Program wins over Main; without either the binary runs to total_size. Then range checks. */
static int resolve_program(struct parser *ps)
{
	struct tbf_info *info = ps->info;
	uint32_t where = ps->program_data ? ps->program_data : ps->main_data;
	uint64_t protected_end;

	if (!info->has_program) {
		info->binary_end_offset = info->total_size;
		if (info->has_main) {
			info->init_fn_offset = ps->main_init_fn;
			info->protected_trailer_size = ps->main_protected;
			info->minimum_ram_size = ps->main_min_ram;
		}
	}
	protected_end = (uint64_t)info->header_size + info->protected_trailer_size;
	if (protected_end > info->total_size)
		return fail(ps->err, -EINVAL, "protected_trailer_size", where + 4,
			    "protected trailer of %u bytes ends past total_size %u",
			    info->protected_trailer_size, info->total_size);
	if (info->binary_end_offset < protected_end || info->binary_end_offset > info->total_size)
		return fail(ps->err, -EINVAL, "binary_end_offset", where + 12,
			    "binary_end_offset %u outside [%llu, %u]", info->binary_end_offset,
			    (unsigned long long)protected_end, info->total_size);
	if ((info->has_main || info->has_program) &&
	    (uint64_t)info->header_size + info->init_fn_offset > info->binary_end_offset)
		return fail(ps->err, -EINVAL, "init_fn_offset", where,
			    "init_fn_offset %u (from the end of the header) is past binary_end_offset %u",
			    info->init_fn_offset, info->binary_end_offset);
	return 0;
}

static int check_writeable_flash(struct parser *ps)
{
	const struct tbf_info *info = ps->info;
	uint64_t binary_size = info->binary_end_offset - (uint64_t)info->header_size - info->protected_trailer_size;

	for (uint16_t i = 0; i < info->writeable_flash_count; i++) {
		const struct tbf_writeable_flash *w = &info->writeable_flash[i];

		if ((uint64_t)w->offset + w->size > binary_size)
			return fail(ps->err, -EINVAL, "writeable flash region", ps->wf_data[i],
				    "region %u at binary offset %u, %u bytes, is outside the %llu-byte binary",
				    i, w->offset, w->size, (unsigned long long)binary_size);
	}
	return 0;
}

static int parse_base_header(const uint8_t *image, size_t len, struct tbf_info *info, struct tbf_error *err)
{
	uint32_t computed;

	if (len < TBF_BASE_HEADER_SIZE)
		return fail(err, -E2BIG, "total_size", 4,
			    "image is %zu bytes, shorter than the %d-byte base header (truncated image)",
			    len, TBF_BASE_HEADER_SIZE);
	info->version = rd16(image);
	info->header_size = rd16(image + 2);
	info->total_size = rd32(image + 4);
	info->flags = rd32(image + 8);
	info->checksum = rd32(image + 12);
	if (info->version != 2)
		return fail(err, -ENOEXEC, "version", 0, "version %u, expected 2", info->version);
	if (info->header_size < TBF_BASE_HEADER_SIZE)
		return fail(err, -EINVAL, "header_size", 2, "header_size %u is smaller than the %d-byte base header",
			    info->header_size, TBF_BASE_HEADER_SIZE);
	if (info->total_size > len)
		return fail(err, -E2BIG, "total_size", 4, "total_size %u exceeds the %zu bytes available (truncated image)",
			    info->total_size, len);
	if (info->header_size > info->total_size)
		return fail(err, -EINVAL, "header_size", 2, "header_size %u exceeds total_size %u",
			    info->header_size, info->total_size);
	computed = tbf_header_checksum(image, info->header_size);
	if (computed != info->checksum)
		return fail(err, -EINVAL, "checksum", 12, "bad checksum: header says 0x%08x, computed 0x%08x",
			    info->checksum, computed);
	return 0;
}

int tbf_parse(const uint8_t *image, size_t len, struct tbf_info *ret_info, struct tbf_error *ret_err)
{
	struct tbf_info info;
	struct parser ps;
	int r;

	memset(&info, 0, sizeof(info));
	memset(&ps, 0, sizeof(ps));
	if (!image && len)
		return fail(ret_err, -EINVAL, "total_size", 0, "no image");
	r = parse_base_header(image, len, &info, ret_err);
	if (r < 0)
		return r;
	ps.image = image;
	ps.info = &info;
	ps.err = ret_err;
	r = parse_tlvs(&ps);
	if (r == 0)
		r = resolve_program(&ps);
	if (r == 0)
		r = check_writeable_flash(&ps);
	if (r < 0)
		return r;
	/* Only now, so the caller's struct is left alone on failure. */
	*ret_info = info;
	return 0;
}

static bool digest_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= (uint8_t)(a[i] ^ b[i]);
	return diff == 0;
}

/* A whole digest in lowercase hex (out holds 2 * n + 1 bytes): a mismatch shows both in full. */
static void hex_digest(char *out, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* One credentials footer whose header fits before total_size; data is image + pos + 8. */
static int check_credential(const uint8_t *image, struct tbf_info *info, uint32_t pos, uint16_t length,
			    struct tbf_error *err)
{
	uint32_t format;
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	char want[2 * SHA256_DIGEST_SIZE + 1], got[2 * SHA256_DIGEST_SIZE + 1];

	if (length < 4)
		return fail(err, -EINVAL, "credentials length", pos + 2,
			    "credentials footer at offset %u: length %u has no room for the format", pos, length);
	format = rd32(image + pos + 4);
	if (format != TBF_CRED_SHA256)
		return 0; /* Reserved is padding; other formats are not checked by this kernel */
	info->has_sha256 = true;
	if (length - 4u != SHA256_DIGEST_SIZE)
		return fail(err, -EINVAL, "credentials length", pos + 2,
			    "SHA-256 credentials footer at offset %u carries %u bytes, expected %d",
			    pos, length - 4u, SHA256_DIGEST_SIZE);
	sha256_init(&ctx);
	sha256_update(&ctx, info->binary_end_offset, image);
	sha256_digest(&ctx, sizeof(digest), digest);
	if (!digest_equal(digest, image + pos + 8, sizeof(digest))) {
		hex_digest(want, image + pos + 8, sizeof(digest));
		hex_digest(got, digest, sizeof(digest));
		return fail(err, -EBADMSG, "credentials SHA-256", pos + 8,
			    "SHA-256 mismatch: footer says %s, computed %s", want, got);
	}
	return 0;
}

int tbf_verify_credentials(const uint8_t *image, size_t len, struct tbf_info *info, struct tbf_error *ret_err)
{
	uint32_t pos;
	bool any_sha = false;

	/* The info may come from anywhere; never trust its sizes against this buffer. */
	if (!image || info->total_size > len || info->binary_end_offset > info->total_size)
		return fail(ret_err, -EINVAL, "total_size", 4,
			    "total_size %u / binary_end_offset %u do not fit the %zu-byte image",
			    info->total_size, info->binary_end_offset, len);
	info->has_sha256 = false;
	info->sha256_verified = false;
	info->credentials_offset = 0;
	for (pos = info->binary_end_offset; pos < info->total_size;) {
		uint32_t left = info->total_size - pos;
		uint16_t type, length;
		int r;

		if (left < 4)
			break; /* fewer bytes than a footer header: zero padding up to total_size */
		type = rd16(image + pos);
		length = rd16(image + pos + 2);
		if (length > left - 4)
			return fail(ret_err, -EINVAL, "footer length", pos + 2,
				    "footer TLV %u at offset %u: length %u runs past total_size %u",
				    type, pos, length, info->total_size);
		if (!info->credentials_offset)
			info->credentials_offset = pos;
		if (type == TBF_TLV_CREDENTIALS) {
			r = check_credential(image, info, pos, length, ret_err);
			if (r < 0)
				return r;
			any_sha = info->has_sha256;
		}
		pos += 4u + length;
	}
	info->sha256_verified = any_sha;
	return 0;
}

static const struct tbf_permission *permission_find(const struct tbf_info *info, uint32_t driver,
						    uint32_t offset, bool *ret_driver_listed)
{
	uint16_t n = info->permission_count <= TBF_MAX_PERMISSIONS ? info->permission_count : TBF_MAX_PERMISSIONS;

	*ret_driver_listed = false;
	for (uint16_t i = 0; i < n; i++) {
		if (info->permissions[i].driver != driver)
			continue;
		*ret_driver_listed = true;
		if (info->permissions[i].offset == offset)
			return &info->permissions[i]; /* the first matching entry decides, as in Tock */
	}
	return NULL;
}

int tbf_permission_check_driver(const struct tbf_info *info, uint32_t driver)
{
	bool listed;

	if (!info->has_permissions)
		return 0;
	permission_find(info, driver, 0, &listed);
	return listed ? 0 : TOCK_ERR_NODEVICE;
}

int tbf_permission_check_command(const struct tbf_info *info, uint32_t driver, uint32_t command)
{
	const struct tbf_permission *p;
	bool listed;

	if (!info->has_permissions)
		return 0;
	p = permission_find(info, driver, command / 64u, &listed);
	if (p && (p->allowed_commands & (1ull << (command % 64u))))
		return 0;
	return TOCK_ERR_NODEVICE;
}
