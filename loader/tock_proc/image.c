/* Map the app's flash and RAM memfds at their layout addresses, copy its ELF segments, protect them. */
#include "loader/tock_proc/elf_app.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "loader/tbf.h"

int ldr_fail(struct ldr_err *err, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return error;
}

static uint64_t page_floor(uint64_t v)
{
	return v & ~(LDR_PAGE_SIZE - 1);
}

static uint64_t page_round(uint64_t v)
{
	return (v + LDR_PAGE_SIZE - 1) & ~(LDR_PAGE_SIZE - 1);
}

void *ldr_app_ptr(const struct ldr_app *app, uint64_t vaddr, uint64_t size, int want_write)
{
	for (unsigned i = 0; i < app->phnum; i++) {
		const Elf64_Phdr *ph = &app->phdrs[i];

		if (ph->p_type != PT_LOAD || (want_write && !(ph->p_flags & PF_W)))
			continue;
		if (vaddr >= ph->p_vaddr && size <= ph->p_memsz && vaddr - ph->p_vaddr <= ph->p_memsz - size)
			return (void *)(uintptr_t)(vaddr + app->layout.load_bias);
	}
	return NULL;
}

/* Parse the TBF in `image` and compute the layout; also remembers where the ELF and its phdrs are. */
static int compute(struct ldr_app *app, const uint8_t *image, size_t len, const struct ldr_layout_params *params,
                   struct ldr_err *err)
{
	struct tbf_info info;
	struct tbf_error terr;
	const char *why = NULL;
	Elf64_Ehdr eh;
	int r;

	memset(&terr, 0, sizeof(terr));
	r = tbf_parse(image, len, &info, &terr);
	if (r < 0)
		return ldr_fail(err, r, "TBF: %s (%s at offset %u)", terr.message, terr.field ? terr.field : "?",
		                terr.offset);
	r = ldr_layout_compute(image, len, &info, params, &app->layout, &why);
	if (r == 0)
		r = ldr_elf_bounds(image, len, &info, &app->elf_offset, &app->elf_length, &why);
	if (r < 0)
		return ldr_fail(err, r, "layout: %s", why ? why : "refused");
	memcpy(&eh, image + app->elf_offset, sizeof(eh));
	app->phnum = eh.e_phnum;
	memcpy(app->phdrs, image + app->elf_offset + eh.e_phoff, (size_t)eh.e_phnum * sizeof(Elf64_Phdr));
	return 0;
}

/* Parse through a temporary read-only view, so we know where to map flash for real. */
static int probe_flash(struct ldr_app *app, int flash_fd, const struct ldr_layout_params *params,
                       struct ldr_err *err)
{
	struct stat st;
	void *view;
	int r;

	if (fstat(flash_fd, &st) < 0)
		return ldr_fail(err, -errno, "flash fd: %m");
	if (st.st_size < TBF_BASE_HEADER_SIZE || (uint64_t)st.st_size > 0x40000000ull)
		return ldr_fail(err, -EINVAL, "flash fd has a bad size %lld", (long long)st.st_size);
	view = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, flash_fd, 0);
	if (view == MAP_FAILED)
		return ldr_fail(err, -errno, "cannot map flash fd: %m");
	r = compute(app, view, (size_t)st.st_size, params, err);
	munmap(view, (size_t)st.st_size);
	if (r == 0 && (uint64_t)st.st_size != app->layout.flash_size)
		r = ldr_fail(err, -EINVAL, "flash fd size %lld is not the layout's flash size %llu",
		             (long long)st.st_size, (unsigned long long)app->layout.flash_size);
	return r;
}

static int map_fixed(uint64_t addr, uint64_t len, int fd, const char *what, struct ldr_err *err)
{
	void *p = mmap((void *)(uintptr_t)addr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);

	if (p == MAP_FAILED)
		return ldr_fail(err, -errno, "cannot map %s at %#llx: %m", what, (unsigned long long)addr);
	if ((uint64_t)(uintptr_t)p != addr) {
		munmap(p, len);
		return ldr_fail(err, -EEXIST, "%s landed at %p, not %#llx", what, p, (unsigned long long)addr);
	}
	return 0;
}

