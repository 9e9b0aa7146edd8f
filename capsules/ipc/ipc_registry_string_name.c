/* IPC Registry String Name capsule (0xA0000): register / discover 20-byte names kept in each process's grant. */
#include "capsules/ipc/ipc_registry_string_name.h"

#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_identifier.h"

/* Per-process state: the registered name, if any. Freed with the process's grant. */
struct string_name_grant {
	bool registered;
	uint8_t name[IPC_STRING_NAME_LEN];
};

struct ipc_registry_string_name {
	struct hk_kernel *kernel;
	uint32_t driver;
	ipc_registration_policy_fn policy;
	void *policy_ctx;
};

struct ipc_registry_string_name *ipc_registry_string_name_new(struct hk_kernel *k, uint32_t driver,
                                                              ipc_registration_policy_fn policy, void *policy_ctx)
{
	struct ipc_registry_string_name *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->kernel = k;
	r->driver = driver;
	r->policy = policy;
	r->policy_ctx = policy_ctx;
	return r;
}

void ipc_registry_string_name_free(struct ipc_registry_string_name *r)
{
	free(r);
}

/* Copy the caller's RO allow 0 into name[]: 0, or the ErrorCode the command fails with. */
static uint32_t string_name_read(struct ipc_registry_string_name *r, const struct hk_call *call,
                                 uint8_t name[IPC_STRING_NAME_LEN])
{
	struct hk_robuf buf;
	bool all_zero = true;

	if (hk_allow_ro_get(r->kernel, call->driver, call->pid, TOCK_IPC_REGISTRY_ALLOW_RO_NAME, &buf) < 0)
		return TOCK_ERR_FAIL;
	if (buf.len != IPC_STRING_NAME_LEN)
		return TOCK_ERR_SIZE;
	for (size_t i = 0; i < IPC_STRING_NAME_LEN; i++)
		all_zero = all_zero && buf.ptr[i] == 0;
	if (all_zero)
		return TOCK_ERR_INVAL;
	memcpy(name, buf.ptr, IPC_STRING_NAME_LEN);
	return 0;
}

/* The live process other than `exclude` that holds `name`. Grants of dead processes are gone, so
 * every grant found here belongs to the current incarnation of a live process. */
static bool string_name_holder(struct ipc_registry_string_name *r, const uint8_t *name, hk_pid exclude,
                               hk_pid *ret_pid)
{
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(r->kernel, &cursor, &pid)) {
		const struct string_name_grant *g = hk_grant_get(r->kernel, r->driver, pid);

		if (pid == exclude || !g || !g->registered)
			continue;
		if (memcmp(g->name, name, IPC_STRING_NAME_LEN) == 0) {
			*ret_pid = pid;
			return true;
		}
	}
	return false;
}

/* The board policy's verdict as an ErrorCode (0 = allowed). */
static uint32_t string_name_policy(struct ipc_registry_string_name *r, hk_pid pid, const uint8_t *name)
{
	uint32_t err;

	if (!r->policy)
		return 0;
	err = r->policy(r->policy_ctx, pid, name, IPC_STRING_NAME_LEN);
	return err <= TOCK_ERR_MAX ? err : TOCK_ERR_FAIL;
}

/* Upcall 2 to every other process that has this driver's grant (coalesced by the kernel). */
static void string_name_announce(struct ipc_registry_string_name *r, hk_pid registrant)
{
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(r->kernel, &cursor, &pid))
		if (pid != registrant && hk_grant_get(r->kernel, r->driver, pid))
			hk_upcall_schedule(r->kernel, r->driver, pid, TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED, 0, 0, 0);
}

static struct hk_cmd_ret string_name_register(struct ipc_registry_string_name *r, const struct hk_call *call)
{
	struct string_name_grant *g = call->grant;
	uint8_t name[IPC_STRING_NAME_LEN];
	hk_pid holder;
	uint32_t err;

	/* Decode: every check before anything changes. */
	err = string_name_read(r, call, name);
	if (err)
		return hk_cmd_failure(err);
	if (string_name_holder(r, name, call->pid, &holder))
		return hk_cmd_failure(TOCK_ERR_ALREADY);
	err = string_name_policy(r, call->pid, name);
	if (err)
		return hk_cmd_failure(err);

	/* Invoke. */
	memcpy(g->name, name, IPC_STRING_NAME_LEN);
	g->registered = true;
	hk_upcall_schedule(r->kernel, call->driver, call->pid, TOCK_IPC_REGISTRY_UPCALL_REGISTERED, 0, 0, 0);
	string_name_announce(r, call->pid);
	return hk_cmd_success();
}

static struct hk_cmd_ret string_name_discover(struct ipc_registry_string_name *r, const struct hk_call *call)
{
	uint8_t name[IPC_STRING_NAME_LEN];
	hk_pid holder;
	uint32_t err = string_name_read(r, call, name);

	if (err)
		return hk_cmd_failure(err);
	if (string_name_holder(r, name, call->pid, &holder)) {
		uint64_t id = ipc_identifier_of(r->kernel, holder);

		hk_upcall_schedule(r->kernel, call->driver, call->pid, TOCK_IPC_REGISTRY_UPCALL_DISCOVERED, 0,
		                   ipc_identifier_low(id), ipc_identifier_high(id));
	} else {
		hk_upcall_schedule(r->kernel, call->driver, call->pid, TOCK_IPC_REGISTRY_UPCALL_DISCOVERED,
		                   TOCK_ERR_NODEVICE, 0, 0);
	}
	return hk_cmd_success();
}

static struct hk_cmd_ret string_name_command(void *self, const struct hk_call *call, uint32_t command,
                                             uint32_t arg0, uint32_t arg1)
{
	switch (command) {
	case TOCK_IPC_REGISTRY_CMD_EXISTS:
		return hk_cmd_success();
	case TOCK_IPC_REGISTRY_CMD_REGISTER:
		return string_name_register(self, call);
	case TOCK_IPC_REGISTRY_CMD_DISCOVER:
		return string_name_discover(self, call);
	default:
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

bool ipc_registry_string_name_next(struct ipc_registry_string_name *r, size_t *cursor, hk_pid *ret_pid,
                                   uint64_t *ret_id, const uint8_t **ret_name)
{
	hk_pid pid;

	while (hk_process_next(r->kernel, cursor, &pid)) {
		const struct string_name_grant *g = hk_grant_get(r->kernel, r->driver, pid);

		if (!g || !g->registered)
			continue;
		if (ret_pid)
			*ret_pid = pid;
		if (ret_id)
			*ret_id = ipc_identifier_of(r->kernel, pid);
		if (ret_name)
			*ret_name = g->name;
		return true;
	}
	return false;
}

const struct hk_driver_ops ipc_registry_string_name_ops = {
	.name = "ipc_registry_string_name",
	.grant_size = sizeof(struct string_name_grant),
	.num_upcalls = 3,
	.num_allow_ro = 1,
	.num_allow_rw = 0,
	.num_allow_ur = 0,
	.notification_upcalls = 1u << TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED,
	.command = string_name_command,
	.abi = &tock_ipc_registry_abi,
};
