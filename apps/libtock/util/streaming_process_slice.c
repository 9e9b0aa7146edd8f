/* StreamingProcessSlice helper: header reset, swap by re-allow, and reading the returned buffer's header. */
#include "streaming_process_slice.h"

#include <string.h>

#include "../chain.h"

#define SLICE_FLAG_EXCEEDED 0x01u /* low byte of the big-endian flags field, i.e. header byte 3 */

/* Version 0, no flags, offset 0: what the kernel expects of a fresh buffer. */
static void header_reset(uint8_t* buffer)
{
	memset(buffer, 0, STREAMING_PROCESS_SLICE_HEADER_LEN);
}

returncode_t streaming_process_slice_init(streaming_process_slice_state_t* state, uint32_t driver, uint32_t allow,
                                          void* buffer_a, size_t size_a, void* buffer_b, size_t size_b)
{
	allow_rw_return_t ret;

	if (buffer_a == NULL || buffer_b == NULL || size_a < STREAMING_PROCESS_SLICE_HEADER_LEN ||
	    size_b < STREAMING_PROCESS_SLICE_HEADER_LEN)
		return RETURNCODE_ESIZE;
	state->driver = driver;
	state->allow = allow;
	state->app_buffer_ptr = buffer_a;
	state->app_buffer_size = size_a;
	state->app_buffer_is_b = false;
	header_reset(buffer_b);
	ret = allow_readwrite(driver, allow, buffer_b, size_b);
	return tock_allow_rw_return_to_returncode(ret);
}

/* The swap's allow came back (ret): the filled buffer is the app's now; report its header. */
static returncode_t swapped(streaming_process_slice_state_t* state, allow_rw_return_t ret, uint8_t** buffer,
                            uint32_t* size, bool* exceeded)
{
	uint8_t* filled;
	uint32_t offset;

	if (!ret.success)
		return tock_status_to_returncode(ret.status);
	filled = ret.ptr;
	state->app_buffer_ptr = filled;
	state->app_buffer_size = ret.size;
	state->app_buffer_is_b = !state->app_buffer_is_b;
	if (filled == NULL || ret.size < STREAMING_PROCESS_SLICE_HEADER_LEN) {
		/* Someone un-allowed the slot behind our back: nothing to report. */
		*buffer = NULL;
		*size = 0;
		*exceeded = false;
		return RETURNCODE_SUCCESS;
	}
	memcpy(&offset, filled + 4, sizeof(offset));
	if (offset > ret.size - STREAMING_PROCESS_SLICE_HEADER_LEN)
		offset = (uint32_t)(ret.size - STREAMING_PROCESS_SLICE_HEADER_LEN);
	*buffer = filled + STREAMING_PROCESS_SLICE_HEADER_LEN;
	*size = offset;
	*exceeded = (filled[3] & SLICE_FLAG_EXCEEDED) != 0;
	return RETURNCODE_SUCCESS;
}

/* After deinit, or if the slot had been emptied behind our back, there is nothing to swap in. */
static bool can_swap(const streaming_process_slice_state_t* state)
{
	return state->app_buffer_ptr != NULL && state->app_buffer_size >= STREAMING_PROCESS_SLICE_HEADER_LEN;
}

returncode_t streaming_process_slice_get_and_swap(streaming_process_slice_state_t* state, uint8_t** buffer,
                                                  uint32_t* size, bool* exceeded)
{
	if (!can_swap(state))
		return RETURNCODE_ESIZE;
	header_reset(state->app_buffer_ptr);
	return swapped(state, allow_readwrite(state->driver, state->allow, state->app_buffer_ptr, state->app_buffer_size),
	               buffer, size, exceeded);
}

returncode_t streaming_process_slice_wait_and_swap(streaming_process_slice_state_t* state, uint32_t wait_subscribe,
                                                   uint8_t** buffer, uint32_t* size, bool* exceeded)
{
	yield_waitfor_return_t up;

	if (!can_swap(state)) { /* as the two calls one after the other would: wait, then find nothing to swap */
		up = yield_wait_for(state->driver, wait_subscribe);
		return RETURNCODE_ESIZE;
	}
	header_reset(state->app_buffer_ptr);
	return swapped(state,
	               tock_chain_wait_for_then_allow_readwrite(state->driver, wait_subscribe, &up, state->driver,
	                                                        state->allow, state->app_buffer_ptr,
	                                                        state->app_buffer_size),
	               buffer, size, exceeded);
}

returncode_t streaming_process_slice_deinit(streaming_process_slice_state_t* state, uint8_t** buffer_a,
                                            size_t* size_a, uint8_t** buffer_b, size_t* size_b)
{
	allow_rw_return_t ret = allow_readwrite(state->driver, state->allow, NULL, 0);
	uint8_t *a, *b;
	size_t sa, sb;

	if (!ret.success)
		return tock_status_to_returncode(ret.status);
	/* The kernel held one buffer; the app held the other. */
	if (state->app_buffer_is_b) {
		a = ret.ptr;
		sa = ret.size;
		b = state->app_buffer_ptr;
		sb = state->app_buffer_size;
	} else {
		a = state->app_buffer_ptr;
		sa = state->app_buffer_size;
		b = ret.ptr;
		sb = ret.size;
	}
	if (buffer_a)
		*buffer_a = a;
	if (size_a)
		*size_a = sa;
	if (buffer_b)
		*buffer_b = b;
	if (size_b)
		*size_b = sb;
	state->app_buffer_ptr = NULL;
	state->app_buffer_size = 0;
	return RETURNCODE_SUCCESS;
}
