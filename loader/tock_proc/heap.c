/* malloc/free/... for the runner and its app: start-up arena, then first fit with coalescing on the RAM heap. */
#include "loader/tock_proc/heap.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/tock_proc/trap.h"

/*
 * Every block starts with a 16-byte header; payloads are 16-byte aligned. Free RAM blocks sit on an
 * address-ordered singly linked list, so freeing coalesces with both neighbours in one walk.
 * Arena blocks (ld.so, libseccomp and start-up allocations) are never reused: free() ignores them.
 */
#define ALIGN 16u
#define HDR 16u
#define MIN_BLOCK 32u
#define TAG_USED 0x55534544u
#define TAG_FREE 0x46524545u
#define TAG_ARENA 0x4152454eu
#define MAX_REQUEST 0x7fff0000ull /* RAM is below 2 GiB; bigger requests cannot succeed */
#define GROW_MIN 0x4000ull
#define ARENA_SIZE (1u << 20)

struct block {
	uint64_t size; /* whole block incl. header */
	uint32_t tag;
	uint32_t pad;
	struct block *next; /* free blocks only: overlaps the payload */
};

static _Alignas(16) uint8_t arena[ARENA_SIZE];
static size_t arena_used;
static int use_ram;
static struct block *free_list;

void ldr_heap_use_ram(void)
{
	use_ram = 1;
}

static uint64_t round16(uint64_t v)
{
	return (v + ALIGN - 1) & ~(uint64_t)(ALIGN - 1);
}

static int in_arena(const void *p)
{
	return (const uint8_t *)p >= arena && (const uint8_t *)p < arena + ARENA_SIZE;
}

static struct block *hdr_of(void *p)
{
	return (struct block *)((uint8_t *)p - HDR);
}

__attribute__((noreturn)) static void heap_corrupt(void *p)
{
	ldr_trap_fault(TOCK_FAULT_ABORT, (uint64_t)(uintptr_t)p, (uint64_t)(uintptr_t)__builtin_return_address(0), 0);
}

