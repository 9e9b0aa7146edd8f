/* Blocking API of IPC Relay Message (0xA0011), on Yield-WaitFor: wait for a batch of messages, send one. */
#pragma once

#include "../../libtock/ipc/ipc_relay_message.h"

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_ipc_relay_message_exists(void);

/*
 * Start receiving from the `count` senders in allowlist (kept allowed: keep it valid) into the
 * slice set up with libtock_ipc_relay_message_receiver_init(). No upcall function is installed:
 * messages are collected with libtocksync_ipc_relay_message_receive().
 */
returncode_t libtocksync_ipc_relay_message_receiver_enable(streaming_process_slice_state_t* state,
                                                           const uint64_t* allowlist, size_t count);
returncode_t libtocksync_ipc_relay_message_receiver_disable(void);

/*
 * Block until at least one message (or a drop) is in the slice, then swap buffers and return
 * the filled payload: walk it with libtock_ipc_relay_message_iter_*. The payload stays valid
 * until the next receive. *exceeded: messages were dropped for lack of room.
 */
returncode_t libtocksync_ipc_relay_message_receive(streaming_process_slice_state_t* state, uint8_t** payload,
                                                   uint32_t* len, bool* exceeded);

/* Append msg to receiver's slice (the command itself is synchronous; same errors as libtock_ipc_relay_message_send). */
returncode_t libtocksync_ipc_relay_message_send(uint64_t receiver, const uint8_t* msg, size_t len);

/* Block until an allowlisted sender ends (tockhost extension); *sender = its identifier. */
returncode_t libtocksync_ipc_relay_message_wait_for_sender_gone(uint64_t* sender);

#ifdef __cplusplus
}
#endif
