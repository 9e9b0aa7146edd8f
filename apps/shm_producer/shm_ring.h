/* shm_producer / shm_consumer: the ring buffer of sensor samples that lives in an IPC Share region. */
#pragma once

#include <stdint.h>

#define SHM_PRODUCER_PACKAGE "org.tockhost.shm_producer"
#define SHM_RING_MAGIC 0x53484d52u /* "RMHS" */
#define SHM_RING_REGION_SIZE 4096u /* a power of two: valid for every MPU model */
#define SHM_RING_SLOTS 64u         /* small on purpose, so the producer feels backpressure */
#define SHM_SAMPLES 1000u

struct shm_sample {
	uint32_t seq;
	int32_t millicelsius; /* a made-up temperature: a function of seq, so the consumer can check it */
};

/*
 * Single producer, single consumer. The producer writes slot head % SLOTS, then advances head;
 * the consumer reads slot tail % SLOTS, then advances tail. Each index is written by one side
 * only, so the consumer writes (tail) too: it is granted the region read-write. On a microcontroller the
 * same layout would work with the same two indices.
 */
struct shm_ring {
	uint32_t magic;
	uint32_t slots;
	volatile uint32_t head; /* producer */
	volatile uint32_t tail; /* consumer */
	struct shm_sample sample[SHM_RING_SLOTS];
};

_Static_assert(sizeof(struct shm_ring) <= SHM_RING_REGION_SIZE, "the ring fits its region");

static inline int32_t shm_sample_value(uint32_t seq)
{
	return 21000 + (int32_t)((seq * 37u) % 2000u) - 1000;
}
