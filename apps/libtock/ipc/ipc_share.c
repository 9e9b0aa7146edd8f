/* IPC Share asynchronous API: requests built in a stack buffer allowed only for the command that reads it. */
#include "ipc_share.h"

#include <string.h>

bool libtock_ipc_share_exists(void)
{
	return libtock_ipc_share_driver_exists();
}

returncode_t libtock_ipc_share_create(uint32_t size, uint32_t* region, void** address)
{
	uint64_t addr = 0;
	returncode_t ret = libtock_ipc_share_command_create(size, region, &addr);

	if (ret == RETURNCODE_SUCCESS)
		*address = (void*)(uintptr_t)addr;
	return ret;
}

/* Allow request for one command, then take the allow back (the kernel reads it only during the command). */
static returncode_t with_request(const void* request, size_t len, returncode_t (*cmd)(uint32_t), uint32_t arg)
{
	returncode_t ret = libtock_ipc_share_set_readonly_allow_request(request, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = cmd(arg);
	libtock_ipc_share_set_readonly_allow_request(NULL, 0);
	return ret;
}

static returncode_t grant_command(uint32_t unused)
{
	(void)unused;
	return libtock_ipc_share_command_grant();
}

returncode_t libtock_ipc_share_grant(uint64_t receiver, uint32_t region, bool writable)
{
	uint8_t req[LIBTOCK_IPC_SHARE_GRANT_REQUEST_LEN];
	uint32_t flags = writable ? LIBTOCK_IPC_SHARE_WRITABLE : 0;

	memcpy(req, &receiver, 8);
	memcpy(req + 8, &region, 4);
	memcpy(req + 12, &flags, 4);
	return with_request(req, sizeof(req), grant_command, 0);
}

returncode_t libtock_ipc_share_map(uint32_t region, uint32_t* size, void** address)
{
	uint64_t addr = 0;
	returncode_t ret = libtock_ipc_share_command_map(region, size, &addr);

	if (ret == RETURNCODE_SUCCESS)
		*address = (void*)(uintptr_t)addr;
	return ret;
}

returncode_t libtock_ipc_share_unmap(uint32_t region)
{
	return libtock_ipc_share_command_unmap_or_destroy(region);
}

returncode_t libtock_ipc_share_destroy(uint32_t region)
{
	return libtock_ipc_share_command_unmap_or_destroy(region);
}

returncode_t libtock_ipc_share_revoke(uint32_t region, uint64_t receiver)
{
	return with_request(&receiver, sizeof(receiver), libtock_ipc_share_command_revoke, region);
}

static libtock_ipc_share_callback granted_cb, gone_cb;

static void share_upcall(int owner_low, int owner_high, int region, void* opaque)
{
	libtock_ipc_share_callback cb = *(libtock_ipc_share_callback*)opaque;

	if (cb)
		cb(((uint64_t)(uint32_t)owner_high << 32) | (uint32_t)owner_low, (uint32_t)region);
}

returncode_t libtock_ipc_share_set_granted_callback(libtock_ipc_share_callback cb)
{
	granted_cb = cb;
	return libtock_ipc_share_set_upcall_granted(cb ? share_upcall : TOCK_NULL_UPCALL, &granted_cb);
}

returncode_t libtock_ipc_share_set_gone_callback(libtock_ipc_share_callback cb)
{
	gone_cb = cb;
	return libtock_ipc_share_set_upcall_gone(cb ? share_upcall : TOCK_NULL_UPCALL, &gone_cb);
}
