/* The runner's malloc: a static start-up arena, then a first-fit allocator on the app's RAM heap. */
#ifndef TOCKHOST_LDR_HEAP_H
#define TOCKHOST_LDR_HEAP_H

#include <stddef.h>

/*
 * From now on new memory comes from the app's RAM block through memop sbrk on the trap channel
 * (so the kernel's break is always right). Call only after the seccomp filter is loaded; the first
 * sbrk happens at the first allocation, which must come after START.
 */
void ldr_heap_use_ram(void);

/* The malloc family the runner exports, for resolving the app's imports (dlsym would find libc's). */
struct ldr_heap_symbol {
	const char *name;
	void *address;
};
const struct ldr_heap_symbol *ldr_heap_symbols(size_t *ret_count);

#endif
