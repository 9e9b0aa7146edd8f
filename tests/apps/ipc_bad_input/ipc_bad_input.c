/* ipc_bad_input: drives every app-reachable bad input of the IPC drivers and prints "case <name>: <returncode>". */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_message.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock/tock.h>

#include "../ipc_peer/ipc_peer.h"

#define SMALL_SLICE (8 + 32)

static uint64_t peer, self;
static uint8_t response[IPC_PEER_SLICE_SIZE];
static size_t response_len;

static void report(const char* name, returncode_t r)
{
	printf("case %s: %d\n", name, r);
}

static void check(const char* name, bool ok)
{
	printf("check %s: %s\n", name, ok ? "ok" : "FAILED");
}

static returncode_t rpc(uint64_t to, const char* text)
{
	response_len = sizeof(response); /* in: the buffer's size; out: the response's length */
	return libtocksync_ipc_relay_request_client_send_request(to, (uint8_t*)text, strlen(text), response,
	                                                         &response_len);
}

static bool rpc_says(uint64_t to, const char* text, const char* want)
{
	return rpc(to, text) == RETURNCODE_SUCCESS && response_len == strlen(want) &&
	       memcmp(response, want, response_len) == 0;
}

static uint64_t whoami(void)
{
	uint64_t id = UINT64_MAX;

	if (rpc(peer, "whoami") == RETURNCODE_SUCCESS && response_len == sizeof(id))
		memcpy(&id, response, sizeof(id));
	return id;
}

/* ---- registries ---- */

static returncode_t string_name_raw(const void* name, size_t len, bool discover)
{
	returncode_t r = libtock_ipc_registry_string_name_set_readonly_allow_name(name, len);

	if (r == RETURNCODE_SUCCESS)
		r = discover ? libtock_ipc_registry_string_name_command_discover()
		             : libtock_ipc_registry_string_name_command_register();
	libtock_ipc_registry_string_name_set_readonly_allow_name(NULL, 0);
	return r;
}

static void registry_cases(void)
{
	static const uint8_t zero[20], name19[19] = "bad_input_nineteen", name21[21] = "bad_input_twenty_one";
	uint8_t taken[20] = { 0 };
	uint64_t id = 0;

	memcpy(taken, IPC_PEER_NAME, strlen(IPC_PEER_NAME));
	report("sn_register_missing_allow", string_name_raw(NULL, 0, false));
	report("sn_register_19_bytes", string_name_raw(name19, sizeof(name19), false));
	report("sn_register_21_bytes", string_name_raw(name21, sizeof(name21), false));
	report("sn_register_zero_name", string_name_raw(zero, sizeof(zero), false));
	report("sn_register_taken", string_name_raw(taken, sizeof(taken), false));
	report("sn_discover_missing_allow", string_name_raw(NULL, 0, true));
	report("sn_discover_zero_name", string_name_raw(zero, sizeof(zero), true));
	report("sn_discover_19_bytes", string_name_raw(name19, sizeof(name19), true));
	report("sn_discover_unknown",
	       libtocksync_ipc_registry_string_name_discover_service((const uint8_t*)"nobody", 6, &id));
	report("pkg_discover_unknown",
	       libtocksync_ipc_registry_package_name_discover_service((const uint8_t*)"org.nobody", 10, &id));
	/* Nothing changed: the peer still holds its name, and we may still take a name of our own. */
	check("sn_peer_still_registered",
	      libtocksync_ipc_registry_string_name_discover_service((const uint8_t*)IPC_PEER_NAME,
	                                                            strlen(IPC_PEER_NAME), &id) == RETURNCODE_SUCCESS &&
	              id == peer);
	report("sn_register_ok", libtocksync_ipc_registry_string_name_register_service((const uint8_t*)"bad_input", 9));
}

/* ---- Relay Request ---- */

static bool slow_done;

static void on_slow(returncode_t r, size_t len)
{
	(void)len;
	slow_done = true;
	report("rr_first_request_completes", r);
}

