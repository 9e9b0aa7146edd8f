/* Link the loaded app against the runner: dynamic section, symbols, RELA/RELR relocations, init arrays. */
#include "loader/tock_proc/elf_app.h"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include "loader/tock_proc/overrides.h"

#define MAX_SYMBOLS 0x100000u

struct dyn_info {
	uint64_t strtab, strsz, symtab, syment, nsyms;
	uint64_t rela, relasz, relaent, jmprel, pltrelsz, pltrel;
	uint64_t relr, relrsz, relrent;
	uint64_t gnu_hash, hash;
	int textrel;
};

/* Symbol count from DT_HASH (nchain) or DT_GNU_HASH (highest bucket, then walk its chain). */
static int count_symbols(const struct ldr_app *app, struct dyn_info *d, struct ldr_err *err)
{
	const uint32_t *w;

	if (d->hash) {
		w = ldr_app_ptr(app, d->hash, 8, 0);
		if (!w)
			return ldr_fail(err, -ENOEXEC, "DT_HASH lies outside the image");
		d->nsyms = w[1];
	} else if (d->gnu_hash) {
		uint32_t nbuckets, symoffset, bloom, maxsym = 0;
		uint64_t buckets, chain;

		w = ldr_app_ptr(app, d->gnu_hash, 16, 0);
		if (!w)
			return ldr_fail(err, -ENOEXEC, "DT_GNU_HASH lies outside the image");
		nbuckets = w[0], symoffset = w[1], bloom = w[2];
		buckets = d->gnu_hash + 16 + (uint64_t)bloom * 8;
		w = ldr_app_ptr(app, buckets, (uint64_t)nbuckets * 4, 0);
		if (!w || nbuckets > MAX_SYMBOLS || bloom > MAX_SYMBOLS)
			return ldr_fail(err, -ENOEXEC, "DT_GNU_HASH buckets lie outside the image");
		for (uint32_t i = 0; i < nbuckets; i++)
			maxsym = w[i] > maxsym ? w[i] : maxsym;
		if (maxsym < symoffset) {
			d->nsyms = symoffset;
		} else {
			chain = buckets + (uint64_t)nbuckets * 4;
			for (;; maxsym++) {
				const uint32_t *c = ldr_app_ptr(app, chain + (uint64_t)(maxsym - symoffset) * 4, 4, 0);
				if (!c || maxsym >= MAX_SYMBOLS)
					return ldr_fail(err, -ENOEXEC, "DT_GNU_HASH chain runs outside the image");
				if (*c & 1)
					break;
			}
			d->nsyms = (uint64_t)maxsym + 1;
		}
	}
	if (d->nsyms > MAX_SYMBOLS || (d->nsyms && !ldr_app_ptr(app, d->symtab, d->nsyms * sizeof(Elf64_Sym), 0)))
		return ldr_fail(err, -ENOEXEC, "dynamic symbol table lies outside the image");
	if (d->strsz && !ldr_app_ptr(app, d->strtab, d->strsz, 0))
		return ldr_fail(err, -ENOEXEC, "dynamic string table lies outside the image");
	return 0;
}

static int read_dynamic(struct ldr_app *app, struct dyn_info *d, struct ldr_err *err)
{
	const Elf64_Phdr *dyn = NULL;
	const Elf64_Dyn *e;
	uint64_t n;

	memset(d, 0, sizeof(*d));
	for (unsigned i = 0; i < app->phnum; i++)
		if (app->phdrs[i].p_type == PT_DYNAMIC)
			dyn = &app->phdrs[i];
	if (!dyn)
		return ldr_fail(err, -ENOEXEC, "ELF has no PT_DYNAMIC (build apps with -shared -fPIC)");
	n = dyn->p_memsz / sizeof(Elf64_Dyn);
	e = ldr_app_ptr(app, dyn->p_vaddr, n * sizeof(Elf64_Dyn), 0);
	if (!e || n == 0)
		return ldr_fail(err, -ENOEXEC, "PT_DYNAMIC lies outside the loaded segments");
	for (uint64_t i = 0; i < n && e[i].d_tag != DT_NULL; i++) {
		uint64_t v = e[i].d_un.d_val;

		switch (e[i].d_tag) {
		case DT_STRTAB: d->strtab = v; break;
		case DT_STRSZ: d->strsz = v; break;
		case DT_SYMTAB: d->symtab = v; break;
		case DT_SYMENT: d->syment = v; break;
		case DT_RELA: d->rela = v; break;
		case DT_RELASZ: d->relasz = v; break;
		case DT_RELAENT: d->relaent = v; break;
		case DT_JMPREL: d->jmprel = v; break;
		case DT_PLTRELSZ: d->pltrelsz = v; break;
		case DT_PLTREL: d->pltrel = v; break;
		case DT_RELR: d->relr = v; break;
		case DT_RELRSZ: d->relrsz = v; break;
		case DT_RELRENT: d->relrent = v; break;
		case DT_GNU_HASH: d->gnu_hash = v; break;
		case DT_HASH: d->hash = v; break;
		case DT_INIT: app->init_fn = v; break;
		case DT_INIT_ARRAY: app->init_array = v; break;
		case DT_INIT_ARRAYSZ: app->init_count = v / 8; break;
		case DT_FINI_ARRAY: app->fini_array = v; break;
		case DT_FINI_ARRAYSZ: app->fini_count = v / 8; break;
		case DT_TEXTREL: d->textrel = 1; break;
		case DT_FLAGS: d->textrel |= !!(v & DF_TEXTREL); break;
		case DT_REL: case DT_RELSZ:
			return ldr_fail(err, -ENOEXEC, "ELF uses REL relocations (x86-64 needs RELA)");
		case DT_PREINIT_ARRAY:
			return ldr_fail(err, -ENOEXEC, "ELF has a preinit array (not allowed in a shared object)");
		default: break;
		}
	}
	if (d->textrel)
		return ldr_fail(err, -ENOEXEC, "ELF needs text relocations (TEXTREL); rebuild with -fPIC");
	if ((d->symtab && d->syment != sizeof(Elf64_Sym)) || ((d->rela || d->jmprel) && d->relaent &&
	                                                       d->relaent != sizeof(Elf64_Rela)))
		return ldr_fail(err, -ENOEXEC, "ELF has an unexpected symbol or relocation entry size");
	if (d->jmprel && d->pltrel != DT_RELA)
		return ldr_fail(err, -ENOEXEC, "PLT relocations are not RELA");
	return count_symbols(app, d, err);
}

