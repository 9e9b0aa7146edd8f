/* Unit tests of the console capsule on fake processes: write, read, abort, busy, input filter, ring limits. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsule_test.h"
#include "capsules/console.h"

#define CON TOCK_DRIVER_CONSOLE

static struct hk_fake_world *w;
static struct capsule_console *con;

/* What the port saw. */
static uint8_t out[8192];
static size_t out_len;
static hk_pid out_last_pid;
static unsigned out_calls;
static bool input_for_pid[8]; /* by ProcessId; all true unless a test filters */

static void port_write(void *ctx, hk_pid pid, const uint8_t *bytes, size_t len)
{
	ck_assert_ptr_eq(ctx, &out);
	ck_assert_uint_le(out_len + len, sizeof(out));
	memcpy(out + out_len, bytes, len);
	out_len += len;
	out_last_pid = pid;
	out_calls++;
}

static bool port_input_allowed(void *ctx, hk_pid pid)
{
	return pid < 8 && input_for_pid[pid];
}

static void setup(void)
{
	const struct capsule_console_port port = { port_write, port_input_allowed, &out };

	w = hk_fake_world_new(NULL);
	ck_assert_ptr_nonnull(w);
	con = capsule_console_new(hk_fake_kernel(w), CON, &port);
	ck_assert_ptr_nonnull(con);
	ck_assert_int_eq(hk_fake_register_driver(w, CON, &capsule_console_ops, con), 0);
	out_len = 0;
	out_calls = 0;
	for (size_t i = 0; i < 8; i++)
		input_for_pid[i] = true;
}

static void teardown(void)
{
	capsule_console_free(con);
	hk_fake_world_free(w);
}

/* p allows a fresh RW buffer of len bytes for reads; returns its host view. */
static uint8_t *allow_read_buffer(struct hk_process *p, size_t len)
{
	uint8_t *host;
	uint64_t addr = test_buffer(w, p, len, &host);

	ck_assert_uint_eq(hk_fake_allow_rw(w, p, CON, 1, addr, len).r0, TOCK_RET_SUCCESS_U32_U32);
	return host;
}

static size_t feed(const char *s)
{
	return capsule_console_receive(con, (const uint8_t *)s, strlen(s));
}

/* ---- command decoding ---- */

static const struct {
	uint32_t cmd;
	uint32_t variant, err;
} simple_cmds[] = {
	{ 0, TOCK_RET_SUCCESS, 0 },
	{ 3, TOCK_RET_SUCCESS, 0 }, /* abort with nothing in flight */
	{ 4, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 99, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
	{ 0xffffffffu, TOCK_RET_FAILURE, TOCK_ERR_NOSUPPORT },
};

START_TEST(test_simple_commands)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);

	ck_assert_cmd(hk_fake_command(w, p, CON, simple_cmds[_i].cmd, 0, 0), simple_cmds[_i].variant,
	              simple_cmds[_i].err);
	ck_assert(!test_has_upcall(w, p, CON, 2));
}
END_TEST

/* ---- write ---- */

static const struct {
	uint32_t arg0;
	size_t allow_len; /* of "hello world" */
	uint32_t written;
} write_cases[] = {
	{ 5, 11, 5 }, { 11, 11, 11 }, { 1000, 11, 11 }, { 0, 11, 0 }, { 4, 0, 0 }, { 7, 3, 3 },
};

START_TEST(test_write)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint64_t text = hk_fake_flash_alloc(w, p, "hello world", 11);

	if (write_cases[_i].allow_len)
		ck_assert_uint_eq(hk_fake_allow_ro(w, p, CON, 1, text, write_cases[_i].allow_len).r0,
		                  TOCK_RET_SUCCESS_U32_U32);
	ck_assert_success(hk_fake_command(w, p, CON, 1, write_cases[_i].arg0, 0));
	ck_assert_uint_eq(out_len, write_cases[_i].written);
	ck_assert_mem_eq(out, "hello world", out_len);
	if (out_len)
		ck_assert_uint_eq(out_last_pid, hk_process_pid(p));
	ck_assert_upcall(test_upcall(w, p, CON, 1), write_cases[_i].written, 0, 0);
}
END_TEST

