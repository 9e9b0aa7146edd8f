/* Kernel unit tests: syscall classes, return variants, yield and the upcall queue, command, memop, exit. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostkernel/kernel_ext.h"
#include "test_driver.h"

/* ---- class decoding: unknown class or yield type faults the process ---- */

struct bad_case {
	uint32_t class_id;
	uint64_t r0;
	const char *cause;
};

static const struct bad_case bad_cases[] = {
	{ 8, 0, "invalid syscall class 8" },
	{ 255, 0, "invalid syscall class 255" },
	{ 0xFFFFFFFFu, 0, "invalid syscall class 4294967295" },
	{ TOCK_CLASS_YIELD, 3, "invalid yield type 3" },
	{ TOCK_CLASS_YIELD, 1ull << 40, "invalid yield type 1099511627776" },
};

START_TEST(test_bad_class_faults)
{
	const struct bad_case *c = &bad_cases[_i];
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_fake_ret r = hk_fake_syscall(w, p, c->class_id, c->r0, 0, 0, 0);

	ck_assert_int_eq(r.result, HK_SYSCALL_ENDED);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_FAULTED);
	ck_assert_str_eq(hk_process_fault_cause(p), c->cause);
	ck_assert_uint_eq(hk_fake_kill_count(w, p), 1);
	hk_fake_world_free(w);
}
END_TEST

/* ---- command ---- */

START_TEST(test_command_variants)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct td_state st = { 0 };
	struct hk_fake_ret r;

	ck_assert_int_eq(hk_fake_register_driver(w, 0x300, &td_ops, &st), 0);
	ck_assert_int_eq(hk_fake_register_driver(w, 0x300, &td_ops, &st), -EEXIST);
	r = hk_fake_command(w, p, 0x300, 0, 0, 0);
	ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS);
	ck_assert_uint_eq(st.calls, 1);
	r = hk_fake_command(w, p, 0x300, 77, 0, 0);
	ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE);
	ck_assert_uint_eq(r.r1, TOCK_ERR_NOSUPPORT);
	r = hk_fake_command(w, p, TD_MISSING, 0, 0, 0);
	ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE);
	ck_assert_uint_eq(r.r1, TOCK_ERR_NODEVICE);
	/* Grant budget spent: NOMEM and the capsule is not called. */
	r = hk_fake_command(w, p, TD_BIG_NUM, 0, 0, 0);
	ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE);
	ck_assert_uint_eq(r.r1, TOCK_ERR_NOMEM);
	ck_assert_uint_eq(st.calls, 2);
	hk_fake_world_free(w);
}
END_TEST

/* ---- yield and the upcall queue ---- */

