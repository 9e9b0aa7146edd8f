/* Test app: prints a line and asks for exit-restart; the supervisor runs it again with a new ProcessId. */
#include <stdio.h>

#include "libtock/tock.h"

int main(void)
{
	printf("restarter run\n");
	tock_restart(0);
}