/* The write-done upcall reaches a subscribed function with its appdata, and writes from two processes are tagged. */
START_TEST(test_write_upcall_function_and_pid)
{
	struct hk_process *a = hk_fake_spawn(w, NULL), *b = hk_fake_spawn(w, NULL);
	uint64_t fn = hk_fake_upcall_fn(w, a, 1);
	struct hk_fake_upcall up;

	ck_assert_uint_eq(hk_fake_subscribe(w, a, CON, 1, fn, 0x1234).r0, TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_ro(w, a, CON, 1, hk_fake_flash_alloc(w, a, "AA", 2), 2).r0,
	                  TOCK_RET_SUCCESS_U32_U32);
	ck_assert_uint_eq(hk_fake_allow_ro(w, b, CON, 1, hk_fake_flash_alloc(w, b, "BBB", 3), 3).r0,
	                  TOCK_RET_SUCCESS_U32_U32);
	ck_assert_success(hk_fake_command(w, a, CON, 1, 2, 0));
	ck_assert_uint_eq(out_last_pid, hk_process_pid(a));
	ck_assert_success(hk_fake_command(w, b, CON, 1, 3, 0));
	ck_assert_uint_eq(out_last_pid, hk_process_pid(b));
	ck_assert_uint_eq(out_calls, 2);
	ck_assert_mem_eq(out, "AABBB", 5);

	ck_assert(hk_fake_yield_wait(w, a, &up));
	ck_assert_uint_eq(up.fn, fn);
	ck_assert_uint_eq(up.appdata, 0x1234);
	ck_assert_upcall(up, 2, 0, 0);
	ck_assert_upcall(test_upcall(w, b, CON, 1), 3, 0, 0);
}
END_TEST

/* ---- read ---- */

START_TEST(test_read_completes_when_all_bytes_arrive)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint8_t *buf = allow_read_buffer(p, 16);

	ck_assert_success(hk_fake_command(w, p, CON, 2, 4, 0));
	ck_assert_uint_eq(feed("ab"), 2);
	ck_assert(!test_has_upcall(w, p, CON, 2));
	ck_assert_uint_eq(feed("cdef"), 4); /* "ef" stays buffered */
	ck_assert_upcall(test_upcall(w, p, CON, 2), 0, 4, 0);
	ck_assert_mem_eq(buf, "abcd\0", 5);

	/* Buffered input completes the next read at once, inside the command. */
	ck_assert_success(hk_fake_command(w, p, CON, 2, 2, 0));
	ck_assert_upcall(test_upcall(w, p, CON, 2), 0, 2, 0);
	ck_assert_mem_eq(buf, "efcd", 4);
}
END_TEST

static const struct {
	const char *what;
	size_t allow_len; /* 0: no RW allow */
	uint32_t arg0;
	uint32_t err;
} read_errors[] = {
	{ "longer than the RX buffer", 128, 65, TOCK_ERR_INVAL },
	{ "huge", 128, 0xffffffffu, TOCK_ERR_INVAL },
	{ "zero bytes", 16, 0, TOCK_ERR_SIZE },
	{ "no buffer", 0, 8, TOCK_ERR_SIZE },
};

START_TEST(test_read_errors)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);

	if (read_errors[_i].allow_len)
		allow_read_buffer(p, read_errors[_i].allow_len);
	ck_assert_failure(hk_fake_command(w, p, CON, 2, read_errors[_i].arg0, 0), read_errors[_i].err);
	/* Nothing is in flight afterwards: input stays in the ring. */
	ck_assert_uint_eq(feed("x"), 1);
	ck_assert_uint_eq(capsule_console_rx_space(con), CAPSULE_CONSOLE_RING_SIZE - 1);
}
END_TEST

START_TEST(test_read_of_64_and_clipped_to_buffer)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint8_t *buf = allow_read_buffer(p, 64);
	char line[65];

	memset(line, 'q', 64);
	line[64] = '\0';
	ck_assert_success(hk_fake_command(w, p, CON, 2, 64, 0));
	ck_assert_uint_eq(feed(line), 64);
	ck_assert_upcall(test_upcall(w, p, CON, 2), 0, 64, 0);
	ck_assert_mem_eq(buf, line, 64);

	/* Tock reads min(arg0, buffer length): a 100-byte request on an 8-byte buffer is 8 bytes. */
	buf = allow_read_buffer(p, 8);
	ck_assert_success(hk_fake_command(w, p, CON, 2, 100, 0));
	ck_assert_uint_eq(feed("0123456789"), 10);
	ck_assert_upcall(test_upcall(w, p, CON, 2), 0, 8, 0);
	ck_assert_mem_eq(buf, "01234567", 8);
	ck_assert_uint_eq(capsule_console_rx_space(con), CAPSULE_CONSOLE_RING_SIZE - 2);
}
END_TEST

