/* TAB files (Tock Application Bundles): a tar of metadata.toml and one <arch>.tbf per architecture, read from memory. */
#ifndef TOCKHOST_TAB_H
#define TOCKHOST_TAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The architecture tockhost runs: its images are x86-64 ELF shared objects, so a TAB carries them as x86_64.tbf. */
#define TAB_ARCH "x86_64"

#define TAB_MAX_MEMBERS 64
#define TAB_MAX_NAME 255
#define TAB_MAX_METADATA (64u << 10)

struct tab_member {
	char name[TAB_MAX_NAME + 1]; /* plain file name: no directory, no "..", no control bytes (checked) */
	uint8_t *data;               /* malloc'ed */
	size_t len;
};

struct tab {
	char *metadata;           /* metadata.toml, NUL-terminated (its bytes as they are); NULL when absent */
	size_t metadata_len;
	struct tab_member *tbfs;  /* every member whose name ends in ".tbf", in archive order */
	size_t n_tbfs;
	size_t n_members;         /* regular files in the archive, .tbf or not */
};

/* Whether data starts with a tar header (POSIX ustar or GNU magic at offset 257). */
bool tab_is_tar(const uint8_t *data, size_t len);

/*
 * Read the TAB in data[0..len) as a hostile archive. Members must be regular files with plain
 * names (an absolute path, a ".." component or a subdirectory is refused), none larger than
 * max_member bytes (metadata.toml: TAB_MAX_METADATA), no name twice, at most TAB_MAX_MEMBERS.
 * Returns 0, or -errno with err set to one line that names the member and its offset in the
 * archive when there is one. Nothing is kept on failure.
 */
int tab_read(const uint8_t *data, size_t len, size_t max_member, struct tab *ret, char *err, size_t err_len);

/*
 * The index in t->tbfs of the TBF for arch: the first member whose name's first dot-separated
 * field is arch (x86_64.tbf, x86_64.0x1000.0x2000.tbf), as tockloader picks them. -ENOENT with
 * err naming the TBFs the TAB does have when none fits.
 */
int tab_find_arch(const struct tab *t, const char *arch, char *err, size_t err_len);

void tab_release(struct tab *t); /* accepts a zeroed struct */

#endif