START_TEST(test_yield_no_wait)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	uint64_t flag = hk_fake_alloc(w, p, 1);
	uint8_t *host = hk_fake_host_ptr(w, p, flag, 1);
	struct hk_fake_ret r;
	struct hk_fake_upcall u;

	*host = 0x55;
	r = hk_fake_syscall(w, p, TOCK_CLASS_YIELD, TOCK_YIELD_NO_WAIT, flag, 0, 0);
	ck_assert_int_eq(r.result, HK_SYSCALL_RESUME);
	ck_assert_uint_eq(r.r0, 0);
	ck_assert_uint_eq(*host, 0);
	/* An address outside RAM is skipped silently. */
	r = hk_fake_syscall(w, p, TOCK_CLASS_YIELD, TOCK_YIELD_NO_WAIT, 0x7000, 0, 0);
	ck_assert_int_eq(r.result, HK_SYSCALL_RESUME);
	/* With a FunctionCall pending: 1 written, blocked, the scheduler delivers it. */
	hk_fake_subscribe(w, p, TD_NUM, 0, hk_fake_upcall_fn(w, p, 0), 9);
	hk_fake_command(w, p, TD_NUM, 1, 0, 42);
	r = hk_fake_syscall(w, p, TOCK_CLASS_YIELD, TOCK_YIELD_NO_WAIT, flag, 0, 0);
	ck_assert_int_eq(r.result, HK_SYSCALL_BLOCKED);
	ck_assert_uint_eq(*host, 1);
	/* The fake resumes the yielded process without delivering; the upcall stays queued. */
	ck_assert(hk_fake_yield_wait(w, p, &u));
	ck_assert_uint_eq(u.a0, 42);
	ck_assert_uint_eq(u.appdata, 9);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_yield_no_wait_helper)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_fake_upcall u;

	ck_assert_int_eq(hk_fake_yield_no_wait(w, p, &u), 0);
	hk_fake_subscribe(w, p, TD_NUM, 0, hk_fake_upcall_fn(w, p, 0), 9);
	hk_fake_command(w, p, TD_NUM, 1, 0, 42);
	ck_assert_int_eq(hk_fake_yield_no_wait(w, p, &u), 1);
	ck_assert_uint_eq(u.a0, 42);
	ck_assert_uint_eq(u.appdata, 9);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_RUNNING);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_queue_fifo_and_depth)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 4);
	struct hk_kernel *k = hk_fake_kernel(w);
	struct hk_process_stats st;
	struct hk_fake_upcall u;

	hk_fake_subscribe(w, p, TD_NUM, 0, hk_fake_upcall_fn(w, p, 0), 1);
	hk_fake_subscribe(w, p, TD_NUM, 1, hk_fake_upcall_fn(w, p, 1), 2);
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_int_eq(hk_upcall_schedule(k, TD_NUM, hk_process_pid(p), i % 2, i, 0, 0), 0);
	ck_assert_int_eq(hk_upcall_schedule(k, TD_NUM, hk_process_pid(p), 0, 99, 0, 0), -ENOSPC);
	ck_assert_int_eq(hk_upcall_schedule(k, TD_NUM, hk_process_pid(p), 3, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(hk_upcall_schedule(k, TD_NUM, 12345, 0, 0, 0, 0), -ESRCH);
	hk_process_get_stats(p, &st);
	ck_assert_uint_eq(st.upcalls_dropped, 1);
	ck_assert_uint_eq(st.upcalls_queued, 4);
	for (uint32_t i = 0; i < 4; i++) {
		ck_assert(hk_fake_yield_wait(w, p, &u));
		ck_assert_uint_eq(u.a0, i); /* FIFO across slots */
		ck_assert_uint_eq(u.appdata, 1 + i % 2);
	}
	ck_assert(!hk_fake_yield_wait(w, p, &u));
	ck_assert_int_eq(hk_process_state(p), HK_STATE_YIELDED);
	hk_process_get_stats(p, &st);
	ck_assert_uint_eq(st.upcalls_delivered, 4);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_null_upcall_wait_for_and_wait)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	hk_pid pid = hk_process_pid(p);
	struct hk_fake_upcall u;

	/* Never subscribed: null-upcall entries, kept for wait-for. */
	hk_upcall_schedule(k, TD_NUM, pid, 0, 10, 11, 12);
	hk_upcall_schedule(k, TD_NUM, pid, 1, 20, 21, 22);
	hk_upcall_schedule(k, TD_NUM, pid, 0, 30, 31, 32);
	ck_assert(hk_fake_yield_wait_for(w, p, TD_NUM, 1, &u));
	ck_assert_uint_eq(u.a0, 20);
	ck_assert_uint_eq(u.a2, 22);
	ck_assert_uint_eq(u.fn, 0);
	ck_assert(hk_fake_yield_wait_for(w, p, TD_NUM, 0, &u));
	ck_assert_uint_eq(u.a0, 10); /* others stayed in order */
	/* Plain yield-wait drops null entries and does not wake. */
	ck_assert(!hk_fake_yield_wait(w, p, &u));
	ck_assert(!hk_fake_yield_wait_for(w, p, TD_NUM, 0, &u));
	ck_assert_int_eq(hk_process_state(p), HK_STATE_YIELDED_FOR);
	/* A wait-for with a FunctionCall pending takes it without running the function. */
	hk_fake_subscribe(w, p, TD_NUM, 2, hk_fake_upcall_fn(w, p, 2), 5);
	hk_upcall_schedule(k, TD_NUM, pid, 2, 7, 8, 9);
	ck_assert(hk_fake_yield_wait_for(w, p, TD_NUM, 2, &u));
	ck_assert_uint_eq(u.a1, 8);
	ck_assert_uint_eq(u.appdata, 0);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_wait_for_resumes_from_scheduler)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	struct hk_resume res;
	struct hk_fake_ret r = hk_fake_syscall(w, p, TOCK_CLASS_YIELD, TOCK_YIELD_WAIT_FOR, TD_NUM, 1, 0);

	ck_assert_int_eq(r.result, HK_SYSCALL_BLOCKED);
	hk_upcall_schedule(k, TD_NUM, hk_process_pid(p), 0, 1, 1, 1);
	ck_assert(hk_kernel_idle(k));
	ck_assert_ptr_null(hk_schedule_next(k, &res));
	hk_upcall_schedule(k, TD_NUM, hk_process_pid(p), 1, 4, 5, 6);
	ck_assert(!hk_kernel_idle(k));
	ck_assert_ptr_eq(hk_schedule_next(k, &res), p);
	ck_assert_int_eq(res.kind, HK_RESUME_RETURN);
	ck_assert_uint_eq(res.arg[0], 4);
	ck_assert_uint_eq(res.arg[2], 6);
	ck_assert_uint_eq(res.arg[3], 0);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_subscribe_drops_pending)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	hk_pid pid = hk_process_pid(p);
	struct hk_fake_upcall u;

	hk_upcall_schedule(k, TD_NUM, pid, 0, 1, 0, 0); /* null entry: survives subscribe */
	hk_fake_subscribe(w, p, TD_NUM, 0, hk_fake_upcall_fn(w, p, 0), 0);
	hk_upcall_schedule(k, TD_NUM, pid, 0, 2, 0, 0);
	hk_upcall_schedule(k, TD_NUM, pid, 1, 3, 0, 0);
	hk_fake_subscribe(w, p, TD_NUM, 0, hk_fake_upcall_fn(w, p, 1), 0);
	ck_assert(hk_fake_yield_wait_for(w, p, TD_NUM, 0, &u));
	ck_assert_uint_eq(u.a0, 1);
	ck_assert(!hk_fake_yield_wait_for(w, p, TD_NUM, 0, &u)); /* the FunctionCall a0=2 is gone */
	ck_assert(hk_fake_yield_wait_for(w, p, TD_NUM, 1, &u));
	ck_assert_uint_eq(u.a0, 3);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_coalescing)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	hk_pid pid = hk_process_pid(p);
	struct hk_process_stats st;
	struct hk_fake_upcall u;

	hk_fake_subscribe(w, p, TD_NUM, 2, hk_fake_upcall_fn(w, p, 2), 0);
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(hk_upcall_schedule(k, TD_NUM, pid, 2, (uint32_t)i, 0, 0), 0);
	hk_process_get_stats(p, &st);
	ck_assert_uint_eq(st.upcalls_queued, 1);
	ck_assert_uint_eq(st.upcalls_coalesced, 19);
	ck_assert_uint_eq(st.upcalls_dropped, 0);
	ck_assert(hk_fake_yield_wait(w, p, &u));
	ck_assert_uint_eq(u.a0, 0); /* the first one kept */
	ck_assert_int_eq(hk_upcall_schedule(k, TD_NUM, pid, 2, 100, 0, 0), 0);
	ck_assert(hk_fake_yield_wait(w, p, &u));
	ck_assert_uint_eq(u.a0, 100);
	hk_fake_world_free(w);
}
END_TEST

