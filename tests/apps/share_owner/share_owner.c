/* Test app: owns shared regions and acts on them when share_* clients ask over Relay Request (share_proto.h). */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_share.h>
#include <libtock/tock.h>

#include "share_proto.h"

/* Regions handed out, so PEEK can find the owner's view. */
static struct {
	uint32_t region;
	uint8_t* address;
} regions[8];

static uint8_t* address_of(uint32_t region)
{
	for (unsigned i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (regions[i].region == region && region)
			return regions[i].address;
	return NULL;
}

static void remember(uint32_t region, uint8_t* address)
{
	for (unsigned i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (!regions[i].region || !address_of(regions[i].region)) {
			regions[i].region = region;
			regions[i].address = address;
			return;
		}
}

static void forget(uint32_t region)
{
	for (unsigned i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
		if (regions[i].region == region)
			regions[i].region = 0;
}

/* Create, greet, grant: the response is the region id (4 bytes), or nothing on failure. */
static size_t grant_new(uint64_t client, bool writable, uint8_t* response)
{
	uint32_t region = 0;
	uint8_t* address = NULL;
	returncode_t r = libtocksync_ipc_share_create(SHARE_TEST_REGION_SIZE, &region, (void**)&address);

	if (r == RETURNCODE_SUCCESS) {
		strcpy((char*)address, SHARE_TEST_GREETING);
		r = libtocksync_ipc_share_grant(client, region, writable);
	}
	if (r != RETURNCODE_SUCCESS) {
		printf("share_owner: create/grant failed: %s\n", tock_strrcode(r));
		return 0;
	}
	remember(region, address);
	memcpy(response, &region, sizeof(region));
	return sizeof(region);
}

static size_t serve(uint64_t client, const struct share_request* req, uint8_t* response)
{
	uint8_t* address;

	switch (req->op) {
	case SHARE_OP_GRANT_RO:
	case SHARE_OP_GRANT_RW:
		return grant_new(client, req->op == SHARE_OP_GRANT_RW, response);
	case SHARE_OP_PEEK:
		address = address_of(req->region);
		if (!address)
			return 0;
		memcpy(response, address, 16);
		return 16;
	case SHARE_OP_REVOKE:
		printf("share_owner: revoke %u: %s\n", (unsigned)req->region,
		       tock_strrcode(libtocksync_ipc_share_revoke(req->region, client)));
		return 0;
	case SHARE_OP_CYCLE:
		if (req->region) {
			libtocksync_ipc_share_destroy(req->region);
			forget(req->region);
		}
		return grant_new(client, true, response);
	case SHARE_OP_DESTROY:
		printf("share_owner: destroy %u: %s\n", (unsigned)req->region,
		       tock_strrcode(libtocksync_ipc_share_destroy(req->region)));
		forget(req->region);
		return 0;
	default:
		return 0;
	}
}

int main(void)
{
	if (libtocksync_ipc_relay_request_server_enable_requests() != RETURNCODE_SUCCESS ||
	    libtocksync_ipc_registry_package_name_register_service() != RETURNCODE_SUCCESS) {
		printf("share_owner: cannot serve\n");
		return 1;
	}
	for (;;) {
		struct share_request req = { 0, 0 };
		uint8_t response[16];
		size_t len = sizeof(req), out;
		uint64_t client = 0;

		if (libtocksync_ipc_relay_request_server_wait_for_request(&client, (uint8_t*)&req, &len) != RETURNCODE_SUCCESS)
			continue;
		out = serve(client, &req, response);
		libtocksync_ipc_relay_request_server_send_response(response, out);
		if (req.op == SHARE_OP_QUIT)
			return 0;
		if (req.op == SHARE_OP_CRASH) {
			volatile uintptr_t wild = 0x10;

			printf("share_owner: crashing on purpose\n");
			*(volatile uint32_t*)wild = 1;
		}
	}
}
