/* Test app: returning 7 from main must end in exit-terminate with completion code 7. */
#include <stdio.h>

int main(void)
{
	printf("exit_code: returning 7\n");
	return 7;
}
