/* tbftool: lay out and serialize a TBF object; the header checksum and SHA-256 footer are filled in last. */
#include "tbf_write.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#define PROGRAM_TLV_LEN 20u
#define KERNEL_VERSION_TLV_LEN 4u
#define SHORT_ID_TLV_LEN 4u
#define SHA256_FOOTER_LEN (4u + 4u + SHA256_DIGEST_SIZE)
/* Keep images far below what a u32 total_size could describe. */
#define MAX_BINARY (256u << 20)

__attribute__((format(printf, 4, 5)))
static int pack_fail(int rc, char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_size, fmt, ap);
	va_end(ap);
	return rc;
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)v);
	wr16(p + 2, (uint16_t)(v >> 16));
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t align4(uint32_t v)
{
	return (v + 3u) & ~3u;
}

/* Appends one TLV header at *pos and returns a pointer to its (zeroed) data; advances past the padding. */
static uint8_t *put_tlv(uint8_t *buf, uint32_t *pos, uint16_t type, uint16_t length)
{
	uint8_t *data = buf + *pos + 4;

	wr16(buf + *pos, type);
	wr16(buf + *pos + 2, length);
	*pos += 4u + align4(length);
	return data;
}

static uint32_t header_size_for(const struct tbftool_pack_params *p, size_t name_len)
{
	uint32_t size = TBF_BASE_HEADER_SIZE;

	size += 4 + PROGRAM_TLV_LEN;
	size += 4 + align4((uint32_t)name_len);
	size += 4 + KERNEL_VERSION_TLV_LEN;
	if (p->short_id)
		size += 4 + SHORT_ID_TLV_LEN;
	if (p->permission_count)
		size += 4 + align4(2u + 16u * p->permission_count);
	return size;
}

static void write_header(const struct tbftool_pack_params *p, uint8_t *img, uint32_t header_size,
			 uint32_t binary_end, uint32_t total_size)
{
	size_t name_len = strlen(p->package_name);
	uint32_t pos = TBF_BASE_HEADER_SIZE;
	uint8_t *d;

	wr16(img, 2);
	wr16(img + 2, (uint16_t)header_size);
	wr32(img + 4, total_size);
	wr32(img + 8, p->enabled ? TBF_FLAG_ENABLED : 0);

	d = put_tlv(img, &pos, TBF_TLV_PROGRAM, PROGRAM_TLV_LEN);
	wr32(d, 0);                     /* init_fn_offset: tock-proc enters through the ELF entry */
	wr32(d + 4, 0);                 /* protected_trailer_size */
	wr32(d + 8, p->minimum_ram_size);
	wr32(d + 12, binary_end);
	wr32(d + 16, 0);                /* version */

	d = put_tlv(img, &pos, TBF_TLV_PACKAGE_NAME, (uint16_t)name_len);
	memcpy(d, p->package_name, name_len);

	d = put_tlv(img, &pos, TBF_TLV_KERNEL_VERSION, KERNEL_VERSION_TLV_LEN);
	wr16(d, p->kernel_major);
	wr16(d + 2, p->kernel_minor);

	if (p->short_id) {
		d = put_tlv(img, &pos, TBF_TLV_SHORT_ID, SHORT_ID_TLV_LEN);
		wr32(d, p->short_id);
	}
	if (p->permission_count) {
		d = put_tlv(img, &pos, TBF_TLV_PERMISSIONS, (uint16_t)(2u + 16u * p->permission_count));
		wr16(d, p->permission_count);
		for (uint16_t i = 0; i < p->permission_count; i++) {
			wr32(d + 2 + 16u * i, p->permissions[i].driver);
			wr32(d + 2 + 16u * i + 4, p->permissions[i].offset);
			wr64(d + 2 + 16u * i + 8, p->permissions[i].allowed_commands);
		}
	}
	wr32(img + 12, tbf_header_checksum(img, header_size));
}

/*
 * Bytes of the Reserved credentials footer (its 4-byte TLV header included): enough to give the
 * footers at least minimum_footer_size bytes (elf2tab's --minimum-footer-size: room that
 * tockloader can later fill with credentials) and to end the object on a 4-byte boundary; 0 when
 * neither needs one. A Reserved footer is at least 8 bytes (header and format).
 */
