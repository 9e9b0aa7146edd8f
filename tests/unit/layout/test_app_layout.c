/* Unit tests of the app address-space layout (loader/app_layout.c) on synthetic ELF64 images in a TBF-like buffer. */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/app_layout.h"
#include "loader/tbf.h"

#define KIB 1024u
#define BASE LDR_RAM_BASE
#define PAGE LDR_PAGE_SIZE
#define MAX_SEGS 8
#define ELF_LEN 0x2200u
#define IMAGE_MAX 0x4000u

/* One program header of a synthetic image. */
struct seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

/* A synthetic image: an ELF of ELF_LEN bytes behind a TBF header (and protected trailer). */
struct image_spec {
	struct seg segs[MAX_SEGS];
	unsigned nsegs;
	uint16_t tbf_header, tbf_trailer;
};

/* The usual app: read-only data, code, then data+bss on its own pages (gcc -shared -fPIC). */
#define SEG_RO { PT_LOAD, PF_R, 0, 0, 0x800, 0x800 }
#define SEG_RX { PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x800, 0x800 }
#define SEG_RW { PT_LOAD, PF_R | PF_W, 0x2000, 0x2000, 0x100, 0x1800 }
#define SEG_STACK { PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0 }
static const struct seg seg_ro = SEG_RO, seg_rx = SEG_RX, seg_rw = SEG_RW;

static uint8_t image[IMAGE_MAX];
static struct tbf_info info;

static void ehdr_default(Elf64_Ehdr *eh, unsigned nsegs)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_DYN;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (uint16_t)nsegs;
}

/* Write the image (with a possibly edited ELF header) and the matching tbf_info. */
static void build(const struct image_spec *spec, const Elf64_Ehdr *eh)
{
	size_t at = (size_t)spec->tbf_header + spec->tbf_trailer;

	memset(image, 0xa5, sizeof(image)); /* junk everywhere the ELF does not define */
	memset(image + at, 0, ELF_LEN);
	memcpy(image + at, eh, sizeof(*eh));
	for (unsigned i = 0; i < spec->nsegs; i++) {
		const struct seg *s = &spec->segs[i];
		Elf64_Phdr ph = { .p_type = s->type, .p_flags = s->flags, .p_offset = s->offset, .p_vaddr = s->vaddr,
			          .p_paddr = s->vaddr, .p_filesz = s->filesz, .p_memsz = s->memsz, .p_align = PAGE };

		memcpy(image + at + sizeof(*eh) + i * sizeof(ph), &ph, sizeof(ph));
	}
	memset(&info, 0, sizeof(info));
	info.header_size = spec->tbf_header;
	info.protected_trailer_size = spec->tbf_trailer;
	info.total_size = (uint32_t)(at + ELF_LEN);
	info.binary_end_offset = info.total_size;
}

static int compute(const struct ldr_layout_params *pr, struct ldr_layout *l, const char **why)
{
	return ldr_layout_compute(image, info.total_size, &info, pr, l, why);
}

