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
	struct hk_kernel *k;
	const struct hk_cap_process_info *process_info;
	const struct board_config *config;
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

/*
 * The string registry's registration policy: a name reserved in [ipc_names] may be registered
 * only by a process whose TBF package name is the one reserved (e.g. a system service's name
 * cannot be squatted by another app). FAIL, the code upstream's policy hooks recommend, otherwise.
 */
static uint32_t reserved_name_policy(void *ctx, hk_pid pid, const uint8_t *name, size_t len)
{
	const struct board_ipc *ipc = ctx;
	const struct board_config *c = ipc->config;

	for (unsigned i = 0; i < c->n_reserved_names; i++) {
		const struct board_name_reservation *r = &c->reserved_names[i];
		uint8_t padded[20] = { 0 };
		size_t package_len = 0;
		const uint8_t *package;

		memcpy(padded, r->name, strlen(r->name));
		if (len != sizeof(padded) || memcmp(padded, name, len))
			continue;
		package = hk_process_package_name(ipc->k, ipc->process_info, pid, &package_len);
		if (package && package_len == strlen(r->package) && !memcmp(package, r->package, package_len))
			return 0;
		return TOCK_ERR_FAIL;
	}
	return 0;
}

int board_ipc_setup(struct hk_kernel *k, const struct hk_kernel_caps *caps, const struct board_config *c,
                    struct board_ipc **ret)
{
	struct board_ipc *ipc = calloc(1, sizeof(*ipc));
	int r = 0;

	*ret = ipc;
	if (!ipc)
		return -ENOMEM;
	ipc->k = k;
	ipc->process_info = caps->process_info;
	ipc->config = c;
	/* Without [ipc_names] every name is accepted, as on upstream boards. */
	if (c->ipc_registry_string_name.enabled) {
		ipc->string_name = ipc_registry_string_name_new(k, c->ipc_registry_string_name.number,
		                                                c->n_reserved_names ? reserved_name_policy : NULL, ipc);
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

void board_ipc_for_control(const struct board_ipc *ipc, struct control_ipc *ret)
{
	const struct board_config *c = ipc ? ipc->config : NULL;

	*ret = (struct control_ipc){ 0 };
	if (!ipc)
		return;
	ret->string_name = ipc->string_name;
	ret->string_name_driver = c->ipc_registry_string_name.number;
	ret->package_name = ipc->package_name;
	ret->package_name_driver = c->ipc_registry_package_name.number;
	ret->relay_request = ipc->relay_request;
	ret->relay_request_driver = c->ipc_relay_request.number;
	ret->relay_message = ipc->relay_message;
	ret->relay_message_driver = c->ipc_relay_message.number;
	ret->share = ipc->share;
	ret->share_driver = c->ipc_share.number;
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
