/* libtock's syscall layer for host tests: libtock code runs in the test as the app of one fake process. */
#ifndef TOCKHOST_TEST_LIBTOCK_SHIM_H
#define TOCKHOST_TEST_LIBTOCK_SHIM_H

#include <libtock/tock.h>

struct hk_fake_world;
struct hk_process;

/*
 * From now on libtock's command/subscribe/yield act as p in w. yield() runs one upcall; when none
 * is due it first jumps the virtual clock to the next timer deadline (what --virtual-time does
 * when every process is blocked), failing the test if nothing could ever wake p.
 */
void libtock_shim_attach(struct hk_fake_world *w, struct hk_process *p);

#endif
