/* libtock's syscall layer for host tests: one fake process makes the calls, yield jumps virtual time. */
#include "libtock_shim.h"

#include <check.h>

#include "hostkernel/fake/fake_backend.h"

#define SHIM_MAX_FNS 16

static struct hk_fake_world *shim_world;
static struct hk_process *shim_proc;
static subscribe_upcall *shim_fns[SHIM_MAX_FNS]; /* index n = the fake address hk_fake_upcall_fn(n) */

void libtock_shim_attach(struct hk_fake_world *w, struct hk_process *p)
{
	shim_world = w;
	shim_proc = p;
	for (size_t i = 0; i < SHIM_MAX_FNS; i++)
		shim_fns[i] = NULL;
}

/* The fake flash address standing for a host upcall function. */
static uint64_t fn_address(subscribe_upcall *fn)
{
	size_t i;

	if (!fn)
		return 0;
	for (i = 0; i < SHIM_MAX_FNS && shim_fns[i] && shim_fns[i] != fn; i++)
		;
	ck_assert_uint_lt(i, SHIM_MAX_FNS);
	shim_fns[i] = fn;
	return hk_fake_upcall_fn(shim_world, shim_proc, (unsigned)i);
}

static subscribe_upcall *fn_from_address(uint64_t addr)
{
	for (unsigned i = 0; i < SHIM_MAX_FNS; i++)
		if (shim_fns[i] && hk_fake_upcall_fn(shim_world, shim_proc, i) == addr)
			return shim_fns[i];
	return NULL;
}

syscall_return_t command(uint32_t driver, uint32_t cmd, int arg1, int arg2)
{
	struct hk_fake_ret r = hk_fake_command(shim_world, shim_proc, driver, cmd, (uint32_t)arg1, (uint32_t)arg2);
	syscall_return_t ret = { (syscall_rtype_t)r.r0, { (uint32_t)r.r1, (uint32_t)r.r2, (uint32_t)r.r3 } };

	ck_assert_int_eq(r.result, HK_SYSCALL_RESUME);
	return ret;
}

subscribe_return_t subscribe(uint32_t driver, uint32_t slot, subscribe_upcall uc, void *userdata)
{
	struct hk_fake_ret r = hk_fake_subscribe(shim_world, shim_proc, driver, slot, fn_address(uc),
	                                         (uint64_t)(uintptr_t)userdata);
	subscribe_return_t ret = { r.r0 == TOCK_SYSCALL_SUCCESS_U32_U32, NULL, NULL, TOCK_STATUSCODE_SUCCESS };

	if (!ret.success)
		ret.status = (statuscode_t)r.r1;
	return ret;
}

/* Yield-Wait: run one upcall; when none is due, jump virtual time to the next timer first. */
void yield(void)
{
	struct hk_fake_upcall up;
	subscribe_upcall *fn;

	if (!hk_fake_yield_wait(shim_world, shim_proc, &up)) {
		uint64_t next = hk_next_deadline(hk_fake_kernel(shim_world));

		ck_assert_msg(next != UINT64_MAX, "yield with nothing pending would block forever");
		hk_fake_advance(shim_world, next - hk_fake_now(shim_world));
		ck_assert(hk_fake_yield_wait(shim_world, shim_proc, &up));
	}
	fn = fn_from_address(up.fn);
	ck_assert_ptr_nonnull(fn);
	fn((int)up.a0, (int)up.a1, (int)up.a2, (void *)(uintptr_t)up.appdata);
}

void yield_for(bool *cond)
{
	while (!*cond)
		yield();
}

bool driver_exists(uint32_t driver)
{
	return command(driver, 0, 0, 0).type >= TOCK_SYSCALL_SUCCESS;
}

int tock_status_to_returncode(statuscode_t status)
{
	return -(int)status;
}

int tock_command_return_novalue_to_returncode(syscall_return_t ret)
{
	if (ret.type == TOCK_SYSCALL_SUCCESS)
		return RETURNCODE_SUCCESS;
	if (ret.type == TOCK_SYSCALL_FAILURE)
		return -(int)ret.data[0];
	return RETURNCODE_EBADRVAL;
}

int tock_command_return_u32_to_returncode(syscall_return_t ret, uint32_t *value)
{
	if (ret.type == TOCK_SYSCALL_SUCCESS_U32) {
		*value = ret.data[0];
		return RETURNCODE_SUCCESS;
	}
	if (ret.type == TOCK_SYSCALL_FAILURE)
		return -(int)ret.data[0];
	return RETURNCODE_EBADRVAL;
}

int tock_subscribe_return_to_returncode(subscribe_return_t ret)
{
	return ret.success ? RETURNCODE_SUCCESS : -(int)ret.status;
}