/* ---- memop ---- */

struct memop_case {
	uint32_t op;
	uint64_t arg;
	uint32_t variant;
	uint32_t err_or_field; /* error code, or which map field r1 must equal */
};

enum { F_NONE, F_RAM_START, F_RAM_END, F_FLASH_START, F_FLASH_END, F_GRANT, F_WCOUNT, F_W0START, F_W1END, F_BREAK };

static const struct memop_case memop_cases[] = {
	{ TOCK_MEMOP_RAM_START, 0, TOCK_RET_SUCCESS_U32, F_RAM_START },
	{ TOCK_MEMOP_RAM_END, 0, TOCK_RET_SUCCESS_U32, F_RAM_END },
	{ TOCK_MEMOP_FLASH_START, 0, TOCK_RET_SUCCESS_U32, F_FLASH_START },
	{ TOCK_MEMOP_FLASH_END, 0, TOCK_RET_SUCCESS_U32, F_FLASH_END },
	{ TOCK_MEMOP_GRANT_START, 0, TOCK_RET_SUCCESS_U32, F_GRANT },
	{ TOCK_MEMOP_WRITEABLE_FLASH_COUNT, 0, TOCK_RET_SUCCESS_U32, F_WCOUNT },
	{ TOCK_MEMOP_WRITEABLE_FLASH_START, 0, TOCK_RET_SUCCESS_U32, F_W0START },
	{ TOCK_MEMOP_WRITEABLE_FLASH_END, 1, TOCK_RET_SUCCESS_U32, F_W1END },
	{ TOCK_MEMOP_WRITEABLE_FLASH_START, 2, TOCK_RET_FAILURE, TOCK_ERR_FAIL },
	{ TOCK_MEMOP_WRITEABLE_FLASH_END, 1ull << 33, TOCK_RET_FAILURE, TOCK_ERR_FAIL },
	{ TOCK_MEMOP_STACK_START, 0x1234, TOCK_RET_SUCCESS, F_NONE },
	{ TOCK_MEMOP_HEAP_START, 0x1234, TOCK_RET_SUCCESS, F_NONE },
	{ TOCK_MEMOP_SBRK, 0, TOCK_RET_SUCCESS_U32, F_BREAK },
	{ 12, 0, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0xFFFFFFFFu, 0, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
};

START_TEST(test_memop_queries)
{
	const struct memop_case *c = &memop_cases[_i];
	struct hk_fake_proc_config pc = { .writeable_flash_regions = 2, .fault_policy = { HK_FAULT_STOP, 0 } };
	struct hk_fake_world *w = td_world(NULL, 0);
	struct hk_process *p = hk_fake_spawn(w, &pc);
	const struct hk_memory_map *m = hk_fake_memory_map(w, p);
	uint64_t want[] = { 0, m->ram_start, m->ram_end, m->flash_start, m->flash_end, m->grant_start, 2,
		            m->writeable_flash_start[0], m->writeable_flash_end[1], m->initial_break };
	struct hk_fake_ret r = hk_fake_memop(w, p, c->op, c->arg);

	ck_assert_int_eq(r.result, HK_SYSCALL_RESUME);
	ck_assert_uint_eq(r.r0, c->variant);
	if (c->variant == TOCK_RET_FAILURE)
		ck_assert_uint_eq(r.r1, c->err_or_field);
	else if (c->variant == TOCK_RET_SUCCESS_U32)
		ck_assert_uint_eq(r.r1, want[c->err_or_field]);
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_memop_brk_sbrk)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	const struct hk_memory_map *m = hk_fake_memory_map(w, p);
	uint64_t b0 = m->initial_break;
	uint8_t *host;
	struct hk_fake_ret r;

	r = hk_fake_memop(w, p, TOCK_MEMOP_SBRK, 256);
	ck_assert_uint_eq(r.r0, TOCK_RET_SUCCESS_U32);
	ck_assert_uint_eq(r.r1, b0);
	host = hk_fake_host_ptr(w, p, b0, 256);
	memset(host, 0xAA, 256);
	r = hk_fake_memop(w, p, TOCK_MEMOP_SBRK, (uint32_t)-128); /* 32-bit negative increment */
	ck_assert_uint_eq(r.r1, b0 + 256);
	r = hk_fake_memop(w, p, TOCK_MEMOP_SBRK, (uint64_t)-128); /* 64-bit negative increment */
	ck_assert_uint_eq(r.r1, b0 + 128);
	/* Regrowing zeroes the newly exposed bytes. */
	ck_assert_uint_eq(hk_fake_memop(w, p, TOCK_MEMOP_BRK, b0 + 64).r0, TOCK_RET_SUCCESS);
	ck_assert_uint_eq(host[0], 0);
	ck_assert_uint_eq(host[63], 0);
	/* Bounds: below heap_start, past grant_start, huge negative. */
	r = hk_fake_memop(w, p, TOCK_MEMOP_BRK, m->heap_start - 8);
	ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE);
	ck_assert_uint_eq(r.r1, TOCK_ERR_NOMEM);
	ck_assert_uint_eq(hk_fake_memop(w, p, TOCK_MEMOP_BRK, m->grant_start + 8).r1, TOCK_ERR_NOMEM);
	ck_assert_uint_eq(hk_fake_memop(w, p, TOCK_MEMOP_BRK, m->grant_start).r0, TOCK_RET_SUCCESS);
	ck_assert_uint_eq(hk_fake_memop(w, p, TOCK_MEMOP_SBRK, (uint64_t)INT64_MIN).r1, TOCK_ERR_NOMEM);
	/* brk may not go below the allow high-water mark. */
	ck_assert_uint_eq(hk_fake_allow_rw(w, p, TD_NUM, 0, b0 + 1000, 24).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_memop(w, p, TOCK_MEMOP_BRK, b0 + 1000).r1, TOCK_ERR_NOMEM);
	ck_assert_uint_eq(hk_fake_memop(w, p, TOCK_MEMOP_BRK, b0 + 1024).r0, TOCK_RET_SUCCESS);
	hk_fake_world_free(w);
}
END_TEST

