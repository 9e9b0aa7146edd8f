/* RNG driver (0x40001) syscalls, one function per syscall, under libtock-c's names. */
#pragma once

#include "../../tock.h"
#include "tock/drivers/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_RNG TOCK_DRIVER_RNG

bool libtock_rng_driver_exists(void);
/* Read-write allow 0: where the random bytes go. */
returncode_t libtock_rng_set_allow_readwrite(uint8_t* buf, uint32_t len);
/* Subscribe 0: upcall (0, bytes filled, 0). */
returncode_t libtock_rng_set_upcall(subscribe_upcall callback, void* opaque);
/* Command 1: fill up to num_bytes of the allowed buffer. */
returncode_t libtock_rng_command_get_random(uint32_t num_bytes);

#ifdef __cplusplus
}
#endif