static uint32_t reserved_footer_size(uint32_t end_of_footers, uint32_t footers, uint32_t minimum)
{
	uint32_t size = minimum > footers ? minimum - footers : 0;

	if (size == 0 && end_of_footers % 4 == 0)
		return 0;
	if (size < 8)
		size = 8;
	return size + (4 - (end_of_footers + size) % 4) % 4;
}

/* Footers start right at binary_end: SHA-256 (unless disabled), then the Reserved one (if any). */
static void write_footers(const struct tbftool_pack_params *p, uint8_t *img, uint32_t binary_end, uint32_t reserved)
{
	uint32_t pos = binary_end;

	if (p->sha256) {
		struct sha256_ctx ctx;

		wr16(img + pos, TBF_TLV_CREDENTIALS);
		wr16(img + pos + 2, 4 + SHA256_DIGEST_SIZE);
		wr32(img + pos + 4, TBF_CRED_SHA256);
		sha256_init(&ctx);
		sha256_update(&ctx, binary_end, img);
		sha256_digest(&ctx, SHA256_DIGEST_SIZE, img + pos + 8);
		pos += SHA256_FOOTER_LEN;
	}
	if (reserved) {
		/* Format Reserved, then zeros: padding that a credential may replace later. */
		wr16(img + pos, TBF_TLV_CREDENTIALS);
		wr16(img + pos + 2, (uint16_t)(reserved - 4));
		wr32(img + pos + 4, TBF_CRED_RESERVED);
	}
}

static int self_check(uint8_t *img, uint32_t total_size, char *why, size_t why_size)
{
	struct tbf_info info;
	struct tbf_error err;
	int r;

	r = tbf_parse(img, total_size, &info, &err);
	if (r == 0)
		r = tbf_verify_credentials(img, total_size, &info, &err);
	if (r < 0)
		return pack_fail(r, why, why_size, "internal error: packed image fails to parse: %s at offset %u: %s",
				 err.field, err.offset, err.message);
	return 0;
}

int tbftool_pack_image(const struct tbftool_pack_params *p, const uint8_t *binary, size_t binary_len,
                       uint8_t **ret_image, size_t *ret_len, char *why, size_t why_size)
{
	size_t name_len = strlen(p->package_name);
	uint32_t header_size, binary_end, footers, reserved, total;
	uint8_t *img;
	int r;

	if (name_len > TBF_MAX_PACKAGE_NAME)
		return pack_fail(-EINVAL, why, why_size, "package name is %zu bytes, at most %d allowed",
				 name_len, TBF_MAX_PACKAGE_NAME);
	if (p->permission_count > TBF_MAX_PERMISSIONS)
		return pack_fail(-EINVAL, why, why_size, "more than %d permissions", TBF_MAX_PERMISSIONS);
	if (binary_len > MAX_BINARY)
		return pack_fail(-EFBIG, why, why_size, "binary is %zu bytes, at most %u supported", binary_len,
				 MAX_BINARY);
	header_size = header_size_for(p, name_len);
	binary_end = header_size + (uint32_t)binary_len;
	if (p->minimum_footer_size > UINT16_MAX)
		return pack_fail(-EINVAL, why, why_size, "minimum footer size %u: at most %u bytes", p->minimum_footer_size,
				 UINT16_MAX);
	footers = p->sha256 ? SHA256_FOOTER_LEN : 0;
	reserved = reserved_footer_size(binary_end + footers, footers, p->minimum_footer_size);
	total = binary_end + footers + reserved;

	img = calloc(1, total);
	if (!img)
		return pack_fail(-ENOMEM, why, why_size, "out of memory for a %u-byte image", total);
	memcpy(img + header_size, binary, binary_len);
	write_header(p, img, header_size, binary_end, total);
	write_footers(p, img, binary_end, reserved);
	r = self_check(img, total, why, why_size);
	if (r < 0) {
		free(img);
		return r;
	}
	*ret_image = img;
	*ret_len = total;
	return 0;
}
