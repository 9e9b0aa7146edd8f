/* ipc_flood_sender: floods a Relay Message receiver until its slice is full, then keeps sending; prints every send's result. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_string_name.h>
#include <libtock-sync/ipc/ipc_relay_message.h>
#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#include "../ipc_flood_receiver/ipc_flood.h"

#define EXTRA_AFTER_FULL 3 /* back-to-back sends after the first SIZE: smaller ones may still fit */
#define PHASE2_ACKS 10
#define MAX_ATTEMPTS 200
#define PERIOD_MS 10

static uint64_t receiver;
static uint32_t next_k = 1;

static returncode_t send_one(uint32_t k)
{
	static uint8_t msg[32];
	size_t len = flood_message(k, msg);
	returncode_t r = libtocksync_ipc_relay_message_send(receiver, msg, len);

	if (k & FLOOD_END_FLAG)
		printf("send end: %d\n", r);
	else
		printf("send #%lu: %d\n", (unsigned long)k, r);
	return r;
}

int main(void)
{
	unsigned acks = 0, extra = 0, attempts = 0;
	bool full = false, busy = false;

	if (libtocksync_ipc_registry_string_name_register_service((const uint8_t*)FLOOD_SENDER_NAME,
	                                                          strlen(FLOOD_SENDER_NAME)) != RETURNCODE_SUCCESS) {
		printf("ipc_flood_sender: cannot register\n");
		return 1;
	}
	while (libtocksync_ipc_registry_string_name_discover_service((const uint8_t*)FLOOD_RECEIVER_NAME,
	                                                              strlen(FLOOD_RECEIVER_NAME), &receiver) !=
	       RETURNCODE_SUCCESS)
		libtocksync_alarm_delay_ms(PERIOD_MS);

	/* Phase 1: back to back until the slice is full (the receiver does not swap meanwhile). */
	while (extra < EXTRA_AFTER_FULL && attempts++ < MAX_ATTEMPTS) {
		returncode_t r = send_one(next_k++);

		full = full || r == RETURNCODE_ESIZE;
		if (full)
			extra++;
	}
	/* Phase 2: one per period until the receiver has swapped and PHASE2_ACKS more got through. */
	while (acks < PHASE2_ACKS && attempts++ < MAX_ATTEMPTS) {
		libtocksync_alarm_delay_ms(PERIOD_MS);
		if (send_one(next_k++) == RETURNCODE_SUCCESS)
			acks++;
	}
	while (send_one(FLOOD_END_FLAG | next_k) != RETURNCODE_SUCCESS && attempts++ < MAX_ATTEMPTS)
		libtocksync_alarm_delay_ms(PERIOD_MS);
	next_k++;
	/* Phase 3: the receiver halts its slice; once it is full again every send is refused with BUSY. */
	while (!busy && attempts++ < MAX_ATTEMPTS) {
		libtocksync_alarm_delay_ms(PERIOD_MS);
		busy = send_one(next_k++) == RETURNCODE_EBUSY;
	}
	printf("ipc_flood_sender: %s\n", busy ? "busy seen" : "busy never seen");
	return busy ? 0 : 1;
}
