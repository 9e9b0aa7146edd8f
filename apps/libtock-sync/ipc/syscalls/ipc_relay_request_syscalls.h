/* IPC Relay Request (0xA0010) Yield-WaitFor helpers, under upstream libtock-c's names (libtock-sync/ipc/syscalls). */
#pragma once

#include "../../../libtock/ipc/syscalls/ipc_relay_request_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Client: block for upcall 0 (status, len, 0); *response_len = len, the result is status as a returncode. */
returncode_t libtocksync_ipc_relay_request_yield_wait_for_client_response_received(size_t* response_len);
/* Server: block for upcall 1 (client_low, client_high, 0); *ipc_id = the client. */
returncode_t libtocksync_ipc_relay_request_yield_wait_for_server_request_waiting(uint64_t* ipc_id);

#ifdef __cplusplus
}
#endif
