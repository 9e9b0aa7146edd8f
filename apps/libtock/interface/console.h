/* Asynchronous console API (libtock-c's libtock_console_*): start a write or read, get a callback when done. */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write done: (RETURNCODE_SUCCESS, bytes written). The kernel's upcall carries no status. */
typedef void (*libtock_console_callback_write)(returncode_t, uint32_t);
/* Read done: (status, bytes read); RETURNCODE_ECANCEL after an abort, ESIZE if truncated. */
typedef void (*libtock_console_callback_read)(returncode_t, uint32_t);

bool libtock_console_exists(void);

/* The buffer stays allowed (and must stay valid) until cb runs. */
returncode_t libtock_console_write(const uint8_t* buffer, uint32_t len, libtock_console_callback_write cb);
/* Reads exactly len bytes (len <= 64); the buffer stays allowed until cb runs. */
returncode_t libtock_console_read(uint8_t* buffer, uint32_t len, libtock_console_callback_read cb);
returncode_t libtock_console_abort_read(void);

#ifdef __cplusplus
}
#endif
