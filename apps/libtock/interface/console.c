/* Asynchronous console API: allow, subscribe, command; the upcall un-allows and calls the user back. */
#include "console.h"

#include "syscalls/console_syscalls.h"

/* The user callback travels as the subscribe's opaque pointer. */
static void write_done_upcall(int bytes_written, int unused1, int unused2, void* opaque)
{
	libtock_console_callback_write cb = (libtock_console_callback_write)opaque;

	(void)unused1;
	(void)unused2;
	libtock_console_set_read_allow(NULL, 0);
	cb(RETURNCODE_SUCCESS, (uint32_t)bytes_written);
}

static void read_done_upcall(int status, int bytes_read, int unused, void* opaque)
{
	libtock_console_callback_read cb = (libtock_console_callback_read)opaque;

	(void)unused;
	libtock_console_set_readwrite_allow(NULL, 0);
	cb(tock_status_to_returncode((statuscode_t)status), (uint32_t)bytes_read);
}

bool libtock_console_exists(void)
{
	return libtock_console_driver_exists();
}

returncode_t libtock_console_write(const uint8_t* buffer, uint32_t len, libtock_console_callback_write cb)
{
	returncode_t ret = libtock_console_set_read_allow(buffer, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = libtock_console_write_done_set_upcall(write_done_upcall, (void*)cb);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_console_command_write((int)len);
	if (ret != RETURNCODE_SUCCESS)
		libtock_console_set_read_allow(NULL, 0);
	return ret;
}

returncode_t libtock_console_read(uint8_t* buffer, uint32_t len, libtock_console_callback_read cb)
{
	returncode_t ret = libtock_console_set_readwrite_allow(buffer, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = libtock_console_read_done_set_upcall(read_done_upcall, (void*)cb);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_console_command_read((int)len);
	if (ret != RETURNCODE_SUCCESS)
		libtock_console_set_readwrite_allow(NULL, 0);
	return ret;
}

returncode_t libtock_console_abort_read(void)
{
	return libtock_console_command_abort_read();
}
