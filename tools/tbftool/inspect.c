/* tbftool: human-readable dump of a TBF image; only walks structures tbf_parse() already bounds-checked. */
#include "inspect.h"

#include <errno.h>
#include <inttypes.h>

#include "loader/tbf.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static const char *tlv_name(uint16_t type)
{
	switch (type) {
	case TBF_TLV_MAIN: return "Main";
	case TBF_TLV_WRITEABLE_FLASH: return "Writeable flash regions";
	case TBF_TLV_PACKAGE_NAME: return "Package name";
	case 4: return "PicOption1 (unused)";
	case TBF_TLV_FIXED_ADDRESSES: return "Fixed addresses";
	case TBF_TLV_PERMISSIONS: return "Permissions";
	case TBF_TLV_STORAGE_PERMISSIONS: return "Storage permissions";
	case TBF_TLV_KERNEL_VERSION: return "Kernel version";
	case TBF_TLV_PROGRAM: return "Program";
	case TBF_TLV_SHORT_ID: return "ShortId";
	case TBF_TLV_CREDENTIALS: return "Credentials";
	default: return (type & 0x8000) ? "out-of-tree (skipped)" : "unknown (skipped)";
	}
}

/* Package names are valid UTF-8 without NUL, but may hold control characters. */
static void print_quoted(FILE *out, const uint8_t *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fprintf(out, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] == 0x7f)
			fprintf(out, "\\x%02x", s[i]);
		else
			fputc(s[i], out);
	}
	fputc('"', out);
}

static void print_ids(FILE *out, const char *what, const uint32_t *ids, uint16_t n)
{
	fprintf(out, "    %-22s", what);
	for (uint16_t i = 0; i < n; i++)
		fprintf(out, " 0x%08" PRIx32, ids[i]);
	fprintf(out, "%s\n", n ? "" : " (none)");
}

static void print_tlv_data(FILE *out, uint16_t type, const uint8_t *d, uint16_t len, const struct tbf_info *info)
{
	switch (type) {
	case TBF_TLV_MAIN:
	case TBF_TLV_PROGRAM:
		fprintf(out, "    %-22s %" PRIu32 "\n", "init_fn_offset", rd32(d));
		fprintf(out, "    %-22s %" PRIu32 "\n", "protected_trailer_size", rd32(d + 4));
		fprintf(out, "    %-22s %" PRIu32 "\n", "minimum_ram_size", rd32(d + 8));
		if (type == TBF_TLV_PROGRAM) {
			fprintf(out, "    %-22s %" PRIu32 "\n", "binary_end_offset", rd32(d + 12));
			fprintf(out, "    %-22s %" PRIu32 "\n", "version", rd32(d + 16));
		} else if (info->has_program) {
			fprintf(out, "    (ignored: Program takes precedence)\n");
		}
		break;
	case TBF_TLV_WRITEABLE_FLASH:
		for (uint16_t i = 0; i + 8u <= len; i += 8)
			fprintf(out, "    region offset 0x%08" PRIx32 " size %" PRIu32 "\n", rd32(d + i), rd32(d + i + 4));
		break;
	case TBF_TLV_PACKAGE_NAME:
		fprintf(out, "    %-22s ", "package_name");
		print_quoted(out, d, len);
		fputc('\n', out);
		break;
	case TBF_TLV_FIXED_ADDRESSES:
		fprintf(out, "    %-22s 0x%08" PRIx32 "\n", "ram_address", rd32(d));
		fprintf(out, "    %-22s 0x%08" PRIx32 "\n", "flash_address", rd32(d + 4));
		break;
	case TBF_TLV_PERMISSIONS:
		fprintf(out, "    %-22s %u\n", "count", info->permission_count);
		for (uint16_t i = 0; i < info->permission_count; i++)
			fprintf(out, "    driver 0x%05" PRIx32 " offset %" PRIu32 " allowed_commands 0x%016" PRIx64 "\n",
				info->permissions[i].driver, info->permissions[i].offset,
				info->permissions[i].allowed_commands);
		break;
	case TBF_TLV_STORAGE_PERMISSIONS:
		fprintf(out, "    %-22s 0x%08" PRIx32 "\n", "write_id", info->storage_write_id);
		print_ids(out, "read_ids", info->storage_read_ids, info->storage_read_count);
		print_ids(out, "modify_ids", info->storage_modify_ids, info->storage_modify_count);
		break;
	case TBF_TLV_KERNEL_VERSION:
		fprintf(out, "    %-22s %u.%u\n", "kernel_version", rd16(d), rd16(d + 2));
		break;
	case TBF_TLV_SHORT_ID:
		fprintf(out, "    %-22s 0x%08" PRIx32 "%s\n", "short_id", rd32(d), rd32(d) ? "" : " (LocallyUnique)");
		break;
	default:
		break;
	}
}