static const char *sym_name(const struct ldr_app *app, const struct dyn_info *d, const Elf64_Sym *s)
{
	const char *strtab = ldr_app_ptr(app, d->strtab, d->strsz, 0);

	if (!strtab || s->st_name >= d->strsz || !memchr(strtab + s->st_name, 0, d->strsz - s->st_name))
		return NULL;
	return strtab + s->st_name;
}

/* Address of a symbol's definition: the app's own, the runner's overrides (malloc & co.), or glibc via dlsym. */
static int resolve(const struct ldr_app *app, const struct dyn_info *d, uint64_t index, uint64_t *ret,
                   struct ldr_err *err)
{
	const Elf64_Sym *syms = ldr_app_ptr(app, d->symtab, d->nsyms * sizeof(Elf64_Sym), 0);
	const Elf64_Sym *s;
	const char *name;
	void *addr;

	if (index == 0) {
		*ret = 0;
		return 0;
	}
	if (index >= d->nsyms || !syms)
		return ldr_fail(err, -ENOEXEC, "relocation names symbol %llu of %llu", (unsigned long long)index,
		                (unsigned long long)d->nsyms);
	s = &syms[index];
	name = sym_name(app, d, s);
	if (!name)
		return ldr_fail(err, -ENOEXEC, "symbol %llu has a bad name", (unsigned long long)index);
	if (ELF64_ST_TYPE(s->st_info) == STT_TLS)
		return ldr_fail(err, -ENOEXEC, "symbol '%s' is thread-local (TLS is not supported)", name);
	if (s->st_shndx != SHN_UNDEF) {
		if (ELF64_ST_TYPE(s->st_info) == STT_GNU_IFUNC)
			return ldr_fail(err, -ENOEXEC, "symbol '%s' is an IFUNC (not supported)", name);
		*ret = s->st_shndx == SHN_ABS ? s->st_value : s->st_value + app->layout.load_bias;
		return 0;
	}
	addr = ldr_override_lookup(name);
	if (!addr)
		addr = dlsym(RTLD_DEFAULT, name);
	if (!addr && ELF64_ST_BIND(s->st_info) != STB_WEAK)
		return ldr_fail(err, -ENOEXEC, "unresolved symbol '%s'", name);
	*ret = (uint64_t)(uintptr_t)addr;
	return 0;
}

static const char *reloc_refused(uint32_t type)
{
	switch (type) {
	case R_X86_64_COPY: return "R_X86_64_COPY (build apps with -shared, not -pie)";
	case R_X86_64_IRELATIVE: return "R_X86_64_IRELATIVE (IFUNCs are not supported)";
	case R_X86_64_DTPMOD64: case R_X86_64_DTPOFF64: case R_X86_64_TPOFF64:
	case R_X86_64_TLSDESC: case R_X86_64_DTPOFF32: case R_X86_64_TPOFF32:
		return "a TLS relocation (thread-local storage is not supported)";
	default: return NULL;
	}
}

static int apply_rela(struct ldr_app *app, const struct dyn_info *d, uint64_t table, uint64_t size,
                      struct ldr_err *err)
{
	const Elf64_Rela *rel;
	uint64_t n = size / sizeof(Elf64_Rela);

