/* Tock system-call ABI constants (TRD104 + kernel code) shared by kernel, capsules, libtock and tools. */
#ifndef TOCK_ABI_H
#define TOCK_ABI_H

#include <stdint.h>

/* Syscall classes (TRD104 §4, plus class 7 userspace-readable allow). */
enum tock_syscall_class {
	TOCK_CLASS_YIELD = 0,
	TOCK_CLASS_SUBSCRIBE = 1,
	TOCK_CLASS_COMMAND = 2,
	TOCK_CLASS_ALLOW_RW = 3,
	TOCK_CLASS_ALLOW_RO = 4,
	TOCK_CLASS_MEMOP = 5,
	TOCK_CLASS_EXIT = 6,
	TOCK_CLASS_ALLOW_USERSPACE_READ = 7,
};

enum tock_yield_kind {
	TOCK_YIELD_NO_WAIT = 0,
	TOCK_YIELD_WAIT = 1,
	TOCK_YIELD_WAIT_FOR = 2,
};

enum tock_exit_kind {
	TOCK_EXIT_TERMINATE = 0,
	TOCK_EXIT_RESTART = 1,
};

/* Return variants, the value of r0 on return (TRD104 32-bit encoding). */
enum tock_return_variant {
	TOCK_RET_FAILURE = 0,
	TOCK_RET_FAILURE_U32 = 1,
	TOCK_RET_FAILURE_U32_U32 = 2,
	TOCK_RET_FAILURE_U64 = 3,
	TOCK_RET_SUCCESS = 128,
	TOCK_RET_SUCCESS_U32 = 129,
	TOCK_RET_SUCCESS_U32_U32 = 130,
	TOCK_RET_SUCCESS_U64 = 131,
	TOCK_RET_SUCCESS_U32_U32_U32 = 132,
	TOCK_RET_SUCCESS_U32_U64 = 133,
};

/* Kernel ErrorCode values (TRD104 §3.4). Upcall "status" arguments use 0 for success. */
enum tock_error {
	TOCK_ERR_FAIL = 1,
	TOCK_ERR_BUSY = 2,
	TOCK_ERR_ALREADY = 3,
	TOCK_ERR_OFF = 4,
	TOCK_ERR_RESERVE = 5,
	TOCK_ERR_INVAL = 6,
	TOCK_ERR_SIZE = 7,
	TOCK_ERR_CANCEL = 8,
	TOCK_ERR_NOMEM = 9,
	TOCK_ERR_NOSUPPORT = 10,
	TOCK_ERR_NODEVICE = 11,
	TOCK_ERR_UNINSTALLED = 12,
	TOCK_ERR_NOACK = 13,
};
#define TOCK_ERR_MAX 13

/* Memop operations (reference §1.11). */
enum tock_memop {
	TOCK_MEMOP_BRK = 0,
	TOCK_MEMOP_SBRK = 1,
	TOCK_MEMOP_RAM_START = 2,
	TOCK_MEMOP_RAM_END = 3,
	TOCK_MEMOP_FLASH_START = 4,
	TOCK_MEMOP_FLASH_END = 5,
	TOCK_MEMOP_GRANT_START = 6,
	TOCK_MEMOP_WRITEABLE_FLASH_COUNT = 7,
	TOCK_MEMOP_WRITEABLE_FLASH_START = 8,
	TOCK_MEMOP_WRITEABLE_FLASH_END = 9,
	TOCK_MEMOP_STACK_START = 10,
	TOCK_MEMOP_HEAP_START = 11,
};

/* Driver numbers and each driver's commands, upcalls and allows: tock/drivers/<driver>.h. */

#endif
