/* Internals of the control service shared by its files: instance state, per-client state, helpers. */
#ifndef TOCKHOST_CONTROL_INTERNAL_H
#define TOCKHOST_CONTROL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "basic/clock.h"
#include "basic/error_code.h"
#include "control/control.h"
#include "control/request.h"
#include "hostkernel/trace.h"
#include "hostkernel/kernel.h"

struct hk_ctlsock;
struct hk_ctlsock_client;

#define CONTROL_MAX_DRIVER_STATS 32
#define CONTROL_LATENCY_WINDOW 4096 /* the last this many Relay Request round trips feed p50/p99 */
#define CONTROL_MAX_PENDING_RPC 256

/* Counters per driver number, from the trace hook. */
struct control_driver_stats {
	uint32_t driver;
	uint64_t subscribes, commands, command_failures, allows, upcalls, upcalls_dropped, copies, bytes_copied;
};

struct control_pending_rpc {
	hk_pid client;
	uint64_t sent_ns;
};

struct control_stats {
	struct control_driver_stats drivers[CONTROL_MAX_DRIVER_STATS];
	size_t n_drivers;
	uint64_t syscalls, other_driver_events;
	struct control_pending_rpc pending[CONTROL_MAX_PENDING_RPC];
	size_t n_pending;
	uint64_t latency[CONTROL_LATENCY_WINDOW]; /* ring of round-trip times, ns */
	uint64_t n_latency, rpc_failed, rpc_untracked;
	uint64_t trace_events, trace_dropped;
};

/* A trace subscription's filter. */
struct control_trace_filter {
	bool has_pid, has_driver, all;
	uint32_t pid, driver;
	char app[CONTROL_APP_NAME_MAX]; /* "" = any */
};

struct control_client_state {
	struct hk_ctlsock_client *client;
	bool tracing;
	struct control_trace_filter filter;
	uint64_t dropped; /* events not queued since the last one that was */
	struct control_client_state *next_trace;
};

struct control_service {
	struct hk_linux *lx;
	struct hk_kernel *k;
	bool virtual_time;
	struct hk_ctlsock *srv;
	struct hk_tracer tracer;
	struct control_ipc ipc;
	struct control_stats stats;
	struct control_client_state *tracing; /* clients with a trace stream */
	uint64_t start_ns;                    /* CLOCK_MONOTONIC at start: trace times are relative to it */
};

/* service.c: reply helpers */
struct json_object *control_reply_new(const struct control_request *req); /* {"v":1,"ok":true[,"id":...]} */
void control_send(struct control_service *cs, struct hk_ctlsock_client *c, struct json_object *reply); /* consumes reply */
void control_send_error(struct control_service *cs, struct hk_ctlsock_client *c, struct json_object *id,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* json.c: small builders */
struct json_object *control_json_u64(uint64_t v);
struct json_object *control_json_id(uint64_t ipc_id);                 /* "0x%016llx" */
struct json_object *control_json_bytes(const uint8_t *b, size_t len); /* printable text, \xNN for the rest */
struct json_object *control_json_hex(const uint8_t *b, size_t len);
const char *control_variant_name(uint32_t variant);
const char *control_driver_name(struct hk_kernel *k, uint32_t driver); /* ops name or NULL */
bool control_driver_is_ipc(struct hk_kernel *k, uint32_t driver);

/* state.c: ps, services, relay, stats */
void control_add_ps(struct control_service *cs, struct json_object *reply);
void control_add_services(struct control_service *cs, struct json_object *reply);
void control_add_relay(struct control_service *cs, struct json_object *reply);
void control_add_stats(struct control_service *cs, struct json_object *reply);

/* share.c: shares */
void control_add_shares(struct control_service *cs, struct json_object *reply);

/* trace.c: the kernel tracer (stats always, stream to subscribers) */
void control_tracer_event(struct hk_tracer *self, struct hk_kernel *k, const struct hk_trace_event *ev);
struct json_object *control_trace_event_json(struct control_service *cs, const struct hk_trace_event *ev);
bool control_trace_match(struct control_service *cs, const struct control_trace_filter *f, const struct hk_trace_event *ev);

/* decode.c: syscalls and upcalls named and decoded from the driver's ABI description (hk_driver_ops.abi) */
void control_decode_syscall(struct control_service *cs, const struct hk_trace_syscall *s, struct json_object *o);
void control_decode_upcall(struct control_service *cs, const struct hk_trace_upcall *u, struct json_object *o);
/* Does fmt follow the tock_abi_call format grammar (tock/driver_abi.h) to its end? NULL and "" do. */
bool control_format_valid(const char *fmt);

#endif
