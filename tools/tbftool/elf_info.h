/* tbftool: strict reader for the app's x86-64 ELF shared object, and the default minimum RAM size. */
#ifndef TBFTOOL_ELF_INFO_H
#define TBFTOOL_ELF_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What packing needs from the ELF: the span of its writable PT_LOAD segments. */
struct tbftool_elf_info {
	uint16_t load_count;
	bool has_writable;
	uint64_t writable_start; /* lowest p_vaddr of a writable PT_LOAD */
	uint64_t writable_end;   /* highest p_vaddr + p_memsz of a writable PT_LOAD */
};

/* Sizes added on top of the writable segments (bytes). */
struct tbftool_ram_budget {
	uint32_t stack, heap, grant;
};

#define TBFTOOL_DEFAULT_STACK 16384u
#define TBFTOOL_DEFAULT_HEAP 32768u
#define TBFTOOL_DEFAULT_GRANT 8192u
#define TBFTOOL_PAGE 4096u

/*
 * Check that elf[0..len) is an ELF64 little-endian x86-64 ET_DYN with program headers inside the
 * file and sane PT_LOAD segments. Returns 0 or -EINVAL with a one-line reason in why.
 */
int tbftool_elf_read(const uint8_t *elf, size_t len, struct tbftool_elf_info *ret_info, char *why, size_t why_size);

/*
 * Writable span page-rounded + a guard page + stack + heap + grant, rounded up to a page.
 * Returns 0, or -EOVERFLOW when the result does not fit in 32 bits.
 */
int tbftool_min_ram(const struct tbftool_elf_info *elf, const struct tbftool_ram_budget *budget, uint32_t *ret_size);

#endif
