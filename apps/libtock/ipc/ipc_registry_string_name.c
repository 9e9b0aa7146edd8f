/* IPC Registry String Name async API: pad the name, allow it for the command only, and relay the upcalls. */
#include "ipc_registry_string_name.h"

static void registered_upcall(int status, int unused1, int unused2, void* opaque)
{
	libtock_ipc_registry_string_name_register_callback cb = (libtock_ipc_registry_string_name_register_callback)opaque;

	(void)unused1;
	(void)unused2;
	cb(tock_status_to_returncode((statuscode_t)status));
}

static void discovered_upcall(int status, int id_low, int id_high, void* opaque)
{
	libtock_ipc_registry_string_name_discover_callback cb = (libtock_ipc_registry_string_name_discover_callback)opaque;
	uint64_t id = ((uint64_t)(uint32_t)id_high << 32) | (uint32_t)id_low;

	cb(tock_status_to_returncode((statuscode_t)status), status == TOCK_STATUSCODE_SUCCESS ? id : 0);
}

static void service_registered_upcall(int unused0, int unused1, int unused2, void* opaque)
{
	libtock_ipc_registry_string_name_service_registered_callback cb =
		(libtock_ipc_registry_string_name_service_registered_callback)opaque;

	(void)unused0;
	(void)unused1;
	(void)unused2;
	cb();
}

bool libtock_ipc_registry_string_name_exists(void)
{
	return libtock_ipc_registry_string_name_driver_exists();
}

/* The registry reads the name inside the command, so it is allowed only around it. */
static returncode_t with_padded_name(returncode_t (*cmd)(void), uint8_t* name, size_t len)
{
	returncode_t ret = libtock_ipc_registry_string_name_set_readonly_allow_padded_name(name, len);

	if (ret != RETURNCODE_SUCCESS)
		return ret;
	ret = cmd();
	libtock_ipc_registry_string_name_set_readonly_allow_name(NULL, 0);
	return ret;
}

returncode_t libtock_ipc_registry_string_name_register_service(libtock_ipc_registry_string_name_register_callback cb,
                                                               uint8_t* name, size_t len)
{
	returncode_t ret;

	if (len > LIBTOCK_IPC_REGISTRY_STRING_NAME_LEN)
		return RETURNCODE_ESIZE;
	ret = libtock_ipc_registry_string_name_set_upcall_registration_complete(registered_upcall, (void*)cb);
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	return with_padded_name(libtock_ipc_registry_string_name_command_register, name, len);
}

returncode_t libtock_ipc_registry_string_name_discover_service(libtock_ipc_registry_string_name_discover_callback cb,
                                                               uint8_t* name, size_t len)
{
	returncode_t ret;

	if (len > LIBTOCK_IPC_REGISTRY_STRING_NAME_LEN)
		return RETURNCODE_ESIZE;
	ret = libtock_ipc_registry_string_name_set_upcall_discovery_complete(discovered_upcall, (void*)cb);
	if (ret != RETURNCODE_SUCCESS)
		return ret;
	return with_padded_name(libtock_ipc_registry_string_name_command_discover, name, len);
}

returncode_t libtock_ipc_registry_string_name_set_service_registered_callback(
	libtock_ipc_registry_string_name_service_registered_callback cb)
{
	if (cb == NULL)
		return libtock_ipc_registry_string_name_set_upcall_service_registered(TOCK_NULL_UPCALL, NULL);
	return libtock_ipc_registry_string_name_set_upcall_service_registered(service_registered_upcall, (void*)cb);
}
