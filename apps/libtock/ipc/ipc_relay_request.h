/* Asynchronous API of IPC Relay Request (0xA0010): one request/response transaction between a client and a server. */
#pragma once

#include "../tock.h"
#include "syscalls/ipc_relay_request_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Client: the response arrived, (status, length). RETURNCODE_ESIZE: truncated to the response
 * buffer; ECANCEL: cancelled; EUNINSTALLED: the server disabled requests; ENODEVICE (tockhost
 * extension): the server faulted, restarted or exited.
 */
typedef void (*libtock_ipc_relay_request_client_response_received)(returncode_t, size_t len);
/* Server: a client is waiting, with its IPC Identifier. */
typedef void (*libtock_ipc_relay_request_server_request_waiting)(uint64_t ipc_id);

bool libtock_ipc_relay_request_exists(void);

/*
 * Send request_buf to server ipc_id. Both buffers stay allowed (keep them valid and untouched)
 * until cb runs: the server copies the request when it takes it and the response when it answers.
 * Fails at once with EALREADY (a transaction is active), ENODEVICE (no such server),
 * EUNINSTALLED (server not accepting).
 */
returncode_t libtock_ipc_relay_request_client_send_request(libtock_ipc_relay_request_client_response_received cb,
                                                           uint64_t ipc_id, uint8_t* request_buf, size_t request_len,
                                                           uint8_t* response_buf, size_t response_len);
/*
 * True while a request sent with client_send_request awaits its callback. Meanwhile every other
 * call of this API (and of libtock-sync's) that would re-allow the transaction's buffers fails
 * with EALREADY (send_response: EINVAL) and leaves them in place.
 */
bool libtock_ipc_relay_request_client_busy(void);
/* Abort the outstanding request: the callback then runs with RETURNCODE_ECANCEL. EINVAL if none. */
returncode_t libtock_ipc_relay_request_client_cancel_request(void);

/* Accept requests; cb runs for each request that arrives (take it with get_next_request). */
returncode_t libtock_ipc_relay_request_server_enable_requests_with_callback(
	libtock_ipc_relay_request_server_request_waiting cb);
/* Accept requests without a callback (poll get_next_request, or wait with libtock-sync). */
returncode_t libtock_ipc_relay_request_server_enable_requests_without_callback(void);
/* Stop accepting: every waiting client's transaction ends with EUNINSTALLED. */
returncode_t libtock_ipc_relay_request_server_disable_requests(void);

/*
 * Take the next waiting request (round robin across clients) into request_buf. *request_len:
 * in, the buffer size; out, the request's length (0 when nothing was taken). *ipc_id = the
 * client. RETURNCODE_ESIZE: truncated to the buffer, but the transaction started (respond to
 * it); ENODEVICE: nothing waiting; EALREADY: respond to the current request first.
 */
returncode_t libtock_ipc_relay_request_server_get_next_request(uint64_t* ipc_id, uint8_t* request_buf,
                                                               size_t* request_len);
/* The same, but only a request from client ipc_id. */
returncode_t libtock_ipc_relay_request_server_get_next_request_from(uint64_t ipc_id, uint8_t* request_buf,
                                                                    size_t* request_len);
/*
 * tockhost: the take behind both get_next_request forms (from_one: only client `want`). With
 * `wait`, a take that finds nothing (ENODEVICE) waits for the "request waiting" upcall and takes
 * again, in one trap round trip (libtock/chain.h); libtock-sync's blocking server loops on it.
 */
returncode_t libtock_ipc_relay_request_server_take(bool from_one, bool wait, uint64_t want, uint64_t* ipc_id,
                                                   uint8_t* request_buf, size_t* request_len);
/* Answer the current request (copied at once; the buffer is free again on return). The transaction ends either way. */
returncode_t libtock_ipc_relay_request_server_send_response(uint8_t* response_buf, size_t response_len);

#ifdef __cplusplus
}
#endif
