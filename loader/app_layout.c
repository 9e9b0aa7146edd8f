/* App address-space layout (DESIGN §4): pure computation from a parsed TBF and its ELF program headers. */
#include "loader/app_layout.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

#include "loader/tbf.h"
#include "loader/tock_proc/elf_bounds.h"

/* Nothing may be placed below this (Linux mmap_min_addr is 64 KiB). */
#define LDR_MIN_ADDR 0x10000ull
/* Everything must stay below 2 GiB: upcall arguments are `int`. */
#define LDR_MAX_ADDR 0x80000000ull
/* No ELF virtual address may exceed this: keeps every sum below far from overflow. */
#define LDR_MAX_VADDR 0x40000000ull
/* Guard between bss and stack, and the smallest heap we accept (the runner's stdio needs some). */
#define LDR_GUARD_SIZE LDR_PAGE_SIZE
#define LDR_MIN_HEAP (4 * LDR_PAGE_SIZE)

static uint64_t page_floor(uint64_t v)
{
	return v & ~(LDR_PAGE_SIZE - 1);
}

static uint64_t page_round(uint64_t v)
{
	return (v + LDR_PAGE_SIZE - 1) & ~(LDR_PAGE_SIZE - 1);
}

static int fail(const char **ret_why, const char *why)
{
	if (ret_why)
		*ret_why = why;
	return -ENOEXEC;
}

