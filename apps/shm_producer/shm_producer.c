/* shm_producer: fills a ring of sensor samples in a shared region; Relay Request only hands the region over. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock-sync/ipc/ipc_share.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#include "shm_ring.h"

/* Wait for one consumer's request, grant it the region (read-write: it advances tail), answer with the id. */
static int hand_over(uint32_t region)
{
	uint8_t request[4];
	size_t len = sizeof(request);
	uint64_t consumer = 0;
	returncode_t r = libtocksync_ipc_relay_request_server_wait_for_request(&consumer, request, &len);

	if (r != RETURNCODE_SUCCESS && r != RETURNCODE_ESIZE) {
		printf("shm_producer: no request: %s\n", tock_strrcode(r));
		return -1;
	}
	r = libtocksync_ipc_share_grant(consumer, region, true);
	if (r != RETURNCODE_SUCCESS)
		printf("shm_producer: grant failed: %s\n", tock_strrcode(r));
	libtocksync_ipc_relay_request_server_send_response((uint8_t*)&region, r == RETURNCODE_SUCCESS ? sizeof(region) : 0);
	return r == RETURNCODE_SUCCESS ? 0 : -1;
}

static void produce(struct shm_ring* ring)
{
	unsigned waits = 0;

	for (uint32_t seq = 0; seq < SHM_SAMPLES; seq++) {
		while (ring->head - ring->tail >= ring->slots) { /* full: the consumer is behind */
			waits++;
			libtocksync_alarm_delay_ms(1);
		}
		ring->sample[seq % ring->slots] = (struct shm_sample){ seq, shm_sample_value(seq) };
		__atomic_thread_fence(__ATOMIC_RELEASE);
		ring->head = seq + 1;
		if (seq % 16 == 15)
			libtocksync_alarm_delay_ms(1);
	}
	while (ring->tail != ring->head)
		libtocksync_alarm_delay_ms(1);
	printf("shm_producer: %u samples consumed (waited %u times for room)\n", SHM_SAMPLES, waits);
}

int main(void)
{
	struct shm_ring* ring = NULL;
	uint32_t region = 0;
	returncode_t r;

	if (!libtocksync_ipc_share_exists()) {
		printf("shm_producer: no IPC Share driver\n");
		return 1;
	}
	r = libtocksync_ipc_share_create(SHM_RING_REGION_SIZE, &region, (void**)&ring);
	if (r != RETURNCODE_SUCCESS) {
		printf("shm_producer: create failed: %s\n", tock_strrcode(r));
		return 1;
	}
	ring->magic = SHM_RING_MAGIC;
	ring->slots = SHM_RING_SLOTS;
	if (libtocksync_ipc_relay_request_server_enable_requests() != RETURNCODE_SUCCESS ||
	    libtocksync_ipc_registry_package_name_register_service() != RETURNCODE_SUCCESS) {
		printf("shm_producer: cannot offer the region\n");
		return 1;
	}
	printf("shm_producer: region %u at %p, waiting for a consumer\n", (unsigned)region, (void*)ring);
	if (hand_over(region) < 0)
		return 1;
	produce(ring);
	libtocksync_ipc_share_destroy(region);
	return 0;
}
