/* Asynchronous RNG API (libtock-c's libtock_rng_*): request random bytes, get a callback when they are there. */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* (status, number of random bytes now in the buffer). */
typedef void (*libtock_rng_callback)(returncode_t, int);

bool libtock_rng_exists(void);

/* Ask for num random bytes into buf (len bytes long; at most min(num, len) arrive). buf stays allowed until cb. */
returncode_t libtock_rng_get_random_bytes(uint8_t* buf, uint32_t len, uint32_t num, libtock_rng_callback cb);

#ifdef __cplusplus
}
#endif
