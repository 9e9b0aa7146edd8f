/* Blocking console API: allow, then command and Yield-WaitFor the done upcall in one trap round trip. */
#include "console.h"

#include <libtock/chain.h>
#include <libtock/interface/syscalls/console_syscalls.h>

/*
 * The buffers stay allowed afterwards (doc/deviations.md): the console touches them only inside
 * a write or read, and every call allows its own buffer first; a re-allow of the same buffer then
 * costs no trap (libtock/allow_cache.h).
 */
static returncode_t command_and_wait(uint32_t command_num, uint32_t length, uint32_t upcall,
                                     yield_waitfor_return_t* done)
{
	bool waited = false;
	returncode_t ret = tock_command_return_novalue_to_returncode(tock_chain_command_then_wait_for(
		DRIVER_NUM_CONSOLE, command_num, (int)length, 0, DRIVER_NUM_CONSOLE, upcall, done, &waited));

	return ret == RETURNCODE_SUCCESS && !waited ? RETURNCODE_FAIL : ret;
}

bool libtocksync_console_exists(void)
{
	return libtock_console_driver_exists();
}

returncode_t libtocksync_console_write(const uint8_t* buffer, uint32_t length, uint32_t* written)
{
	yield_waitfor_return_t done;
	returncode_t ret = libtock_console_set_read_allow(buffer, length);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	/* The kernel's write-done upcall is (bytes_written, 0, 0): no status. */
	ret = command_and_wait(TOCK_CONSOLE_CMD_WRITE, length, TOCK_CONSOLE_UPCALL_WRITE_DONE, &done);
	if (ret == RETURNCODE_SUCCESS && written)
		*written = done.data0;
	return ret;
}

returncode_t libtocksync_console_read(uint8_t* buffer, uint32_t length, uint32_t* read)
{
	yield_waitfor_return_t done;
	returncode_t ret = libtock_console_set_readwrite_allow(buffer, length);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = command_and_wait(TOCK_CONSOLE_CMD_READ, length, TOCK_CONSOLE_UPCALL_READ_DONE, &done);
	if (ret == RETURNCODE_SUCCESS) {
		ret = tock_status_to_returncode((statuscode_t)done.data0);
		if (read)
			*read = done.data1;
	}
	return ret;
}
