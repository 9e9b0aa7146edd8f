/* shm_consumer: asks shm_producer for its region over Relay Request, maps it, drains the sample ring. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock-sync/ipc/ipc_share.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#include "../shm_producer/shm_ring.h"

static uint64_t discover_producer(void)
{
	static const char package[] = SHM_PRODUCER_PACKAGE;
	uint64_t id = 0;

	while (libtocksync_ipc_registry_package_name_discover_service((const uint8_t*)package, strlen(package), &id) !=
	       RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(5);
	return id;
}

/* The region's id comes back as the response; the grant itself arrived as upcall 0 meanwhile. */
static struct shm_ring* get_ring(uint64_t producer)
{
	uint32_t region = 0, size = 0;
	size_t got = sizeof(region);
	void* address = NULL;
	returncode_t r = libtocksync_ipc_relay_request_client_send_request(producer, (uint8_t*)"ring", 4,
	                                                                    (uint8_t*)&region, &got);

	if (r != RETURNCODE_SUCCESS || got != sizeof(region)) {
		printf("shm_consumer: no region from the producer: %s\n", tock_strrcode(r));
		return NULL;
	}
	r = libtocksync_ipc_share_map(region, &size, &address);
	if (r != RETURNCODE_SUCCESS) {
		printf("shm_consumer: map failed: %s\n", tock_strrcode(r));
		return NULL;
	}
	printf("shm_consumer: mapped region %u (%u bytes) at %p\n", (unsigned)region, (unsigned)size, address);
	return address;
}

int main(void)
{
	struct shm_ring* ring = get_ring(discover_producer());
	int64_t sum = 0;

	if (!ring || ring->magic != SHM_RING_MAGIC || ring->slots != SHM_RING_SLOTS) {
		printf("shm_consumer: not a sample ring\n");
		return 1;
	}
	for (uint32_t seq = 0; seq < SHM_SAMPLES; seq++) {
		struct shm_sample s;

		while (ring->head == ring->tail)
			libtocksync_alarm_delay_ms(1);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s = ring->sample[ring->tail % ring->slots];
		if (s.seq != seq || s.millicelsius != shm_sample_value(seq)) {
			printf("shm_consumer: sample %u is wrong (seq %u, value %d)\n", (unsigned)seq, (unsigned)s.seq,
			       (int)s.millicelsius);
			return 1;
		}
		sum += s.millicelsius;
		ring->tail = seq + 1;
	}
	printf("shm_consumer: %u samples in order, mean %d.%03d C\n", SHM_SAMPLES,
	       (int)(sum / SHM_SAMPLES / 1000), (int)(sum / SHM_SAMPLES % 1000));
	return 0;
}
