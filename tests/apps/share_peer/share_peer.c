/* Test app: data both ways through a read-write grant; then the owner crashes and the region must vanish. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_share.h>
#include <libtock/tock.h>

#include "../share_owner/share_proto.h"

int main(void)
{
	uint64_t owner = share_find_owner(), gone_owner = 0;
	uint32_t region = 0, size = 0, gone_region = 0;
	volatile char* address = NULL;
	char peek[17] = { 0 };
	returncode_t r = share_ask(owner, SHARE_OP_GRANT_RW, 0, &region, NULL);

	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_share_map(region, &size, (void**)&address);
	if (r != RETURNCODE_SUCCESS || strcmp((const char*)address, SHARE_TEST_GREETING)) {
		printf("share_peer: no greeting: %s\n", tock_strrcode(r));
		return 1;
	}
	strcpy((char*)address, "pong from peer");
	share_ask(owner, SHARE_OP_PEEK, region, peek, NULL);
	printf("share_peer: owner sees '%s'\n", peek);
	share_ask(owner, SHARE_OP_CRASH, 0, NULL, NULL);
	libtocksync_ipc_share_wait_for_gone(&gone_owner, &gone_region);
	printf("share_peer: region %u gone (owner %s)\n", (unsigned)gone_region, gone_owner == owner ? "ok" : "WRONG");
	printf("share_peer: touching %p after the owner died\n", (void*)address);
	printf("ESCAPED (share_peer read '%c' after revocation)\n", address[0]);
	return 3;
}
