/* IPC Relay Request driver (0xA0010) syscalls, one function per syscall (reference §3.5, DESIGN §6). */
#pragma once

#include "../../tock.h"
#include "tock/drivers/ipc_relay_request.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_IPC_RELAY_REQUEST TOCK_DRIVER_IPC_RELAY_REQUEST

bool libtock_ipc_relay_request_driver_exists(void);
/*
 * Subscribe 0: client response received, upcall (status, len, 0). status SIZE: truncated to the
 * response buffer; CANCEL after a cancel; UNINSTALLED when the server disabled requests;
 * NODEVICE (tockhost extension) when the server faulted, restarted or exited.
 */
returncode_t libtock_ipc_relay_request_set_upcall_client_response_received(subscribe_upcall callback, void* opaque);
/* Subscribe 1: server request waiting, upcall (client_id_low, client_id_high, 0). */
returncode_t libtock_ipc_relay_request_set_upcall_server_request_waiting(subscribe_upcall callback, void* opaque);
/* Read-only allow 0 ("read buffer"): the outgoing data, the client's request or the server's response. */
returncode_t libtock_ipc_relay_request_set_readonly_allow(const uint8_t* buffer, size_t len);
/* Read-write allow 0 ("write buffer"): the incoming data, the client's response or the server's request. */
returncode_t libtock_ipc_relay_request_set_readwrite_allow(uint8_t* buffer, size_t len);
/* The two allows under upstream libtock-c's names and signatures: read buffer = RO 0, write buffer = RW 0. */
returncode_t libtock_ipc_relay_request_set_allow_read_buffer(void* data, size_t len);
returncode_t libtock_ipc_relay_request_set_allow_write_buffer(void* data, size_t len);
/* Command 0x10: send the request in RO 0 to server ipc_id; ALREADY, NODEVICE, UNINSTALLED. */
returncode_t libtock_ipc_relay_request_command_client_send_request(uint64_t ipc_id);
/* Command 0x11: cancel the outstanding request (INVAL if none); upcall 0 (CANCEL, 0, 0) follows. */
returncode_t libtock_ipc_relay_request_command_client_cancel_request(void);
/* Command 0x20 / 0x21: accept requests / stop (waiting clients then get UNINSTALLED). */
returncode_t libtock_ipc_relay_request_command_server_enable_requests(void);
returncode_t libtock_ipc_relay_request_command_server_disable_requests(void);
/*
 * Command 0x22: copy the next waiting request (round robin across clients) into RW 0.
 * 0 with *len and *ipc_id set; RETURNCODE_ESIZE with *ipc_id set when truncated (the transaction
 * is started anyway); RETURNCODE_ENODEVICE when nothing waits; RETURNCODE_EALREADY when a
 * transaction is active. Decoded with tock_command_return_u32_u64_or_u64_to_returncode().
 */
returncode_t libtock_ipc_relay_request_command_server_get_next_request(uint32_t* len, uint64_t* ipc_id);
/*
 * Command 0x23: the same, restricted to one client. *ipc_id is in/out, as upstream libtock-c has
 * it: in, the client (sent as arg0 = low, arg1 = high); out, the id the kernel returned (the
 * client on success or ESIZE, 0 on the other failures).
 */
returncode_t libtock_ipc_relay_request_command_server_get_next_request_from(uint32_t* len, uint64_t* ipc_id);
/* Command 0x24: copy RO 0 to the client as the response; INVAL (no transaction), NODEVICE (client gone). */
returncode_t libtock_ipc_relay_request_command_server_send_response(void);

/*
 * tockhost's one-trap forms for libtock-sync (libtock/chain.h), the same syscalls as upstream's
 * sequence: command 0x10, then, if it succeeded, Yield-WaitFor on upcall 0 (*ret_waited says
 * whether it ran; *ret_wait holds the response upcall's (status, len, 0)); and command 0x22/0x23
 * (from_one), then, if it found nothing (NODEVICE), Yield-WaitFor on upcall 1 and the command again.
 */
returncode_t libtock_ipc_relay_request_command_client_send_request_and_wait(uint64_t ipc_id,
                                                                            yield_waitfor_return_t* ret_wait,
                                                                            bool* ret_waited);
returncode_t libtock_ipc_relay_request_command_server_get_next_request_or_wait(bool from_one, uint32_t* len,
                                                                               uint64_t* ipc_id);

#ifdef __cplusplus
}
#endif
