/* The control service (ipcctl's server side): answers requests from kernel and capsule state, streams traces. */
#ifndef TOCKHOST_CONTROL_H
#define TOCKHOST_CONTROL_H

#include <stdbool.h>
#include <stdint.h>

struct control_service;
struct hk_kernel;
struct hk_linux;
struct ipc_registry_string_name;
struct ipc_registry_package_name;
struct ipc_relay_request;
struct ipc_relay_message;
struct ipc_share;

/* The IPC capsules the board registered (NULL when off) and their driver numbers. */
struct control_ipc {
	struct ipc_registry_string_name *string_name;
	struct ipc_registry_package_name *package_name;
	struct ipc_relay_request *relay_request;
	struct ipc_relay_message *relay_message;
	uint32_t string_name_driver, package_name_driver, relay_request_driver, relay_message_driver;
	struct ipc_share *share;
	uint32_t share_driver;
};

/* What the board hands the service besides the kernel and the backend. */
struct control_setup {
	struct control_ipc ipc;
	bool virtual_time; /* reported by `hello` */
};

/*
 * Open the control socket (path NULL: the default location) and install the kernel tracer
 * that feeds `stats` and `trace`. Call after every capsule is registered. Prints nothing;
 * 0 or -errno with *ret_why.
 */
int control_service_new(struct hk_linux *lx, struct hk_kernel *k, const struct control_setup *setup, const char *path,
                        struct control_service **ret, const char **ret_why);
const char *control_service_path(const struct control_service *cs);
/* Close every client, unlink the socket, remove the tracer. Call after hk_linux_run and before hk_kernel_free. Accepts NULL. */
void control_service_free(struct control_service *cs);

#endif
