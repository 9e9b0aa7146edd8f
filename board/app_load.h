/* Reading app images from .tbf and .tab files: pick the TAB's x86_64.tbf, parse, verify credentials, check the kernel version. */
#ifndef TOCKHOST_BOARD_APP_LOAD_H
#define TOCKHOST_BOARD_APP_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "loader/tbf.h"

#define BOARD_MAX_IMAGE_FILE (64u << 20)
#define BOARD_KERNEL_MAJOR 2u
#define BOARD_KERNEL_MINOR 3u

/* One TBF object of a file (a file may hold several back to back, like a TAB's flash image). */
struct board_app_image {
	char name[TBF_MAX_PACKAGE_NAME + 1]; /* package name, or the file stem */
	const uint8_t *image;                /* points into the file buffer */
	size_t len;                          /* the object's total_size */
	struct tbf_info info;
};

struct board_app_file {
	uint8_t *data;
	size_t len;
	struct board_app_image *apps;
	size_t n_apps;
};

/*
 * Read and check every TBF object in `path`, a TBF file or a TAB (tar) whose x86_64.tbf is used.
 * 0, or -errno with `err` set to one line (no program prefix, no file name):
 * "<field> at offset <N>: <message>" for a TBF file, "x86_64.tbf: <field> at offset <N>: ..."
 * for the TBF of a TAB, "TAB member '<name>' at offset <N>: ..." or "TAB: ..." for the archive.
 * A file that is neither gets "version at offset 0: neither a TBF image (...) nor a TAB (tar archive)".
 * Disabled objects and padding (no Main/Program TLV) are skipped, as Tock does.
 */
int board_app_file_load(const char *path, struct board_app_file *ret, char *err, size_t err_len);
void board_app_file_release(struct board_app_file *f); /* accepts a zeroed struct */

#endif
