/* Blocking console API: allow, command, Yield-WaitFor the done upcall, un-allow. */
#include "console.h"

#include <libtock/interface/syscalls/console_syscalls.h>

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
	ret = libtock_console_command_write((int)length);
	if (ret == RETURNCODE_SUCCESS) {
		/* The kernel's write-done upcall is (bytes_written, 0, 0): no status. */
		done = yield_wait_for(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_UPCALL_WRITE_DONE);
		if (written)
			*written = done.data0;
	}
	libtock_console_set_read_allow(NULL, 0);
	return ret;
}

returncode_t libtocksync_console_read(uint8_t* buffer, uint32_t length, uint32_t* read)
{
	yield_waitfor_return_t done;
	returncode_t ret = libtock_console_set_readwrite_allow(buffer, length);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = libtock_console_command_read((int)length);
	if (ret == RETURNCODE_SUCCESS) {
		done = yield_wait_for(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_UPCALL_READ_DONE);
		ret = tock_status_to_returncode((statuscode_t)done.data0);
		if (read)
			*read = done.data1;
	}
	libtock_console_set_readwrite_allow(NULL, 0);
	return ret;
}
