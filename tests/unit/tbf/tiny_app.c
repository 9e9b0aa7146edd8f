/* A tiny position-independent shared object that test_tbftool packs (stands in for a built app). */
int tiny_counter = 5;          /* .data: writable PT_LOAD */
char tiny_scratch[10000];      /* .bss: widens the writable span past one page */

int tiny_entry(int x);

int tiny_entry(int x)
{
	tiny_scratch[x % (int)sizeof(tiny_scratch)] = (char)x;
	return tiny_counter + x;
}
