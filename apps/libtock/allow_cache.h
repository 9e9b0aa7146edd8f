/* What the kernel holds on each recently used allow slot, so re-allowing the very same buffer costs no trap. */
#ifndef TOCKHOST_LIBTOCK_ALLOW_CACHE_H
#define TOCKHOST_LIBTOCK_ALLOW_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every allow of this process goes through libtock's allow_* (trap_syscalls.c), which records
 * what the kernel accepted here. Allowing exactly the (pointer, size) the kernel already holds on
 * that slot swaps a buffer for itself: the kernel would answer success with that same pair, and
 * nothing else changes (capsules are never told of allows; buffers are read and written live).
 * So a hit answers locally. The kernel never drops an allow on its own while the process lives,
 * and the process's memory only grows (the runner's heap never shrinks the break; a memop that
 * moves it through libtock clears the cache anyway), so a buffer it accepted stays acceptable.
 */
bool tock_allow_cache_holds(uint32_t class_id, uint32_t driver, uint32_t allow, uintptr_t ptr, size_t size);
/* The kernel accepted (ptr, size) on this slot. */
void tock_allow_cache_store(uint32_t class_id, uint32_t driver, uint32_t allow, uintptr_t ptr, size_t size);
/* The kernel refused: what it holds is no longer known here. */
void tock_allow_cache_forget(uint32_t class_id, uint32_t driver, uint32_t allow);
void tock_allow_cache_clear(void);

#endif
