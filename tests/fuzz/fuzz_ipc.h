/* fuzz_ipc: what the harness's driver, result models and invariant checks share (state, snapshots, CHECK). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/ipc/ipc_identifier.h"
#include "capsules/ipc/ipc_registry_package_name.h"
#include "capsules/ipc/ipc_registry_string_name.h"
#include "capsules/ipc/ipc_relay_message.h"
#include "capsules/ipc/ipc_relay_request.h"
#include "hostkernel/kernel_ext.h" /* read-only peeks at upcall queues: which entries an operation added */
#include "hostkernel/fake/fake_backend.h"

#define FZ_MAX_PROCS 6
#define FZ_RAM 16384u
#define FZ_DATA (FZ_RAM / 2) /* below the initial break: valid for every allow */
#define FZ_MAX_ENDED 16
#define FZ_MAX_GONE 16

#define STR TOCK_DRIVER_IPC_REGISTRY_STRING_NAME
#define PKG TOCK_DRIVER_IPC_REGISTRY_PACKAGE_NAME
#define RR TOCK_DRIVER_IPC_RELAY_REQUEST
#define RM TOCK_DRIVER_IPC_RELAY_MESSAGE
#define BOGUS 0xA00FFu

#define CHECK(cond)                                                                                                \
	do {                                                                                                       \
		if (!(cond)) {                                                                                     \
			fprintf(stderr, "fuzz_ipc: invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);  \
			abort();                                                                                   \
		}                                                                                                  \
	} while (0)

/* What one slot looked like before an operation. */
struct fz_slot_snap {
	hk_pid pid;
	bool alive;
	uint32_t q_count;
	uint64_t dropped;
	bool rr_valid;
	struct ipc_relay_request_info rr;
	struct hk_buf slice; /* RM RW 0 view */
	uint8_t header[8];
	bool rm_valid;
	struct ipc_relay_message_info rm;
};

/* What the current operation is, so the checks know which changes it may make. */
struct fz_op {
	struct hk_process *actor; /* NULL for time and spawn */
	bool lifecycle;           /* may end or restart processes */
	bool pops_actor_queue;    /* yield / subscribe: the actor's queue may shrink */
	bool touches_actor_slice; /* the actor rewrote or re-allowed its own slice */
	uint32_t driver, cmd;     /* command only (driver 0 otherwise) */
	bool is_command;
	bool had_grant;             /* the actor's grant for driver existed before */
	uint64_t id;              /* the identifier argument */
	struct hk_fake_ret ret;
	int rm_target;            /* RM send: receiver slot, or -1 */
	uint32_t rm_expect;       /* the modelled result: 0 success, else the ErrorCode */
	uint64_t rm_record;       /* header + payload */
	uint8_t msg[1024];        /* the sender's message before the send (first bytes) */
	size_t msg_len;
};

struct fz {
	struct hk_fake_world *w;
	struct hk_kernel *k;
	struct ipc_registry_string_name *str;
	struct ipc_registry_package_name *pkg;
	struct ipc_relay_request *rr;
	struct ipc_relay_message *rm;
	struct hk_process_listener listener;
	uint32_t depth;
	bool policy;             /* the registries run fz_policy */
	size_t nsnap;            /* slots in before[] */
	struct hk_process *procs[FZ_MAX_PROCS];
	size_t nprocs;
	uint64_t old_ids[32]; /* identifiers of ended incarnations, for stale-id commands */
	size_t n_old;
	hk_pid ended[FZ_MAX_ENDED]; /* pids that ended during the current operation */
	size_t n_ended;
	struct fz_slot_snap before[FZ_MAX_PROCS];
	/* Relay Request round robin, as the harness models it: the client each server took last. */
	bool served_any[FZ_MAX_PROCS];
	hk_pid last_served[FZ_MAX_PROCS], served_by[FZ_MAX_PROCS];
	/* Relay Message upcall 1: the sender incarnations each receiver incarnation heard about. */
	hk_pid gone_for[FZ_MAX_PROCS];
	uint64_t gone[FZ_MAX_PROCS][FZ_MAX_GONE];
	size_t n_gone[FZ_MAX_PROCS];
};

/* ---- fuzz_ipc_model.c: what the harness knows about its processes; the modelled command results ---- */

bool fz_ended_now(const struct fz *f, hk_pid pid);
bool fz_alive(struct fz *f, size_t slot);
int fz_slot_of_pid(struct fz *f, hk_pid pid);
uint32_t fz_header_offset(const uint8_t *h);
bool fz_slice_header_ok(const uint8_t *h);
bool fz_list_has(const struct hk_robuf *list, uint64_t id);
/* Relay Message send, in the documented order of checks: 0 or the ErrorCode. */
uint32_t fz_model_rm_send(struct fz *f, struct fz_op *op, hk_pid sender, uint64_t rid);
/* Relay Request 0x22 / 0x23: the client the server must get (round robin), or -1 for NODEVICE. */
int fz_model_rr_pick(struct fz *f, size_t server, bool from_one, uint64_t id);
uint32_t fz_rr_role_now(struct fz *f, hk_pid pid, uint64_t *ret_peer);

/* ---- fuzz_ipc_check.c: snapshots before an operation, invariants after it ---- */

void fz_snapshot(struct fz *f);
void fz_check_all(struct fz *f, const struct fz_op *op);
