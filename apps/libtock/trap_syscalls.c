/* libtock-c's raw system calls over tockhost's trap channel: one SYSCALL frame out, one answer back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allow_cache.h"
#include "tock.h"
#include "tock/abi.h"
#include "tock/trap_frame.h"

/*
 * The runner (tock-proc) exports its frame counter so its own frames (memop sbrk for malloc) and
 * ours share one sequence; linked outside tock-proc we fall back to a private counter.
 */
extern uint32_t tock_proc_trap_seq __attribute__((weak));
static uint32_t private_seq;

/*
 * The runner (tock-proc) is the app side of the trap channel; we move frames only through its two
 * exports. Its receive also carries out the kernel's share instructions (IPC Share map/unmap) that
 * may precede an answer and returns the answer. Outside tock-proc we use the socket ourselves.
 */
extern int tock_proc_trap_send(const struct tock_trap_frame* frame) __attribute__((weak));
extern int tock_proc_trap_recv(struct tock_trap_frame* frame) __attribute__((weak));

static int trap_send_frame(const struct tock_trap_frame* f)
{
  if (tock_proc_trap_send)
    return tock_proc_trap_send(f);
  return write(TOCK_TRAP_FD, f, sizeof(*f)) == (ssize_t)sizeof(*f) ? 0 : -1;
}

static int trap_recv(struct tock_trap_frame* f)
{
  if (tock_proc_trap_recv)
    return tock_proc_trap_recv(f);
  return read(TOCK_TRAP_FD, f, sizeof(*f)) == (ssize_t)sizeof(*f) ? 0 : -1;
}

/* The channel is gone or the supervisor broke the protocol: nothing sensible is left to do. */
__attribute__((noreturn)) static void channel_broken(void)
{
  _exit(1);
}

static uint32_t next_seq(void)
{
  uint32_t* seq = &tock_proc_trap_seq ? &tock_proc_trap_seq : &private_seq;
  return ++*seq;
}

static void trap_send(uint32_t seq, uint32_t class_id, uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3)
{
  struct tock_trap_frame f = {
    .magic = TOCK_TRAP_MAGIC, .version = TOCK_TRAP_VERSION, .kind = TOCK_TRAP_SYSCALL,
    .seq = seq, .op = class_id, .arg = {r0, r1, r2, r3, 0},
  };
  if (trap_send_frame(&f) < 0)
    channel_broken();
}

/* One syscall round trip. An UPCALL answer is legal only when `upcall_ok` (yield-wait, no-wait). */
static void trap_call(uint32_t class_id, uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3,
                      int upcall_ok, struct tock_trap_frame* ret)
{
  uint32_t seq = next_seq();

  trap_send(seq, class_id, r0, r1, r2, r3);
  if (trap_recv(ret) < 0)
    channel_broken();
  if (ret->magic != TOCK_TRAP_MAGIC || ret->version != TOCK_TRAP_VERSION || ret->seq != seq)
    channel_broken();
  if (ret->kind != TOCK_TRAP_RETURN && !(upcall_ok && ret->kind == TOCK_TRAP_UPCALL))
    channel_broken();
}

/* arg[0] fn, arg[1..3] = a0..a2, arg[4] appdata: returning from the upcall returns from yield. */
static void run_upcall(const struct tock_trap_frame* f)
{
  subscribe_upcall* fn = (subscribe_upcall*)(uintptr_t)f->arg[0];

  if (fn)
    fn((int)f->arg[1], (int)f->arg[2], (int)f->arg[3], (void*)(uintptr_t)f->arg[4]);
}

void yield(void)
{
  struct tock_trap_frame f;

  trap_call(TOCK_CLASS_YIELD, TOCK_YIELD_WAIT, 0, 0, 0, 1, &f);
  if (f.kind == TOCK_TRAP_UPCALL)
    run_upcall(&f);
}

int yield_no_wait(void)
{
  volatile uint8_t pending = 0; /* the supervisor writes it through its RAM mapping */
  struct tock_trap_frame f;

  trap_call(TOCK_CLASS_YIELD, TOCK_YIELD_NO_WAIT, (uintptr_t)&pending, 0, 0, 1, &f);
  if (f.kind == TOCK_TRAP_UPCALL) {
    run_upcall(&f);
    return 1;
  }
  return pending;
}

yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe_num)
{
  struct tock_trap_frame f;
  yield_waitfor_return_t r;

  trap_call(TOCK_CLASS_YIELD, TOCK_YIELD_WAIT_FOR, driver, subscribe_num, 0, 0, &f);
  r.data0 = (uint32_t)f.arg[0];
  r.data1 = (uint32_t)f.arg[1];
  r.data2 = (uint32_t)f.arg[2];
  return r;
}

void yield_for(bool* cond)
{
  while (!*cond)
    yield();
}

/* Exit never gets an answer when it succeeds; stdio is flushed first so no output is lost. */
__attribute__((noreturn)) static void exit_call(uint32_t kind, uint32_t completion_code)
{
  fflush(NULL);
  trap_send(next_seq(), TOCK_CLASS_EXIT, kind, completion_code, 0, 0);
  struct tock_trap_frame f;
  (void)trap_recv(&f);
  channel_broken();
}

void tock_exit(uint32_t completion_code)
{
  exit_call(TOCK_EXIT_TERMINATE, completion_code);
}

void tock_restart(uint32_t completion_code)
{
  exit_call(TOCK_EXIT_RESTART, completion_code);
}

