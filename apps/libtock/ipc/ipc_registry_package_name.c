/* IPC Registry Package Name async API: commands with the name allowed only around them, upcalls relayed to callbacks. */
#include "ipc_registry_package_name.h"

static void registered_upcall(int status, int unused1, int unused2, void* opaque)
{
	libtock_ipc_registry_package_name_register_callback cb = (libtock_ipc_registry_package_name_register_callback)opaque;

	(void)unused1;
	(void)unused2;
	cb(tock_status_to_returncode((statuscode_t)status));
}

static void discovered_upcall(int status, int id_low, int id_high, void* opaque)
{
	libtock_ipc_registry_package_name_discover_callback cb = (libtock_ipc_registry_package_name_discover_callback)opaque;
	uint64_t id = ((uint64_t)(uint32_t)id_high << 32) | (uint32_t)id_low;

	cb(tock_status_to_returncode((statuscode_t)status), status == TOCK_STATUSCODE_SUCCESS ? id : 0);
}

static void service_registered_upcall(int unused0, int unused1, int unused2, void* opaque)
{
	libtock_ipc_registry_package_name_service_registered_callback cb =
		(libtock_ipc_registry_package_name_service_registered_callback)opaque;

	(void)unused0;
	(void)unused1;
	(void)unused2;
	cb();
}

bool libtock_ipc_registry_package_name_exists(void)
{
	return libtock_ipc_registry_package_name_driver_exists();
}

returncode_t libtock_ipc_registry_package_name_register_service(libtock_ipc_registry_package_name_register_callback cb)
{
	returncode_t ret = libtock_ipc_registry_package_name_set_upcall_registration_complete(registered_upcall, (void*)cb);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	return libtock_ipc_registry_package_name_command_register();
}

returncode_t libtock_ipc_registry_package_name_discover_service(libtock_ipc_registry_package_name_discover_callback cb,
                                                                uint8_t* package_name, size_t len)
{
	returncode_t ret = libtock_ipc_registry_package_name_set_upcall_discovery_complete(discovered_upcall, (void*)cb);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	/* The registry compares the name inside the command, so it is allowed only around it. */
	ret = libtock_ipc_registry_package_name_set_readonly_allow_name(package_name, len);
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = libtock_ipc_registry_package_name_command_discover();
	libtock_ipc_registry_package_name_set_readonly_allow_name(NULL, 0);
	return ret;
}

returncode_t libtock_ipc_registry_package_name_set_service_registered_callback(
	libtock_ipc_registry_package_name_service_registered_callback cb)
{
	if (cb == NULL)
		return libtock_ipc_registry_package_name_set_upcall_service_registered(TOCK_NULL_UPCALL, NULL);
	return libtock_ipc_registry_package_name_set_upcall_service_registered(service_registered_upcall, (void*)cb);
}
