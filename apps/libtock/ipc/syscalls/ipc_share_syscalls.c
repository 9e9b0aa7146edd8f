/* IPC Share driver (0xA0020) syscalls: each syscall's result as a returncode_t. */
#include "ipc_share_syscalls.h"

bool libtock_ipc_share_driver_exists(void)
{
	return driver_exists(DRIVER_NUM_IPC_SHARE);
}

returncode_t libtock_ipc_share_set_upcall_granted(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_IPC_SHARE, TOCK_IPC_SHARE_UPCALL_GRANTED, callback, opaque));
}

returncode_t libtock_ipc_share_set_upcall_gone(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_IPC_SHARE, TOCK_IPC_SHARE_UPCALL_GONE, callback, opaque));
}

returncode_t libtock_ipc_share_set_readonly_allow_request(const void* request, size_t len)
{
	return tock_allow_ro_return_to_returncode(allow_readonly(DRIVER_NUM_IPC_SHARE, TOCK_IPC_SHARE_ALLOW_RO_REQUEST, request, len));
}

returncode_t libtock_ipc_share_command_create(uint32_t size, uint32_t* region, uint64_t* address)
{
	return tock_command_return_u32_u64_or_u64_to_returncode(
		command(DRIVER_NUM_IPC_SHARE, TOCK_IPC_SHARE_CMD_CREATE, (int)size, 0), region, address);
}

returncode_t libtock_ipc_share_command_grant(void)
{
	return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_IPC_SHARE, TOCK_IPC_SHARE_CMD_GRANT, 0, 0));
}

returncode_t libtock_ipc_share_command_map(uint32_t region, uint32_t* size, uint64_t* address)
{
	return tock_command_return_u32_u64_or_u64_to_returncode(
		command(DRIVER_NUM_IPC_SHARE, TOCK_IPC_SHARE_CMD_MAP, (int)region, 0), size, address);
}

returncode_t libtock_ipc_share_command_unmap_or_destroy(uint32_t region)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_SHARE, TOCK_IPC_SHARE_CMD_UNMAP_OR_DESTROY, (int)region, 0));
}

returncode_t libtock_ipc_share_command_revoke(uint32_t region)
{
	return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_IPC_SHARE, TOCK_IPC_SHARE_CMD_REVOKE, (int)region, 0));
}
