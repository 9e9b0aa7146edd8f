/* Asynchronous RNG API: allow, subscribe, command; the upcall un-allows and calls the user back. */
#include "rng.h"

#include "syscalls/rng_syscalls.h"

static void rng_done_upcall(int status, int filled, int unused, void* opaque)
{
	libtock_rng_callback cb = (libtock_rng_callback)opaque;

	(void)unused;
	libtock_rng_set_allow_readwrite(NULL, 0);
	cb(tock_status_to_returncode((statuscode_t)status), filled);
}

bool libtock_rng_exists(void)
{
	return libtock_rng_driver_exists();
}

returncode_t libtock_rng_get_random_bytes(uint8_t* buf, uint32_t len, uint32_t num, libtock_rng_callback cb)
{
	returncode_t ret = libtock_rng_set_allow_readwrite(buf, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = libtock_rng_set_upcall(rng_done_upcall, (void*)cb);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_rng_command_get_random(num);
	if (ret != RETURNCODE_SUCCESS)
		libtock_rng_set_allow_readwrite(NULL, 0);
	return ret;
}