static uint64_t round_page(uint64_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

/* ---- good layouts: every field against the documented address map ---- */

static const struct good_case {
	const char *name;
	struct image_spec spec;
	struct ldr_layout_params params;
	uint64_t flash_below_ram; /* page-rounded TBF + read-only span */
	uint64_t load_bias, data_end_off;
} good_cases[] = {
	{ "ro+rx+rw", { { SEG_RO, SEG_RX, SEG_RW, SEG_STACK }, 4, 0x40, 0 }, { 64 * KIB, 8 * KIB, 8 * KIB },
	  0x3000 + 0x2000, BASE - 0x2000, 0x2000 },
	{ "rw only", { { SEG_RW }, 1, 0x40, 0 }, { 64 * KIB, 8 * KIB, 8 * KIB }, 0x3000, BASE - 0x2000, 0x2000 },
	{ "params page-rounded up", { { SEG_RO, SEG_RX, SEG_RW }, 3, 0x40, 0 }, { 60 * KIB + 1, 5000, 100 },
	  0x5000, BASE - 0x2000, 0x2000 },
	{ "header + protected trailer", { { SEG_RO, SEG_RX, SEG_RW }, 3, 0x20, 0x1000 }, { 64 * KIB, 8 * KIB, 0 },
	  0x4000 + 0x2000, BASE - 0x2000, 0x2000 },
	{ "rw not page aligned", { { SEG_RO, { PT_LOAD, PF_R | PF_W, 0x1900, 0x1900, 0x100, 0x100 } }, 2, 0x40, 0 },
	  { 64 * KIB, 4 * KIB, 4 * KIB }, 0x3000 + 0x1000, BASE - 0x1000, 0x1000 },
};

START_TEST(test_good_layout)
{
	const struct good_case *c = &good_cases[_i];
	struct ldr_layout l;
	const char *why = NULL;
	Elf64_Ehdr eh;
	uint64_t ram = round_page(c->params.ram_size), stack = round_page(c->params.stack_size);

	ehdr_default(&eh, c->spec.nsegs);
	build(&c->spec, &eh);
	ck_assert_msg(compute(&c->params, &l, &why) == 0, "%s: %s", c->name, why ? why : "?");
	ck_assert_uint_eq(l.ram_start, BASE);
	ck_assert_uint_eq(l.flash_start + l.flash_size, l.ram_start);
	ck_assert_uint_eq(l.flash_size, c->flash_below_ram);
	ck_assert_uint_eq(l.tbf_size, info.total_size);
	ck_assert_uint_eq(l.load_bias, c->load_bias);
	ck_assert_uint_eq(l.ram_size, ram);
	ck_assert_uint_eq(l.data_end, BASE + c->data_end_off);
	ck_assert_uint_eq(l.guard_start, l.data_end);
	ck_assert_uint_eq(l.guard_end, l.guard_start + PAGE);
	ck_assert_uint_eq(l.stack_top, l.guard_end + stack);
	ck_assert_uint_eq(l.stack_top % 16, 0);
	ck_assert_uint_eq(l.heap_start, l.stack_top);
	ck_assert_uint_eq(l.ram_end, BASE + ram);
	ck_assert_uint_eq(l.grant_start, l.ram_end - round_page(c->params.grant_size));
	ck_assert_uint_lt(l.heap_start, l.grant_start);
}
END_TEST

/* The read-only segments sit right below RAM, after the TBF image, at the same bias as the data. */
START_TEST(test_segments_land_in_their_regions)
{
	const struct image_spec spec = { { seg_ro, seg_rx, seg_rw }, 3, 0x40, 0 };
	struct ldr_layout_params pr = { 64 * KIB, 8 * KIB, 8 * KIB };
	struct ldr_layout l;
	Elf64_Ehdr eh;

	ehdr_default(&eh, spec.nsegs);
	build(&spec, &eh);
	ck_assert_int_eq(compute(&pr, &l, NULL), 0);
	ck_assert_uint_eq(seg_ro.vaddr + l.load_bias, l.flash_start + round_page(l.tbf_size));
	ck_assert_uint_le(seg_rx.vaddr + seg_rx.memsz + l.load_bias, l.ram_start);
	ck_assert_uint_eq(seg_rw.vaddr + l.load_bias, l.ram_start);
	ck_assert_uint_le(seg_rw.vaddr + seg_rw.memsz + l.load_bias, l.data_end);
}
END_TEST

/* ---- refusals: each names its reason ---- */

enum edit {
	EDIT_NONE,
	EDIT_MAGIC,
	EDIT_CLASS32,
	EDIT_BIG_ENDIAN,
	EDIT_MACHINE,
	EDIT_TYPE_EXEC,
	EDIT_PHENTSIZE,
	EDIT_PHNUM_ZERO,
	EDIT_PHNUM_TOO_MANY,
	EDIT_PHNUM_MAX,
	EDIT_PHOFF_NEAR_END,
	EDIT_PHOFF_HUGE,
	EDIT_END_BEYOND_IMAGE,
	EDIT_NO_ROOM_FOR_ELF,
};

#define GOOD3 { SEG_RO, SEG_RX, SEG_RW }, 3, 0x40, 0
#define DEFAULT_PARAMS { 64 * KIB, 8 * KIB, 8 * KIB }

static const struct bad_case {
	const char *name;
	struct image_spec spec;
	enum edit edit;
	struct ldr_layout_params params;
	const char *why; /* a substring of *ret_why */
} bad_cases[] = {
	{ "no writable segment", { { SEG_RO, SEG_RX }, 2, 0x40, 0 }, EDIT_NONE, DEFAULT_PARAMS, "no writable" },
	{ "empty writable segment", { { SEG_RO, { PT_LOAD, PF_R | PF_W, 0x2000, 0x2000, 0, 0 } }, 2, 0x40, 0 },
	  EDIT_NONE, DEFAULT_PARAMS, "no writable" },
	{ "W+X segment", { { SEG_RO, { PT_LOAD, PF_R | PF_W | PF_X, 0x2000, 0x2000, 0x100, 0x100 } }, 2, 0x40, 0 },
	  EDIT_NONE, DEFAULT_PARAMS, "writable and executable" },
	{ "RO above RW", { { SEG_RW, { PT_LOAD, PF_R | PF_X, 0x1000, 0x4000, 0x800, 0x800 } }, 2, 0x40, 0 },
	  EDIT_NONE, DEFAULT_PARAMS, "read-only segment lies above" },
	{ "RO shares a page with RW", { { { PT_LOAD, PF_R, 0, 0, 0x2080, 0x2080 },
	  { PT_LOAD, PF_R | PF_W, 0x2100, 0x2100, 0x10, 0x100 } }, 2, 0x40, 0 },
	  EDIT_NONE, DEFAULT_PARAMS, "shares a page" },
	{ "segment offset outside the image", { { SEG_RO, { PT_LOAD, PF_R | PF_W, ELF_LEN + 1, 0x2000, 0x10, 0x10 } },
	  2, 0x40, 0 }, EDIT_NONE, DEFAULT_PARAMS, "outside the binary" },
	{ "segment bytes run past the image", { { SEG_RO, { PT_LOAD, PF_R | PF_W, 0x2000, 0x2000, 0x201, 0x1000 } },
	  2, 0x40, 0 }, EDIT_NONE, DEFAULT_PARAMS, "outside the binary" },
	{ "p_offset + p_filesz wraps", { { SEG_RO, { PT_LOAD, PF_R | PF_W, 0x100, 0x2000, UINT64_MAX - 0x80, UINT64_MAX } },
	  2, 0x40, 0 }, EDIT_NONE, DEFAULT_PARAMS, "outside the binary" },
	{ "p_filesz > p_memsz", { { SEG_RO, { PT_LOAD, PF_R | PF_W, 0x2000, 0x2000, 0x100, 0xff } }, 2, 0x40, 0 },
	  EDIT_NONE, DEFAULT_PARAMS, "exceeds its memory size" },
	{ "p_vaddr + p_memsz overflows", { { SEG_RO, { PT_LOAD, PF_R | PF_W, 0x2000, UINT64_MAX - 0xfff, 0, 0x2000 } },
	  2, 0x40, 0 }, EDIT_NONE, DEFAULT_PARAMS, "virtual address range is too large" },
	{ "p_vaddr at 1 GiB", { { SEG_RO, { PT_LOAD, PF_R | PF_W, 0x2000, 0x40000000, 0, 0x1000 } }, 2, 0x40, 0 },
	  EDIT_NONE, DEFAULT_PARAMS, "virtual address range is too large" },
	{ "PT_TLS", { { SEG_RO, SEG_RW, { PT_TLS, PF_R, 0x2000, 0x2000, 0x10, 0x20 } }, 3, 0x40, 0 }, EDIT_NONE,
	  DEFAULT_PARAMS, "TLS" },
	{ "PT_INTERP", { { { PT_INTERP, PF_R, 0x200, 0x200, 0x1c, 0x1c }, SEG_RO, SEG_RW }, 3, 0x40, 0 }, EDIT_NONE,
	  DEFAULT_PARAMS, "interpreter" },
	{ "not an ELF", { GOOD3 }, EDIT_MAGIC, DEFAULT_PARAMS, "not an ELF" },
	{ "ELFCLASS32", { GOOD3 }, EDIT_CLASS32, DEFAULT_PARAMS, "64-bit little-endian" },
	{ "big endian", { GOOD3 }, EDIT_BIG_ENDIAN, DEFAULT_PARAMS, "64-bit little-endian" },
	{ "aarch64", { GOOD3 }, EDIT_MACHINE, DEFAULT_PARAMS, "x86-64 shared object" },
	{ "ET_EXEC", { GOOD3 }, EDIT_TYPE_EXEC, DEFAULT_PARAMS, "x86-64 shared object" },
	{ "bad e_phentsize", { GOOD3 }, EDIT_PHENTSIZE, DEFAULT_PARAMS, "bad entry size or count" },
	{ "no program headers", { GOOD3 }, EDIT_PHNUM_ZERO, DEFAULT_PARAMS, "bad entry size or count" },
	{ "too many program headers", { GOOD3 }, EDIT_PHNUM_TOO_MANY, DEFAULT_PARAMS, "bad entry size or count" },
	{ "e_phnum 0xffff", { GOOD3 }, EDIT_PHNUM_MAX, DEFAULT_PARAMS, "bad entry size or count" },
	{ "table runs past the end", { GOOD3 }, EDIT_PHOFF_NEAR_END, DEFAULT_PARAMS, "table lies outside" },
	{ "e_phoff near 2^64", { GOOD3 }, EDIT_PHOFF_HUGE, DEFAULT_PARAMS, "table lies outside" },
	{ "binary end beyond the image", { GOOD3 }, EDIT_END_BEYOND_IMAGE, DEFAULT_PARAMS, "beyond the TBF image" },
	{ "no room for an ELF header", { GOOD3 }, EDIT_NO_ROOM_FOR_ELF, DEFAULT_PARAMS, "no room for an ELF header" },
	/* data 8 KiB + guard 4 + stack 8 + minimum heap 16 + grant 8 = 44 KiB */
	{ "RAM too small", { GOOD3 }, EDIT_NONE, { 40 * KIB, 8 * KIB, 8 * KIB }, "do not fit in RAM" },
	{ "grant eats the heap", { GOOD3 }, EDIT_NONE, { 64 * KIB, 8 * KIB, 32 * KIB }, "do not fit in RAM" },
	{ "zero stack", { GOOD3 }, EDIT_NONE, { 64 * KIB, 0, 8 * KIB }, "stack size is zero" },
	{ "RAM above 2 GiB", { GOOD3 }, EDIT_NONE, { 0x40001000u, 8 * KIB, 8 * KIB }, "below 2 GiB" },
	{ "read-only span too big for flash", { { { PT_LOAD, PF_R, 0, 0, 0x10, 0x10 },
	  { PT_LOAD, PF_R | PF_W, 0x2000, 0x3fff0000, 0x10, 0x10 } }, 2, 0x40, 0 }, EDIT_NONE, DEFAULT_PARAMS,
	  "do not fit below RAM" },
};

static void apply_edit(enum edit e, Elf64_Ehdr *eh)
{
	switch (e) {
	case EDIT_MAGIC: eh->e_ident[EI_MAG1] = 'e'; break;
	case EDIT_CLASS32: eh->e_ident[EI_CLASS] = ELFCLASS32; break;
	case EDIT_BIG_ENDIAN: eh->e_ident[EI_DATA] = ELFDATA2MSB; break;
	case EDIT_MACHINE: eh->e_machine = EM_AARCH64; break;
	case EDIT_TYPE_EXEC: eh->e_type = ET_EXEC; break;
	case EDIT_PHENTSIZE: eh->e_phentsize = sizeof(Elf64_Phdr) - 8; break;
	case EDIT_PHNUM_ZERO: eh->e_phnum = 0; break;
	case EDIT_PHNUM_TOO_MANY: eh->e_phnum = 65; break; /* fits in the image, but over the limit */
	case EDIT_PHNUM_MAX: eh->e_phnum = 0xffff; break;
	case EDIT_PHOFF_NEAR_END: eh->e_phoff = ELF_LEN - sizeof(Elf64_Phdr); break;
	case EDIT_PHOFF_HUGE: eh->e_phoff = UINT64_MAX - 16; break;
	default: break;
	}
}

START_TEST(test_refused)
{
	const struct bad_case *c = &bad_cases[_i];
	struct ldr_layout l, untouched;
	const char *why = NULL;
	Elf64_Ehdr eh;

	ehdr_default(&eh, c->spec.nsegs);
	apply_edit(c->edit, &eh);
	build(&c->spec, &eh);
	if (c->edit == EDIT_END_BEYOND_IMAGE)
		info.binary_end_offset = info.total_size + 1;
	if (c->edit == EDIT_NO_ROOM_FOR_ELF)
		info.header_size = (uint16_t)(info.total_size - sizeof(Elf64_Ehdr) + 1);
	memset(&l, 0x5c, sizeof(l));
	untouched = l;
	ck_assert_int_eq(compute(&c->params, &l, &why), -ENOEXEC);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, c->why) != NULL, "%s: got \"%s\", want \"%s\"", c->name, why, c->why);
	ck_assert_msg(memcmp(&l, &untouched, sizeof(l)) == 0, "%s: layout written on failure", c->name);
}
END_TEST

