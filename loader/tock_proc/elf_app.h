/* The runner's view of the loaded app: layout, program headers, dynamic section; loading and linking. */
#ifndef TOCKHOST_LDR_ELF_APP_H
#define TOCKHOST_LDR_ELF_APP_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/app_layout.h"
#include "loader/tock_proc/elf_bounds.h"

struct ldr_app {
	struct ldr_layout layout;
	uint64_t elf_offset, elf_length; /* of the ELF inside the TBF image */
	Elf64_Phdr phdrs[LDR_MAX_PHDRS];
	unsigned phnum;

	/* Filled by ldr_dyn_link(); addresses are final (bias applied). */
	uint64_t main_fn;
	uint64_t init_fn;
	uint64_t init_array, init_count;
	uint64_t fini_array, fini_count;
};

/* Room for one error message; every failing function fills it. */
struct ldr_err {
	char text[256];
};

/*
 * Map flash (fd flash_fd) and RAM (fd ram_fd) at the layout's addresses, copy the segments in,
 * link the app (ldr_dyn_link) and apply the final protections. 0 or -errno with *err filled.
 */
int ldr_image_load(struct ldr_app *app, int flash_fd, int ram_fd, const struct ldr_layout_params *params,
                   struct ldr_err *err);

/*
 * Pointer to [vaddr, vaddr + size) of the app (ELF virtual address, before bias) when that range
 * lies inside one PT_LOAD's memory image (and, with want_write, a writable one); else NULL.
 */
void *ldr_app_ptr(const struct ldr_app *app, uint64_t vaddr, uint64_t size, int want_write);

/* Read the dynamic section, apply relocations, find main and the init/fini arrays. 0 or -errno. */
int ldr_dyn_link(struct ldr_app *app, struct ldr_err *err);

/* printf into *err; returns -ENOEXEC (or the given negative errno) for `return ldr_fail(...)`. */
int ldr_fail(struct ldr_err *err, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
