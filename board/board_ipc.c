/* Board wiring of the IPC capsules: registries, Relay Request, Relay Message, Share, with their capabilities. */
#include "board/board_ipc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_registry_package_name.h"
#include "capsules/ipc/ipc_registry_string_name.h"
#include "capsules/ipc/ipc_relay_message.h"
#include "capsules/ipc/ipc_relay_request.h"
#include "capsules/ipc/ipc_share.h"
#include "hostkernel/kernel.h"

struct board_ipc {
	struct ipc_registry_string_name *string_name;
	struct ipc_registry_package_name *package_name;
	struct ipc_relay_request *relay_request;
	struct ipc_relay_message *relay_message;
	struct ipc_share *share;
};

static int register_ipc(struct hk_kernel *k, const char *what, const struct board_driver_setting *s,
                        const struct hk_driver_ops *ops, void *self)
{
	int r;

	if (!self) {
		fprintf(stderr, "tockhost: cannot create the %s capsule\n", what);
		return -ENOMEM;
	}
	r = hk_kernel_register_driver(k, s->number, ops, self);
	if (r < 0)
		fprintf(stderr, "tockhost: cannot register the %s capsule as driver 0x%x: %s\n", what, s->number,
		        strerror(-r));
	return r;
}

int board_ipc_setup(struct hk_kernel *k, const struct hk_kernel_caps *caps, const struct board_config *c,
                    struct board_ipc **ret)
{
	struct board_ipc *ipc = calloc(1, sizeof(*ipc));
	int r = 0;

	*ret = ipc;
	if (!ipc)
		return -ENOMEM;
	/* No registration policy by default: every name is accepted, as on upstream boards. */
	if (c->ipc_registry_string_name.enabled) {
		ipc->string_name = ipc_registry_string_name_new(k, c->ipc_registry_string_name.number, NULL, NULL);
		r = register_ipc(k, "IPC string-name registry", &c->ipc_registry_string_name,
		                 &ipc_registry_string_name_ops, ipc->string_name);
		if (r < 0)
			return r;
	}
	if (c->ipc_registry_package_name.enabled) {
		ipc->package_name = ipc_registry_package_name_new(k, c->ipc_registry_package_name.number,
		                                                  caps->process_info, NULL, NULL);
		r = register_ipc(k, "IPC package-name registry", &c->ipc_registry_package_name,
		                 &ipc_registry_package_name_ops, ipc->package_name);
		if (r < 0)
			return r;
	}
	if (c->ipc_relay_request.enabled) {
		ipc->relay_request = ipc_relay_request_new(k, c->ipc_relay_request.number, caps->process_state);
		r = register_ipc(k, "IPC Relay Request", &c->ipc_relay_request, &ipc_relay_request_ops,
		                 ipc->relay_request);
		if (r < 0)
			return r;
	}
	if (c->ipc_relay_message.enabled) {
		ipc->relay_message = ipc_relay_message_new(k, c->ipc_relay_message.number, caps->process_state);
		r = register_ipc(k, "IPC Relay Message", &c->ipc_relay_message, &ipc_relay_message_ops,
		                 ipc->relay_message);
		if (r < 0)
			return r;
	}
	if (c->ipc_share.enabled) {
		ipc->share = ipc_share_new(k, c->ipc_share.number, caps->memory_map, caps->process_state);
		r = register_ipc(k, "IPC Share", &c->ipc_share, &ipc_share_ops, ipc->share);
	}
	return r;
}

void board_ipc_free(struct board_ipc *ipc)
{
	if (!ipc)
		return;
	ipc_share_free(ipc->share);
	ipc_relay_message_free(ipc->relay_message);
	ipc_relay_request_free(ipc->relay_request);
	ipc_registry_package_name_free(ipc->package_name);
	ipc_registry_string_name_free(ipc->string_name);
	free(ipc);
}
