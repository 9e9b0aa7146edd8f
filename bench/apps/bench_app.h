/* Helpers shared by the tockbench apps: parameters from the console, a monotonic clock, the report line. */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libtock-sync/interface/console.h>
#include <libtock/tock.h>

/* Service names the bench apps find each other by (string registry, at most 20 bytes). */
#define BENCH_RPC_SERVICE "tockbench.rpc"
#define BENCH_MSG_TX_SERVICE "tockbench.msg.tx"
#define BENCH_MSG_RX_SERVICE "tockbench.msg.rx"

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
