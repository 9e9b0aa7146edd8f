/* Memop (class 5): break management and the memory-layout queries of reference §1.11. */
#include <errno.h>
#include <string.h>

#include "hostkernel/core/core.h"

/* Move the break to nb if legal; newly exposed bytes are zeroed (Tock does so). */
static bool set_break(struct hk_process *p, uint64_t nb)
{
	const struct hk_memory_map *m = &p->mem;

	if (!p->has_memory || nb < m->heap_start || nb > m->grant_start || nb < p->allow_high_water)
		return false;
	if (nb > p->app_break)
		memset(m->ram_host + (p->app_break - m->ram_start), 0, (size_t)(nb - p->app_break));
	p->app_break = nb;
	return true;
}

/* sbrk's increment: a sign-extended 64-bit value, or a 32-bit int the app zero-extended. */
static int64_t sbrk_increment(uint64_t r1)
{
	if ((r1 >> 32) == 0)
		return (int64_t)(int32_t)(uint32_t)r1;
	return (int64_t)r1;
}

enum hk_syscall_result hk_core_memop(struct hk_kernel *k, struct hk_process *p, const struct hk_syscall *sc,
                                     struct hk_resume *ret)
{
	const struct hk_memory_map *m = &p->mem;
	uint64_t arg = sc->r[1], v;

	(void)k;
	switch (sc->r[0]) {
	case TOCK_MEMOP_BRK:
		if (!set_break(p, arg))
			goto nomem;
		goto success;
	case TOCK_MEMOP_SBRK: {
		int64_t inc = sbrk_increment(arg);
		uint64_t old = p->app_break;

		if ((inc < 0 && (uint64_t)(-(inc + 1)) + 1 > old) || !set_break(p, old + (uint64_t)inc))
			goto nomem;
		v = old;
		goto success_u32;
	}
	case TOCK_MEMOP_RAM_START: v = m->ram_start; goto success_u32;
	case TOCK_MEMOP_RAM_END: v = m->ram_end; goto success_u32;
	case TOCK_MEMOP_FLASH_START: v = m->flash_start; goto success_u32;
	case TOCK_MEMOP_FLASH_END: v = m->flash_end; goto success_u32;
	case TOCK_MEMOP_GRANT_START: v = m->grant_start; goto success_u32;
	case TOCK_MEMOP_WRITEABLE_FLASH_COUNT: v = m->writeable_flash_count; goto success_u32;
	case TOCK_MEMOP_WRITEABLE_FLASH_START:
	case TOCK_MEMOP_WRITEABLE_FLASH_END:
		if (arg >= m->writeable_flash_count || arg >= 8) {
			hk_core_return_error(ret, TOCK_RET_FAILURE, -EIO, 0, 0);
			return HK_SYSCALL_RESUME;
		}
		v = sc->r[0] == TOCK_MEMOP_WRITEABLE_FLASH_START ? m->writeable_flash_start[arg] : m->writeable_flash_end[arg];
		goto success_u32;
	case TOCK_MEMOP_STACK_START:
		p->stack_start_hint = arg;
		goto success;
	case TOCK_MEMOP_HEAP_START:
		p->heap_start_hint = arg;
		goto success;
	default:
		hk_core_return_error(ret, TOCK_RET_FAILURE, -EOPNOTSUPP, 0, 0);
		return HK_SYSCALL_RESUME;
	}
success:
	hk_core_set_return(ret, TOCK_RET_SUCCESS, 0, 0, 0);
	return HK_SYSCALL_RESUME;
success_u32:
	hk_core_set_return(ret, TOCK_RET_SUCCESS_U32, (uint32_t)v, 0, 0);
	return HK_SYSCALL_RESUME;
nomem:
	hk_core_return_error(ret, TOCK_RET_FAILURE, -ENOMEM, 0, 0);
	return HK_SYSCALL_RESUME;
}
