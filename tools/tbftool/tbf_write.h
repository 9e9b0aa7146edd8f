/* tbftool: build a TBF image (header, TLVs, binary, credentials footers) in memory. */
#ifndef TBFTOOL_TBF_WRITE_H
#define TBFTOOL_TBF_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/tbf.h"

struct tbftool_pack_params {
	const char *package_name;
	uint32_t minimum_ram_size;
	uint32_t short_id;            /* 0: no ShortId TLV */
	uint16_t kernel_major, kernel_minor;
	bool enabled;                 /* flags bit 0 */
	bool sha256;                  /* append a SHA-256 credentials footer */
	uint32_t minimum_footer_size; /* footers take at least this many bytes (a Reserved one pads them), 0..65535 */
	uint16_t permission_count;    /* 0: no Permissions TLV */
	struct tbf_permission permissions[TBF_MAX_PERMISSIONS];
};

/*
 * Wrap binary[0..binary_len) into a TBF object. The result is parsed back with tbf_parse() and
 * tbf_verify_credentials() before it is returned. On success *ret_image is malloc'ed (caller frees).
 * Returns 0 or a negative errno with a one-line reason in why.
 */
int tbftool_pack_image(const struct tbftool_pack_params *params, const uint8_t *binary, size_t binary_len,
                       uint8_t **ret_image, size_t *ret_len, char *why, size_t why_size);

#endif