/* Copy each segment's file bytes from the ELF (in flash) to its load address; zero the rest. */
static void copy_segments(const struct ldr_app *app, int writable)
{
	const uint8_t *elf = (const uint8_t *)(uintptr_t)(app->layout.flash_start + app->elf_offset);

	for (unsigned i = 0; i < app->phnum; i++) {
		const Elf64_Phdr *ph = &app->phdrs[i];
		uint8_t *dst = (uint8_t *)(uintptr_t)(ph->p_vaddr + app->layout.load_bias);

		if (ph->p_type != PT_LOAD || ph->p_memsz == 0 || !!(ph->p_flags & PF_W) != writable)
			continue;
		memmove(dst, elf + ph->p_offset, ph->p_filesz);
		memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	}
}

/* Flash: all read-only, executable segments read+exec. Never writable again. Guard: no access. */
static int protect(const struct ldr_app *app, struct ldr_err *err)
{
	const struct ldr_layout *l = &app->layout;

	if (mprotect((void *)(uintptr_t)l->flash_start, l->flash_size, PROT_READ) < 0)
		return ldr_fail(err, -errno, "mprotect flash: %m");
	for (unsigned i = 0; i < app->phnum; i++) {
		const Elf64_Phdr *ph = &app->phdrs[i];
		uint64_t lo, hi;

		if (ph->p_type != PT_LOAD || ph->p_memsz == 0 || (ph->p_flags & (PF_W | PF_X)) != PF_X)
			continue;
		lo = page_floor(ph->p_vaddr + l->load_bias);
		hi = page_round(ph->p_vaddr + l->load_bias + ph->p_memsz);
		if (mprotect((void *)(uintptr_t)lo, hi - lo, PROT_READ | PROT_EXEC) < 0)
			return ldr_fail(err, -errno, "mprotect code at %#llx: %m (is the flash memfd MFD_NOEXEC_SEAL?)",
			                (unsigned long long)lo);
	}
	if (mprotect((void *)(uintptr_t)l->guard_start, l->guard_end - l->guard_start, PROT_NONE) < 0)
		return ldr_fail(err, -errno, "mprotect guard page: %m");
	return 0;
}

int ldr_image_load(struct ldr_app *app, int flash_fd, int ram_fd, const struct ldr_layout_params *params,
                   struct ldr_err *err)
{
	struct ldr_layout first;
	struct stat st;
	int r;

	memset(app, 0, sizeof(*app));
	r = probe_flash(app, flash_fd, params, err);
	if (r < 0)
		return r;
	first = app->layout;
	r = map_fixed(first.flash_start, first.flash_size, flash_fd, "flash", err);
	if (r < 0)
		return r;
	/* Re-check from the mapping we will actually use, so the probe and the copy agree. */
	r = compute(app, (const uint8_t *)(uintptr_t)first.flash_start, first.flash_size, params, err);
	if (r < 0)
		return r;
	if (memcmp(&first, &app->layout, sizeof(first)) != 0)
		return ldr_fail(err, -EINVAL, "flash image changed while loading");
	if (fstat(ram_fd, &st) < 0)
		return ldr_fail(err, -errno, "RAM fd: %m");
	if ((uint64_t)st.st_size != first.ram_size)
		return ldr_fail(err, -EINVAL, "RAM fd size %lld is not the layout's RAM size %llu",
		                (long long)st.st_size, (unsigned long long)first.ram_size);
	/* The grant region stays unmapped: any app access to it faults. */
	r = map_fixed(first.ram_start, first.grant_start - first.ram_start, ram_fd, "RAM", err);
	if (r < 0)
		return r;
	copy_segments(app, 0);
	copy_segments(app, 1);
	r = ldr_dyn_link(app, err);
	if (r < 0)
		return r;
	return protect(app, err);
}
