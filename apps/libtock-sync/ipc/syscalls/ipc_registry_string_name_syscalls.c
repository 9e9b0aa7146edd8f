/* IPC Registry String Name Yield-WaitFor helpers: wait for the registration / discovery upcall and decode it. */
#include "ipc_registry_string_name_syscalls.h"

returncode_t libtocksync_ipc_registry_string_name_yield_wait_for_registration_complete(void)
{
	yield_waitfor_return_t up = yield_wait_for(DRIVER_NUM_IPC_REGISTRY_STRING_NAME, TOCK_IPC_REGISTRY_UPCALL_REGISTERED);

	return tock_status_to_returncode((statuscode_t)up.data0);
}

returncode_t libtocksync_ipc_registry_string_name_yield_wait_for_discovery_complete(uint64_t* ipc_id)
{
	yield_waitfor_return_t up = yield_wait_for(DRIVER_NUM_IPC_REGISTRY_STRING_NAME, TOCK_IPC_REGISTRY_UPCALL_DISCOVERED);

	if (up.data0 != TOCK_STATUSCODE_SUCCESS)
		return tock_status_to_returncode((statuscode_t)up.data0);
	*ipc_id = ((uint64_t)up.data2 << 32) | up.data1;
	return RETURNCODE_SUCCESS;
}
