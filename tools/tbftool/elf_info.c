/* tbftool: strict ELF64 x86-64 shared-object header checks and the default minimum-RAM computation. */
#include "elf_info.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4)))
static int elf_fail(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int check_ehdr(const Elf64_Ehdr *eh, size_t len, char *why, size_t why_size)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return elf_fail(why, why_size, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return elf_fail(why, why_size, "not a 64-bit ELF (class %u)", eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return elf_fail(why, why_size, "not a little-endian ELF");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return elf_fail(why, why_size, "unknown ELF version");
	if (eh->e_type != ET_DYN)
		return elf_fail(why, why_size, "ELF type %u, expected ET_DYN (build the app as a shared object)",
				eh->e_type);
	if (eh->e_machine != EM_X86_64)
		return elf_fail(why, why_size, "ELF machine %u, expected x86-64", eh->e_machine);
	if (eh->e_ehsize != sizeof(Elf64_Ehdr))
		return elf_fail(why, why_size, "ELF header size %u, expected %zu", eh->e_ehsize, sizeof(Elf64_Ehdr));
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return elf_fail(why, why_size, "program header size %u, expected %zu", eh->e_phentsize,
				sizeof(Elf64_Phdr));
	if (eh->e_phnum == 0 || eh->e_phnum == PN_XNUM)
		return elf_fail(why, why_size, "unsupported program header count %u", eh->e_phnum);
	if (eh->e_phoff > len || (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return elf_fail(why, why_size, "program headers (offset %llu, %u entries) run past the %zu-byte file",
				(unsigned long long)eh->e_phoff, eh->e_phnum, len);
	return 0;
}

static int check_load(const Elf64_Phdr *ph, unsigned idx, size_t len, char *why, size_t why_size)
{
	if (ph->p_filesz > ph->p_memsz)
		return elf_fail(why, why_size, "segment %u: file size exceeds memory size", idx);
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return elf_fail(why, why_size, "segment %u: file bytes run past the %zu-byte file", idx, len);
	/* Apps live below 4 GiB, so their addresses and sizes must fit comfortably in 32 bits. */
	if (ph->p_vaddr > UINT32_MAX || ph->p_memsz > UINT32_MAX || ph->p_vaddr + ph->p_memsz > UINT32_MAX)
		return elf_fail(why, why_size, "segment %u: address range does not fit in 32 bits", idx);
	if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)))
		return elf_fail(why, why_size, "segment %u: alignment %llu is not a power of two", idx,
				(unsigned long long)ph->p_align);
	if (ph->p_align > 1 && (ph->p_vaddr % ph->p_align) != (ph->p_offset % ph->p_align))
		return elf_fail(why, why_size, "segment %u: address and offset disagree modulo the alignment", idx);
	return 0;
}

int tbftool_elf_read(const uint8_t *elf, size_t len, struct tbftool_elf_info *ret_info, char *why, size_t why_size)
{
	struct tbftool_elf_info info = { 0 };
	Elf64_Ehdr eh;
	int r;

	if (len < sizeof(eh))
		return elf_fail(why, why_size, "file is %zu bytes, too short for an ELF header", len);
	memcpy(&eh, elf, sizeof(eh));
	r = check_ehdr(&eh, len, why, why_size);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, elf + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		r = check_load(&ph, i, len, why, why_size);
		if (r < 0)
			return r;
		info.load_count++;
		if (!(ph.p_flags & PF_W) || ph.p_memsz == 0)
			continue;
		if (!info.has_writable || ph.p_vaddr < info.writable_start)
			info.writable_start = ph.p_vaddr;
		if (!info.has_writable || ph.p_vaddr + ph.p_memsz > info.writable_end)
			info.writable_end = ph.p_vaddr + ph.p_memsz;
		info.has_writable = true;
	}
	if (info.load_count == 0)
		return elf_fail(why, why_size, "no PT_LOAD segments");
	*ret_info = info;
	return 0;
}

static uint64_t page_up(uint64_t v)
{
	return (v + TBFTOOL_PAGE - 1) & ~(uint64_t)(TBFTOOL_PAGE - 1);
}

int tbftool_min_ram(const struct tbftool_elf_info *elf, const struct tbftool_ram_budget *budget, uint32_t *ret_size)
{
	uint64_t span = 0, total;

	if (elf->has_writable)
		span = page_up(elf->writable_end) - (elf->writable_start & ~(uint64_t)(TBFTOOL_PAGE - 1));
	/* All inputs are below 2^32 each, so this sum cannot wrap 64 bits. */
	total = span + TBFTOOL_PAGE + budget->stack + budget->heap + budget->grant;
	total = page_up(total);
	if (total > UINT32_MAX)
		return -EOVERFLOW;
	*ret_size = (uint32_t)total;
	return 0;
}
