/* Blocking console API (libtock-c's libtocksync_console_*), on Yield-WaitFor. */
#pragma once

#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_console_exists(void);

/* Write up to length bytes; *written = how many the kernel wrote. */
returncode_t libtocksync_console_write(const uint8_t* buffer, uint32_t length, uint32_t* written);
/* Read exactly length bytes (at most 64); *read = how many arrived (fewer on error). */
returncode_t libtocksync_console_read(uint8_t* buffer, uint32_t length, uint32_t* read);

#ifdef __cplusplus
}
#endif
