/* Hostile test app: reads the first byte of its grant region (memop 6), which is never mapped; must fault. */
#include <stdint.h>
#include <stdio.h>

#include "libtock/tock.h"

int main(void)
{
	volatile uint8_t *grant = (volatile uint8_t *)tock_app_grant_begins_at();

	printf("grant_touch: about to read the grant region at %p\n", (void *)grant);
	printf("ESCAPED (grant_touch read %u)\n", (unsigned)*grant);
	return 3;
}
