/* Where the ELF sits inside a TBF image: shared by the layout computation and the runner's loader. */
#ifndef TOCKHOST_ELF_BOUNDS_H
#define TOCKHOST_ELF_BOUNDS_H

#include <stddef.h>
#include <stdint.h>

struct tbf_info;

/* Largest ELF program header table the loader accepts (a real app has < 12). */
#define LDR_MAX_PHDRS 64u

/*
 * The app's ELF is image[header_size + protected_trailer_size .. binary_end_offset) (binary_end_offset
 * 0 means total_size). Checks the range against total_size and image_len, and the ELF identity
 * (ELF64, little-endian, ET_DYN, x86-64, a sane program header table inside the range).
 * Defined in loader/app_layout.c. Returns 0 or -ENOEXEC with *ret_why set.
 */
int ldr_elf_bounds(const uint8_t *image, size_t image_len, const struct tbf_info *info,
                   uint64_t *ret_offset, uint64_t *ret_length, const char **ret_why);

#endif
