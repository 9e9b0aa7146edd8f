/* tbftool: decode and print the TBF objects of one file. */
#ifndef TBFTOOL_INSPECT_H
#define TBFTOOL_INSPECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Prints every header field, TLV and footer of each TBF object in image (objects back to back,
 * as in flash; after the first, bytes that are not a TBF end the list) to out. A malformed
 * object, or one whose SHA-256 does not match, gets one line "name: <field> at offset <N>:
 * <message>" on errs (N counted from the file's start) and ends the walk. Returns 0 when every
 * object is good, 1 otherwise.
 */
int tbftool_inspect_image(FILE *out, FILE *errs, const char *name, const uint8_t *image, size_t len);

#endif