int ldr_elf_bounds(const uint8_t *image, size_t image_len, const struct tbf_info *info,
                   uint64_t *ret_offset, uint64_t *ret_length, const char **ret_why)
{
	uint64_t start = (uint64_t)info->header_size + info->protected_trailer_size;
	uint64_t end = info->binary_end_offset ? info->binary_end_offset : info->total_size;
	Elf64_Ehdr eh;

	if (end > info->total_size || end > image_len)
		return fail(ret_why, "binary end lies beyond the TBF image");
	if (start >= end || end - start < sizeof(eh))
		return fail(ret_why, "no room for an ELF header after the TBF header");
	memcpy(&eh, image + start, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return fail(ret_why, "binary is not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_ident[EI_VERSION] != EV_CURRENT)
		return fail(ret_why, "ELF is not 64-bit little-endian version 1");
	if (eh.e_type != ET_DYN || eh.e_machine != EM_X86_64)
		return fail(ret_why, "ELF is not an x86-64 shared object (ET_DYN)");
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > LDR_MAX_PHDRS)
		return fail(ret_why, "ELF program header table has a bad entry size or count");
	if (eh.e_phoff > end - start || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > end - start - eh.e_phoff)
		return fail(ret_why, "ELF program header table lies outside the binary");
	*ret_offset = start;
	*ret_length = end - start;
	return 0;
}

/* Extent of the read-only and of the writable PT_LOAD segments, in ELF virtual addresses. */
struct seg_span {
	uint64_t ro_lo, ro_hi, w_lo, w_hi;
	unsigned ro_count, w_count;
};

static int check_phdr(const Elf64_Phdr *ph, uint64_t elf_len, const char **ret_why)
{
	if (ph->p_type == PT_TLS)
		return fail(ret_why, "ELF has a TLS segment (thread-local storage is not supported)");
	if (ph->p_type == PT_INTERP)
		return fail(ret_why, "ELF asks for an interpreter (build apps with -shared, not -pie)");
	if (ph->p_type != PT_LOAD)
		return 0;
	if (ph->p_offset > elf_len || ph->p_filesz > elf_len - ph->p_offset)
		return fail(ret_why, "PT_LOAD file range lies outside the binary");
	if (ph->p_filesz > ph->p_memsz)
		return fail(ret_why, "PT_LOAD file size exceeds its memory size");
	if (ph->p_vaddr >= LDR_MAX_VADDR || ph->p_memsz > LDR_MAX_VADDR - ph->p_vaddr)
		return fail(ret_why, "PT_LOAD virtual address range is too large");
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return fail(ret_why, "PT_LOAD segment is both writable and executable");
	return 0;
}

static void span_add(struct seg_span *s, const Elf64_Phdr *ph)
{
	uint64_t lo = ph->p_vaddr, hi = ph->p_vaddr + ph->p_memsz;

	if (ph->p_flags & PF_W) {
		if (s->w_count == 0 || lo < s->w_lo)
			s->w_lo = lo;
		if (s->w_count == 0 || hi > s->w_hi)
			s->w_hi = hi;
		s->w_count++;
	} else {
		if (s->ro_count == 0 || lo < s->ro_lo)
			s->ro_lo = lo;
		if (s->ro_count == 0 || hi > s->ro_hi)
			s->ro_hi = hi;
		s->ro_count++;
	}
}

static int scan_segments(const uint8_t *elf, uint64_t elf_len, struct seg_span *ret_span, const char **ret_why)
{
	Elf64_Ehdr eh;
	struct seg_span s = {0};

	memcpy(&eh, elf, sizeof(eh));
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		int r;

		memcpy(&ph, elf + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		r = check_phdr(&ph, elf_len, ret_why);
		if (r < 0)
			return r;
		if (ph.p_type == PT_LOAD && ph.p_memsz > 0)
			span_add(&s, &ph);
	}
	if (s.w_count == 0)
		return fail(ret_why, "ELF has no writable PT_LOAD segment");
	/* Page granularity: a page holding both read-only and writable bytes cannot be protected. */
	if (s.ro_count && page_round(s.ro_hi) > page_floor(s.w_lo))
		return fail(ret_why, "a read-only segment lies above or shares a page with the writable ones");
	*ret_span = s;
	return 0;
}

static int place(const struct seg_span *s, uint64_t tbf_size, const struct ldr_layout_params *params,
                 struct ldr_layout *l, const char **ret_why)
{
	uint64_t ram_size = page_round(params->ram_size);
	uint64_t stack_size = page_round(params->stack_size);
	uint64_t grant_size = page_round(params->grant_size);
	uint64_t flash_below_ram, need;

	memset(l, 0, sizeof(*l));
	l->tbf_size = tbf_size;
	l->ram_start = LDR_RAM_BASE;
	l->load_bias = LDR_RAM_BASE - page_floor(s->w_lo); /* modular: vaddr + bias is the address */
	/* Bytes of flash between flash_start and ram_start: TBF image, then the read-only segments. */
	flash_below_ram = page_round(tbf_size);
	if (s->ro_count)
		flash_below_ram += page_floor(s->w_lo) - page_floor(s->ro_lo);
	if (flash_below_ram > LDR_RAM_BASE - LDR_MIN_ADDR)
		return fail(ret_why, "TBF image plus read-only segments do not fit below RAM");
	l->flash_start = LDR_RAM_BASE - flash_below_ram;
	l->flash_size = flash_below_ram;

	if (stack_size == 0)
		return fail(ret_why, "stack size is zero");
	l->data_end = LDR_RAM_BASE + page_round(s->w_hi) - page_floor(s->w_lo);
	need = (l->data_end - LDR_RAM_BASE) + LDR_GUARD_SIZE + stack_size + LDR_MIN_HEAP + grant_size;
	if (ram_size > LDR_MAX_ADDR - LDR_RAM_BASE)
		return fail(ret_why, "RAM size does not fit below 2 GiB");
	if (need > ram_size)
		return fail(ret_why, "data, guard, stack, minimum heap and grant region do not fit in RAM");
	l->ram_size = ram_size;
	l->guard_start = l->data_end;
	l->guard_end = l->guard_start + LDR_GUARD_SIZE;
	l->stack_top = l->guard_end + stack_size;
	l->heap_start = l->stack_top;
	l->ram_end = LDR_RAM_BASE + ram_size;
	l->grant_start = l->ram_end - grant_size;
	return 0;
}

int ldr_layout_compute(const uint8_t *image, size_t image_len, const struct tbf_info *info,
                       const struct ldr_layout_params *params, struct ldr_layout *ret_layout,
                       const char **ret_why)
{
	uint64_t elf_off, elf_len;
	struct seg_span span;
	struct ldr_layout l;
	int r;

	if (!image || !info || !params || !ret_layout)
		return fail(ret_why, "missing argument");
	r = ldr_elf_bounds(image, image_len, info, &elf_off, &elf_len, ret_why);
	if (r < 0)
		return r;
	r = scan_segments(image + elf_off, elf_len, &span, ret_why);
	if (r < 0)
		return r;
	r = place(&span, info->total_size, params, &l, ret_why);
	if (r < 0)
		return r;
	*ret_layout = l;
	return 0;
}
