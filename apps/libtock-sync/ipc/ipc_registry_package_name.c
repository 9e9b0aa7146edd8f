/* IPC Registry Package Name blocking API: command, then Yield-WaitFor on the matching upcall. */
#include "ipc_registry_package_name.h"

bool libtocksync_ipc_registry_package_name_exists(void)
{
	return libtock_ipc_registry_package_name_driver_exists();
}

returncode_t libtocksync_ipc_registry_package_name_register_service(void)
{
	yield_waitfor_return_t up;
	returncode_t ret = libtock_ipc_registry_package_name_command_register();

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	up = yield_wait_for(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_UPCALL_REGISTERED);
	return tock_status_to_returncode((statuscode_t)up.data0);
}

returncode_t libtocksync_ipc_registry_package_name_discover_service(const uint8_t* package_name, size_t len,
                                                                    uint64_t* ipc_id)
{
	yield_waitfor_return_t up;
	returncode_t ret = libtock_ipc_registry_package_name_set_readonly_allow_name(package_name, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	/* The registry compares the name inside the command. */
	ret = libtock_ipc_registry_package_name_command_discover();
	libtock_ipc_registry_package_name_set_readonly_allow_name(NULL, 0);
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	up = yield_wait_for(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_UPCALL_DISCOVERED);
	if (up.data0 != TOCK_STATUSCODE_SUCCESS)
		return tock_status_to_returncode((statuscode_t)up.data0);
	*ipc_id = ((uint64_t)up.data2 << 32) | up.data1;
	return RETURNCODE_SUCCESS;
}

returncode_t libtocksync_ipc_registry_package_name_wait_for_service_registered(void)
{
	yield_wait_for(DRIVER_NUM_IPC_REGISTRY_PACKAGE_NAME, TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED);
	return RETURNCODE_SUCCESS;
}