syscall_return_t command(uint32_t driver, uint32_t command_num, int arg1, int arg2)
{
  struct tock_trap_frame f;
  syscall_return_t r;

  trap_call(TOCK_CLASS_COMMAND, driver, command_num, (uint32_t)arg1, (uint32_t)arg2, 0, &f);
  r.type = (syscall_rtype_t)(uint32_t)f.arg[0];
  r.data[0] = (uint32_t)f.arg[1];
  r.data[1] = (uint32_t)f.arg[2];
  r.data[2] = (uint32_t)f.arg[3];
  return r;
}

/*
 * Subscribe and allow answer Success-2-u32 (130: the previous pair) or Failure-2-u32 (2: error and
 * the pair we passed). The kernel's syscall filter answers plain Failure (0) instead; we decode it
 * as a failure with the pair we passed (libtock-c would exit(1) there). Anything else: exit(1).
 */
static int decode_pair(const struct tock_trap_frame* f, uint64_t passed_a, uint64_t passed_b,
                       statuscode_t* status, uint64_t* a, uint64_t* b)
{
  switch ((uint32_t)f->arg[0]) {
  case TOCK_RET_SUCCESS_U32_U32:
    *status = TOCK_STATUSCODE_SUCCESS, *a = f->arg[1], *b = f->arg[2];
    return 1;
  case TOCK_RET_FAILURE_U32_U32:
    *status = (statuscode_t)(uint32_t)f->arg[1], *a = f->arg[2], *b = f->arg[3];
    return 0;
  case TOCK_RET_FAILURE:
    *status = (statuscode_t)(uint32_t)f->arg[1], *a = passed_a, *b = passed_b;
    return 0;
  default:
    return -1;
  }
}

subscribe_return_t subscribe(uint32_t driver, uint32_t subscribe_num, subscribe_upcall uc, void* userdata)
{
  struct tock_trap_frame f;
  subscribe_return_t r;
  uint64_t a, b;
  int ok;

  trap_call(TOCK_CLASS_SUBSCRIBE, driver, subscribe_num, (uintptr_t)uc, (uintptr_t)userdata, 0, &f);
  ok = decode_pair(&f, (uintptr_t)uc, (uintptr_t)userdata, &r.status, &a, &b);
  if (ok < 0)
    exit(1);
  r.success = ok;
  r.callback = (subscribe_upcall*)(uintptr_t)a;
  r.userdata = (void*)(uintptr_t)b;
  return r;
}

/* The three allow classes share one encoding. Re-allowing what the kernel holds is answered here (allow_cache.h). */
static int allow_call(uint32_t class_id, uint32_t driver, uint32_t allow, const void* ptr, size_t size,
                      statuscode_t* status, uint64_t* ret_ptr, uint64_t* ret_size)
{
  struct tock_trap_frame f;
  int ok;

  if (tock_allow_cache_holds(class_id, driver, allow, (uintptr_t)ptr, size)) {
    *status = TOCK_STATUSCODE_SUCCESS, *ret_ptr = (uintptr_t)ptr, *ret_size = size;
    return 1;
  }
  trap_call(class_id, driver, allow, (uintptr_t)ptr, size, 0, &f);
  ok = decode_pair(&f, (uintptr_t)ptr, size, status, ret_ptr, ret_size);
  if (ok == 1)
    tock_allow_cache_store(class_id, driver, allow, (uintptr_t)ptr, size);
  else
    tock_allow_cache_forget(class_id, driver, allow);
  return ok;
}

allow_rw_return_t allow_readwrite(uint32_t driver, uint32_t allow, void* ptr, size_t size)
{
  allow_rw_return_t r;
  uint64_t p, s;
  int ok = allow_call(TOCK_CLASS_ALLOW_RW, driver, allow, ptr, size, &r.status, &p, &s);

  if (ok < 0)
    exit(1);
  r.success = ok, r.ptr = (void*)(uintptr_t)p, r.size = (size_t)s;
  return r;
}

allow_ro_return_t allow_readonly(uint32_t driver, uint32_t allow, const void* ptr, size_t size)
{
  allow_ro_return_t r;
  uint64_t p, s;
  int ok = allow_call(TOCK_CLASS_ALLOW_RO, driver, allow, ptr, size, &r.status, &p, &s);

  if (ok < 0)
    exit(1);
  r.success = ok, r.ptr = (const void*)(uintptr_t)p, r.size = (size_t)s;
  return r;
}

allow_userspace_r_return_t allow_userspace_read(uint32_t driver, uint32_t allow, void* ptr, size_t size)
{
  allow_userspace_r_return_t r;
  uint64_t p, s;
  int ok = allow_call(TOCK_CLASS_ALLOW_USERSPACE_READ, driver, allow, ptr, size, &r.status, &p, &s);

  if (ok < 0)
    exit(-1);
  r.success = ok, r.ptr = (void*)(uintptr_t)p, r.size = (size_t)s;
  return r;
}

memop_return_t memop(uint32_t op_type, uintptr_t arg1)
{
  struct tock_trap_frame f;
  memop_return_t r = {TOCK_STATUSCODE_SUCCESS, 0};

  trap_call(TOCK_CLASS_MEMOP, op_type, arg1, 0, 0, 0, &f);
  if (op_type == TOCK_MEMOP_BRK || op_type == TOCK_MEMOP_SBRK)
    tock_allow_cache_clear(); /* the process's memory may have shrunk under a held buffer */
  switch ((uint32_t)f.arg[0]) {
  case TOCK_RET_SUCCESS:
    break;
  case TOCK_RET_SUCCESS_U32:
    r.data = (uintptr_t)(uint32_t)f.arg[1];
    break;
  case TOCK_RET_FAILURE:
    r.status = (statuscode_t)(uint32_t)f.arg[1];
    break;
  default:
    exit(1);
  }
  return r;
}
