/* Helpers shared by the tockbench apps: parameters from the console, a clock, the report line, a doorbell. */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libtock-sync/interface/console.h>
#include <libtock/ipc/ipc_relay_message.h>
#include <libtock/tock.h>

/* Service names the bench apps find each other by (string registry, at most 20 bytes). */
#define BENCH_RPC_SERVICE "tockbench.rpc"
#define BENCH_MSG_TX_SERVICE "tockbench.msg.tx"
#define BENCH_MSG_RX_SERVICE "tockbench.msg.rx"

/* The runner's frame counter (one per Tock syscall of this process), exported by tock-proc. */
extern uint32_t tock_proc_trap_seq __attribute__((weak));

/* Tock syscalls (traps) this process has made so far: tockbench reports traps per operation. */
static inline uint32_t bench_traps(void)
{
	return &tock_proc_trap_seq ? tock_proc_trap_seq : 0;
}

/* The runner's count of trap round trips (a syscall chain is one), exported by tock-proc. */
extern uint32_t tock_proc_trap_round_trips __attribute__((weak));

static inline uint32_t bench_round_trips(void)
{
	return &tock_proc_trap_round_trips ? tock_proc_trap_round_trips : 0;
}

/* CLOCK_MONOTONIC is a vDSO call inside the sandbox, and shared by every process on the host. */
static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * tockbench feeds "REPS ITERS\n" on tockhost's stdin (--stdin-app routes it to one app); read it a
 * byte at a time (the console reads exact lengths). 0 on success, -1 on a bad or missing line.
 */
static inline int bench_read_params(unsigned* reps, unsigned* iters)
{
	char line[64];
	size_t len = 0;
	char* end;

	while (len < sizeof(line) - 1) {
		uint8_t c;
		uint32_t got = 0;

		if (libtocksync_console_read(&c, 1, &got) != RETURNCODE_SUCCESS || got != 1)
			return -1;
		if (c == '\n')
			break;
		line[len++] = (char)c;
	}
	line[len] = '\0';
	*reps = (unsigned)strtoul(line, &end, 10);
	*iters = (unsigned)strtoul(end, &end, 10);
	return (*reps > 0 && *iters > 0) ? 0 : -1;
}

/* Say why the benchmark cannot go on, in a line tockbench recognizes, and give the exit status. */
static inline int bench_fail(const char* what, returncode_t ret)
{
	printf("BENCH error what=%s ret=%s\n", what, tock_strrcode(ret));
	return 1;
}

/* The 64-byte message bmsg_tx floods bmsg_rx with; the first and the per-rep markers carry the control data. */
enum bench_msg_kind {
	BENCH_MSG_START = 1, /* t_ns = the sender's clock when it began; reps, msgs = the plan */
	BENCH_MSG_DATA = 2,
	BENCH_MSG_END = 3, /* rep `rep` is complete (every message before it was delivered) */
};

struct bench_msg {
	uint32_t kind;
	uint32_t rep;
	uint64_t t_ns;
	uint32_t reps;
	uint32_t msgs;
	uint8_t pad[40];
};

_Static_assert(sizeof(struct bench_msg) == 64, "bench messages are 64 bytes");

/*
 * The shared-region benchmark (bshm_tx -> bshm_rx): a 4 MiB IPC Share region (a power of two, so
 * the default cortex-m MPU model takes it) is the payload, written and read in 64 KiB pieces.
 * tockhost runs one app at a time (doc/deviations.md), so a waiter spinning on a word in the region
 * would keep the CPU until its timeslice ends; the apps hand the CPU over with a doorbell instead
 * (below), once per region-sized round, and the region is large so that the copying, not the
 * handover, dominates a round.
 */
#define BENCH_SHM_RX_SERVICE "tockbench.shm.rx"
#define BENCH_SHM_REGION_SIZE (4u << 20)
#define BENCH_SHM_PIECE (64u << 10)
#define BENCH_SHM_WARMUP 4u /* untimed rounds first: the region's pages are faulted in, the caches warm */
#define BENCH_SHM_MAGIC 0x62736832u

/* What bshm_tx writes at the start of the region before granting it; the rounds overwrite it. */
struct bench_shm_header {
	uint32_t magic, reps, rounds, warmup, region_size, piece;
};

/*
 * Doorbell messages (4 bytes, on Relay Message): rounds are numbered 1, 2, ... and each is acked
 * with its own number; BENCH_SHM_HELLO says the consumer is mapped and listening; END | rep
 * closes a rep (outside both sides' timing) and is echoed. Strictly one message in flight.
 */
#define BENCH_SHM_HELLO 0xffffffffu
#define BENCH_SHM_END 0x80000000u

/*
 * A doorbell on IPC Relay Message with its allows made once: ringing is one command (send a
 * 4-byte number), waiting is one Yield-WaitFor on "messages appended", which blocks and lets the
 * scheduler run the peer. Only one message is ever in flight, so the slice never holds more than
 * one record and resetting its header cannot race with the kernel appending.
 */
struct bench_bell {
	uint64_t peer; /* the allowlist */
	uint32_t out; /* the message (read-only allow 0) */
	uint8_t slice[64]; /* the StreamingProcessSlice: 8-byte header, then records of 12 + 4 bytes */
};

static inline returncode_t bench_bell_init(struct bench_bell* b, uint64_t peer)
{
	returncode_t ret;

	b->peer = peer;
	memset(b->slice, 0, sizeof(b->slice));
	ret = libtock_ipc_relay_message_set_readwrite_allow_slice(b->slice, sizeof(b->slice));
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_message_set_readonly_allow_allowlist(&b->peer, 1);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_message_set_readonly_allow_message((const uint8_t*)&b->out, sizeof(b->out));
	if (ret == RETURNCODE_SUCCESS)
		ret = libtock_ipc_relay_message_command_receiver_enable();
	return ret;
}

static inline returncode_t bench_bell_ring(struct bench_bell* b, uint32_t number)
{
	b->out = number;
	return libtock_ipc_relay_message_command_send(b->peer);
}

/* Block until the peer rings; true if it sent `want` (anything else breaks the protocol). */
static inline bool bench_bell_wait(struct bench_bell* b, uint32_t want)
{
	uint32_t offset, got;

	for (;;) {
		yield_wait_for(DRIVER_NUM_IPC_RELAY_MESSAGE, 0);
		memcpy(&offset, b->slice + 4, sizeof(offset));
		if (offset != 0)
			break;
	}
	memcpy(&got, b->slice + 8 + LIBTOCK_IPC_RELAY_MESSAGE_RECORD_HEADER_LEN, sizeof(got));
	memset(b->slice, 0, 8); /* consumed: offset 0, flags clear */
	return offset == LIBTOCK_IPC_RELAY_MESSAGE_RECORD_HEADER_LEN + sizeof(got) && got == want;
}
