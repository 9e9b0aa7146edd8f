/* StreamingProcessSlice userspace helper (libtock-c's API, reference §4): two buffers, swapped with one allow. */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version 0 header: u16 version, u16 flags (big-endian; bit 0 exceeded, bit 1 halt), u32 offset (native). */
#define STREAMING_PROCESS_SLICE_HEADER_LEN 8

/*
 * One streaming slice: at any time one buffer is allowed to the kernel (which appends to it) and
 * the other belongs to the app. get_and_swap() hands the kernel the app's buffer and the app the
 * filled one, atomically, with a single read-write allow on (driver, allow).
 */
typedef struct {
	uint32_t driver;
	uint32_t allow;
	uint8_t* app_buffer_ptr;   /* the buffer the app owns now */
	size_t app_buffer_size;
	bool app_buffer_is_b;      /* which of the two it is, for deinit */
} streaming_process_slice_state_t;

/*
 * Allow buffer_b (header zeroed: version 0, flags 0, offset 0) to (driver, allow); buffer_a
 * becomes the app's. RETURNCODE_ESIZE if either buffer is under 8 bytes; the allow's error if
 * it fails (state is then unusable).
 */
returncode_t streaming_process_slice_init(streaming_process_slice_state_t* state, uint32_t driver, uint32_t allow,
                                          void* buffer_a, size_t size_a, void* buffer_b, size_t size_b);

/*
 * Zero the app buffer's header, allow it in place of the kernel's, and report the buffer that
 * came back: *buffer = its payload (header skipped), *size = bytes of payload the kernel wrote
 * (its offset, clamped to the buffer), *exceeded = its E flag (data was dropped). The payload
 * stays valid until the next swap. The halt flag is never set.
 */
returncode_t streaming_process_slice_get_and_swap(streaming_process_slice_state_t* state, uint8_t** buffer,
                                                  uint32_t* size, bool* exceeded);

/*
 * tockhost: Yield-WaitFor upcall `wait_subscribe` of the slice's driver, then get_and_swap, in one
 * trap round trip (libtock/chain.h); the same syscalls, for libtock-sync's blocking receive.
 */
returncode_t streaming_process_slice_wait_and_swap(streaming_process_slice_state_t* state, uint32_t wait_subscribe,
                                                   uint8_t** buffer, uint32_t* size, bool* exceeded);

/* Un-allow (NULL, 0) and hand back the two buffers as passed to init (either pair of out-params may be NULL). */
returncode_t streaming_process_slice_deinit(streaming_process_slice_state_t* state, uint8_t** buffer_a,
                                            size_t* size_a, uint8_t** buffer_b, size_t* size_b);

#ifdef __cplusplus
}
#endif