/* Bump allocation from the static arena, aligned to `align` (power of two >= 16). */
static void *arena_alloc(uint64_t size, uint64_t align)
{
	uint64_t start = (uint64_t)(uintptr_t)arena + arena_used + HDR;
	uint64_t payload = (start + align - 1) & ~(align - 1);
	uint64_t end = payload + round16(size);
	struct block *b;

	if (end > (uint64_t)(uintptr_t)arena + ARENA_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	b = (struct block *)(uintptr_t)(payload - HDR);
	b->size = end - (payload - HDR);
	b->tag = TAG_ARENA;
	arena_used = end - (uint64_t)(uintptr_t)arena;
	return (void *)(uintptr_t)payload;
}

/* Put a free block on the address-ordered list, merging with adjacent neighbours. */
static void free_insert(struct block *b)
{
	struct block **link = &free_list, *prev = NULL;

	while (*link && *link < b) {
		prev = *link;
		link = &(*link)->next;
	}
	b->tag = TAG_FREE;
	b->next = *link;
	*link = b;
	if (b->next && (uint8_t *)b + b->size == (uint8_t *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (prev && (uint8_t *)prev + prev->size == (uint8_t *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

/* Ask the kernel for at least `need` more bytes of heap and add them to the free list. */
static int heap_grow(uint64_t need)
{
	uint64_t want = (need + HDR + GROW_MIN - 1) & ~(GROW_MIN - 1);
	uint64_t prev = ldr_trap_sbrk((int64_t)want), start, end;

	if (prev == 0) {
		want = round16(need + 2 * ALIGN);
		prev = ldr_trap_sbrk((int64_t)want);
		if (prev == 0)
			return -ENOMEM;
	}
	start = round16(prev); /* the app may have moved the break to an odd address itself */
	end = (prev + want) & ~(uint64_t)(ALIGN - 1);
	if (end <= start || end - start < MIN_BLOCK)
		return -ENOMEM;
	struct block *b = (struct block *)(uintptr_t)start;
	b->size = end - start;
	free_insert(b);
	return 0;
}

/* First fit for a block of `bsize` bytes (header included, multiple of 16). */
static struct block *take_block(uint64_t bsize)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		for (struct block **link = &free_list; *link; link = &(*link)->next) {
			struct block *b = *link;

			if (b->tag != TAG_FREE)
				heap_corrupt(b);
			if (b->size < bsize)
				continue;
			if (b->size - bsize >= MIN_BLOCK) {
				struct block *rest = (struct block *)((uint8_t *)b + bsize);
				rest->size = b->size - bsize;
				rest->tag = TAG_FREE;
				rest->next = b->next;
				*link = rest;
				b->size = bsize;
			} else {
				*link = b->next;
			}
			b->tag = TAG_USED;
			return b;
		}
		if (attempt == 0 && heap_grow(bsize) < 0)
			break;
	}
	return NULL;
}

/* Give back the tail of a used block beyond `bsize` bytes, if it is big enough to stand alone. */
static void trim_block(struct block *b, uint64_t bsize)
{
	if (b->size - bsize >= MIN_BLOCK) {
		struct block *rest = (struct block *)((uint8_t *)b + bsize);
		rest->size = b->size - bsize;
		b->size = bsize;
		free_insert(rest);
	}
}

static void *ram_alloc(uint64_t size, uint64_t align)
{
	uint64_t bsize = round16(size) + HDR, payload, lead;
	struct block *b;

	if (bsize < MIN_BLOCK)
		bsize = MIN_BLOCK;
	if (align <= ALIGN) {
		b = take_block(bsize);
		return b ? (uint8_t *)b + HDR : NULL;
	}
	b = take_block(bsize + align + MIN_BLOCK);
	if (!b)
		return NULL;
	payload = ((uint64_t)(uintptr_t)b + HDR + align - 1) & ~(align - 1);
	lead = payload - HDR - (uint64_t)(uintptr_t)b;
	if (lead != 0 && lead < MIN_BLOCK) {
		payload += align;
		lead += align;
	}
	if (lead) {
		struct block *a = (struct block *)(uintptr_t)(payload - HDR);
		a->size = b->size - lead;
		a->tag = TAG_USED;
		b->size = lead;
		free_insert(b);
		b = a;
	}
	trim_block(b, bsize);
	return (void *)(uintptr_t)payload;
}

static void *alloc_aligned(size_t size, size_t align)
{
	void *p;

	if (size > MAX_REQUEST || align > 0x100000u) {
		errno = ENOMEM;
		return NULL;
	}
	if (align < ALIGN)
		align = ALIGN;
	p = use_ram ? ram_alloc(size, align) : arena_alloc(size, align);
	if (!p)
		errno = ENOMEM;
	return p;
}

void *malloc(size_t size)
{
	return alloc_aligned(size, ALIGN);
}

void free(void *p)
{
	struct block *b;

	if (!p || in_arena(p))
		return;
	b = hdr_of(p);
	if (b->tag != TAG_USED || ((uintptr_t)p & (ALIGN - 1)))
		heap_corrupt(p);
	free_insert(b);
}

void *calloc(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(total);
	if (p)
		memset(p, 0, total); /* sbrk'd memory is zero only the first time round */
	return p;
}

size_t malloc_usable_size(void *p)
{
	return p ? hdr_of(p)->size - HDR : 0;
}

void *realloc(void *p, size_t size)
{
	struct block *b;
	void *q;
	size_t old;

	if (!p)
		return malloc(size);
	if (size == 0) {
		free(p);
		return NULL;
	}
	b = hdr_of(p);
	if (!in_arena(p) && b->tag != TAG_USED)
		heap_corrupt(p);
	old = b->size - HDR;
	if (size <= old && !in_arena(p)) {
		uint64_t bsize = round16(size) + HDR;
		trim_block(b, bsize < MIN_BLOCK ? MIN_BLOCK : bsize);
		return p;
	}
	q = malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, old < size ? old : size);
	free(p);
	return q;
}

void *aligned_alloc(size_t align, size_t size)
{
	if (align == 0 || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return alloc_aligned(size, align);
}

void *memalign(size_t align, size_t size)
{
	return aligned_alloc(align, size);
}

int posix_memalign(void **ret_p, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = alloc_aligned(size, align);
	if (!p)
		return ENOMEM;
	*ret_p = p;
	return 0;
}

void *valloc(size_t size)
{
	return alloc_aligned(size, 4096);
}

void *pvalloc(size_t size)
{
	return alloc_aligned((size + 4095) & ~(size_t)4095, 4096);
}

static const struct ldr_heap_symbol heap_symbols[] = {
	{"malloc", (void *)malloc},
	{"free", (void *)free},
	{"calloc", (void *)calloc},
	{"realloc", (void *)realloc},
	{"aligned_alloc", (void *)aligned_alloc},
	{"posix_memalign", (void *)posix_memalign},
	{"memalign", (void *)memalign},
	{"valloc", (void *)valloc},
	{"pvalloc", (void *)pvalloc},
	{"malloc_usable_size", (void *)malloc_usable_size},
};

const struct ldr_heap_symbol *ldr_heap_symbols(size_t *ret_count)
{
	*ret_count = sizeof(heap_symbols) / sizeof(heap_symbols[0]);
	return heap_symbols;
}
