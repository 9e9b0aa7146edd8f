/* IPC Registry String Name blocking API: command, then Yield-WaitFor on the matching upcall. */
#include "ipc_registry_string_name.h"

bool libtocksync_ipc_registry_string_name_exists(void)
{
	return libtock_ipc_registry_string_name_driver_exists();
}

/* Allow the padded name only around the command: the registry reads it there. */
static returncode_t padded_command(returncode_t (*cmd)(void), const uint8_t* name, size_t len)
{
	returncode_t ret = libtock_ipc_registry_string_name_set_readonly_allow_padded_name(name, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = cmd();
	libtock_ipc_registry_string_name_set_readonly_allow_name(NULL, 0);
	return ret;
}

returncode_t libtocksync_ipc_registry_string_name_register_service(const uint8_t* name, size_t len)
{
	yield_waitfor_return_t up;
	returncode_t ret = padded_command(libtock_ipc_registry_string_name_command_register, name, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	up = yield_wait_for(DRIVER_NUM_IPC_REGISTRY_STRING_NAME, TOCK_IPC_REGISTRY_UPCALL_REGISTERED);
	return tock_status_to_returncode((statuscode_t)up.data0);
}

returncode_t libtocksync_ipc_registry_string_name_discover_service(const uint8_t* name, size_t len, uint64_t* ipc_id)
{
	yield_waitfor_return_t up;
	returncode_t ret = padded_command(libtock_ipc_registry_string_name_command_discover, name, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	up = yield_wait_for(DRIVER_NUM_IPC_REGISTRY_STRING_NAME, TOCK_IPC_REGISTRY_UPCALL_DISCOVERED);
	if (up.data0 != TOCK_STATUSCODE_SUCCESS)
		return tock_status_to_returncode((statuscode_t)up.data0);
	*ipc_id = ((uint64_t)up.data2 << 32) | up.data1;
	return RETURNCODE_SUCCESS;
}

returncode_t libtocksync_ipc_registry_string_name_wait_for_service_registered(void)
{
	yield_wait_for(DRIVER_NUM_IPC_REGISTRY_STRING_NAME, TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED);
	return RETURNCODE_SUCCESS;
}
