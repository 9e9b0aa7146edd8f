/* libFuzzer harness: app layout (loader/app_layout.c) on arbitrary ELF images, checking the documented map. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/app_layout.h"
#include "loader/tbf.h"

#define FZ_TBF_HEADER 0x40u /* a stand-in TBF header in front of the ELF */
#define FZ_MAX_IMAGE (FZ_TBF_HEADER + 8192u)

#define CHECK(cond)                                                                                                \
	do {                                                                                                       \
		if (!(cond)) {                                                                                     \
			fprintf(stderr, "fuzz_app_layout: invariant failed at line %d: %s\n", __LINE__, #cond);    \
			abort();                                                                                   \
		}                                                                                                  \
	} while (0)

static uint64_t page_round(uint64_t v)
{
	return (v + LDR_PAGE_SIZE - 1) & ~(LDR_PAGE_SIZE - 1);
}

static int page_aligned(uint64_t v)
{
	return (v & (LDR_PAGE_SIZE - 1)) == 0;
}

/* The address map app_layout.h documents, low to high. */
static void check_map(const struct ldr_layout *l, const struct tbf_info *info, const struct ldr_layout_params *pr)
{
	CHECK(l->ram_start == LDR_RAM_BASE);
	CHECK(l->flash_start + l->flash_size == l->ram_start);
	CHECK(l->flash_start >= 0x10000 && l->tbf_size == info->total_size);
	CHECK(l->flash_size >= page_round(l->tbf_size));
	CHECK(page_aligned(l->flash_start) && page_aligned(l->data_end) && page_aligned(l->guard_start));
	CHECK(page_aligned(l->guard_end) && page_aligned(l->grant_start) && page_aligned(l->ram_end));
	CHECK(l->ram_start < l->data_end && l->data_end <= l->guard_start && l->guard_start < l->guard_end);
	CHECK(l->guard_end < l->stack_top && l->stack_top == l->heap_start && l->heap_start < l->grant_start);
	CHECK(l->grant_start <= l->ram_end && l->ram_end == l->ram_start + l->ram_size);
	CHECK(l->ram_size == page_round(pr->ram_size) && l->ram_end <= 0x80000000ull);
	CHECK(l->stack_top % 16 == 0 && l->stack_top - l->guard_end == page_round(pr->stack_size));
	CHECK(l->ram_end - l->grant_start == page_round(pr->grant_size));
}

/* Every loadable segment lands where the map says: writable ones in RAM below data_end, others in flash. */
static void check_segments(const uint8_t *elf, size_t len, const struct ldr_layout *l)
{
	Elf64_Ehdr eh;

	CHECK(len >= sizeof(eh));
	memcpy(&eh, elf, sizeof(eh));
	CHECK(eh.e_phoff <= len && (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) <= len - eh.e_phoff);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint64_t lo, hi;

		memcpy(&ph, elf + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		CHECK(ph.p_type != PT_TLS && ph.p_type != PT_INTERP);
		if (ph.p_type != PT_LOAD)
			continue;
		CHECK(ph.p_offset <= len && ph.p_filesz <= len - ph.p_offset && ph.p_filesz <= ph.p_memsz);
		CHECK(!((ph.p_flags & PF_W) && (ph.p_flags & PF_X)));
		if (ph.p_memsz == 0)
			continue;
		lo = ph.p_vaddr + l->load_bias; /* modular, as documented */
		hi = lo + ph.p_memsz;
		if (ph.p_flags & PF_W)
			CHECK(lo >= l->ram_start && hi <= l->data_end && lo < hi);
		else
			CHECK(lo >= l->flash_start + page_round(l->tbf_size) && hi <= l->ram_start && lo < hi);
	}
}

/* A valid app-like ELF (R, RX, RW+bss, GNU_STACK): the second pass mutates it so valid layouts are reached. */
static size_t build_template(uint8_t *elf)
{
	static const Elf64_Phdr ph[4] = {
		{ PT_LOAD, PF_R, 0, 0, 0, 0x120, 0x120, 0x1000 },
		{ PT_LOAD, PF_R | PF_X, 0x120, 0x1120, 0x1120, 0x80, 0x80, 0x1000 },
		{ PT_LOAD, PF_R | PF_W, 0x1a0, 0x21a0, 0x21a0, 0x60, 0x1000, 0x1000 },
		{ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 },
	};
	Elf64_Ehdr eh = { .e_type = ET_DYN, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		          .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		          .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 4 };

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memset(elf, 0, 0x200);
	memcpy(elf, &eh, sizeof(eh));
	memcpy(elf + sizeof(eh), ph, sizeof(ph));
	return 0x200;
}

/* Lay the ELF behind a stand-in TBF header, compute, and on success check everything documented. */
static void run_one(uint8_t *image, size_t elf_len, uint8_t knob)
{
	struct tbf_info info;
	struct ldr_layout l;
	struct ldr_layout_params pr;
	const char *why = NULL;

	pr.ram_size = (uint32_t)(16 * 1024) << (knob % 8);
	pr.stack_size = 4096u * ((knob >> 3) % 4) + (knob & 0x20 ? 17 : 0);
	pr.grant_size = 1024u * ((knob >> 6) % 4);
	memset(&info, 0, sizeof(info));
	info.header_size = FZ_TBF_HEADER;
	info.total_size = (uint32_t)(FZ_TBF_HEADER + elf_len);
	info.binary_end_offset = knob & 0x10 ? 0 : info.total_size; /* 0 means total_size */
	memset(image, 0, FZ_TBF_HEADER);
	if (ldr_layout_compute(image, FZ_TBF_HEADER + elf_len, &info, &pr, &l, &why) < 0) {
		CHECK(why != NULL && why[0] != '\0');
		return;
	}
	check_map(&l, &info, &pr);
	check_segments(image + FZ_TBF_HEADER, elf_len, &l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t image[FZ_MAX_IMAGE];
	uint8_t knob = size ? data[size - 1] : 0; /* the last byte also picks the sizes */
	size_t len;

	if (size > FZ_MAX_IMAGE - FZ_TBF_HEADER)
		return 0;
	/* Pass 1: the input is the ELF. */
	memcpy(image + FZ_TBF_HEADER, data, size);
	run_one(image, size, knob);
	/* Pass 2: the input XORed onto the template (longer inputs extend it). */
	len = build_template(image + FZ_TBF_HEADER);
	if (size > len) {
		memset(image + FZ_TBF_HEADER + len, 0, size - len);
		len = size;
	}
	for (size_t i = 0; i + 1 < size; i++)
		image[FZ_TBF_HEADER + i] ^= data[i];
	run_one(image, len, knob);
	return 0;
}
