/* tbftool: read a whole file, and replace a file atomically (temp file + rename). */
#ifndef TBFTOOL_FILEIO_H
#define TBFTOOL_FILEIO_H

#include <stddef.h>
#include <stdint.h>

/* Reads at most max bytes; a larger file gives -EFBIG. *ret_data is malloc'ed. Returns 0 or -errno. */
int tbftool_read_file(const char *path, size_t max, uint8_t **ret_data, size_t *ret_len);

/* Writes data to a temporary file next to path, then renames it over path. Returns 0 or -errno. */
int tbftool_write_atomic(const char *path, const uint8_t *data, size_t len);

#endif
