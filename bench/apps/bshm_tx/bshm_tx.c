/* bshm_tx: fills an IPC Share region REPS x ROUNDS times for bshm_rx, which maps it and reads every round back. */
#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_share.h>

#include "../bench_app.h"

static uint8_t src[BENCH_SHM_PIECE] __attribute__((aligned(64)));
static struct bench_bell bell;

/* Wait until the consumer has registered its name (it does so before waiting for the grant). */
static returncode_t find_consumer(uint64_t* id)
{
	for (;;) {
		returncode_t ret = libtocksync_ipc_registry_string_name_discover_service(
			(const uint8_t*)BENCH_SHM_RX_SERVICE, strlen(BENCH_SHM_RX_SERVICE), id);

		if (ret != RETURNCODE_ENODEVICE)
			return ret;
		ret = libtocksync_ipc_registry_string_name_wait_for_service_registered();
		if (ret != RETURNCODE_SUCCESS)
			return ret;
	}
}

/* `count` rounds numbered on from *n: fill the region piece by piece from src, each piece stamped with the round. */
static returncode_t rounds(uint8_t* region, uint32_t* n, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		uint32_t seq = ++*n;
		returncode_t ret;

		memcpy(src, &seq, sizeof(seq));
		memcpy(src + BENCH_SHM_PIECE - sizeof(seq), &seq, sizeof(seq));
		for (uint32_t off = 0; off < BENCH_SHM_REGION_SIZE; off += BENCH_SHM_PIECE)
			memcpy(region + off, src, BENCH_SHM_PIECE);
		ret = bench_bell_ring(&bell, seq);
		if (ret != RETURNCODE_SUCCESS)
			return ret;
		if (!bench_bell_wait(&bell, seq))
			return RETURNCODE_FAIL;
	}
	return RETURNCODE_SUCCESS;
}

/* The warm-up, then the timed reps; each rep is closed by an END exchange, outside both sides' timing. */
static returncode_t run(uint8_t* region, unsigned reps, unsigned count)
{
	unsigned long long bytes = (unsigned long long)count * BENCH_SHM_REGION_SIZE;
	uint32_t n = 0;
	returncode_t ret = bench_bell_wait(&bell, BENCH_SHM_HELLO) ? RETURNCODE_SUCCESS : RETURNCODE_FAIL;

	if (ret == RETURNCODE_SUCCESS)
		ret = rounds(region, &n, BENCH_SHM_WARMUP);
	for (unsigned rep = 0; ret == RETURNCODE_SUCCESS && rep < reps; rep++) {
		uint64_t t0 = bench_now_ns();

		ret = rounds(region, &n, count);
		if (ret != RETURNCODE_SUCCESS)
			break;
		printf("BENCH shm rep=%u bytes=%llu ns=%llu region=%u piece=%u\n", rep, bytes,
		       (unsigned long long)(bench_now_ns() - t0), BENCH_SHM_REGION_SIZE, BENCH_SHM_PIECE);
		ret = bench_bell_ring(&bell, BENCH_SHM_END | rep);
		if (ret == RETURNCODE_SUCCESS && !bench_bell_wait(&bell, BENCH_SHM_END | rep))
			ret = RETURNCODE_FAIL;
	}
	return ret;
}

int main(void)
{
	unsigned reps, count;
	uint32_t region = 0;
	uint8_t* address = NULL;
	uint64_t consumer;
	returncode_t ret;

	if (bench_read_params(&reps, &count) != 0)
		return bench_fail("params", RETURNCODE_EINVAL);
	if (!libtocksync_ipc_share_exists())
		return bench_fail("share_driver", RETURNCODE_ENODEVICE);
	ret = libtocksync_ipc_share_create(BENCH_SHM_REGION_SIZE, &region, (void**)&address);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("create", ret);
	*(struct bench_shm_header*)address = (struct bench_shm_header){
		BENCH_SHM_MAGIC, reps, count, BENCH_SHM_WARMUP, BENCH_SHM_REGION_SIZE, BENCH_SHM_PIECE};
	ret = find_consumer(&consumer);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("discover", ret);
	ret = bench_bell_init(&bell, consumer); /* before the grant: the consumer's HELLO must find us listening */
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("doorbell", ret);
	ret = libtocksync_ipc_share_grant(consumer, region, false);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("grant", ret);
	ret = run(address, reps, count);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("round", ret);
	libtocksync_ipc_share_destroy(region);
	return 0;
}
