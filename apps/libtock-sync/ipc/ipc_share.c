/* IPC Share blocking API: Yield-WaitFor on the granted / gone upcalls; commands forwarded. */
#include "ipc_share.h"

bool libtocksync_ipc_share_exists(void)
{
	return libtock_ipc_share_driver_exists();
}

static returncode_t wait_for(uint32_t slot, uint64_t* owner, uint32_t* region)
{
	yield_waitfor_return_t up = yield_wait_for(DRIVER_NUM_IPC_SHARE, slot);

	*owner = ((uint64_t)up.data1 << 32) | up.data0;
	*region = up.data2;
	return RETURNCODE_SUCCESS;
}

returncode_t libtocksync_ipc_share_wait_for_grant(uint64_t* owner, uint32_t* region)
{
	return wait_for(TOCK_IPC_SHARE_UPCALL_GRANTED, owner, region);
}

returncode_t libtocksync_ipc_share_wait_for_gone(uint64_t* owner, uint32_t* region)
{
	return wait_for(TOCK_IPC_SHARE_UPCALL_GONE, owner, region);
}

returncode_t libtocksync_ipc_share_create(uint32_t size, uint32_t* region, void** address)
{
	return libtock_ipc_share_create(size, region, address);
}

returncode_t libtocksync_ipc_share_grant(uint64_t receiver, uint32_t region, bool writable)
{
	return libtock_ipc_share_grant(receiver, region, writable);
}

returncode_t libtocksync_ipc_share_map(uint32_t region, uint32_t* size, void** address)
{
	return libtock_ipc_share_map(region, size, address);
}

returncode_t libtocksync_ipc_share_unmap(uint32_t region)
{
	return libtock_ipc_share_unmap(region);
}

returncode_t libtocksync_ipc_share_destroy(uint32_t region)
{
	return libtock_ipc_share_destroy(region);
}

returncode_t libtocksync_ipc_share_revoke(uint32_t region, uint64_t receiver)
{
	return libtock_ipc_share_revoke(region, receiver);
}
