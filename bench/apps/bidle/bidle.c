/* bidle: waits in yield for ever with nothing that could wake it; tockbench measures what idling costs. */
#include <libtock/tock.h>

int main(void)
{
	for (;;)
		yield(); /* no upcall is subscribed and no alarm set: the kernel never resumes it */
}
