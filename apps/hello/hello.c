/* hello: the smallest tockhost app; printf goes through the console capsule. */
#include <stdio.h>

#include <libtock/tock.h>

int main(void)
{
	printf("Hello from Tock on tockhost!\n");
	printf("My RAM is %p-%p, my flash %p-%p.\n", tock_app_memory_begins_at(), tock_app_memory_ends_at(),
	       tock_app_flash_begins_at(), tock_app_flash_ends_at());
	return 0;
}
