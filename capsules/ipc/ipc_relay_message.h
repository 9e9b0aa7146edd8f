/* IPC Relay Message capsule (driver 0xA0011, DESIGN §6): asynchronous messages appended to a receiver's StreamingProcessSlice. */
#ifndef TOCKHOST_IPC_RELAY_MESSAGE_H
#define TOCKHOST_IPC_RELAY_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostkernel/capsule.h"
#include "tock/drivers/ipc_relay_message.h"

/*
 * ABI (the seed's "asynchronous mailbox"; upstream has not fixed one, so this is tockhost's):
 *
 * Receiver
 *   RW allow 0   a StreamingProcessSlice, version 0 (reference §4): u16 version = 0, u16 flags
 *                big-endian (bit 0 = E exceeded, bit 1 = H halt, others reserved = 0), u32 offset
 *                native-endian, payload from byte 8. The kernel never modifies payload[0..offset).
 *   RO allow 1   allowlist: an array of u64 IPC Identifiers (native endian). Only listed senders
 *                may send. An empty allowlist admits nobody.
 *   cmd 0x10     enable reception: Failure(SIZE) if RW 0 is under 8 bytes, Failure(INVAL) if its
 *                version is not 0 or a reserved flag bit is set, or if the allowlist length is not
 *                a multiple of 8; else Success (also when already enabled).
 *   cmd 0x11     disable reception: Success (also when not enabled).
 *   upcall 0     "messages appended" (offset, exceeded, 0) after every append and whenever a
 *                message is dropped for lack of space (exceeded = 1). A notification slot: at
 *                most one is queued at a time, so read offset and E from the slice itself.
 *   upcall 1     (NODEVICE, id_low, id_high) when a sender on the allowlist faults, restarts or
 *                exits (the identifier of the incarnation that ended). Only while reception is
 *                enabled; once per incarnation.
 *
 * Sender
 *   RO allow 0   the message.
 *   cmd 0x20     send to (receiver id low, high). Checks, in order:
 *                  NODEVICE  unknown, stale or forged receiver identifier
 *                  OFF       reception not enabled
 *                  NOACK     sender's identifier not on the allowlist (also when the allowlist's
 *                            length is no longer a multiple of 8: a malformed list admits nobody)
 *                  SIZE      slice under 8 bytes, or the message is over 4 GiB
 *                  INVAL     bad slice version or reserved flag bits
 *                  BUSY      E and H both set (slice untouched)
 *                  FAIL      the record would move the offset past 2^32-1 (nothing modified)
 *                  SIZE      the record does not fit: E is set, offset unchanged
 *                Success: the record `u64 sender id, u32 length, payload` (native endian, no
 *                padding) is at payload[old offset..], and offset advanced past it.
 *
 * Data path: the 12-byte record header is written by the capsule into the receiver's RW view;
 * the payload moves with one hk_copy_allow from the sender's RO 0 into the receiver's RW 0. No
 * message is ever stored in the capsule, and all per-process state lives in the grant, so a
 * process that ends leaves nothing behind.
 */

#define IPC_RELAY_MESSAGE_RECORD_HEADER TOCK_IPC_RELAY_MESSAGE_RECORD_HEADER
#define IPC_RELAY_MESSAGE_SLICE_HEADER TOCK_IPC_RELAY_MESSAGE_SLICE_HEADER

struct ipc_relay_message;
struct hk_cap_process_state;

/* self = struct ipc_relay_message *. Board setup registers it: hk_kernel_register_driver(k, driver, &ops, rm). */
extern const struct hk_driver_ops ipc_relay_message_ops;

/*
 * A capsule serving `driver` on k. Registers a process-state listener with `cap` (needed for
 * upcall 1). NULL on allocation failure or if cap is not the kernel's capability. The listener
 * cannot be unregistered, so free the capsule only after hk_kernel_free(k).
 */
struct ipc_relay_message *ipc_relay_message_new(struct hk_kernel *k, uint32_t driver,
                                                const struct hk_cap_process_state *cap);
void ipc_relay_message_free(struct ipc_relay_message *rm); /* accepts NULL */

/* One receiver as ipcctl shows it. Counters restart with each incarnation (they live in its grant). */
struct ipc_relay_message_info {
	bool enabled;
	uint64_t messages;  /* records appended */
	uint64_t bytes;     /* payload bytes appended (record headers not counted) */
	uint64_t dropped;   /* sends to it that failed after passing the allowlist */
	size_t slice_len;   /* current RW 0 length, 0 if none */
	uint32_t offset;    /* current fill (0 when the header is unreadable) */
	bool exceeded, halted;
	size_t allowlist_entries;
};

/* Read-only: 0 and *ret, or -ENOENT if pid is not alive or never used this driver. */
int ipc_relay_message_info(struct ipc_relay_message *rm, hk_pid pid, struct ipc_relay_message_info *ret);

#endif
