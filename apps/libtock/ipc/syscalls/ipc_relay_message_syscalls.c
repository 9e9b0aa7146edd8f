/* IPC Relay Message driver (0xA0011) syscalls: each syscall's result as a returncode_t. */
#include "ipc_relay_message_syscalls.h"

bool libtock_ipc_relay_message_driver_exists(void)
{
	return driver_exists(DRIVER_NUM_IPC_RELAY_MESSAGE);
}

returncode_t libtock_ipc_relay_message_set_upcall_messages_appended(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(
		subscribe(DRIVER_NUM_IPC_RELAY_MESSAGE, TOCK_IPC_RELAY_MESSAGE_UPCALL_APPENDED, callback, opaque));
}

returncode_t libtock_ipc_relay_message_set_upcall_sender_gone(subscribe_upcall callback, void* opaque)
{
	return tock_subscribe_return_to_returncode(
		subscribe(DRIVER_NUM_IPC_RELAY_MESSAGE, TOCK_IPC_RELAY_MESSAGE_UPCALL_SENDER_GONE, callback, opaque));
}

returncode_t libtock_ipc_relay_message_set_readwrite_allow_slice(uint8_t* buffer, size_t len)
{
	return tock_allow_rw_return_to_returncode(
		allow_readwrite(DRIVER_NUM_IPC_RELAY_MESSAGE, LIBTOCK_IPC_RELAY_MESSAGE_SLICE_ALLOW, buffer, len));
}

returncode_t libtock_ipc_relay_message_set_readonly_allow_allowlist(const uint64_t* allowlist, size_t count)
{
	if (count > SIZE_MAX / sizeof(uint64_t))
		return RETURNCODE_ESIZE;
	return tock_allow_ro_return_to_returncode(allow_readonly(DRIVER_NUM_IPC_RELAY_MESSAGE,
	                                                         TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_ALLOWLIST, allowlist,
	                                                         count * sizeof(uint64_t)));
}

returncode_t libtock_ipc_relay_message_set_readonly_allow_message(const uint8_t* message, size_t len)
{
	return tock_allow_ro_return_to_returncode(
		allow_readonly(DRIVER_NUM_IPC_RELAY_MESSAGE, TOCK_IPC_RELAY_MESSAGE_ALLOW_RO_MESSAGE, message, len));
}

returncode_t libtock_ipc_relay_message_command_receiver_enable(void)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_RELAY_MESSAGE, TOCK_IPC_RELAY_MESSAGE_CMD_ENABLE, 0, 0));
}

returncode_t libtock_ipc_relay_message_command_receiver_disable(void)
{
	return tock_command_return_novalue_to_returncode(
		command(DRIVER_NUM_IPC_RELAY_MESSAGE, TOCK_IPC_RELAY_MESSAGE_CMD_DISABLE, 0, 0));
}

returncode_t libtock_ipc_relay_message_command_send(uint64_t receiver)
{
	return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_IPC_RELAY_MESSAGE, TOCK_IPC_RELAY_MESSAGE_CMD_SEND,
	                                                         (int)(uint32_t)receiver,
	                                                         (int)(uint32_t)(receiver >> 32)));
}
