/* ipcctl test server: string name "ipcctl_server", package registry, Relay Request echo with a 24-byte reply, one Relay Message receiver. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_message.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock/tock.h>

#define SLICE_SIZE 256 /* the integration test expects exactly this slice length */

static uint8_t slice_a[SLICE_SIZE], slice_b[SLICE_SIZE];
static streaming_process_slice_state_t slice;
static uint64_t allowlist[1];

/* The first client becomes the one allowlisted sender of the Relay Message receiver. */
static void enable_messages(uint64_t client)
{
	returncode_t r;

	allowlist[0] = client;
	r = libtock_ipc_relay_message_receiver_init(&slice, slice_a, sizeof(slice_a), slice_b, sizeof(slice_b));
	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_relay_message_receiver_enable(&slice, allowlist, 1);
	printf("ipcctl_server: messages %s\n", r == RETURNCODE_SUCCESS ? "enabled" : tock_strrcode(r));
}

int main(void)
{
	static const uint8_t name[20] = "ipcctl_server";
	static uint8_t request[64];
	static uint8_t response[24] = "ipcctl-response-24bytes";
	bool messages = false;
	returncode_t r;

	/* Accept requests before anyone can find us: a client's first send must never see NODEVICE. */
	r = libtocksync_ipc_relay_request_server_enable_requests();
	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_registry_string_name_register_service(name, sizeof(name));
	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_registry_package_name_register_service();
	if (r != RETURNCODE_SUCCESS) {
		printf("ipcctl_server: cannot serve: %s\n", tock_strrcode(r));
		return 1;
	}
	printf("ipcctl_server: serving\n");
	for (;;) {
		uint64_t client = 0;
		size_t len = sizeof(request);

		r = libtocksync_ipc_relay_request_server_wait_for_request(&client, request, &len);
		if (r != RETURNCODE_SUCCESS && r != RETURNCODE_ESIZE)
			continue;
		if (!messages) {
			enable_messages(client);
			messages = true;
		}
		libtocksync_ipc_relay_request_server_send_response(response, sizeof(response));
	}
}
