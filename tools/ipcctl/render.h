/* ipcctl's human renderings of replies (tables) and trace events (one line each), from the protocol's JSON. */
#ifndef TOCKHOST_IPCCTL_RENDER_H
#define TOCKHOST_IPCCTL_RENDER_H

#include <stdbool.h>
#include <stdint.h>

struct json_object;

/* Field access that tolerates absence or null: "" / 0 / false. */
const char *jstr(struct json_object *o, const char *key);
uint64_t ju64(struct json_object *o, const char *key);
bool jbool(struct json_object *o, const char *key);
struct json_object *jget(struct json_object *o, const char *key);

void render_ps(struct json_object *reply, bool color);
void render_services(struct json_object *reply, bool color);
void render_relay(struct json_object *reply, bool color);
void render_stats(struct json_object *reply, bool color);
void render_shares(struct json_object *reply, bool color); /* render_share.c */
void render_control(struct json_object *reply, bool color); /* stop/start/restart/fault */
void render_hello(struct json_object *reply, bool color);
/* One trace event (or "dropped" notice) as one line. */
void render_trace_event(struct json_object *ev, bool color);

#endif
