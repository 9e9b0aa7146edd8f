/* Test app: 1,000 create/grant/map/unmap/destroy cycles with share_owner, pausing so the test can measure tockhost. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_share.h>
#include <libtock/tock.h>

#include "../share_owner/share_proto.h"

#define CYCLES 1000
#define PAUSE_MS 400 /* the test samples tockhost's fds and RSS while we sleep; not a timing assertion */

int main(void)
{
	uint64_t owner = share_find_owner();
	uint32_t region = 0;

	for (int i = 1; i <= CYCLES; i++) {
		uint32_t size = 0;
		char* address = NULL;
		returncode_t r = share_ask(owner, SHARE_OP_CYCLE, region, &region, NULL);

		if (r == RETURNCODE_SUCCESS)
			r = libtocksync_ipc_share_map(region, &size, (void**)&address);
		if (r != RETURNCODE_SUCCESS || strcmp(address, SHARE_TEST_GREETING)) {
			printf("share_cycles: cycle %d failed: %s\n", i, tock_strrcode(r));
			return 1;
		}
		address[0] = 'H';
		r = libtocksync_ipc_share_unmap(region);
		if (r != RETURNCODE_SUCCESS) {
			printf("share_cycles: unmap %d failed: %s\n", i, tock_strrcode(r));
			return 1;
		}
		if (i == 100 || i == CYCLES) {
			printf("share_cycles: cycle %d\n", i);
			libtocksync_alarm_delay_ms(PAUSE_MS);
		}
	}
	share_ask(owner, SHARE_OP_CYCLE, region, &region, NULL); /* destroys the last one */
	share_ask(owner, SHARE_OP_QUIT, 0, NULL, NULL);
	printf("share_cycles: done\n");
	return 0;
}
