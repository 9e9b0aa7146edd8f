/* brpc_client: times Relay Request round trips (16 B and 4 KiB, echoed by brpc_server), REPS x ITERS each. */
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>

#include "../bench_app.h"

#define MAX_PAYLOAD 4096

static uint8_t request[MAX_PAYLOAD];
static uint8_t response[MAX_PAYLOAD];

/* Wait until the server has registered, then return its identifier. */
static returncode_t find_server(uint64_t* id)
{
	for (;;) {
		returncode_t ret = libtocksync_ipc_registry_string_name_discover_service(
			(const uint8_t*)BENCH_RPC_SERVICE, strlen(BENCH_RPC_SERVICE), id);

		if (ret != RETURNCODE_ENODEVICE)
			return ret;
		ret = libtocksync_ipc_registry_string_name_wait_for_service_registered();
		if (ret != RETURNCODE_SUCCESS)
			return ret;
	}
}

/* ITERS round trips of size bytes each way; a short echo counts as a failure. */
static returncode_t rpc_loop(uint64_t server, size_t size, unsigned iters)
{
	for (unsigned i = 0; i < iters; i++) {
		size_t got = size;
		returncode_t ret;

		request[0] = (uint8_t)i;
		ret = libtocksync_ipc_relay_request_client_send_request(server, request, size, response, &got);
		if (ret != RETURNCODE_SUCCESS)
			return ret;
		if (got != size || response[0] != (uint8_t)i)
			return RETURNCODE_EBADRVAL;
	}
	return RETURNCODE_SUCCESS;
}

static returncode_t run_size(uint64_t server, size_t size, unsigned reps, unsigned iters)
{
	returncode_t ret = rpc_loop(server, size, iters < 50 ? iters : 50); /* warm-up */

	for (unsigned rep = 0; ret == RETURNCODE_SUCCESS && rep < reps; rep++) {
		uint32_t traps0 = bench_traps(), rtts0 = bench_round_trips();
		uint64_t t0 = bench_now_ns(), ns;

		ret = rpc_loop(server, size, iters);
		ns = bench_now_ns() - t0;
		if (ret == RETURNCODE_SUCCESS)
			printf("BENCH rpc%zu rep=%u iters=%u ns=%llu traps=%u rtts=%u\n", size, rep, iters,
			       (unsigned long long)ns, (unsigned)(bench_traps() - traps0),
			       (unsigned)(bench_round_trips() - rtts0));
	}
	return ret;
}

int main(void)
{
	static const size_t sizes[] = {16, MAX_PAYLOAD};
	unsigned reps, iters;
	uint64_t server;
	size_t got;
	returncode_t ret;

	if (bench_read_params(&reps, &iters) != 0)
		return bench_fail("params", RETURNCODE_EINVAL);
	ret = find_server(&server);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("discover", ret);
	memset(request, 0xa5, sizeof(request));
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		ret = run_size(server, sizes[s], reps, iters);
		if (ret != RETURNCODE_SUCCESS)
			return bench_fail("send_request", ret);
	}
	request[0] = 'Q';
	got = 1;
	ret = libtocksync_ipc_relay_request_client_send_request(server, request, 1, response, &got);
	return ret == RETURNCODE_SUCCESS ? 0 : bench_fail("quit", ret);
}
