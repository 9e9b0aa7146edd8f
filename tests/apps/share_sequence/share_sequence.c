/* Test app: unmap / remap / revoke / destroy sequences and their errors, then a use after revoke that must fault. */
#include <stdio.h>

#include <libtock-sync/ipc/ipc_share.h>
#include <libtock/tock.h>

#include "../share_owner/share_proto.h"

static int failures;

static void expect(const char* what, returncode_t got, returncode_t want)
{
	printf("share_sequence: %s: %s%s\n", what, tock_strrcode(got), got == want ? "" : " (UNEXPECTED)");
	failures += got != want;
}

int main(void)
{
	uint64_t owner = share_find_owner(), who = 0;
	uint32_t region = 0, size = 0, gone = 0;
	void* address = NULL;
	volatile char* first;

	expect("ask", share_ask(owner, SHARE_OP_GRANT_RW, 0, &region, NULL), RETURNCODE_SUCCESS);
	expect("map", libtocksync_ipc_share_map(region, &size, &address), RETURNCODE_SUCCESS);
	expect("map twice", libtocksync_ipc_share_map(region, &size, &address), RETURNCODE_EALREADY);
	expect("unmap", libtocksync_ipc_share_unmap(region), RETURNCODE_SUCCESS);
	expect("unmap twice", libtocksync_ipc_share_unmap(region), RETURNCODE_EALREADY);
	expect("revoke on a region we do not own", libtocksync_ipc_share_revoke(region, owner), RETURNCODE_EINVAL);
	expect("remap", libtocksync_ipc_share_map(region, &size, &address), RETURNCODE_SUCCESS);
	expect("allow from the share", libtock_ipc_share_set_readonly_allow_request(address, 16), RETURNCODE_EINVAL);
	expect("revoke", share_ask(owner, SHARE_OP_REVOKE, region, NULL, NULL), RETURNCODE_SUCCESS);
	expect("gone after revoke", libtocksync_ipc_share_wait_for_gone(&who, &gone), RETURNCODE_SUCCESS);
	expect("map after revoke", libtocksync_ipc_share_map(region, &size, &address), RETURNCODE_EINVAL);
	expect("ask again", share_ask(owner, SHARE_OP_GRANT_RO, 0, &region, NULL), RETURNCODE_SUCCESS);
	expect("map read-only", libtocksync_ipc_share_map(region, &size, &address), RETURNCODE_SUCCESS);
	expect("destroy", share_ask(owner, SHARE_OP_DESTROY, region, NULL, NULL), RETURNCODE_SUCCESS);
	expect("gone after destroy", libtocksync_ipc_share_wait_for_gone(&who, &gone), RETURNCODE_SUCCESS);
	expect("map after destroy", libtocksync_ipc_share_map(region, &size, &address), RETURNCODE_EINVAL);
	expect("map a forged region", libtocksync_ipc_share_map(region + 1000, &size, &address), RETURNCODE_EINVAL);
	share_ask(owner, SHARE_OP_QUIT, 0, NULL, NULL);
	printf("share_sequence: %d unexpected results; touching %p after destroy\n", failures, address);
	first = address;
	printf("ESCAPED (share_sequence read '%c' after destroy)\n", first[0]);
	return 3;
}
