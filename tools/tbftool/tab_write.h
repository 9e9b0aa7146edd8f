/* tbftool: a TAB (tar of metadata.toml and x86_64.tbf) around one packed TBF, as elf2tab writes them. */
#ifndef TBFTOOL_TAB_WRITE_H
#define TBFTOOL_TAB_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct tbftool_tab_params {
	const char *package_name;           /* UTF-8 (checked by the TBF packer) */
	uint16_t kernel_major, kernel_minor; /* minimum-tock-kernel-version */
	bool deterministic;                  /* no build-date, member times 0 (elf2tab's --deterministic) */
	time_t now;                          /* build-date and member times otherwise */
};

/*
 * metadata.toml for the TAB: tab-version = 1, name, only-for-boards = "" (any board),
 * minimum-tock-kernel-version, and build-date unless deterministic. Returns a malloc'ed string, NULL
 * when out of memory.
 */
char *tbftool_tab_metadata(const struct tbftool_tab_params *p);

/*
 * A tar archive (GNU format, as elf2tab writes) holding metadata.toml and x86_64.tbf = tbf[0..tbf_len).
 * *ret is malloc'ed. Returns 0, or -errno with why set.
 */
int tbftool_tab_build(const struct tbftool_tab_params *p, const uint8_t *tbf, size_t tbf_len, uint8_t **ret,
		      size_t *ret_len, char *why, size_t why_size);

#endif
