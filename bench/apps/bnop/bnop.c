/* bnop: exits as soon as main runs; tockbench times tockhost runs of 1..256 copies of it (start-up cost). */
int main(void)
{
	return 0;
}
