/* libtock-c's raw system calls over tockhost's trap channel: one SYSCALL frame out, one answer back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allow_cache.h"
#include "chain.h"
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
extern int tock_proc_trap_send_chain(const struct tock_trap_frame* frames, unsigned count) __attribute__((weak));
extern int tock_proc_trap_recv_for(struct tock_trap_frame* frame, uint32_t seq) __attribute__((weak));

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

static int trap_send_chain(const struct tock_trap_frame* f, unsigned count)
{
  if (tock_proc_trap_send_chain)
    return tock_proc_trap_send_chain(f, count);
  for (unsigned i = 0; i < count; i++)
    if (trap_send_frame(&f[i]) < 0)
      return -1;
  return 0;
}

static int trap_recv_for(struct tock_trap_frame* f, uint32_t seq)
{
  if (tock_proc_trap_recv_for)
    return tock_proc_trap_recv_for(f, seq);
  return trap_recv(f);
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

/* The answer to syscall `seq`. An UPCALL answer is legal only when `upcall_ok` (yield-wait, no-wait). */
static void trap_answer(uint32_t seq, int upcall_ok, struct tock_trap_frame* ret)
{
  if (trap_recv_for(ret, seq) < 0)
    channel_broken();
  if (ret->magic != TOCK_TRAP_MAGIC || ret->version != TOCK_TRAP_VERSION || ret->seq != seq)
    channel_broken();
  if (ret->kind != TOCK_TRAP_RETURN && !(upcall_ok && ret->kind == TOCK_TRAP_UPCALL))
    channel_broken();
}

/* One syscall round trip. */
static void trap_call(uint32_t class_id, uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3,
                      int upcall_ok, struct tock_trap_frame* ret)
{
  uint32_t seq = next_seq();

  trap_send(seq, class_id, r0, r1, r2, r3);
  trap_answer(seq, upcall_ok, ret);
}

/*
 * A chain of n syscalls (tock/trap_frame.h): calls[i].arg[4] links call i to call i + 1. Sends
 * them in one go, then takes the answers of those that run, in order, into ret[]. Returns how
 * many ran (1..n): the kernel stops at the first broken link, by the same rule (tock_chain_continues).
 */
static unsigned trap_chain(struct tock_trap_frame* calls, unsigned n, struct tock_trap_frame* ret)
{
  uint32_t first = 0;
  unsigned i;

  for (i = 0; i < n; i++) {
    uint32_t seq = next_seq();

    if (i == 0)
      first = seq;
    calls[i].magic = TOCK_TRAP_MAGIC, calls[i].version = TOCK_TRAP_VERSION;
    calls[i].kind = TOCK_TRAP_SYSCALL, calls[i].seq = seq;
    if (i == n - 1)
      calls[i].arg[4] = TOCK_CHAIN_NONE;
  }
  if (trap_send_chain(calls, n) < 0)
    channel_broken();
  for (i = 0; i < n; i++) {
    trap_answer(first + i, 0, &ret[i]);
    if (i == n - 1 ||
        !tock_chain_continues(calls[i].arg[4], calls[i].op, ret[i].kind, ret[i].arg[0], ret[i].arg[1]))
      break;
  }
  return i + 1;
}

static syscall_return_t command_result(const struct tock_trap_frame* f)
{
  syscall_return_t r;

  r.type = (syscall_rtype_t)(uint32_t)f->arg[0];
  r.data[0] = (uint32_t)f->arg[1];
  r.data[1] = (uint32_t)f->arg[2];
  r.data[2] = (uint32_t)f->arg[3];
  return r;
}

static struct tock_trap_frame command_frame(uint32_t driver, uint32_t command_num, int arg1, int arg2, uint64_t link)
{
  return (struct tock_trap_frame){
    .op = TOCK_CLASS_COMMAND, .arg = {driver, command_num, (uint32_t)arg1, (uint32_t)arg2, link},
  };
}

static struct tock_trap_frame wait_for_frame(uint32_t driver, uint32_t subscribe_num, uint64_t link)
{
  return (struct tock_trap_frame){
    .op = TOCK_CLASS_YIELD, .arg = {TOCK_YIELD_WAIT_FOR, driver, subscribe_num, 0, link},
  };
}

static yield_waitfor_return_t wait_for_result(const struct tock_trap_frame* f)
{
  yield_waitfor_return_t r = {(uint32_t)f->arg[0], (uint32_t)f->arg[1], (uint32_t)f->arg[2]};

  return r;
}

syscall_return_t tock_chain_command_then_wait_for(uint32_t driver, uint32_t command_num, int arg1, int arg2,
                                                  uint32_t wait_driver, uint32_t wait_subscribe,
                                                  yield_waitfor_return_t* ret_wait, bool* ret_waited)
{
  struct tock_trap_frame calls[2] = {
    command_frame(driver, command_num, arg1, arg2, TOCK_CHAIN_IF_SUCCESS),
    wait_for_frame(wait_driver, wait_subscribe, TOCK_CHAIN_NONE),
  };
  struct tock_trap_frame ret[2];

  *ret_waited = trap_chain(calls, 2, ret) == 2;
  if (*ret_waited)
    *ret_wait = wait_for_result(&ret[1]);
  return command_result(&ret[0]);
}

