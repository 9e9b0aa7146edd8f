/* Test helper: build TBF images in memory, byte by byte, so tests can make them good or broken. */
#ifndef TBF_BUILDER_H
#define TBF_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define TB_MAX 4096

struct tb {
	uint8_t buf[TB_MAX];
	uint32_t len;         /* bytes written so far */
	uint32_t header_size; /* set by tb_end_header() */
	uint32_t program_at;  /* offset of the Program TLV data, 0 if none */
};

/* Starts an image: base header with version 2, enabled, fields filled in by tb_finish(). */
void tb_begin(struct tb *b);
/* Appends a TLV (data padded to 4 bytes with zeros); returns the offset of its data. */
uint32_t tb_tlv(struct tb *b, uint16_t type, const void *data, uint16_t len);
uint32_t tb_program(struct tb *b, uint32_t init_fn, uint32_t protected_size, uint32_t min_ram, uint32_t version);
uint32_t tb_main(struct tb *b, uint32_t init_fn, uint32_t protected_size, uint32_t min_ram);
/* Ends the header: header_size = bytes so far. */
void tb_end_header(struct tb *b);
/* Appends n binary bytes (a counting pattern) and sets the Program binary_end_offset after them. */
void tb_binary(struct tb *b, uint32_t n);
/* Appends a footer TLV with raw data. */
void tb_footer(struct tb *b, uint16_t type, const void *data, uint16_t len);
/* Appends a credentials footer: SHA-256 of [0, binary_end), computed in tb_finish(). */
void tb_sha256_footer(struct tb *b);
/* Sets total_size = len and the checksum, then fills in any SHA-256 footers. */
void tb_finish(struct tb *b);
/* After a mutation: recompute the checksum and the SHA-256 footers (same positions). */
void tb_fix_checksum(struct tb *b);
/* Recompute only the header checksum (leaves SHA-256 footers stale). */
void tb_set_checksum(struct tb *b);

void tb_put16(struct tb *b, uint32_t off, uint16_t v);
void tb_put32(struct tb *b, uint32_t off, uint32_t v);
uint32_t tb_get32(const struct tb *b, uint32_t off);

/*
 * The standard good image used by most cases, with this fixed layout (checked by a test):
 *   16 Program (init 0, protected 0, min RAM 0x6000, binary_end 184, version 7), data at 20
 *   40 Package name "hello", data at 44
 *   52 Kernel version 2.3
 *   60 ShortId 0x00c0ffee
 *   68 Permissions: {1, 0, 0xf}, {0x40001, 1, 1<<3}, data at 72
 *  108 Writeable flash regions {16, 32}, data at 112
 *  120 = header_size; binary of 64 bytes; 184 SHA-256 footer (hash at 192); 224 = total_size
 */
enum {
	STD_PROGRAM = 16,
	STD_NAME = 40,
	STD_KVER = 52,
	STD_SHORT_ID = 60,
	STD_PERMS = 68,
	STD_WFLASH = 108,
	STD_HEADER_SIZE = 120,
	STD_BINARY_END = 184,
	STD_FOOTER = 184,
	STD_TOTAL = 224,
};
void tb_standard(struct tb *b);

#endif
