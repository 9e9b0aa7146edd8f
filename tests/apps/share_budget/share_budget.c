/* Test app: which region sizes the board's MPU model accepts, and how many regions fit before ENOMEM. */
#include <stdio.h>

#include <libtock-sync/ipc/ipc_share.h>
#include <libtock/tock.h>

static const uint32_t sizes[] = { 0, 4, 32, 48, 100, 4096, 6000, 12288, 65536, 16u << 20, (16u << 20) + 4096 };

int main(void)
{
	uint32_t region = 0, count = 0;
	void* address = NULL;
	returncode_t r;

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		r = libtocksync_ipc_share_create(sizes[i], &region, &address);
		printf("share_budget: size %u: %s\n", (unsigned)sizes[i], tock_strrcode(r));
		if (r == RETURNCODE_SUCCESS)
			libtocksync_ipc_share_destroy(region);
	}
	while ((r = libtocksync_ipc_share_create(4096, &region, &address)) == RETURNCODE_SUCCESS)
		count++;
	printf("share_budget: %u regions, then %s\n", (unsigned)count, tock_strrcode(r));
	return 0;
}
