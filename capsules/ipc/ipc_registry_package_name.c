/* IPC Registry Package Name capsule (0xA0001): a registered flag per process's grant, matched on TBF package names. */
#include "capsules/ipc/ipc_registry_package_name.h"

#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_identifier.h"

/* Per-process state. The name itself is the kernel's (TBF header), so only the flag is kept. */
struct package_name_grant {
	bool registered;
};

struct ipc_registry_package_name {
	struct hk_kernel *kernel;
	uint32_t driver;
	const struct hk_cap_process_info *cap;
	ipc_registration_policy_fn policy;
	void *policy_ctx;
};

struct ipc_registry_package_name *ipc_registry_package_name_new(struct hk_kernel *k, uint32_t driver,
                                                                const struct hk_cap_process_info *cap,
                                                                ipc_registration_policy_fn policy, void *policy_ctx)
{
	struct ipc_registry_package_name *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->kernel = k;
	r->driver = driver;
	r->cap = cap;
	r->policy = policy;
	r->policy_ctx = policy_ctx;
	return r;
}

void ipc_registry_package_name_free(struct ipc_registry_package_name *r)
{
	free(r);
}

/* The board policy's verdict as an ErrorCode (0 = allowed). */
static uint32_t package_name_policy(struct ipc_registry_package_name *r, hk_pid pid, const uint8_t *name,
                                    size_t len)
{
	uint32_t err;

	if (!r->policy)
		return 0;
	err = r->policy(r->policy_ctx, pid, name, len);
	return err <= TOCK_ERR_MAX ? err : TOCK_ERR_FAIL;
}

/* Upcall 2 to every other process that has this driver's grant (coalesced by the kernel). */
static void package_name_announce(struct ipc_registry_package_name *r, hk_pid registrant)
{
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(r->kernel, &cursor, &pid))
		if (pid != registrant && hk_grant_get(r->kernel, r->driver, pid))
			hk_upcall_schedule(r->kernel, r->driver, pid, TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED, 0, 0, 0);
}

static struct hk_cmd_ret package_name_register(struct ipc_registry_package_name *r, const struct hk_call *call)
{
	struct package_name_grant *g = call->grant;
	size_t len;
	const uint8_t *name = hk_process_package_name(r->kernel, r->cap, call->pid, &len);
	uint32_t err;

	if (!name || len == 0)
		return hk_cmd_failure(TOCK_ERR_NOMEM);
	err = package_name_policy(r, call->pid, name, len);
	if (err)
		return hk_cmd_failure(err);

	g->registered = true;
	hk_upcall_schedule(r->kernel, call->driver, call->pid, TOCK_IPC_REGISTRY_UPCALL_REGISTERED, 0, 0, 0);
	package_name_announce(r, call->pid);
	return hk_cmd_success();
}

/* The first live registered process other than `exclude` whose package name is want[0..len). */
static bool package_name_find(struct ipc_registry_package_name *r, const uint8_t *want, size_t want_len,
                              hk_pid exclude, hk_pid *ret_pid)
{
	size_t cursor = 0;
	hk_pid pid;

	while (hk_process_next(r->kernel, &cursor, &pid)) {
		const struct package_name_grant *g = hk_grant_get(r->kernel, r->driver, pid);
		const uint8_t *name;
		size_t len;

		if (pid == exclude || !g || !g->registered)
			continue;
		name = hk_process_package_name(r->kernel, r->cap, pid, &len);
		if (name && len == want_len && memcmp(name, want, len) == 0) {
			*ret_pid = pid;
			return true;
		}
	}
	return false;
}

static struct hk_cmd_ret package_name_discover(struct ipc_registry_package_name *r, const struct hk_call *call)
{
	struct hk_robuf want;
	hk_pid holder;

	if (hk_allow_ro_get(r->kernel, call->driver, call->pid, TOCK_IPC_REGISTRY_ALLOW_RO_NAME, &want) < 0)
		return hk_cmd_failure(TOCK_ERR_FAIL);
	if (want.len > 0 && package_name_find(r, want.ptr, want.len, call->pid, &holder)) {
		uint64_t id = ipc_identifier_of(r->kernel, holder);

		hk_upcall_schedule(r->kernel, call->driver, call->pid, TOCK_IPC_REGISTRY_UPCALL_DISCOVERED, 0,
		                   ipc_identifier_low(id), ipc_identifier_high(id));
	} else {
		hk_upcall_schedule(r->kernel, call->driver, call->pid, TOCK_IPC_REGISTRY_UPCALL_DISCOVERED,
		                   TOCK_ERR_NODEVICE, 0, 0);
	}
	return hk_cmd_success();
}

static struct hk_cmd_ret package_name_command(void *self, const struct hk_call *call, uint32_t command,
                                              uint32_t arg0, uint32_t arg1)
{
	switch (command) {
	case TOCK_IPC_REGISTRY_CMD_EXISTS:
		return hk_cmd_success();
	case TOCK_IPC_REGISTRY_CMD_REGISTER:
		return package_name_register(self, call);
	case TOCK_IPC_REGISTRY_CMD_DISCOVER:
		return package_name_discover(self, call);
	default:
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

bool ipc_registry_package_name_next(struct ipc_registry_package_name *r, size_t *cursor, hk_pid *ret_pid,
                                    uint64_t *ret_id, const uint8_t **ret_name, size_t *ret_len)
{
	hk_pid pid;

	while (hk_process_next(r->kernel, cursor, &pid)) {
		const struct package_name_grant *g = hk_grant_get(r->kernel, r->driver, pid);
		size_t len;
		const uint8_t *name;

		if (!g || !g->registered)
			continue;
		name = hk_process_package_name(r->kernel, r->cap, pid, &len);
		if (ret_pid)
			*ret_pid = pid;
		if (ret_id)
			*ret_id = ipc_identifier_of(r->kernel, pid);
		if (ret_name)
			*ret_name = name;
		if (ret_len)
			*ret_len = len;
		return true;
	}
	return false;
}

const struct hk_driver_ops ipc_registry_package_name_ops = {
	.name = "ipc_registry_package_name",
	.grant_size = sizeof(struct package_name_grant),
	.num_upcalls = 3,
	.num_allow_ro = 1,
	.num_allow_rw = 0,
	.num_allow_ur = 0,
	.notification_upcalls = 1u << TOCK_IPC_REGISTRY_UPCALL_SERVICE_REGISTERED,
	.command = package_name_command,
	.abi = &tock_ipc_registry_abi,
};