static void relay_request_cases(void)
{
	static uint8_t slow_request[] = "slow", slow_response[16];
	uint32_t len = 0;
	uint64_t id = 0, old_peer;

	report("rr_send_forged_short_id", rpc(peer | (UINT64_C(0xdead) << 32), "x"));
	report("rr_send_forged_pid", rpc(4000, "x"));
	report("rr_send_own_id", rpc(self, "x"));
	report("rr_respond_no_transaction", libtock_ipc_relay_request_command_server_send_response());
	report("rr_cancel_no_transaction", libtock_ipc_relay_request_command_client_cancel_request());
	report("rr_get_next_nothing_waiting", libtock_ipc_relay_request_command_server_get_next_request(&len, &id));

	/* A second request while the first is outstanding: the raw command, past the wrapper's own check. */
	report("rr_first_request", libtock_ipc_relay_request_client_send_request(on_slow, peer, slow_request, 4,
	                                                                          slow_response, sizeof(slow_response)));
	report("rr_second_request", libtock_ipc_relay_request_command_client_send_request(peer));
	yield_for(&slow_done);
	check("rr_first_response_intact", memcmp(slow_response, "slow-done", 9) == 0);

	/* A server that stopped accepting (disabled for 100 ms). */
	rpc(peer, "pause");
	report("rr_send_to_disabled_server", rpc(peer, "x"));
	libtocksync_alarm_delay_ms(2 * IPC_PEER_SLOW_MS);

	/* A stale identifier: the peer restarts with a new ProcessId. */
	old_peer = peer;
	rpc(peer, "restart");
	while ((peer = ipc_test_find_peer()) == old_peer)
		libtocksync_alarm_delay_ms(10);
	report("rr_send_stale_id", rpc(old_peer, "x"));
	check("rr_valid_rpc_after_bad_input", rpc_says(peer, "ping", "ping"));
	check("rr_whoami_unchanged", whoami() == self);
}

/* ---- Relay Message, sending to the peer ---- */

static returncode_t rm_send(uint64_t to, const void* msg, size_t len)
{
	return libtock_ipc_relay_message_send(to, msg, len);
}

static void relay_message_send_cases(uint64_t stale)
{
	uint64_t sender;
	uint32_t len;

	report("rm_send_forged_pid", rm_send(4000, "m", 1));
	report("rm_send_stale_id", rm_send(stale, "m", 1));
	rpc(peer, "rm-off");
	report("rm_send_reception_off", rm_send(peer, "m", 1));
	rpc(peer, "rm-none");
	report("rm_send_not_on_allowlist", rm_send(peer, "m", 1));
	rpc(peer, "rm-you");
	report("rm_send_ok", rm_send(peer, "hello peer", 10));
	/* The peer got exactly one record, from us, and nothing from the refused sends. */
	rpc(peer, "rm-read");
	memcpy(&sender, response + 1, sizeof(sender));
	memcpy(&len, response + 9, sizeof(len));
	check("rm_peer_got_one_record", response_len == 1 + 12 + 10 && response[0] == 0 && sender == self &&
	                                        len == 10 && memcmp(response + 13, "hello peer", 10) == 0);
}

/* ---- Relay Message, our own slice ---- */

static uint8_t slice_buf[SMALL_SLICE];

static returncode_t enable_with(const void* slice, size_t slice_len, const void* list, size_t list_len)
{
	returncode_t r = tock_allow_rw_return_to_returncode(
		allow_readwrite(DRIVER_NUM_IPC_RELAY_MESSAGE, 0, (void*)slice, slice_len));

	if (r == RETURNCODE_SUCCESS)
		r = tock_allow_ro_return_to_returncode(allow_readonly(DRIVER_NUM_IPC_RELAY_MESSAGE, 1, list, list_len));
	if (r == RETURNCODE_SUCCESS)
		r = libtock_ipc_relay_message_command_receiver_enable();
	return r;
}

