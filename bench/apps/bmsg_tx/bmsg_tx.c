/* bmsg_tx: floods bmsg_rx with 64-byte Relay Messages, REPS x MSGS; a refused one waits for room and is sent again. */
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_message.h>

#include "../bench_app.h"

static struct bench_msg msg;
static unsigned long long full_retries;
static struct bench_bell room; /* bmsg_rx rings it after every swap: there is room again */

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

/*
 * Flow control. tockhost runs one app at a time, so the receiver can swap only while the sender
 * waits: on a full slice the sender sleeps until the receiver's room bell rings, instead of
 * retrying until its timeslice ends. A bell that rang before this wait (for an earlier swap) only
 * earns one more try.
 */
static void wait_for_room(void)
{
	uint32_t offset;

	memcpy(&offset, room.slice + 4, sizeof(offset));
	if (offset == 0)
		yield_wait_for(DRIVER_NUM_IPC_RELAY_MESSAGE, 0);
	memset(room.slice, 0, 8); /* consumed: whatever rang, try again */
}

/* A full slice drops the message (ESIZE / EBUSY): wait for room and send it again. */
static returncode_t send_reliably(uint64_t receiver)
{
	for (;;) {
		returncode_t ret = libtocksync_ipc_relay_message_send(receiver, (const uint8_t*)&msg, sizeof(msg));

		if (ret != RETURNCODE_ESIZE && ret != RETURNCODE_EBUSY)
			return ret;
		full_retries++;
		wait_for_room();
	}
}

static returncode_t flood(uint64_t receiver, unsigned reps, unsigned msgs)
{
	returncode_t ret;

	msg = (struct bench_msg){.kind = BENCH_MSG_START, .t_ns = bench_now_ns(), .reps = reps, .msgs = msgs};
	ret = send_reliably(receiver);
	for (unsigned rep = 0; ret == RETURNCODE_SUCCESS && rep < reps; rep++) {
		uint32_t traps0 = bench_traps(), rtts0 = bench_round_trips();

		full_retries = 0;
		msg.kind = BENCH_MSG_DATA;
		msg.rep = rep;
		for (unsigned i = 0; ret == RETURNCODE_SUCCESS && i < msgs; i++)
			ret = send_reliably(receiver);
		msg.kind = BENCH_MSG_END;
		if (ret == RETURNCODE_SUCCESS)
			ret = send_reliably(receiver);
		if (ret == RETURNCODE_SUCCESS)
			printf("BENCH msgtx rep=%u msgs=%u full=%llu traps=%u rtts=%u\n", rep, msgs, full_retries,
			       (unsigned)(bench_traps() - traps0), (unsigned)(bench_round_trips() - rtts0));
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
	ret = bench_bell_init(&room, receiver);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("room_bell", ret);
	ret = flood(receiver, reps, msgs);
	return ret == RETURNCODE_SUCCESS ? 0 : bench_fail("send", ret);
}