syscall_return_t tock_chain_command_or_wait_and_retry(uint32_t driver, uint32_t command_num, int arg1, int arg2,
                                                      statuscode_t error, uint32_t wait_driver,
                                                      uint32_t wait_subscribe)
{
  struct tock_trap_frame calls[3] = {
    command_frame(driver, command_num, arg1, arg2, tock_chain_if_error((uint32_t)error)),
    wait_for_frame(wait_driver, wait_subscribe, TOCK_CHAIN_ALWAYS),
    command_frame(driver, command_num, arg1, arg2, TOCK_CHAIN_NONE),
  };
  struct tock_trap_frame ret[3];

  return command_result(&ret[trap_chain(calls, 3, ret) - 1]);
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

  trap_call(TOCK_CLASS_YIELD, TOCK_YIELD_WAIT_FOR, driver, subscribe_num, 0, 0, &f);
  return wait_for_result(&f);
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

  trap_call(TOCK_CLASS_COMMAND, driver, command_num, (uint32_t)arg1, (uint32_t)arg2, 0, &f);
  return command_result(&f);
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

/* An allow's answer: decoded, and what the kernel now holds on that slot recorded (allow_cache.h). */
static int allow_answered(const struct tock_trap_frame* f, uint32_t class_id, uint32_t driver, uint32_t allow,
                          const void* ptr, size_t size, statuscode_t* status, uint64_t* ret_ptr, uint64_t* ret_size)
{
  int ok = decode_pair(f, (uintptr_t)ptr, size, status, ret_ptr, ret_size);

  if (ok == 1)
    tock_allow_cache_store(class_id, driver, allow, (uintptr_t)ptr, size);
  else
    tock_allow_cache_forget(class_id, driver, allow);
  return ok;
}

/* The three allow classes share one encoding. Re-allowing what the kernel holds is answered here (allow_cache.h). */
static int allow_call(uint32_t class_id, uint32_t driver, uint32_t allow, const void* ptr, size_t size,
                      statuscode_t* status, uint64_t* ret_ptr, uint64_t* ret_size)
{
  struct tock_trap_frame f;

  if (tock_allow_cache_holds(class_id, driver, allow, (uintptr_t)ptr, size)) {
    *status = TOCK_STATUSCODE_SUCCESS, *ret_ptr = (uintptr_t)ptr, *ret_size = size;
    return 1;
  }
  trap_call(class_id, driver, allow, (uintptr_t)ptr, size, 0, &f);
  return allow_answered(&f, class_id, driver, allow, ptr, size, status, ret_ptr, ret_size);
}

static allow_rw_return_t rw_return(int ok, statuscode_t status, uint64_t p, uint64_t s)
{
  allow_rw_return_t r = {.success = ok == 1, .ptr = (void*)(uintptr_t)p, .size = (size_t)s, .status = status};

  if (ok < 0)
    exit(1);
  return r;
}

allow_rw_return_t allow_readwrite(uint32_t driver, uint32_t allow, void* ptr, size_t size)
{
  statuscode_t status;
  uint64_t p, s;
  int ok = allow_call(TOCK_CLASS_ALLOW_RW, driver, allow, ptr, size, &status, &p, &s);

  return rw_return(ok, status, p, s);
}

allow_rw_return_t tock_chain_wait_for_then_allow_readwrite(uint32_t wait_driver, uint32_t wait_subscribe,
                                                          yield_waitfor_return_t* ret_wait, uint32_t driver,
                                                          uint32_t allow, void* ptr, size_t size)
{
  struct tock_trap_frame calls[2] = {
    wait_for_frame(wait_driver, wait_subscribe, TOCK_CHAIN_ALWAYS),
    {.op = TOCK_CLASS_ALLOW_RW, .arg = {driver, allow, (uintptr_t)ptr, size, TOCK_CHAIN_NONE}},
  };
  struct tock_trap_frame ret[2];
  statuscode_t status;
  uint64_t p, s;
  int ok;

  if (tock_allow_cache_holds(TOCK_CLASS_ALLOW_RW, driver, allow, (uintptr_t)ptr, size)) {
    *ret_wait = yield_wait_for(wait_driver, wait_subscribe);
    return allow_readwrite(driver, allow, ptr, size); /* answered here: no trap */
  }
  if (trap_chain(calls, 2, ret) != 2)
    channel_broken(); /* a wait always links on */
  *ret_wait = wait_for_result(&ret[0]);
  ok = allow_answered(&ret[1], TOCK_CLASS_ALLOW_RW, driver, allow, ptr, size, &status, &p, &s);
  return rw_return(ok, status, p, s);
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
