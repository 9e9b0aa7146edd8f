/* Test app: maps a read-only grant, reads it, then writes to it, which the host MMU must fault. */
#include <stdio.h>

#include <libtock-sync/ipc/ipc_share.h>
#include <libtock/tock.h>

#include "../share_owner/share_proto.h"

int main(void)
{
	uint64_t owner = share_find_owner();
	uint32_t region = 0, size = 0;
	volatile char* address = NULL;
	returncode_t r = share_ask(owner, SHARE_OP_GRANT_RO, 0, &region, NULL);

	if (r == RETURNCODE_SUCCESS)
		r = libtocksync_ipc_share_map(region, &size, (void**)&address);
	if (r != RETURNCODE_SUCCESS) {
		printf("share_ro_reader: no mapping: %s\n", tock_strrcode(r));
		return 1;
	}
	printf("share_ro_reader: read '%s' at %p\n", (const char*)address, (void*)address);
	/* The owner stays alive (no QUIT): the region exists, only our mapping is read-only. */
	address[0] = 'X';
	printf("ESCAPED (share_ro_reader wrote to a read-only share)\n");
	return 3;
}