/* ---- exit ---- */

START_TEST(test_exit_terminate)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	hk_pid pid = hk_process_pid(p);
	struct hk_fake_ret r;

	hk_fake_command(w, p, TD_NUM, 2, 0, 0);
	hk_upcall_schedule(hk_fake_kernel(w), TD_NUM, pid, 0, 0, 0, 0);
	r = hk_fake_exit(w, p, 7, 0);
	ck_assert_int_eq(r.result, HK_SYSCALL_RESUME);
	ck_assert_uint_eq(r.r0, TOCK_RET_FAILURE);
	ck_assert_uint_eq(r.r1, TOCK_ERR_NOSUPPORT);
	r = hk_fake_exit(w, p, TOCK_EXIT_TERMINATE, 0xC0DE);
	ck_assert_int_eq(r.result, HK_SYSCALL_ENDED);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_TERMINATED);
	ck_assert(hk_process_has_completion_code(p));
	ck_assert_uint_eq(hk_process_completion_code(p), 0xC0DE);
	ck_assert(!hk_process_alive(hk_fake_kernel(w), pid));
	ck_assert_ptr_null(hk_grant_get(hk_fake_kernel(w), TD_NUM, pid));
	ck_assert_uint_eq(hk_fake_kill_count(w, p), 1);
	ck_assert_int_eq(hk_fake_command(w, p, TD_NUM, 0, 0, 0).result, HK_SYSCALL_ENDED);
	ck_assert(hk_kernel_all_done(hk_fake_kernel(w)));
	hk_fake_world_free(w);
}
END_TEST

