/* ipcctl shares: IPC Share regions (owner, size, grantees, mappings) and MPU slots per process, as tables. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "tools/ipcctl/render.h"
#include "tools/ipcctl/table.h"

/* "name[pid]" of a process object. */
static const char *who(struct json_object *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s[%" PRIu64 "]", jstr(p, "app"), ju64(p, "pid"));
	return buf;
}

/* "consumer[1] rw @0x80000000, logger[2] ro (not mapped)": every grantee of one region. */
static void grantees(struct json_object *region, char *buf, size_t len)
{
	struct json_object *g = jget(region, "grants"), *m = jget(region, "mappings");
	size_t n = g ? json_object_array_length(g) : 0, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		struct json_object *r = json_object_array_get_idx(g, i);
		char name[96], where[32] = " (not mapped)";

		for (size_t j = 0; m && j < json_object_array_length(m); j++) {
			struct json_object *x = json_object_array_get_idx(m, j);

			if (ju64(x, "pid") == ju64(r, "pid"))
				snprintf(where, sizeof(where), " @0x%" PRIx64, ju64(x, "address"));
		}
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s%s", i ? ", " : "", who(r, name, sizeof(name)),
		                         jbool(r, "writable") ? "rw" : "ro", where);
	}
	if (!n)
		snprintf(buf, len, "-");
}

static void render_regions(struct json_object *regions, bool color)
{
	static const char *const h[] = { ">REGION", "OWNER", ">SIZE", "OWNER ADDRESS", "GRANTEES" };
	size_t n = regions ? json_object_array_length(regions) : 0;
	struct table t;

	table_init(&t, 5, h);
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(regions, i), *m = jget(r, "mappings");
		char id[16], owner[96], size[24], addr[24] = "-", grants[512];

		snprintf(id, sizeof(id), "%" PRIu64, ju64(r, "region"));
		snprintf(size, sizeof(size), "%" PRIu64, ju64(r, "size"));
		for (size_t j = 0; m && j < json_object_array_length(m); j++)
			if (jbool(json_object_array_get_idx(m, j), "owner"))
				snprintf(addr, sizeof(addr), "0x%" PRIx64, ju64(json_object_array_get_idx(m, j), "address"));
		grantees(r, grants, sizeof(grants));
		{
			const char *cells[] = { id, who(jget(r, "owner"), owner, sizeof(owner)), size, addr, grants };

			table_add(&t, NULL, cells);
		}
	}
	table_print(&t, color);
	table_free(&t);
}

static void render_slots(struct json_object *procs, bool color)
{
	static const char *const h[] = { "PROCESS", ">MPU REGIONS USED", ">OF" };
	size_t n = procs ? json_object_array_length(procs) : 0;
	struct table t;

	table_init(&t, 3, h);
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(procs, i);
		char name[96], used[16], total[16];
		const char *cells[] = { who(p, name, sizeof(name)), used, total };

		snprintf(used, sizeof(used), "%" PRIu64, ju64(p, "mpu_used"));
		snprintf(total, sizeof(total), "%" PRIu64, ju64(p, "mpu_total"));
		table_add(&t, ju64(p, "mpu_used") >= ju64(p, "mpu_total") ? IPCCTL_YELLOW : NULL, cells);
	}
	table_print(&t, color);
	table_free(&t);
}

void render_shares(struct json_object *reply, bool color)
{
	struct json_object *regions = jget(reply, "regions");
	size_t n = regions ? json_object_array_length(regions) : 0;

	if (!jbool(reply, "enabled")) {
		printf("Share: off on this board (MPU model %s)\n", jstr(reply, "mpu"));
		return;
	}
	printf("Share (driver 0x%" PRIx64 ", MPU model %s): %zu region(s)\n", ju64(reply, "driver"), jstr(reply, "mpu"), n);
	if (n)
		render_regions(regions, color);
	printf("\nMPU regions per process (flash + RAM + one per mapped region):\n");
	render_slots(jget(reply, "processes"), color);
}
