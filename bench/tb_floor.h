/* tockbench floors: the same work done by plain Linux processes, measured in the same run as the tockhost figure. */
#pragma once

#include "tb_stats.h"

/*
 * Two plain processes ping-pong `size`-byte messages over an AF_UNIX SOCK_SEQPACKET socketpair
 * (the trap channel's transport). One sample per rep: ns per round trip over iters round trips.
 * 0 or -errno.
 */
int tb_floor_pingpong(size_t size, unsigned reps, unsigned iters, struct tb_samples *ret_ns);

/*
 * One process streams `msgs` messages of `size` bytes to another over a SOCK_SEQPACKET socketpair
 * (blocking sends: the socket buffer is the flow control), which acknowledges the end of each rep.
 * One sample per rep: ns per message. 0 or -errno.
 */
int tb_floor_stream(size_t size, unsigned reps, unsigned msgs, struct tb_samples *ret_ns);

/* fork + execve(/bin/true) + wait, `count` times in a row. One sample per rep: ns for all count. 0 or -errno. */
int tb_floor_spawn_true(unsigned count, unsigned reps, struct tb_samples *ret_ns);

/*
 * The memory path of the shared-region row without the apps: per round, fill a region_size buffer
 * from a piece-sized source, piece by piece (each piece stamped with the round), then copy it out
 * piece by piece into a piece-sized destination, checking the stamps: what bshm_tx and bshm_rx do
 * to the IPC Share region, minus the handover between them. Four untimed rounds first. One sample
 * per rep: ns per round over `rounds` rounds. 0 or -errno.
 */
int tb_floor_memcpy(size_t region_size, size_t piece, unsigned reps, unsigned rounds, struct tb_samples *ret_ns);