static void print_header(FILE *out, const uint8_t *image, const struct tbf_info *info)
{
	uint32_t pos = TBF_BASE_HEADER_SIZE;

	fprintf(out, "  %-24s %u\n", "version", info->version);
	fprintf(out, "  %-24s %u\n", "header_size", info->header_size);
	fprintf(out, "  %-24s %" PRIu32 "\n", "total_size", info->total_size);
	fprintf(out, "  %-24s 0x%08" PRIx32 " (%s%s)\n", "flags", info->flags,
		(info->flags & TBF_FLAG_ENABLED) ? "enabled" : "disabled",
		(info->flags & TBF_FLAG_STICKY) ? ", sticky" : "");
	fprintf(out, "  %-24s 0x%08" PRIx32 " (ok)\n", "checksum", info->checksum);
	/* Same walk as the parser, which accepted every TLV header and length below header_size. */
	while (pos + 4u <= info->header_size) {
		uint16_t type = rd16(image + pos), len = rd16(image + pos + 2);

		if ((uint32_t)len > info->header_size - pos - 4u)
			break;
		fprintf(out, "  TLV %u %s: %u bytes at offset %" PRIu32 "\n", type, tlv_name(type), len, pos);
		print_tlv_data(out, type, image + pos + 4, len, info);
		pos += 4u + ((len + 3u) & ~3u);
	}
}

static void print_footers(FILE *out, const uint8_t *image, const struct tbf_info *info)
{
	uint32_t pos = info->binary_end_offset;

	fprintf(out, "  %-24s %" PRIu32 " bytes at offset %" PRIu32 "\n", "binary",
		info->binary_end_offset - info->header_size - info->protected_trailer_size,
		info->header_size + info->protected_trailer_size);
	while (pos < info->total_size && info->total_size - pos >= 4) {
		uint16_t type = rd16(image + pos), len = rd16(image + pos + 2);

		if ((uint32_t)len > info->total_size - pos - 4u)
			break;
		fprintf(out, "  footer %u %s: %u bytes at offset %" PRIu32 "\n", type, tlv_name(type), len, pos);
		if (type == TBF_TLV_CREDENTIALS && len >= 4) {
			uint32_t format = rd32(image + pos + 4);
			const char *name = tbf_credential_name(format);
			int shown = 0; /* data bytes printed in hex after the name */

			if ((format == TBF_CRED_SHA256 && len == 36) || (format == TBF_CRED_CLEARTEXT_ID && len == 12))
				shown = len - 4;
			fprintf(out, "    %-22s %" PRIu32 " %s%s", "format", format, name ? name : "unknown",
				shown ? " " : "");
			for (int i = 0; i < shown; i++)
				fprintf(out, "%02x", image[pos + 8 + i]);
			fputc('\n', out);
		}
		pos += 4u + len;
	}
}

/* One object at file offset `base`: its dump, or one error line (offsets counted from the file's start). */
static int inspect_object(FILE *out, FILE *errs, const char *label, const char *file, const uint8_t *image,
			  size_t len, size_t base, struct tbf_info *info)
{
	struct tbf_error err;
	int r;

	r = tbf_parse(image, len, info, &err);
	if (r < 0) {
		fprintf(errs, "%s: %s at offset %zu: %s\n", file, err.field, base + err.offset, err.message);
		return r;
	}
	fprintf(out, "%s:\n", label);
	print_header(out, image, info);
	r = tbf_verify_credentials(image, info->total_size, info, &err);
	print_footers(out, image, info);
	if (r == 0)
		fprintf(out, "  %-24s %s\n", "sha256", info->sha256_verified ? "verified" : "absent");
	else if (info->has_sha256)
		fprintf(out, "  %-24s mismatch\n", "sha256");
	if (r < 0) {
		fprintf(errs, "%s: %s at offset %zu: %s\n", file, err.field, base + err.offset, err.message);
		return r;
	}
	return 0;
}

int tbftool_inspect_image(FILE *out, FILE *errs, const char *name, const uint8_t *image, size_t len)
{
	char label[512];
	size_t off = 0;
	unsigned n = 0;

	/* Back-to-back objects, as in flash and as `tockhost run` loads them. */
	while (off < len) {
		struct tbf_info info;
		struct tbf_error probe;
		int r;

		/* After the first object, bytes that are not a TBF end the list (Tock's rule for flash). */
		if (n > 0 && tbf_parse(image + off, len - off, &info, &probe) == -ENOEXEC) {
			fprintf(out, "%s: %zu bytes at offset %zu are not a TBF object: the list ends there\n", name,
				len - off, off);
			break;
		}
		if (n == 0)
			snprintf(label, sizeof(label), "%s", name);
		else
			snprintf(label, sizeof(label), "%s, object %u at offset %zu", name, n + 1, off);
		r = inspect_object(out, errs, label, name, image + off, len - off, off, &info);
		if (r < 0)
			return 1;
		n++;
		off += info.total_size; /* at least the base header: the walk always moves on */
	}
	return 0;
}
