/* MPU models as one table: per-chip region count, granule, size and alignment rules. Pure. */
#include "hostkernel/mpu_model.h"

#include <stddef.h>
#include <string.h>

/* Numbers from the chips' reference manuals: ARMv7-M MPU (RASR.SIZE >= 4, i.e. 32 B .. 4 GiB,
 * base aligned to size), RISC-V PMP (G = 0: 4-byte granules), and the x86-64 MMU (4 KiB pages). */
static const struct hk_mpu_model models[] = {
	{ HK_MPU_CORTEX_M, "cortex-m", 8, 32, 32, 1ull << 32, true, true },
	{ HK_MPU_PMP, "pmp", 16, 4, 4, 1ull << 32, false, false },
	{ HK_MPU_HOST, "host", 64, 4096, 4096, 1ull << 32, false, false },
};

const struct hk_mpu_model *hk_mpu_model_get(uint32_t kind)
{
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if ((uint32_t)models[i].kind == kind)
			return &models[i];
	return NULL;
}

const struct hk_mpu_model *hk_mpu_model_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(models) / sizeof(models[0]); i++)
		if (!strcmp(models[i].name, name))
			return &models[i];
	return NULL;
}

bool hk_mpu_size_ok(const struct hk_mpu_model *m, uint64_t size)
{
	if (!m || size < m->min_size || size > m->max_size || size % m->granule)
		return false;
	return !m->power_of_two || (size & (size - 1)) == 0;
}

uint64_t hk_mpu_alignment(const struct hk_mpu_model *m, uint64_t size)
{
	return m->aligned_to_size ? size : m->granule;
}

bool hk_mpu_region_ok(const struct hk_mpu_model *m, uint64_t start, uint64_t size)
{
	if (!hk_mpu_size_ok(m, size) || start > UINT64_MAX - size)
		return false;
	return start % hk_mpu_alignment(m, size) == 0;
}

uint32_t hk_mpu_regions(const struct hk_mpu_model *m, uint32_t override_regions)
{
	uint32_t n = override_regions ? override_regions : m->regions;

	if (n < HK_MPU_FIXED_REGIONS)
		n = HK_MPU_FIXED_REGIONS;
	return n > HK_MPU_MAX_REGIONS ? HK_MPU_MAX_REGIONS : n;
}