	if (size == 0)
		return 0;
	rel = ldr_app_ptr(app, table, n * sizeof(Elf64_Rela), 0);
	if (!rel || size % sizeof(Elf64_Rela))
		return ldr_fail(err, -ENOEXEC, "relocation table lies outside the image");
	for (uint64_t i = 0; i < n; i++) {
		uint32_t type = ELF64_R_TYPE(rel[i].r_info);
		uint64_t *where, value = 0;
		int r;

		if (type == R_X86_64_NONE)
			continue;
		where = ldr_app_ptr(app, rel[i].r_offset, 8, 1);
		if (!where)
			return ldr_fail(err, -ENOEXEC, "relocation %llu targets %#llx outside writable data",
			                (unsigned long long)i, (unsigned long long)rel[i].r_offset);
		if (type == R_X86_64_RELATIVE) {
			*where = app->layout.load_bias + (uint64_t)rel[i].r_addend;
			continue;
		}
		if (type != R_X86_64_GLOB_DAT && type != R_X86_64_JUMP_SLOT && type != R_X86_64_64)
			return ldr_fail(err, -ENOEXEC, "refused relocation type %u: %s", type,
			                reloc_refused(type) ? reloc_refused(type) : "unknown type");
		r = resolve(app, d, ELF64_R_SYM(rel[i].r_info), &value, err);
		if (r < 0)
			return r;
		*where = type == R_X86_64_64 ? value + (uint64_t)rel[i].r_addend : value;
	}
	return 0;
}

/* RELR (-z pack-relative-relocs): an address word, then bitmaps of the following 63 words. */
static int apply_relr(struct ldr_app *app, const struct dyn_info *d, struct ldr_err *err)
{
	const uint64_t *e;
	uint64_t n = d->relrsz / 8, where = 0;

	if (d->relrsz == 0)
		return 0;
	e = ldr_app_ptr(app, d->relr, n * 8, 0);
	if (!e || d->relrsz % 8 || (d->relrent && d->relrent != 8))
		return ldr_fail(err, -ENOEXEC, "RELR table lies outside the image");
	for (uint64_t i = 0; i < n; i++) {
		if (!(e[i] & 1)) {
			uint64_t *p = ldr_app_ptr(app, e[i], 8, 1);
			if (!p)
				return ldr_fail(err, -ENOEXEC, "RELR entry targets outside writable data");
			*p += app->layout.load_bias;
			where = e[i] + 8;
			continue;
		}
		for (unsigned bit = 1; bit < 64; bit++) {
			if (!((e[i] >> bit) & 1))
				continue;
			uint64_t *p = ldr_app_ptr(app, where + (bit - 1) * 8, 8, 1);
			if (!p)
				return ldr_fail(err, -ENOEXEC, "RELR bitmap targets outside writable data");
			*p += app->layout.load_bias;
		}
		where += 63 * 8;
	}
	return 0;
}

static int find_main(struct ldr_app *app, const struct dyn_info *d, struct ldr_err *err)
{
	const Elf64_Sym *syms = ldr_app_ptr(app, d->symtab, d->nsyms * sizeof(Elf64_Sym), 0);

	for (uint64_t i = 1; syms && i < d->nsyms; i++) {
		const char *name = sym_name(app, d, &syms[i]);

		if (!name || strcmp(name, "main") != 0 || syms[i].st_shndx == SHN_UNDEF ||
		    ELF64_ST_TYPE(syms[i].st_info) != STT_FUNC)
			continue;
		for (unsigned k = 0; k < app->phnum; k++) {
			const Elf64_Phdr *ph = &app->phdrs[k];
			if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && syms[i].st_value >= ph->p_vaddr &&
			    syms[i].st_value - ph->p_vaddr < ph->p_memsz) {
				app->main_fn = syms[i].st_value + app->layout.load_bias;
				return 0;
			}
		}
	}
	return ldr_fail(err, -ENOEXEC, "no exported function 'main' in an executable segment "
	                               "(keep main at default visibility)");
}

/* Turn DT_INIT/INIT_ARRAY/FINI_ARRAY into checked absolute addresses (array contents are relocated). */
static int place_init(struct ldr_app *app, struct ldr_err *err)
{
	if (app->init_count) {
		void *p = ldr_app_ptr(app, app->init_array, app->init_count * 8, 0);
		if (!p)
			return ldr_fail(err, -ENOEXEC, "init array lies outside the image");
		app->init_array = (uint64_t)(uintptr_t)p;
	}
	if (app->fini_count) {
		void *p = ldr_app_ptr(app, app->fini_array, app->fini_count * 8, 0);
		if (!p)
			return ldr_fail(err, -ENOEXEC, "fini array lies outside the image");
		app->fini_array = (uint64_t)(uintptr_t)p;
	}
	if (app->init_fn)
		app->init_fn += app->layout.load_bias;
	return 0;
}

int ldr_dyn_link(struct ldr_app *app, struct ldr_err *err)
{
	struct dyn_info d;
	int r;

	r = read_dynamic(app, &d, err);
	if (r == 0)
		r = apply_relr(app, &d, err);
	if (r == 0)
		r = apply_rela(app, &d, d.rela, d.relasz, err);
	if (r == 0)
		r = apply_rela(app, &d, d.jmprel, d.pltrelsz, err);
	if (r == 0)
		r = find_main(app, &d, err);
	if (r == 0)
		r = place_init(app, err);
	return r;
}
