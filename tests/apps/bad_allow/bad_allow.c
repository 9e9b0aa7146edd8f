/* Test app: read-write allows of memory the app must not hand to the kernel are all refused with INVAL. */
#include <stdint.h>
#include <stdio.h>

#include "libtock/tock.h"

static const char in_flash[] = "this string lives in flash";

static int try_allow(const char *what, void *ptr, size_t len)
{
	allow_rw_return_t r = allow_readwrite(1, 1, ptr, len);
	int rc = tock_allow_rw_return_to_returncode(r);

	printf("bad_allow: %s -> %d (%s)\n", what, rc, tock_strrcode((returncode_t)rc));
	if (r.success)
		r = allow_readwrite(1, 1, NULL, 0);
	return rc == RETURNCODE_EINVAL;
}

int main(void)
{
	uintptr_t grant = memop(6, 0).data;
	uintptr_t brk = memop(1, 0).data; /* sbrk(0): the current break */
	int ok = 1;

	printf("bad_allow: trying five read-write allows that must fail\n");
	ok &= try_allow("flash address", (void *)(uintptr_t)in_flash, 8);
	ok &= try_allow("address 0x1000", (void *)(uintptr_t)0x1000, 16);
	ok &= try_allow("grant region", (void *)grant, 16);
	ok &= try_allow("range crossing the break", (void *)(brk - 8), 4096);
	ok &= try_allow("wrapping range", (void *)(brk - 8), SIZE_MAX - 4);
	if (!ok) {
		printf("bad_allow: some allow was NOT rejected with INVAL\n");
		return 1;
	}
	printf("bad_allow: all rejected\n");
	return 0;
}
