/* bmsg_tx: floods bmsg_rx with 64-byte Relay Messages, REPS x MSGS, retrying each one the receiver had no room for. */
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_message.h>

#include "../bench_app.h"

static struct bench_msg msg;
static unsigned long long full_retries;

/* Wait until the receiver has registered (it registers only after enabling reception). */
static returncode_t find_receiver(uint64_t* id)
{
	for (;;) {
		returncode_t ret = libtocksync_ipc_registry_string_name_discover_service(
			(const uint8_t*)BENCH_MSG_RX_SERVICE, strlen(BENCH_MSG_RX_SERVICE), id);

		if (ret != RETURNCODE_ENODEVICE)
			return ret;
		ret = libtocksync_ipc_registry_string_name_wait_for_service_registered();
		if (ret != RETURNCODE_SUCCESS)
			return ret;
	}
}

/* A full slice drops the message (ESIZE / EBUSY): send it again until the receiver has swapped. */
static returncode_t send_reliably(uint64_t receiver)
{
	for (;;) {
		returncode_t ret = libtocksync_ipc_relay_message_send(receiver, (const uint8_t*)&msg, sizeof(msg));

		if (ret != RETURNCODE_ESIZE && ret != RETURNCODE_EBUSY)
			return ret;
		full_retries++;
	}
}

static returncode_t flood(uint64_t receiver, unsigned reps, unsigned msgs)
{
	returncode_t ret;

	msg = (struct bench_msg){.kind = BENCH_MSG_START, .t_ns = bench_now_ns(), .reps = reps, .msgs = msgs};
	ret = send_reliably(receiver);
	for (unsigned rep = 0; ret == RETURNCODE_SUCCESS && rep < reps; rep++) {
		uint32_t traps0 = bench_traps();

		full_retries = 0;
		msg.kind = BENCH_MSG_DATA;
		msg.rep = rep;
		for (unsigned i = 0; ret == RETURNCODE_SUCCESS && i < msgs; i++)
			ret = send_reliably(receiver);
		msg.kind = BENCH_MSG_END;
		if (ret == RETURNCODE_SUCCESS)
			ret = send_reliably(receiver);
		if (ret == RETURNCODE_SUCCESS)
			printf("BENCH msgtx rep=%u msgs=%u full=%llu traps=%u\n", rep, msgs, full_retries,
			       (unsigned)(bench_traps() - traps0));
	}
	return ret;
}

int main(void)
{
	unsigned reps, msgs;
	uint64_t receiver;
	returncode_t ret;

	if (bench_read_params(&reps, &msgs) != 0)
		return bench_fail("params", RETURNCODE_EINVAL);
	ret = libtocksync_ipc_registry_string_name_register_service((const uint8_t*)BENCH_MSG_TX_SERVICE,
	                                                            strlen(BENCH_MSG_TX_SERVICE));
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("register", ret);
	ret = find_receiver(&receiver);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("discover", ret);
	ret = flood(receiver, reps, msgs);
	return ret == RETURNCODE_SUCCESS ? 0 : bench_fail("send", ret);
}
