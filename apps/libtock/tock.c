/* libtock-c's syscall helpers: return-value decoders, memop wrappers, error strings, expectations. */
#include <stdio.h>

#include "tock.h"
#include "tock/abi.h"

int tock_status_to_returncode(statuscode_t status)
{
  return -(int)status;
}

int tock_command_return_novalue_to_returncode(syscall_return_t r)
{
  if (r.type == TOCK_SYSCALL_SUCCESS)
    return RETURNCODE_SUCCESS;
  if (r.type == TOCK_SYSCALL_FAILURE)
    return tock_status_to_returncode((statuscode_t)r.data[0]);
  return RETURNCODE_EBADRVAL;
}

int tock_command_return_u32_to_returncode(syscall_return_t r, uint32_t* data)
{
  if (r.type == TOCK_SYSCALL_SUCCESS_U32) {
    *data = r.data[0];
    return RETURNCODE_SUCCESS;
  }
  if (r.type == TOCK_SYSCALL_FAILURE)
    return tock_status_to_returncode((statuscode_t)r.data[0]);
  return RETURNCODE_EBADRVAL;
}

int tock_command_return_u32_u32_to_returncode(syscall_return_t r, uint32_t* data0, uint32_t* data1)
{
  if (r.type == TOCK_SYSCALL_SUCCESS_U32_U32) {
    *data0 = r.data[0];
    *data1 = r.data[1];
    return RETURNCODE_SUCCESS;
  }
  if (r.type == TOCK_SYSCALL_FAILURE)
    return tock_status_to_returncode((statuscode_t)r.data[0]);
  return RETURNCODE_EBADRVAL;
}

int tock_command_return_u64_to_returncode(syscall_return_t r, uint64_t* data)
{
  if (r.type == TOCK_SYSCALL_SUCCESS_U64) {
    *data = (uint64_t)r.data[0] | ((uint64_t)r.data[1] << 32);
    return RETURNCODE_SUCCESS;
  }
  if (r.type == TOCK_SYSCALL_FAILURE)
    return tock_status_to_returncode((statuscode_t)r.data[0]);
  return RETURNCODE_EBADRVAL;
}

int tock_command_return_u32_u64_or_u64_to_returncode(syscall_return_t r, uint32_t* u32, uint64_t* u64)
{
  switch (r.type) {
  case TOCK_SYSCALL_SUCCESS_U32_U64:
    *u32 = r.data[0];
    *u64 = (uint64_t)r.data[1] | ((uint64_t)r.data[2] << 32);
    return RETURNCODE_SUCCESS;
  case TOCK_SYSCALL_FAILURE_U64:
    *u64 = (uint64_t)r.data[1] | ((uint64_t)r.data[2] << 32);
    return tock_status_to_returncode((statuscode_t)r.data[0]);
  case TOCK_SYSCALL_FAILURE:
    return tock_status_to_returncode((statuscode_t)r.data[0]);
  default:
    return RETURNCODE_EBADRVAL;
  }
}

int tock_subscribe_return_to_returncode(subscribe_return_t r)
{
  return r.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(r.status);
}

int tock_allow_rw_return_to_returncode(allow_rw_return_t r)
{
  return r.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(r.status);
}

int tock_allow_ro_return_to_returncode(allow_ro_return_t r)
{
  return r.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(r.status);
}

int tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t r)
{
  return r.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(r.status);
}

static void* memop_ptr(uint32_t op, uintptr_t arg)
{
  memop_return_t r = memop(op, arg);

  return r.status == TOCK_STATUSCODE_SUCCESS ? (void*)r.data : NULL;
}

void* tock_app_memory_begins_at(void)
{
  return memop_ptr(TOCK_MEMOP_RAM_START, 0);
}

void* tock_app_memory_ends_at(void)
{
  return memop_ptr(TOCK_MEMOP_RAM_END, 0);
}

void* tock_app_flash_begins_at(void)
{
  return memop_ptr(TOCK_MEMOP_FLASH_START, 0);
}

void* tock_app_flash_ends_at(void)
{
  return memop_ptr(TOCK_MEMOP_FLASH_END, 0);
}

void* tock_app_grant_begins_at(void)
{
  return memop_ptr(TOCK_MEMOP_GRANT_START, 0);
}

int tock_app_number_writeable_flash_regions(void)
{
  memop_return_t r = memop(TOCK_MEMOP_WRITEABLE_FLASH_COUNT, 0);

  return r.status == TOCK_STATUSCODE_SUCCESS ? (int)r.data : 0;
}

void* tock_app_writeable_flash_region_begins_at(int region_index)
{
  return memop_ptr(TOCK_MEMOP_WRITEABLE_FLASH_START, (uintptr_t)(unsigned)region_index);
}

void* tock_app_writeable_flash_region_ends_at(int region_index)
{
  return memop_ptr(TOCK_MEMOP_WRITEABLE_FLASH_END, (uintptr_t)(unsigned)region_index);
}

bool driver_exists(uint32_t driver)
{
  syscall_return_t r = command(driver, 0, 0, 0);

  return r.type >= TOCK_SYSCALL_SUCCESS;
}

static const char* const status_names[] = {
  "SUCCESS", "FAIL", "BUSY", "ALREADY", "OFF", "RESERVE", "INVAL", "SIZE", "CANCEL", "NOMEM",
  "NOSUPPORT", "NODEVICE", "UNINSTALLED", "NOACK",
};

const char* tock_strerr(statuscode_t status)
{
  if ((unsigned)status < sizeof(status_names) / sizeof(status_names[0]))
    return status_names[status];
  return "?!";
}

const char* tock_strrcode(returncode_t returncode)
{
  if (returncode == RETURNCODE_EBADRVAL)
    return "EBADRVAL";
  if (returncode <= 0 && -(int)returncode < (int)(sizeof(status_names) / sizeof(status_names[0])))
    return status_names[-(int)returncode];
  return "?!";
}

void tock_expect(int expected, int actual, const char* file, unsigned line)
{
  if (expected != actual)
    printf("Expectation failure in \"%s\" at line %u: expected %d (%s), got %d (%s)\n", file, line,
           expected, tock_strrcode((returncode_t)expected), actual, tock_strrcode((returncode_t)actual));
}
