/* Blocking RNG API (libtock-c's libtocksync_rng_*), on Yield-WaitFor. */
#pragma once

#include <libtock/peripherals/rng.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Ask for num random bytes into buf (len long); *num_received = how many arrived (<= min(num, len)). */
returncode_t libtocksync_rng_get_random_bytes(uint8_t* buf, uint32_t len, uint32_t num, int* num_received);

#ifdef __cplusplus
}
#endif
