/* IPC Relay Message driver (0xA0011, tockhost's asynchronous mailbox) syscalls, one function per syscall (DESIGN §6). */
#pragma once

#include "../../tock.h"
#include "tock/drivers/ipc_relay_message.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_IPC_RELAY_MESSAGE TOCK_DRIVER_IPC_RELAY_MESSAGE
/* The receiver's StreamingProcessSlice is this driver's read-write allow 0. */
#define LIBTOCK_IPC_RELAY_MESSAGE_SLICE_ALLOW TOCK_IPC_RELAY_MESSAGE_ALLOW_RW_SLICE

bool libtock_ipc_relay_message_driver_exists(void);
/* Subscribe 0 (receiver): messages appended, upcall (offset, exceeded, 0); at most one queued at a time. */
returncode_t libtock_ipc_relay_message_set_upcall_messages_appended(subscribe_upcall callback, void* opaque);
/* Subscribe 1 (receiver): an allowlisted sender ended, upcall (NODEVICE, id_low, id_high). */
returncode_t libtock_ipc_relay_message_set_upcall_sender_gone(subscribe_upcall callback, void* opaque);
/* Read-write allow 0 (receiver): the StreamingProcessSlice (version 0, 8-byte header). */
returncode_t libtock_ipc_relay_message_set_readwrite_allow_slice(uint8_t* buffer, size_t len);
/* Read-only allow 1 (receiver): the allowlist, `count` IPC Identifiers. */
returncode_t libtock_ipc_relay_message_set_readonly_allow_allowlist(const uint64_t* allowlist, size_t count);
/* Read-only allow 0 (sender): the message to send. */
returncode_t libtock_ipc_relay_message_set_readonly_allow_message(const uint8_t* message, size_t len);
/* Command 0x10: enable reception; SIZE (slice under 8 bytes), INVAL (bad slice header, allowlist length). */
returncode_t libtock_ipc_relay_message_command_receiver_enable(void);
/* Command 0x11: disable reception. */
returncode_t libtock_ipc_relay_message_command_receiver_disable(void);
/*
 * Command 0x20: append RO 0 as one record to receiver's slice. NODEVICE (no such receiver),
 * OFF (reception off), NOACK (not on its allowlist), SIZE (does not fit: its E flag is set),
 * BUSY (it halted and is full), INVAL (its slice header is bad), FAIL (offset overflow).
 */
returncode_t libtock_ipc_relay_message_command_send(uint64_t receiver);

#ifdef __cplusplus
}
#endif
