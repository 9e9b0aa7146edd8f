/* Blocking RNG API: allow, command, Yield-WaitFor the fill upcall, un-allow. */
#include "rng.h"

#include <libtock/peripherals/syscalls/rng_syscalls.h>

returncode_t libtocksync_rng_get_random_bytes(uint8_t* buf, uint32_t len, uint32_t num, int* num_received)
{
	yield_waitfor_return_t done;
	returncode_t ret = libtock_rng_set_allow_readwrite(buf, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = libtock_rng_command_get_random(num);
	if (ret == RETURNCODE_SUCCESS) {
		done = yield_wait_for(DRIVER_NUM_RNG, TOCK_RNG_UPCALL_DONE);
		ret = tock_status_to_returncode((statuscode_t)done.data0);
		if (num_received)
			*num_received = (int)done.data1;
	}
	libtock_rng_set_allow_readwrite(NULL, 0);
	return ret;
}
