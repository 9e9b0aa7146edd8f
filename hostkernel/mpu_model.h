/* MPU models (cortex-m, pmp, host): which regions a chip's memory protection can express, and how many. Pure. */
#ifndef TOCKHOST_MPU_MODEL_H
#define TOCKHOST_MPU_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A process's MPU regions: flash and RAM always take HK_MPU_FIXED_REGIONS; every shared region
 * mapped into it (its own or one granted to it) takes one more. A region the model cannot express
 * is refused with INVAL, one region past the budget with NOMEM, exactly as the chip would refuse
 * it, so "works on my laptop, faults on the board" shows up on the laptop. The host MMU then
 * enforces page granularity: a 32-byte Cortex-M region occupies one page of the share window and
 * bytes past its size but inside that page are not caught (the only place the emulation is
 * looser than the chip).
 */
enum hk_mpu_kind {
	HK_MPU_CORTEX_M = 0, /* ARMv7-M/ARMv8-M style: 8 regions, size 2^n >= 32, start aligned to size */
	HK_MPU_PMP = 1,      /* RISC-V PMP: 16 entries, 4-byte granules */
	HK_MPU_HOST = 2,     /* the host MMU itself: page granularity, many regions */
};

#define HK_MPU_FIXED_REGIONS 2u /* flash + RAM */
#define HK_MPU_MAX_REGIONS 1024u /* upper bound of a board's mpu_regions override */

struct hk_mpu_model {
	enum hk_mpu_kind kind;
	const char *name;     /* the board-file spelling */
	uint32_t regions;     /* per process, flash and RAM included */
	uint64_t granule;     /* sizes and start addresses are multiples of it */
	uint64_t min_size;
	uint64_t max_size;
	bool power_of_two;    /* size must be 2^n */
	bool aligned_to_size; /* start must be a multiple of the size */
};

/* The model of that kind, or NULL. */
const struct hk_mpu_model *hk_mpu_model_get(uint32_t kind);
/* The model with that board-file name ("cortex-m", "pmp", "host"), or NULL. */
const struct hk_mpu_model *hk_mpu_model_find(const char *name);

/* Can the model protect a region of `size` bytes somewhere? */
bool hk_mpu_size_ok(const struct hk_mpu_model *m, uint64_t size);
/* The alignment a region of that (expressible) size needs. */
uint64_t hk_mpu_alignment(const struct hk_mpu_model *m, uint64_t size);
/* Can the model protect exactly [start, start + size)? */
bool hk_mpu_region_ok(const struct hk_mpu_model *m, uint64_t start, uint64_t size);
/* Regions per process: the override if nonzero (clamped to [FIXED, MAX]), else the model's. */
uint32_t hk_mpu_regions(const struct hk_mpu_model *m, uint32_t override_regions);

#endif