START_TEST(test_read_busy_across_processes)
{
	struct hk_process *a = hk_fake_spawn(w, NULL), *b = hk_fake_spawn(w, NULL);

	allow_read_buffer(a, 8);
	allow_read_buffer(b, 8);
	ck_assert_success(hk_fake_command(w, a, CON, 2, 2, 0));
	ck_assert_failure(hk_fake_command(w, b, CON, 2, 2, 0), TOCK_ERR_BUSY);
	ck_assert_failure(hk_fake_command(w, a, CON, 2, 2, 0), TOCK_ERR_BUSY);
	/* b cannot cancel a's read. */
	ck_assert_success(hk_fake_command(w, b, CON, 3, 0, 0));
	ck_assert(!test_has_upcall(w, a, CON, 2));
	ck_assert(!test_has_upcall(w, b, CON, 2));
	feed("hi");
	ck_assert_upcall(test_upcall(w, a, CON, 2), 0, 2, 0);
	ck_assert_success(hk_fake_command(w, b, CON, 2, 2, 0));
}
END_TEST

START_TEST(test_abort_delivers_bytes_so_far)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint8_t *buf = allow_read_buffer(p, 16);

	ck_assert_success(hk_fake_command(w, p, CON, 2, 10, 0));
	feed("xyz");
	ck_assert_success(hk_fake_command(w, p, CON, 3, 0, 0));
	ck_assert_upcall(test_upcall(w, p, CON, 2), TOCK_ERR_CANCEL, 3, 0);
	ck_assert_mem_eq(buf, "xyz", 3);
	/* The read is over: a new one may start, and a second abort sends nothing. */
	ck_assert_success(hk_fake_command(w, p, CON, 3, 0, 0));
	ck_assert(!test_has_upcall(w, p, CON, 2));
	ck_assert_success(hk_fake_command(w, p, CON, 2, 1, 0));
}
END_TEST

START_TEST(test_input_filter)
{
	struct hk_process *a = hk_fake_spawn(w, NULL), *b = hk_fake_spawn(w, NULL);
	uint8_t *bbuf;

	input_for_pid[hk_process_pid(a)] = false;
	allow_read_buffer(a, 8);
	bbuf = allow_read_buffer(b, 8);
	ck_assert_success(hk_fake_command(w, a, CON, 2, 2, 0));
	ck_assert_uint_eq(feed("xy"), 2);
	ck_assert(!test_has_upcall(w, a, CON, 2));
	ck_assert_success(hk_fake_command(w, a, CON, 3, 0, 0));
	ck_assert_upcall(test_upcall(w, a, CON, 2), TOCK_ERR_CANCEL, 0, 0);
	/* The input waited in the ring for a reader that may have it. */
	ck_assert_success(hk_fake_command(w, b, CON, 2, 2, 0));
	ck_assert_upcall(test_upcall(w, b, CON, 2), 0, 2, 0);
	ck_assert_mem_eq(bbuf, "xy", 2);
}
END_TEST

START_TEST(test_ring_full)
{
	static uint8_t big[CAPSULE_CONSOLE_RING_SIZE + 100];
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint8_t *buf;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	ck_assert_uint_eq(capsule_console_receive(con, big, sizeof(big)), CAPSULE_CONSOLE_RING_SIZE);
	ck_assert_uint_eq(capsule_console_rx_space(con), 0);
	ck_assert_uint_eq(capsule_console_receive(con, big, 1), 0);

	buf = allow_read_buffer(p, 64);
	ck_assert_success(hk_fake_command(w, p, CON, 2, 64, 0));
	ck_assert_upcall(test_upcall(w, p, CON, 2), 0, 64, 0);
	ck_assert_mem_eq(buf, big, 64); /* oldest bytes first */
	ck_assert_uint_eq(capsule_console_rx_space(con), 64);
}
END_TEST

