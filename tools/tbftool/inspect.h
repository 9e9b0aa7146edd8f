/* tbftool: decode and print one TBF image. */
#ifndef TBFTOOL_INSPECT_H
#define TBFTOOL_INSPECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Prints every header field, TLV and footer of image to out. A malformed image, or one whose
 * SHA-256 does not match, gets one line "name: <field> at offset <N>: <message>" on errs.
 * Returns 0 when the image is good, 1 otherwise.
 */
int tbftool_inspect_image(FILE *out, FILE *errs, const char *name, const uint8_t *image, size_t len);

#endif
