/* bshm_rx: maps the IPC Share region bshm_tx grants it and reads every round out of it, acking each. */
#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_share.h>

#include "../bench_app.h"

static uint8_t dst[BENCH_SHM_PIECE] __attribute__((aligned(64)));
static struct bench_bell bell;

/* Register, take the producer's grant (it may have come already: the upcall waits in the queue), map it. */
static returncode_t get_region(uint64_t* owner, const uint8_t** address)
{
	uint32_t region = 0, size = 0;
	returncode_t ret = libtocksync_ipc_registry_string_name_register_service((const uint8_t*)BENCH_SHM_RX_SERVICE,
	                                                                         strlen(BENCH_SHM_RX_SERVICE));

	if (ret == RETURNCODE_SUCCESS)
		ret = libtocksync_ipc_share_wait_for_grant(owner, &region);
	if (ret == RETURNCODE_SUCCESS)
		ret = libtocksync_ipc_share_map(region, &size, (void**)address);
	if (ret == RETURNCODE_SUCCESS && size != BENCH_SHM_REGION_SIZE)
		ret = RETURNCODE_ESIZE;
	return ret;
}

/* `count` rounds numbered on from *n: wait for each, copy the region out piece by piece, check the stamps, ack. */
static returncode_t rounds(const uint8_t* region, uint32_t* n, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		uint32_t seq = ++*n, head, tail;
		returncode_t ret;

		if (!bench_bell_wait(&bell, seq))
			return RETURNCODE_FAIL;
		for (uint32_t off = 0; off < BENCH_SHM_REGION_SIZE; off += BENCH_SHM_PIECE) {
			memcpy(dst, region + off, BENCH_SHM_PIECE);
			memcpy(&head, dst, sizeof(head));
			memcpy(&tail, dst + BENCH_SHM_PIECE - sizeof(tail), sizeof(tail));
			if (head != seq || tail != seq)
				return RETURNCODE_EINVAL; /* a torn or stale round */
		}
		ret = bench_bell_ring(&bell, seq);
		if (ret != RETURNCODE_SUCCESS)
			return ret;
	}
	return RETURNCODE_SUCCESS;
}

/* Mirrors bshm_tx: a rep is timed from the previous message sent to its last ack; the report waits for END. */
static returncode_t run(const uint8_t* region, const struct bench_shm_header* h)
{
	unsigned long long bytes = (unsigned long long)h->rounds * BENCH_SHM_REGION_SIZE;
	uint32_t n = 0;
	returncode_t ret = bench_bell_ring(&bell, BENCH_SHM_HELLO);

	if (ret == RETURNCODE_SUCCESS)
		ret = rounds(region, &n, h->warmup);
	for (unsigned rep = 0; ret == RETURNCODE_SUCCESS && rep < h->reps; rep++) {
		uint64_t t0 = bench_now_ns(), ns;

		ret = rounds(region, &n, h->rounds);
		ns = bench_now_ns() - t0;
		if (ret == RETURNCODE_SUCCESS && !bench_bell_wait(&bell, BENCH_SHM_END | rep))
			ret = RETURNCODE_FAIL;
		if (ret != RETURNCODE_SUCCESS)
			break;
		printf("BENCH shmrx rep=%u bytes=%llu ns=%llu\n", rep, bytes, (unsigned long long)ns);
		ret = bench_bell_ring(&bell, BENCH_SHM_END | rep); /* no region access after the last one: it may go */
	}
	return ret;
}

int main(void)
{
	const uint8_t* region = NULL;
	struct bench_shm_header h;
	uint64_t owner = 0;
	returncode_t ret = get_region(&owner, &region);

	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("map", ret);
	memcpy(&h, region, sizeof(h));
	if (h.magic != BENCH_SHM_MAGIC || h.region_size != BENCH_SHM_REGION_SIZE || h.piece != BENCH_SHM_PIECE ||
	    h.reps == 0 || h.rounds == 0)
		return bench_fail("region_header", RETURNCODE_EINVAL);
	ret = bench_bell_init(&bell, owner);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("doorbell", ret);
	ret = run(region, &h);
	return ret == RETURNCODE_SUCCESS ? 0 : bench_fail("round", ret);
}