/* A reader draining the ring lets a long input through in one receive call. */
START_TEST(test_receive_streams_through_reader)
{
	static uint8_t big[CAPSULE_CONSOLE_RING_SIZE + 30];
	struct hk_process *p = hk_fake_spawn(w, NULL);

	memset(big, 'z', sizeof(big));
	allow_read_buffer(p, 64);
	ck_assert_success(hk_fake_command(w, p, CON, 2, 40, 0));
	ck_assert_uint_eq(capsule_console_receive(con, big, sizeof(big)), sizeof(big));
	ck_assert_upcall(test_upcall(w, p, CON, 2), 0, 40, 0);
	ck_assert_uint_eq(capsule_console_rx_space(con), 10);
}
END_TEST

START_TEST(test_dead_reader_is_dropped)
{
	struct hk_process *a = hk_fake_spawn(w, NULL), *b = hk_fake_spawn(w, NULL);
	uint8_t *bbuf;

	allow_read_buffer(a, 8);
	bbuf = allow_read_buffer(b, 8);
	ck_assert_success(hk_fake_command(w, a, CON, 2, 4, 0));
	hk_fake_exit(w, a, TOCK_EXIT_TERMINATE, 0);
	ck_assert_success(hk_fake_command(w, b, CON, 2, 3, 0));
	feed("abc");
	ck_assert_upcall(test_upcall(w, b, CON, 2), 0, 3, 0);
	ck_assert_mem_eq(bbuf, "abc", 3);
}
END_TEST

/* The RW buffer changed while the read was in flight: SIZE if it shrank, NOMEM if it is gone. */
static const struct {
	size_t new_len;
	uint32_t status, copied;
} shrink_cases[] = {
	{ 4, TOCK_ERR_SIZE, 4 },
	{ 0, TOCK_ERR_NOMEM, 0 },
	{ 16, 0, 8 },
};

START_TEST(test_buffer_changed_during_read)
{
	struct hk_process *p = hk_fake_spawn(w, NULL);
	uint8_t *buf;

	allow_read_buffer(p, 8);
	ck_assert_success(hk_fake_command(w, p, CON, 2, 8, 0));
	if (shrink_cases[_i].new_len) {
		buf = allow_read_buffer(p, shrink_cases[_i].new_len);
	} else {
		ck_assert_uint_eq(hk_fake_allow_rw(w, p, CON, 1, 0, 0).r0, TOCK_RET_SUCCESS_U32_U32);
		buf = NULL;
	}
	feed("ABCDEFGH");
	ck_assert_upcall(test_upcall(w, p, CON, 2), shrink_cases[_i].status, shrink_cases[_i].copied, 0);
	if (buf)
		ck_assert_mem_eq(buf, "ABCDEFGH", shrink_cases[_i].copied);
}
END_TEST

START_TEST(test_free_null)
{
	capsule_console_free(NULL);
}
END_TEST

static Suite *console_suite(void)
{
	Suite *s = suite_create("capsule_console");
	TCase *tc = tcase_create("console");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_simple_commands, 0, sizeof(simple_cmds) / sizeof(simple_cmds[0]));
	tcase_add_loop_test(tc, test_write, 0, sizeof(write_cases) / sizeof(write_cases[0]));
	tcase_add_test(tc, test_write_upcall_function_and_pid);
	tcase_add_test(tc, test_read_completes_when_all_bytes_arrive);
	tcase_add_loop_test(tc, test_read_errors, 0, sizeof(read_errors) / sizeof(read_errors[0]));
	tcase_add_test(tc, test_read_of_64_and_clipped_to_buffer);
	tcase_add_test(tc, test_read_busy_across_processes);
	tcase_add_test(tc, test_abort_delivers_bytes_so_far);
	tcase_add_test(tc, test_input_filter);
	tcase_add_test(tc, test_ring_full);
	tcase_add_test(tc, test_receive_streams_through_reader);
	tcase_add_test(tc, test_dead_reader_is_dropped);
	tcase_add_loop_test(tc, test_buffer_changed_during_read, 0, sizeof(shrink_cases) / sizeof(shrink_cases[0]));
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(console_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
