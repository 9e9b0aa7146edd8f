/* Relay Request client call with a timeout (upstream libtock-c's libtock-sync/services/ipc_relay_request_timeout.h API). */
#pragma once

#include "../../libtock/ipc/ipc_relay_request.h"
#include "../../libtock/tock.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Like libtocksync_ipc_relay_request_client_send_request (*response_len in: buffer size, out:
 * response length), but if no response arrives within timeout_ms the request is cancelled and
 * RETURNCODE_ENOACK is returned. timeout_ms 0 waits forever. Waits with yield() (an alarm and the
 * response race), so other upcalls that are due may run meanwhile.
 */
returncode_t libtocksync_ipc_relay_request_client_send_request_with_timeout(uint64_t ipc_id, uint8_t* request_buf,
                                                                            size_t request_len, uint8_t* response_buf,
                                                                            size_t* response_len, uint32_t timeout_ms);

#ifdef __cplusplus
}
#endif
