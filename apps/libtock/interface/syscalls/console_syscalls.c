/* Console driver (0x1) syscalls: thin wrappers that turn each syscall's result into a returncode_t. */
#include "console_syscalls.h"

returncode_t libtock_console_write_done_set_upcall(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_UPCALL_WRITE_DONE, callback, opaque));
}

returncode_t libtock_console_read_done_set_upcall(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_UPCALL_READ_DONE, callback, opaque));
}

returncode_t libtock_console_set_read_allow(const uint8_t* buffer, uint32_t len)
{
	return tock_allow_ro_return_to_returncode(allow_readonly(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_ALLOW_RO_WRITE, buffer, len));
}

returncode_t libtock_console_set_readwrite_allow(uint8_t* buffer, uint32_t len)
{
	return tock_allow_rw_return_to_returncode(allow_readwrite(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_ALLOW_RW_READ, buffer, len));
}

bool libtock_console_driver_exists(void)
{
	return driver_exists(DRIVER_NUM_CONSOLE);
}

returncode_t libtock_console_command_write(int length)
{
	return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_CMD_WRITE, length, 0));
}

returncode_t libtock_console_command_read(int length)
{
	return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_CMD_READ, length, 0));
}

returncode_t libtock_console_command_abort_read(void)
{
	return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, TOCK_CONSOLE_CMD_ABORT, 0, 0));
}
