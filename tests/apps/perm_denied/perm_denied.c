/* Test app: packed with a Permissions TLV listing only console commands 0..3; rng must be denied. */
#include <stdio.h>

#include "libtock/tock.h"

int main(void)
{
	syscall_return_t r = command(0x40001, 0, 0, 0);
	int rc = tock_command_return_novalue_to_returncode(r);

	printf("perm_denied: rng command 0 -> %d (%s)\n", rc, tock_strrcode((returncode_t)rc));
	if (rc != RETURNCODE_ENODEVICE) {
		printf("perm_denied: rng NOT blocked\n");
		return 1;
	}
	/* This line itself proves the console (driver 1, commands 0..3) still works. */
	printf("perm_denied: rng blocked\n");
	printf("perm_denied: console exists: %s\n", driver_exists(1) ? "yes" : "no");
	return 0;
}
