/* Test helper: in-memory TBF image builder (see tbf_builder.h); aborts the test on overflow. */
#include "tbf_builder.h"

#include <check.h>
#include <string.h>

#include <nettle/sha2.h>

#include "loader/tbf.h"

void tb_put16(struct tb *b, uint32_t off, uint16_t v)
{
	ck_assert_uint_le(off + 2, TB_MAX);
	b->buf[off] = (uint8_t)v;
	b->buf[off + 1] = (uint8_t)(v >> 8);
}

void tb_put32(struct tb *b, uint32_t off, uint32_t v)
{
	tb_put16(b, off, (uint16_t)v);
	tb_put16(b, off + 2, (uint16_t)(v >> 16));
}

uint32_t tb_get32(const struct tb *b, uint32_t off)
{
	return (uint32_t)b->buf[off] | ((uint32_t)b->buf[off + 1] << 8) | ((uint32_t)b->buf[off + 2] << 16) |
	       ((uint32_t)b->buf[off + 3] << 24);
}

static void append(struct tb *b, const void *data, uint32_t len)
{
	ck_assert_uint_le(b->len + len, TB_MAX);
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
}

void tb_begin(struct tb *b)
{
	memset(b, 0, sizeof(*b));
	tb_put16(b, 0, 2);
	tb_put32(b, 8, TBF_FLAG_ENABLED);
	b->len = TBF_BASE_HEADER_SIZE;
}

uint32_t tb_tlv(struct tb *b, uint16_t type, const void *data, uint16_t len)
{
	static const uint8_t zero[4];
	uint32_t at = b->len + 4;

	tb_put16(b, b->len, type);
	tb_put16(b, b->len + 2, len);
	b->len += 4;
	append(b, data, len);
	append(b, zero, (4u - len % 4u) % 4u);
	return at;
}

uint32_t tb_program(struct tb *b, uint32_t init_fn, uint32_t protected_size, uint32_t min_ram, uint32_t version)
{
	uint8_t d[20] = { 0 };
	uint32_t at = tb_tlv(b, TBF_TLV_PROGRAM, d, sizeof(d));

	tb_put32(b, at, init_fn);
	tb_put32(b, at + 4, protected_size);
	tb_put32(b, at + 8, min_ram);
	tb_put32(b, at + 16, version);
	b->program_at = at;
	return at;
}

uint32_t tb_main(struct tb *b, uint32_t init_fn, uint32_t protected_size, uint32_t min_ram)
{
	uint8_t d[12] = { 0 };
	uint32_t at = tb_tlv(b, TBF_TLV_MAIN, d, sizeof(d));

	tb_put32(b, at, init_fn);
	tb_put32(b, at + 4, protected_size);
	tb_put32(b, at + 8, min_ram);
	return at;
}

void tb_end_header(struct tb *b)
{
	b->header_size = b->len;
	tb_put16(b, 2, (uint16_t)b->header_size);
}

void tb_binary(struct tb *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t byte = (uint8_t)(0x40 + i);
		append(b, &byte, 1);
	}
	if (b->program_at)
		tb_put32(b, b->program_at + 12, b->len);
}

void tb_footer(struct tb *b, uint16_t type, const void *data, uint16_t len)
{
	tb_put16(b, b->len, type);
	tb_put16(b, b->len + 2, len);
	b->len += 4;
	append(b, data, len);
}

void tb_sha256_footer(struct tb *b)
{
	uint8_t d[36] = { 0 };

	d[0] = TBF_CRED_SHA256;
	tb_footer(b, TBF_TLV_CREDENTIALS, d, sizeof(d));
}

/* Fills every well-formed SHA-256 footer after binary_end with the hash of [0, binary_end). */
static void fill_sha256(struct tb *b)
{
	uint32_t end = b->program_at ? tb_get32(b, b->program_at + 12) : b->len;
	uint32_t total = tb_get32(b, 4);

	for (uint32_t pos = end; pos + 4 <= total && pos + 4 <= b->len;) {
		uint16_t type = (uint16_t)(b->buf[pos] | (b->buf[pos + 1] << 8));
		uint16_t len = (uint16_t)(b->buf[pos + 2] | (b->buf[pos + 3] << 8));

		if (pos + 4u + len > b->len)
			break;
		if (type == TBF_TLV_CREDENTIALS && len == 36 && tb_get32(b, pos + 4) == TBF_CRED_SHA256) {
			struct sha256_ctx ctx;

			sha256_init(&ctx);
			sha256_update(&ctx, end, b->buf);
			sha256_digest(&ctx, SHA256_DIGEST_SIZE, b->buf + pos + 8);
		}
		pos += 4u + len;
	}
}

void tb_set_checksum(struct tb *b)
{
	uint16_t header_size = (uint16_t)(b->buf[2] | (b->buf[3] << 8));

	tb_put32(b, 12, tbf_header_checksum(b->buf, header_size <= b->len ? header_size : b->len));
}

void tb_fix_checksum(struct tb *b)
{
	tb_set_checksum(b);
	fill_sha256(b);
}

void tb_finish(struct tb *b)
{
	tb_put32(b, 4, b->len);
	tb_fix_checksum(b);
}

void tb_standard(struct tb *b)
{
	static const uint8_t perms[34] = {
		2, 0,
		1, 0, 0, 0,  0, 0, 0, 0,  0x0f, 0, 0, 0, 0, 0, 0, 0,
		0x01, 0, 0x04, 0,  1, 0, 0, 0,  0x08, 0, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t kver[4] = { 2, 0, 3, 0 };
	static const uint8_t short_id[4] = { 0xee, 0xff, 0xc0, 0x00 };
	static const uint8_t wflash[8] = { 16, 0, 0, 0, 32, 0, 0, 0 };

	tb_begin(b);
	tb_program(b, 0, 0, 0x6000, 7);
	tb_tlv(b, TBF_TLV_PACKAGE_NAME, "hello", 5);
	tb_tlv(b, TBF_TLV_KERNEL_VERSION, kver, sizeof(kver));
	tb_tlv(b, TBF_TLV_SHORT_ID, short_id, sizeof(short_id));
	tb_tlv(b, TBF_TLV_PERMISSIONS, perms, sizeof(perms));
	tb_tlv(b, TBF_TLV_WRITEABLE_FLASH, wflash, sizeof(wflash));
	tb_end_header(b);
	tb_binary(b, 64);
	tb_sha256_footer(b);
	tb_finish(b);
}
