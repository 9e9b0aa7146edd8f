/* Console driver (0x1) syscalls, one function per syscall, under libtock-c's names. */
#pragma once

#include "../../tock.h"
#include "tock/drivers/console.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_CONSOLE TOCK_DRIVER_CONSOLE

/* Subscribe 1: write done, upcall (bytes_written, 0, 0). */
returncode_t libtock_console_write_done_set_upcall(subscribe_upcall callback, void* opaque);
/* Subscribe 2: read done, upcall (status, bytes_read, 0). */
returncode_t libtock_console_read_done_set_upcall(subscribe_upcall callback, void* opaque);
/* Read-only allow 1: the bytes to write. */
returncode_t libtock_console_set_read_allow(const uint8_t* buffer, uint32_t len);
/* Read-write allow 1: where read bytes go. */
returncode_t libtock_console_set_readwrite_allow(uint8_t* buffer, uint32_t len);
bool libtock_console_driver_exists(void);
/* Command 1: write up to length bytes of the read-only allow. */
returncode_t libtock_console_command_write(int length);
/* Command 2: read length bytes (at most 64) into the read-write allow. */
returncode_t libtock_console_command_read(int length);
/* Command 3: abort this process's read; the bytes so far arrive with status CANCEL. */
returncode_t libtock_console_command_abort_read(void);

#ifdef __cplusplus
}
#endif
