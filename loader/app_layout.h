/* Where an app's flash, RAM, stack, heap and grant region sit in its process (DESIGN §4); pure. */
#ifndef TOCKHOST_APP_LAYOUT_H
#define TOCKHOST_APP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct tbf_info;

/* Every app's RAM block starts here (below 2 GiB so upcall `int` arguments can carry addresses). */
#define LDR_RAM_BASE 0x40000000ull
#define LDR_PAGE_SIZE 4096ull

struct ldr_layout_params {
	uint32_t ram_size;    /* whole RAM block incl. grant region (TBF min RAM + board extra), page-rounded up */
	uint32_t stack_size;  /* page-rounded up */
	uint32_t grant_size;  /* grant region at the top of RAM, page-rounded up */
};

/*
 * Process address map, low to high:
 *   flash_start  TBF image (tbf_size bytes, page-padded), then the ELF's read-only/executable
 *                segments at load_bias + p_vaddr
 *   ram_start    (= flash_start + flash_size) the ELF's writable segments (data, bss) up to data_end
 *   guard_start  PROT_NONE page(s) so a stack overflow faults instead of corrupting bss
 *   guard_end    bottom of the stack; stack_top is the initial stack pointer (16-byte aligned)
 *   heap_start   (= stack_top) initial app break; memop brk/sbrk move it up to grant_start
 *   grant_start  grant region: in the app's address space but never mapped there
 *   ram_end      (= ram_start + ram_size)
 */
struct ldr_layout {
	uint64_t flash_start, flash_size;
	uint64_t tbf_size;
	uint64_t load_bias;
	uint64_t ram_start, ram_size;
	uint64_t data_end;
	uint64_t guard_start, guard_end;
	uint64_t stack_top;
	uint64_t heap_start;
	uint64_t grant_start;
	uint64_t ram_end;
};

/*
 * Compute the layout of the ELF carried in a parsed TBF image. The ELF is
 * image[header_size + protected_trailer_size .. binary_end_offset). Checks every program
 * header against the image bounds. Returns 0 or a negative errno; *ret_why names the problem.
 */
int ldr_layout_compute(const uint8_t *image, size_t image_len, const struct tbf_info *info,
                       const struct ldr_layout_params *params, struct ldr_layout *ret_layout,
                       const char **ret_why);

#endif
