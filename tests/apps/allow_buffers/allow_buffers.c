/* Test app: static, stack and malloc'ed buffers can each be allowed read-only to the console and written. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtock/tock.h"

static char static_buffer[] = "static buffer: hello from .data\n";

/* Write buf through the console driver directly (RO allow 1, command 1, wait for write-done). */
static int console_put(const char *buf, size_t len)
{
	allow_ro_return_t a = allow_readonly(1, 1, buf, len);
	syscall_return_t c;
	yield_waitfor_return_t w;

	if (!a.success)
		return tock_status_to_returncode(a.status);
	c = command(1, 1, (int)len, 0);
	if (tock_command_return_novalue_to_returncode(c) != RETURNCODE_SUCCESS)
		return tock_command_return_novalue_to_returncode(c);
	w = yield_wait_for(1, 1);
	a = allow_readonly(1, 1, NULL, 0);
	return (int)w.data0;
}

int main(void)
{
	char stack_buffer[64];
	char *heap_buffer = malloc(64);
	memop_return_t lo = memop(2, 0), hi = memop(3, 0);
	int r;

	printf("allow_buffers: static, stack and heap buffers\n");
	r = console_put(static_buffer, strlen(static_buffer));
	printf("allow_buffers: static result %d\n", r);
	snprintf(stack_buffer, sizeof(stack_buffer), "stack buffer: hello from the stack\n");
	r = console_put(stack_buffer, strlen(stack_buffer));
	printf("allow_buffers: stack result %d\n", r);
	if (!heap_buffer) {
		printf("allow_buffers: malloc failed\n");
		return 1;
	}
	snprintf(heap_buffer, 64, "heap buffer: hello from malloc\n");
	r = console_put(heap_buffer, strlen(heap_buffer));
	printf("allow_buffers: heap result %d\n", r);
	printf("allow_buffers: malloc pointer %s RAM [memop 2, memop 3)\n",
	       (uintptr_t)heap_buffer >= lo.data && (uintptr_t)heap_buffer < hi.data ? "inside" : "OUTSIDE");
	free(heap_buffer);
	return 0;
}
