/* Control socket "shares": IPC Share regions, their owners, grantees and mappings, and MPU slots per process. */
#include <json-c/json.h>

#include "control/internal.h"
#include "capsules/ipc/ipc_identifier.h"
#include "capsules/ipc/ipc_share.h"
#include "hostkernel/kernel.h"

static struct json_object *share_process(struct control_service *cs, hk_pid pid)
{
	struct json_object *o = json_object_new_object();
	struct hk_process *p = hk_process_lookup(cs->k, pid);

	json_object_object_add(o, "app", json_object_new_string(p ? hk_process_name(p) : "?"));
	json_object_object_add(o, "pid", control_json_u64(pid));
	json_object_object_add(o, "ipc_id", control_json_id(ipc_identifier_of(cs->k, pid)));
	return o;
}

/* Every mapping of region id (the owner's included) as the kernel records it. */
static struct json_object *share_mappings(struct control_service *cs, uint32_t region)
{
	struct json_object *arr = json_object_new_array();
	struct hk_share_mapping_info m;
	size_t cursor = 0;

	while (hk_share_mapping_next(cs->k, &cursor, &m)) {
		struct json_object *o;

		if (m.region != region)
			continue;
		o = share_process(cs, m.pid);
		json_object_object_add(o, "address", control_json_u64(m.address));
		json_object_object_add(o, "length", control_json_u64(m.length));
		json_object_object_add(o, "writable", json_object_new_boolean(m.writable));
		json_object_object_add(o, "owner", json_object_new_boolean(m.pid == m.owner));
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *share_region(struct control_service *cs, size_t index,
                                        const struct ipc_share_region_info *info)
{
	struct json_object *o = json_object_new_object(), *grants = json_object_new_array();
	struct ipc_share_grant_info g;

	json_object_object_add(o, "region", control_json_u64(info->region));
	json_object_object_add(o, "owner", share_process(cs, info->owner));
	json_object_object_add(o, "size", control_json_u64(info->size));
	for (size_t i = 0; ipc_share_grant_at(cs->ipc.share, index, i, &g); i++) {
		struct json_object *r = share_process(cs, g.receiver);

		json_object_object_add(r, "writable", json_object_new_boolean(g.writable));
		json_object_object_add(r, "mapped", json_object_new_boolean(g.mapped));
		json_object_array_add(grants, r);
	}
	json_object_object_add(o, "grants", grants);
	json_object_object_add(o, "mappings", share_mappings(cs, info->region));
	return o;
}

void control_add_shares(struct control_service *cs, struct json_object *reply)
{
	struct json_object *regions = json_object_new_array(), *procs = json_object_new_array();
	struct ipc_share_region_info info;
	size_t cursor = 0;
	hk_pid pid;

	json_object_object_add(reply, "enabled", json_object_new_boolean(cs->ipc.share != NULL));
	json_object_object_add(reply, "driver", control_json_u64(cs->ipc.share_driver));
	json_object_object_add(reply, "mpu", json_object_new_string(hk_share_mpu_name(cs->k)));
	for (size_t i = 0; cs->ipc.share && ipc_share_region_at(cs->ipc.share, i, &info); i++)
		json_object_array_add(regions, share_region(cs, i, &info));
	while (hk_process_next(cs->k, &cursor, &pid)) {
		uint32_t used, total;
		struct json_object *o;

		if (hk_share_usage(cs->k, pid, &used, &total) < 0)
			continue;
		o = share_process(cs, pid);
		json_object_object_add(o, "mpu_used", control_json_u64(used));
		json_object_object_add(o, "mpu_total", control_json_u64(total));
		json_object_array_add(procs, o);
	}
	json_object_object_add(reply, "regions", regions);
	json_object_object_add(reply, "processes", procs);
}