/* The ELF is read from image_len, not total_size, when the buffer is shorter (a truncated file). */
START_TEST(test_truncated_buffer)
{
	const struct image_spec spec = { GOOD3 };
	struct ldr_layout_params pr = DEFAULT_PARAMS;
	struct ldr_layout l;
	const char *why = NULL;
	Elf64_Ehdr eh;

	ehdr_default(&eh, spec.nsegs);
	build(&spec, &eh);
	ck_assert_int_eq(ldr_layout_compute(image, info.total_size - 1, &info, &pr, &l, &why), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(why, "beyond the TBF image"));
}
END_TEST

START_TEST(test_missing_arguments)
{
	const struct image_spec spec = { GOOD3 };
	struct ldr_layout_params pr = DEFAULT_PARAMS;
	struct ldr_layout l;
	const char *why = NULL;
	Elf64_Ehdr eh;

	ehdr_default(&eh, spec.nsegs);
	build(&spec, &eh);
	ck_assert_int_eq(ldr_layout_compute(NULL, info.total_size, &info, &pr, &l, &why), -ENOEXEC);
	ck_assert_int_eq(ldr_layout_compute(image, info.total_size, NULL, &pr, &l, &why), -ENOEXEC);
	ck_assert_int_eq(ldr_layout_compute(image, info.total_size, &info, NULL, &l, &why), -ENOEXEC);
	ck_assert_int_eq(ldr_layout_compute(image, info.total_size, &info, &pr, NULL, NULL), -ENOEXEC);
	ck_assert_int_eq(ldr_layout_compute(image, info.total_size, &info, &pr, &l, NULL), 0); /* why optional */
}
END_TEST

static Suite *layout_suite(void)
{
	Suite *s = suite_create("app_layout");
	TCase *tc = tcase_create("layout");

	tcase_add_loop_test(tc, test_good_layout, 0, sizeof(good_cases) / sizeof(good_cases[0]));
	tcase_add_test(tc, test_segments_land_in_their_regions);
	tcase_add_loop_test(tc, test_refused, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_truncated_buffer);
	tcase_add_test(tc, test_missing_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(layout_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
