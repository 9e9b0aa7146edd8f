/* Hostile test app: writes to address 0x10, far outside its regions; must fault with address and "write". */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	volatile uintptr_t address = 0x10; /* volatile: keeps gcc from proving the store out of bounds */
	volatile uint32_t *wild = (volatile uint32_t *)address;

	printf("wild_write: about to write to 0x10\n");
	*wild = 0xdeadbeef;
	printf("ESCAPED (wild_write survived)\n");
	return 3;
}
