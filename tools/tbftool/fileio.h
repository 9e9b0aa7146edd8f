/* tbftool: replace a file atomically (temp file + rename). */
#ifndef TBFTOOL_FILEIO_H
#define TBFTOOL_FILEIO_H

#include <stddef.h>
#include <stdint.h>

/* Writes data to a temporary file next to path, then renames it over path. Returns 0 or -errno. */
int tbftool_write_atomic(const char *path, const uint8_t *data, size_t len);

#endif
