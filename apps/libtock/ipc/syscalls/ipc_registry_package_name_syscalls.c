/* IPC Registry Package Name driver (0xA0001) syscalls: each syscall's result as a returncode_t. */
#include "ipc_registry_package_name_syscalls.h"

bool libtock_ipc_registry_package_name_driver_exists(void)
{
	return driver_exists(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME);
}

returncode_t libtock_ipc_registry_package_name_set_upcall_registration_complete(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(
		subscribe(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_UPCALL_REGISTERED, callback, opaque));
}

returncode_t libtock_ipc_registry_package_name_set_upcall_discovery_complete(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(
		subscribe(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_UPCALL_DISCOVERED, callback, opaque));
}

returncode_t libtock_ipc_registry_package_name_set_upcall_service_registered(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(
		subscribe(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED, callback, opaque));
}

returncode_t libtock_ipc_registry_package_name_set_readonly_allow_name(const uint8_t* name, size_t len)
{
	return tock_allow_ro_return_to_returncode(
		allow_readonly(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_ALLOW_RO_NAME, name, len));
}

returncode_t libtock_ipc_registry_package_name_set_allow_name(void* data, size_t len)
{
	return libtock_ipc_registry_package_name_set_readonly_allow_name(data, len);
}

returncode_t libtock_ipc_registry_package_name_command_register(void)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_CMD_REGISTER, 0, 0));
}

returncode_t libtock_ipc_registry_package_name_command_discover(void)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_CMD_DISCOVER, 0, 0));
}
