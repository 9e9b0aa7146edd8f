/* tockhost's syscall chains for libtock's own wrappers: several syscalls, one trap round trip. */
#ifndef TOCKHOST_LIBTOCK_CHAIN_H
#define TOCKHOST_LIBTOCK_CHAIN_H

#include <stdbool.h>

#include "tock.h"

/*
 * A chain (tock/trap_frame.h) makes exactly the syscalls a wrapper would make one by one, with
 * the same checks between them, but the kernel runs the checks: so an app sees upstream
 * libtock-c's behaviour, and only the number of trap round trips changes. These helpers are for
 * libtock and libtock-sync's implementation; an app calling them directly would not build
 * against upstream libtock-c.
 */

/*
 * command(driver, command_num, arg1, arg2); if it succeeds, yield_wait_for(wait_driver,
 * wait_subscribe) into *ret_wait. Returns the command's result; *ret_waited says whether the wait
 * ran (then *ret_wait holds its upcall's values).
 */
syscall_return_t tock_chain_command_then_wait_for(uint32_t driver, uint32_t command_num, int arg1, int arg2,
                                                  uint32_t wait_driver, uint32_t wait_subscribe,
                                                  yield_waitfor_return_t* ret_wait, bool* ret_waited);

/*
 * command(driver, command_num, arg1, arg2); if it fails with `error`, yield_wait_for(wait_driver,
 * wait_subscribe) and the same command once more. Returns the result of the last command run.
 */
syscall_return_t tock_chain_command_or_wait_and_retry(uint32_t driver, uint32_t command_num, int arg1, int arg2,
                                                      statuscode_t error, uint32_t wait_driver,
                                                      uint32_t wait_subscribe);

/*
 * yield_wait_for(wait_driver, wait_subscribe) into *ret_wait, then allow_readwrite(driver, allow,
 * ptr, size) (a StreamingProcessSlice swap after its "appended" upcall). Returns the allow's result.
 */
allow_rw_return_t tock_chain_wait_for_then_allow_readwrite(uint32_t wait_driver, uint32_t wait_subscribe,
                                                          yield_waitfor_return_t* ret_wait, uint32_t driver,
                                                          uint32_t allow, void* ptr, size_t size);

#endif
