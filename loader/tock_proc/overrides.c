/* abort() and assert failures of the app become one clean ABORT fault instead of a forbidden syscall. */
#include "loader/tock_proc/overrides.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "loader/tock_proc/heap.h"
#include "loader/tock_proc/trap.h"

/*
 * glibc's abort() first calls rt_sigprocmask, which the filter traps, so the report would name a
 * syscall the app never made. Calls made from inside glibc (stack protector, fortify) still end that way.
 */
__attribute__((noreturn)) static void app_abort(void)
{
	uint64_t pc = (uint64_t)(uintptr_t)__builtin_return_address(0);

	fflush(NULL);
	ldr_trap_fault(TOCK_FAULT_ABORT, 0, pc, SIGABRT);
}

__attribute__((noreturn)) static void app_assert_fail(const char *assertion, const char *file, unsigned int line,
                                                      const char *function)
{
	uint64_t pc = (uint64_t)(uintptr_t)__builtin_return_address(0);

	fprintf(stderr, "%s:%u: %s: Assertion `%s' failed.\n", file, line, function ? function : "?", assertion);
	fflush(NULL);
	ldr_trap_fault(TOCK_FAULT_ABORT, 0, pc, SIGABRT);
}

void *ldr_override_lookup(const char *name)
{
	static const struct ldr_heap_symbol overrides[] = {
		{"abort", (void *)app_abort},
		{"__assert_fail", (void *)app_assert_fail},
	};
	const struct ldr_heap_symbol *heap;
	size_t count;

	for (size_t i = 0; i < sizeof(overrides) / sizeof(overrides[0]); i++)
		if (strcmp(overrides[i].name, name) == 0)
			return overrides[i].address;
	heap = ldr_heap_symbols(&count);
	for (size_t i = 0; i < count; i++)
		if (strcmp(heap[i].name, name) == 0)
			return heap[i].address;
	return NULL;
}
