/* The share test apps' request protocol: clients ask share_owner (over Relay Request) to act on regions. */
#pragma once

#include <stdint.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock-sync/services/alarm.h>

#define SHARE_OWNER_PACKAGE "org.tockhost.share_owner"
#define SHARE_TEST_REGION_SIZE 4096u
#define SHARE_TEST_GREETING "hello from the owner"

enum share_op {
	SHARE_OP_GRANT_RO = 1, /* create a region, write the greeting, grant it read-only: response = region */
	SHARE_OP_GRANT_RW = 2, /* the same, read-write */
	SHARE_OP_PEEK = 3,     /* response = the first 16 bytes of `region` as the owner sees them */
	SHARE_OP_REVOKE = 4,   /* revoke the client from `region` */
	SHARE_OP_DESTROY = 5,  /* destroy `region` */
	SHARE_OP_CRASH = 6,    /* respond, then fault (wild write) */
	SHARE_OP_CYCLE = 7,    /* destroy `region` (if nonzero), create a new one, grant it read-write */
	SHARE_OP_QUIT = 8,     /* respond, then exit 0 */
};

struct share_request {
	uint32_t op;
	uint32_t region;
};

static inline uint64_t share_find_owner(void)
{
	static const char package[] = SHARE_OWNER_PACKAGE;
	uint64_t id = 0;

	while (libtocksync_ipc_registry_package_name_discover_service((const uint8_t*)package, strlen(package), &id) !=
	       RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(5);
	return id;
}

/* One request; the response (up to 16 bytes) lands in out. Returns the relay status. */
static inline returncode_t share_ask(uint64_t owner, uint32_t op, uint32_t region, void* out, size_t* out_len)
{
	struct share_request req = { op, region };
	static uint8_t response[16];
	size_t got = sizeof(response);
	returncode_t r = libtocksync_ipc_relay_request_client_send_request(owner, (uint8_t*)&req, sizeof(req), response,
	                                                                    &got);

	if (out && got)
		memcpy(out, response, got);
	if (out_len)
		*out_len = got;
	return r;
}
