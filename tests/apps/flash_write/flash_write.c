/* Hostile test app: writes into a string literal (flash), which is never writable; must fault. */
#include <stdint.h>
#include <stdio.h>

static const char message[] = "flash is read-only";

int main(void)
{
	volatile char *p = (volatile char *)(uintptr_t)message;

	printf("flash_write: about to write to flash at %p\n", (void *)message);
	p[0] = 'F';
	printf("ESCAPED (flash_write survived)\n");
	return 3;
}
