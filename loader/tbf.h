/* Tock Binary Format parser: bytes in, checked struct out (no I/O, so it can be fuzzed). */
#ifndef TOCKHOST_TBF_H
#define TOCKHOST_TBF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TBF_BASE_HEADER_SIZE 16
#define TBF_MAX_PACKAGE_NAME 255
#define TBF_MAX_PERMISSIONS 64
#define TBF_MAX_WRITEABLE_FLASH 8
#define TBF_MAX_STORAGE_IDS 16

enum tbf_tlv_type {
	TBF_TLV_MAIN = 1,
	TBF_TLV_WRITEABLE_FLASH = 2,
	TBF_TLV_PACKAGE_NAME = 3,
	TBF_TLV_FIXED_ADDRESSES = 5,
	TBF_TLV_PERMISSIONS = 6,
	TBF_TLV_STORAGE_PERMISSIONS = 7,
	TBF_TLV_KERNEL_VERSION = 8,
	TBF_TLV_PROGRAM = 9,
	TBF_TLV_SHORT_ID = 10,
	TBF_TLV_CREDENTIALS = 128,
};

/*
 * Credentials footer formats. 0-6: Tock's TbfFooterV2CredentialsType (tock/tock
 * libraries/tock-tbf/src/types.rs; the same numbers in tock-facts §6.3). 0xF1: tockloader's
 * CREDENTIALS_TYPE_CLEARTEXTID (tock/tockloader tockloader/tbfh.py), an 8-byte application id.
 * No public source gives HMAC-SHA256 a number, so it has none here.
 */
enum tbf_credentials_format {
	TBF_CRED_RESERVED = 0,
	TBF_CRED_RSA3072 = 1,
	TBF_CRED_RSA4096 = 2,
	TBF_CRED_SHA256 = 3,
	TBF_CRED_SHA384 = 4,
	TBF_CRED_SHA512 = 5,
	TBF_CRED_ECDSA_P256 = 6,
	TBF_CRED_CLEARTEXT_ID = 0xf1,
};

/* The format's name ("SHA-256", "cleartext ID", ...), or NULL for a number no source names. */
const char *tbf_credential_name(uint32_t format);

#define TBF_FLAG_ENABLED 0x1u
#define TBF_FLAG_STICKY 0x2u

struct tbf_permission {
	uint32_t driver;
	uint32_t offset;          /* command / 64 */
	uint64_t allowed_commands; /* bit (command % 64) */
};

struct tbf_writeable_flash {
	uint32_t offset; /* from the start of the binary */
	uint32_t size;
};

/* Everything the kernel needs from one TBF object. Offsets are from the start of the image. */
struct tbf_info {
	uint16_t version;
	uint16_t header_size;
	uint32_t total_size;
	uint32_t flags;
	uint32_t checksum;

	bool has_main, has_program;
	uint32_t init_fn_offset;         /* from the end of the header */
	uint32_t protected_trailer_size;
	uint32_t minimum_ram_size;
	uint32_t binary_end_offset;      /* from the start of the TBF; total_size without Program */
	uint32_t app_version;

	char package_name[TBF_MAX_PACKAGE_NAME + 1]; /* NUL-terminated; "" when absent */
	uint16_t package_name_len;

	bool has_permissions;
	uint16_t permission_count;
	struct tbf_permission permissions[TBF_MAX_PERMISSIONS];

	bool has_storage_permissions;
	uint32_t storage_write_id;
	uint16_t storage_read_count, storage_modify_count;
	uint32_t storage_read_ids[TBF_MAX_STORAGE_IDS];
	uint32_t storage_modify_ids[TBF_MAX_STORAGE_IDS];

	bool has_kernel_version;
	uint16_t kernel_major, kernel_minor;

	bool has_fixed_addresses;
	uint32_t fixed_ram_address, fixed_flash_address;

	uint32_t short_id; /* 0 = LocallyUnique / absent */

	uint16_t writeable_flash_count;
	struct tbf_writeable_flash writeable_flash[TBF_MAX_WRITEABLE_FLASH];

	/* Credentials footers found after binary_end_offset. */
	bool has_sha256;
	bool sha256_verified; /* set by tbf_verify_credentials() */
	uint32_t credentials_offset; /* offset of the first footer TLV, 0 if none */
};

/* A parse error names the field and the byte offset where it was found. */
struct tbf_error {
	const char *field;  /* e.g. "checksum", "TLV 6 length" */
	uint32_t offset;
	char message[192];  /* one line, no trailing newline (room for two whole SHA-256 digests) */
};

/*
 * Parse and check one TBF object at the start of `image` (len bytes available).
 * Returns 0 and fills *ret_info, or -EINVAL / -E2BIG / -ENOEXEC and fills *ret_err.
 * Does not check credentials; see tbf_verify_credentials().
 */
int tbf_parse(const uint8_t *image, size_t len, struct tbf_info *ret_info, struct tbf_error *ret_err);

/*
 * Walk the footers after binary_end_offset; when a SHA-256 credential is present, check it
 * against SHA-256(image[0 .. binary_end_offset)). Returns 0 (ok, info->sha256_verified set
 * when a SHA-256 was present), or a negative errno with *ret_err filled.
 */
int tbf_verify_credentials(const uint8_t *image, size_t len, struct tbf_info *info, struct tbf_error *ret_err);

/* XOR of the header words except word 3 (the checksum field itself). */
uint32_t tbf_header_checksum(const uint8_t *header, size_t header_size);

/* TBF Permissions TLV filter (Tock's TbfHeaderFilterDefaultAllow): 0 if allowed, else TOCK_ERR_NODEVICE. */
int tbf_permission_check_command(const struct tbf_info *info, uint32_t driver, uint32_t command);
int tbf_permission_check_driver(const struct tbf_info *info, uint32_t driver);

#endif
