/* The ipc_peer test service's protocol: its string name and the text requests the IPC test apps send it. */
#pragma once

#include <stdint.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/peripherals/syscalls/alarm_syscalls.h>
#include <libtock/services/alarm.h>

#define IPC_PEER_NAME "ipc_test_peer"

/*
 * Requests (Relay Request payload, exact text); anything else is echoed back.
 *   whoami   -> the caller's own IPC Identifier (8 bytes, native endian): apps cannot learn it otherwise
 *   slow     -> answered after 100 ms ("slow-done"); the peer prints the respond result
 *   crash    -> the peer waits 100 ms, then writes through NULL with the request still in service
 *   pause    -> "ok", then requests are disabled for 100 ms
 *   restart  -> "ok", then the peer exits with restart (new ProcessId: the old identifier goes stale)
 *   rm-off   -> Relay Message reception off
 *   rm-none  -> reception on, empty allowlist
 *   rm-you   -> reception on, allowlist = { caller }
 *   rm-read  -> swap the slice: 1 byte exceeded flag, then the filled payload
 */
#define IPC_PEER_SLOW_MS 100
#define IPC_PEER_SLICE_SIZE 256

static inline uint32_t ipc_test_now_ms(void)
{
	uint32_t ticks = 0;

	libtock_alarm_command_read(&ticks);
	return libtock_alarm_ticks_to_ms(ticks);
}

/* Find ipc_peer (it may still be starting): its identifier. */
static inline uint64_t ipc_test_find_peer(void)
{
	uint64_t id = 0;

	while (libtocksync_ipc_registry_string_name_discover_service((const uint8_t*)IPC_PEER_NAME,
	                                                              strlen(IPC_PEER_NAME), &id) != RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(10);
	return id;
}
