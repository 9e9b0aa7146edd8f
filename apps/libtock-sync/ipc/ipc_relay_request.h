/* Blocking API of IPC Relay Request (0xA0010), on Yield-WaitFor: a client call that returns the response, a server loop. */
#pragma once

#include "../../libtock/ipc/ipc_relay_request.h"

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_ipc_relay_request_exists(void);

/*
 * Send request to server ipc_id and wait for its response in response_buf. *response_len: in,
 * the buffer's size; out, the response's length (the whole buffer when truncated; 0 when none
 * arrived). Upstream libtock-c's signature. Returns 0, or: EALREADY, ENODEVICE, EUNINSTALLED
 * (refused at once); ESIZE (truncated response); ECANCEL; EUNINSTALLED (the server disabled
 * requests while we waited); ENODEVICE (the server faulted, restarted or exited while we waited:
 * tockhost extension). Never returns before the transaction ends.
 */
returncode_t libtocksync_ipc_relay_request_client_send_request(uint64_t ipc_id, uint8_t* request_buf,
                                                               size_t request_len, uint8_t* response_buf,
                                                               size_t* response_len);

/* Accept requests (no callback: requests are taken with wait_for_request). */
returncode_t libtocksync_ipc_relay_request_server_enable_requests(void);
returncode_t libtocksync_ipc_relay_request_server_disable_requests(void);

/*
 * Block until a request can be taken, then take it (round robin across clients) into
 * request_buf. *request_len: in, the buffer size; out, the request's length. *client_id = who
 * sent it. ESIZE: truncated but taken (respond to it); EALREADY: respond to the current one first.
 */
returncode_t libtocksync_ipc_relay_request_server_wait_for_request(uint64_t* client_id, uint8_t* request_buf,
                                                                   size_t* request_len);
/* The same, for a request from client_id only (requests of others stay waiting). */
returncode_t libtocksync_ipc_relay_request_server_wait_for_request_from(uint64_t client_id, uint8_t* request_buf,
                                                                        size_t* request_len);
/*
 * Upstream libtock-c's non-blocking forms: take a waiting request now, or fail with ENODEVICE
 * (nothing waiting). Same arguments and results as the wait_for_request functions above.
 */
returncode_t libtocksync_ipc_relay_request_server_get_next_request(uint64_t* ipc_id, uint8_t* request_buf,
                                                                   size_t* request_len);
returncode_t libtocksync_ipc_relay_request_server_get_next_request_from(uint64_t ipc_id, uint8_t* request_buf,
                                                                        size_t* request_len);
/* Answer the current request (copied before this returns). ENODEVICE: the client is gone. */
returncode_t libtocksync_ipc_relay_request_server_send_response(uint8_t* response_buf, size_t response_len);

#ifdef __cplusplus
}
#endif
