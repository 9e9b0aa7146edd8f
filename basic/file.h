/* Bounded whole-file read, the one copy for every layer (libc only). */
#ifndef TOCKHOST_BASIC_FILE_H
#define TOCKHOST_BASIC_FILE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read the regular file at path whole into a new buffer (free() it; one spare byte past *ret_len
 * is 0, so text reads as a C string and an empty file gets a valid buffer). 0, or -errno: the open's error, -EISDIR (a
 * directory), -EINVAL (another non-regular file), -EFBIG (larger than max bytes), -EAGAIN (it
 * grew while being read), -ENOMEM, or the read's error. A file that shrinks while being read
 * gives what was there.
 */
int basic_read_file(const char *path, size_t max, uint8_t **ret_data, size_t *ret_len);

#endif