static uint32_t slice_offset(void)
{
	uint32_t off;

	memcpy(&off, slice_buf + 4, sizeof(off));
	return off;
}

static void header(uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
	slice_buf[0] = b0, slice_buf[1] = b1, slice_buf[2] = b2, slice_buf[3] = b3;
}

static void relay_message_receive_cases(void)
{
	static uint64_t list[2];
	static uint8_t tiny[4];
	uint64_t sender;
	uint32_t len;

	list[0] = self;
	report("rm_enable_no_slice", enable_with(NULL, 0, list, 8));
	report("rm_enable_4_byte_slice", enable_with(tiny, sizeof(tiny), list, 8));
	header(0, 1, 0, 0);
	report("rm_enable_bad_version", enable_with(slice_buf, sizeof(slice_buf), list, 8));
	header(0, 0, 0, 0x04);
	report("rm_enable_reserved_flag_bit2", enable_with(slice_buf, sizeof(slice_buf), list, 8));
	header(0, 0, 0x80, 0);
	report("rm_enable_reserved_flag_bit15", enable_with(slice_buf, sizeof(slice_buf), list, 8));
	header(0, 0, 0, 0);
	report("rm_enable_odd_allowlist", enable_with(slice_buf, sizeof(slice_buf), list, 12));
	report("rm_send_self_not_enabled", rm_send(self, "m", 1));
	report("rm_enable_ok", enable_with(slice_buf, sizeof(slice_buf), list, 8));

	/* 32 payload bytes: a 20-byte record, then one that does not fit, then an exactly fitting empty one. */
	report("rm_send_self_ok", rm_send(self, "selfmsg1", 8));
	memcpy(&sender, slice_buf + 8, sizeof(sender));
	memcpy(&len, slice_buf + 16, sizeof(len));
	check("rm_self_record_exact", slice_offset() == 20 && slice_buf[3] == 0 && sender == self && len == 8 &&
	                                      memcmp(slice_buf + 20, "selfmsg1", 8) == 0);
	report("rm_send_self_full", rm_send(self, "0123456789abcdef", 16));
	check("rm_full_sets_exceeded_keeps_offset", slice_offset() == 20 && slice_buf[3] == 0x01 &&
	                                                    memcmp(slice_buf + 20, "selfmsg1", 8) == 0);
	report("rm_send_self_exact_fit_after_exceeded", rm_send(self, "", 0));
	check("rm_exact_fit_appended", slice_offset() == 32 && slice_buf[3] == 0x01);
	slice_buf[3] |= 0x02; /* halt, with exceeded already set */
	report("rm_send_self_halt_exceeded", rm_send(self, "", 0));
	slice_buf[3] = 0x02; /* halt alone does not stop an append that fits, but nothing fits now */
	report("rm_send_self_halt_full", rm_send(self, "m", 1));
	slice_buf[3] |= 0x04;
	report("rm_send_self_reserved_flag", rm_send(self, "", 0));
	slice_buf[3] = 0;
	slice_buf[1] = 1;
	report("rm_send_self_bad_version", rm_send(self, "", 0));
	slice_buf[1] = 0;
	check("rm_refused_sends_changed_nothing", slice_offset() == 32 && memcmp(slice_buf + 20, "selfmsg1", 8) == 0);
	report("rm_disable", libtock_ipc_relay_message_command_receiver_disable());
	report("rm_send_self_disabled", rm_send(self, "", 0));
}

int main(void)
{
	uint64_t first_peer;

	peer = first_peer = ipc_test_find_peer();
	self = whoami();
	printf("ipc_bad_input: peer found, whoami answered: %s\n", self != UINT64_MAX ? "yes" : "no");
	registry_cases();
	relay_request_cases();
	relay_message_send_cases(first_peer);
	relay_message_receive_cases();
	printf("ipc_bad_input: done\n");
	return 0;
}
