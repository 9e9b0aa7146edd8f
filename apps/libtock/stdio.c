/* Route the app's stdout/stderr through the console driver (0x1), so printf reaches the console capsule. */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "chain.h"
#include "tock.h"
#include "tock/drivers/console.h"

void libtock_stdio_init(void);

/* For bytes the kernel refuses to share (they lie outside app memory, e.g. in the runner's glibc). */
static char bounce[256];

/*
 * One console write of at most len bytes: allow, then command and wait for write-done in one trap
 * round trip (chain.h). The buffer stays allowed afterwards (doc/deviations.md): the console reads
 * it only inside a write, and every write allows its own buffer first.
 */
static ssize_t console_write_once(const char* buf, size_t len)
{
  allow_ro_return_t a = allow_readonly(TOCK_DRIVER_CONSOLE, TOCK_CONSOLE_ALLOW_RO_WRITE, buf, len);
  syscall_return_t c;
  yield_waitfor_return_t done;
  bool waited = false;

  if (!a.success && a.status == TOCK_STATUSCODE_INVAL) {
    len = len < sizeof(bounce) ? len : sizeof(bounce);
    memcpy(bounce, buf, len);
    a = allow_readonly(TOCK_DRIVER_CONSOLE, TOCK_CONSOLE_ALLOW_RO_WRITE, bounce, len);
  }
  if (!a.success)
    return -1;
  /* The write-done upcall is (bytes_written, 0, 0), as the kernel's console sends it. */
  c = tock_chain_command_then_wait_for(TOCK_DRIVER_CONSOLE, TOCK_CONSOLE_CMD_WRITE, (int)len, 0, TOCK_DRIVER_CONSOLE,
                                       TOCK_CONSOLE_UPCALL_WRITE_DONE, &done, &waited);
  if (tock_command_return_novalue_to_returncode(c) != RETURNCODE_SUCCESS || !waited)
    return -1;
  if (done.data0 == 0 || done.data0 > len)
    return -1;
  return (ssize_t)done.data0;
}

/* fopencookie write: loop until everything went out (the console may write less than asked). */
static ssize_t console_cookie_write(void* cookie, const char* buf, size_t size)
{
  size_t sent = 0;

  (void)cookie;
  while (sent < size) {
    size_t chunk = size - sent > 0x7fffffffu ? 0x7fffffffu : size - sent;
    ssize_t n = console_write_once(buf + sent, chunk);

    if (n <= 0)
      return sent ? (ssize_t)sent : -1;
    sent += (size_t)n;
  }
  return (ssize_t)size;
}

static FILE* console_stream(void)
{
  cookie_io_functions_t io = {.read = NULL, .write = console_cookie_write, .seek = NULL, .close = NULL};
  FILE* f = fopencookie(NULL, "w", io);

  /* Line buffered: otherwise output would arrive only at exit. */
  if (f)
    setvbuf(f, NULL, _IOLBF, BUFSIZ);
  return f;
}

/* Runs before the app's own constructors (priority 101), inside the sandbox. */
__attribute__((constructor(101))) void libtock_stdio_init(void)
{
  FILE* out = console_stream();
  FILE* err = console_stream();

  if (out)
    stdout = out;
  if (err)
    stderr = err;
}
