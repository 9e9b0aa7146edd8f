/* console_echo: read one line from the console byte by byte (up to '\n' or 60 bytes) and print it back. */
#include <stdio.h>

#include <libtock-sync/interface/console.h>
#include <libtock/tock.h>

#define MAX_LINE 60

int main(void)
{
	char line[MAX_LINE + 1];
	size_t len = 0;

	while (len < MAX_LINE) {
		uint8_t c;
		uint32_t got = 0;
		returncode_t ret = libtocksync_console_read(&c, 1, &got);

		if (ret != RETURNCODE_SUCCESS || got != 1) {
			printf("console_echo: read failed: %s\n", tock_strrcode(ret));
			return 1;
		}
		if (c == '\n')
			break;
		line[len++] = (char)c;
	}
	line[len] = '\0';
	printf("echo: %s\n", line);
	return 0;
}
