/* rng_app: 16 random bytes twice (blocking, then asynchronous), printed in hex, and whether they differ. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/peripherals/rng.h>
#include <libtock/peripherals/rng.h>
#include <libtock/tock.h>

#define LEN 16

static bool async_done;
static returncode_t async_status;
static int async_count;

static void on_random(returncode_t status, int count)
{
	async_status = status;
	async_count = count;
	async_done = true;
}

static void print_hex(const char* label, const uint8_t* bytes, int len)
{
	char hex[2 * LEN + 1];
	int n = len < 0 ? 0 : (len > LEN ? LEN : len);

	hex[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
	printf("%s: %s (%d bytes)\n", label, hex, len);
}

int main(void)
{
	static uint8_t first[LEN], second[LEN];
	int got = 0;
	returncode_t ret = libtocksync_rng_get_random_bytes(first, LEN, LEN, &got);

	if (ret != RETURNCODE_SUCCESS) {
		printf("rng_app: sync request failed: %s\n", tock_strrcode(ret));
		return 1;
	}
	print_hex("sync", first, got);

	ret = libtock_rng_get_random_bytes(second, LEN, LEN, on_random);
	if (ret != RETURNCODE_SUCCESS) {
		printf("rng_app: async request failed: %s\n", tock_strrcode(ret));
		return 1;
	}
	yield_for(&async_done);
	print_hex("async", second, async_count);

	printf("differ: %s\n", memcmp(first, second, LEN) != 0 ? "yes" : "no");
	printf("rng_app done\n");
	return got == LEN && async_status == RETURNCODE_SUCCESS && async_count == LEN ? 0 : 1;
}
