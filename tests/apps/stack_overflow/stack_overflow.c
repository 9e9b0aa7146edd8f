/* Hostile test app: unbounded recursion; the guard page below the stack must turn it into a fault. */
#include <stdio.h>

static volatile int keep_going = 1; /* volatile: gcc must not see (or reject) the recursion as infinite */

static int depth(int n)
{
	volatile char frame[256];

	frame[0] = (char)n;
	frame[255] = (char)(n >> 8);
	if (!keep_going)
		return frame[0];
	return depth(n + 1) + frame[0] + frame[255];
}

int main(void)
{
	printf("stack_overflow: about to recurse without bound\n");
	printf("ESCAPED (stack_overflow returned %d)\n", depth(0));
	return 3;
}
