/* bmsg_rx: receives bmsg_tx's flood through a two-buffer StreamingProcessSlice and times each rep. */
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_message.h>

#include "../bench_app.h"

#define SLICE_SIZE 16384 /* room for 215 records of 76 bytes per swap */

static uint8_t slice_a[SLICE_SIZE];
static uint8_t slice_b[SLICE_SIZE];
static uint64_t allowlist[1];
static uint32_t room_bell; /* the 4-byte message that tells bmsg_tx a swap made room */

struct rx_state {
	uint64_t t_prev; /* end of the previous rep (the sender's start for rep 0) */
	unsigned count;  /* data messages in the current rep */
	unsigned swaps, overflows;
	uint32_t traps0, rtts0; /* bench_traps() and bench_round_trips() when the current rep began */
	bool done;
};

static returncode_t find_sender(uint64_t* id)
{
	for (;;) {
		returncode_t ret = libtocksync_ipc_registry_string_name_discover_service(
			(const uint8_t*)BENCH_MSG_TX_SERVICE, strlen(BENCH_MSG_TX_SERVICE), id);

		if (ret != RETURNCODE_ENODEVICE)
			return ret;
		ret = libtocksync_ipc_registry_string_name_wait_for_service_registered();
		if (ret != RETURNCODE_SUCCESS)
			return ret;
	}
}

/* One record: count data, and at a rep's end print how long the rep took from end to end. */
static void on_message(struct rx_state* st, const uint8_t* data, uint32_t len)
{
	struct bench_msg m;

	if (len != sizeof(m))
		return;
	memcpy(&m, data, sizeof(m)); /* records are not aligned */
	if (m.kind == BENCH_MSG_START) {
		st->t_prev = m.t_ns;
		st->traps0 = bench_traps();
		st->rtts0 = bench_round_trips();
	} else if (m.kind == BENCH_MSG_DATA) {
		st->count++;
	} else if (m.kind == BENCH_MSG_END) {
		uint64_t now = bench_now_ns();

		uint32_t traps = bench_traps() - st->traps0, rtts = bench_round_trips() - st->rtts0;

		printf("BENCH msg rep=%u msgs=%u ns=%llu swaps=%u overflows=%u traps=%u rtts=%u\n", m.rep, st->count,
		       (unsigned long long)(now - st->t_prev), st->swaps, st->overflows, (unsigned)traps, (unsigned)rtts);
		st->traps0 = bench_traps(); /* the next rep's count starts after this line's console write */
		st->rtts0 = bench_round_trips();
		st->t_prev = now; /* back to back: the sender never paused, so neither does the clock */
		st->count = st->swaps = st->overflows = 0;
		st->done = m.rep + 1 >= m.reps;
	}
}

static returncode_t receive_all(streaming_process_slice_state_t* slice)
{
	struct rx_state st = {0};

	while (!st.done) {
		uint8_t* payload;
		uint32_t len;
		bool exceeded;
		libtock_ipc_relay_message_iter_t it;
		uint64_t sender;
		const uint8_t* data;
		uint32_t data_len;
		returncode_t ret = libtocksync_ipc_relay_message_receive(slice, &payload, &len, &exceeded);

		if (ret != RETURNCODE_SUCCESS)
			return ret;
		st.swaps++;
		st.overflows += exceeded;
		/* Room again: ring the sender's bell (a full bell slice means it has one pending anyway). */
		room_bell = st.swaps;
		(void)libtocksync_ipc_relay_message_send(allowlist[0], (const uint8_t*)&room_bell, sizeof(room_bell));
		libtock_ipc_relay_message_iter_init(&it, payload, len);
		while (libtock_ipc_relay_message_iter_next(&it, &sender, &data, &data_len))
			on_message(&st, data, data_len);
	}
	return RETURNCODE_SUCCESS;
}

int main(void)
{
	streaming_process_slice_state_t slice;
	returncode_t ret;

	ret = find_sender(&allowlist[0]);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("discover", ret);
	ret = libtock_ipc_relay_message_receiver_init(&slice, slice_a, sizeof(slice_a), slice_b, sizeof(slice_b));
	if (ret == RETURNCODE_SUCCESS)
		ret = libtocksync_ipc_relay_message_receiver_enable(&slice, allowlist, 1);
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("receiver_enable", ret);
	ret = libtocksync_ipc_registry_string_name_register_service((const uint8_t*)BENCH_MSG_RX_SERVICE,
	                                                            strlen(BENCH_MSG_RX_SERVICE));
	if (ret != RETURNCODE_SUCCESS)
		return bench_fail("register", ret);
	ret = receive_all(&slice);
	return ret == RETURNCODE_SUCCESS ? 0 : bench_fail("receive", ret);
}