START_TEST(test_exit_restart)
{
	struct hk_process *p;
	struct hk_fake_world *w = td_world(&p, 0);
	struct hk_kernel *k = hk_fake_kernel(w);
	hk_pid old = hk_process_pid(p);
	struct hk_process_stats st;
	struct hk_fake_ret r;

	hk_fake_command(w, p, TD_NUM, 2, 0, 0);
	ck_assert_uint_eq(hk_fake_command(w, p, TD_NUM, 2, 0, 0).r1, 1);
	hk_fake_memop(w, p, TOCK_MEMOP_SBRK, 64);
	r = hk_fake_exit(w, p, TOCK_EXIT_RESTART, 3);
	ck_assert_int_eq(r.result, HK_SYSCALL_ENDED);
	ck_assert_uint_ne(hk_process_pid(p), old);
	ck_assert_uint_eq(hk_process_pid(p), old + 1);
	ck_assert_uint_eq(hk_process_restart_count(p), 1);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_UNSTARTED);
	ck_assert_ptr_eq(hk_process_at(k, 0), p); /* same slot */
	ck_assert_ptr_eq(hk_fake_lookup(w, old), NULL);
	ck_assert_uint_eq(hk_fake_kill_count(w, p), 1);
	ck_assert_uint_eq(hk_fake_spawn_count(w, p), 2);
	hk_process_get_stats(p, &st);
	ck_assert_uint_eq(st.grant_bytes_used, 0);
	ck_assert_uint_eq(st.app_break, hk_fake_memory_map(w, p)->initial_break);
	/* Grants were freed: the counter starts from zero again. */
	ck_assert_uint_eq(hk_fake_command(w, p, TD_NUM, 2, 0, 0).r1, 0);
	ck_assert_int_eq(hk_process_state(p), HK_STATE_RUNNING);
	hk_fake_world_free(w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernel-syscalls");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_bad_class_faults, 0, sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_command_variants);
	tcase_add_test(tc, test_yield_no_wait);
	tcase_add_test(tc, test_yield_no_wait_helper);
	tcase_add_test(tc, test_queue_fifo_and_depth);
	tcase_add_test(tc, test_null_upcall_wait_for_and_wait);
	tcase_add_test(tc, test_wait_for_resumes_from_scheduler);
	tcase_add_test(tc, test_subscribe_drops_pending);
	tcase_add_test(tc, test_coalescing);
	tcase_add_loop_test(tc, test_memop_queries, 0, sizeof(memop_cases) / sizeof(memop_cases[0]));
	tcase_add_test(tc, test_memop_brk_sbrk);
	tcase_add_test(tc, test_exit_terminate);
	tcase_add_test(tc, test_exit_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
