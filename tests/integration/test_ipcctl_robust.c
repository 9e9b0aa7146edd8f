/* Integration tests: hostile and slow control-socket clients never crash or stall the supervisor or its apps. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_ipcctl_util.h"
#include "th_suite.h"

#define PAIR_ARGS th_app("ipcctl_server"), th_app("ipcctl_client")

/* Requests that must each get exactly one {"ok":false} reply. */
static const char *const bad_requests[] = {
	"not json",
	"{",
	"[1,2,3]",
	"42",
	"{\"cmd\":\"ps\"}",
	"{\"v\":2,\"cmd\":\"ps\"}",
	"{\"v\":\"1\",\"cmd\":\"ps\"}",
	"{\"v\":1}",
	"{\"v\":1,\"cmd\":\"reboot\"}",
	"{\"v\":1,\"cmd\":7}",
	"{\"v\":1,\"cmd\":\"stop\"}",
	"{\"v\":1,\"cmd\":\"stop\",\"app\":\"\"}",
	"{\"v\":1,\"cmd\":\"stop\",\"pid\":-1}",
	"{\"v\":1,\"cmd\":\"stop\",\"pid\":1.5}",
	"{\"v\":1,\"cmd\":\"stop\",\"app\":\"x\",\"pid\":1}",
	"{\"v\":1,\"cmd\":\"trace\",\"driver\":\"all\"}",
	"{\"v\":1,\"cmd\":\"ps\"} trailing",
	"{\"v\":1,\"cmd\":\"ps\",\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
};

static void send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_msg(n > 0, "send: %s", strerror(errno));
		p += n;
		len -= (size_t)n;
	}
}

/* Malformed, oversized and random input while RPCs run: an error reply for each bad line, every RPC completes. */
START_TEST(test_fuzz)
{
	static char buf[1 << 16], big[20000];
	struct th_proc p;
	struct th_result r;
	struct json_object *ps;
	size_t len = 0, errors = 0;
	unsigned seed = 12345;
	char sock[256], *line;
	int fd;

	ic_start(&p, sock, "fuzz", "ipcctl_client: rpc 1 ok", IC_ARGS(PAIR_ARGS));
	fd = ic_connect(sock);
	for (size_t i = 0; i < TH_ARRAY_SIZE(bad_requests); i++) {
		send_all(fd, bad_requests[i], strlen(bad_requests[i]));
		send_all(fd, "\n", 1);
	}
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	send_all(fd, big, sizeof(big)); /* oversized: one error, then the connection still works */
	send_all(fd, "{\"v\":1,\"cmd\":\"hello\",\"id\":\"after\"}\n", 35);
	while ((line = ic_read_line(fd, buf, sizeof(buf), &len))) {
		struct json_object *o = json_tokener_parse(line);

		ck_assert_msg(o, "reply is not JSON: %s", line);
		if (!strcmp(ic_str(o, "id"), "after")) {
			ck_assert_int_eq(ic_int(o, "ok"), 1);
			json_object_put(o);
			free(line);
			break;
		}
		ck_assert_msg(ic_int(o, "ok") == 0 && *ic_str(o, "error"), "not an error reply: %s", line);
		errors++;
		json_object_put(o);
		free(line);
	}
	ck_assert_uint_eq(errors, TH_ARRAY_SIZE(bad_requests) + 1);
	close(fd);
	/* Random bytes (NULs, newlines, invalid UTF-8) on several connections, some closed mid-line. */
	for (int c = 0; c < 20; c++) {
		char junk[3000];

		fd = ic_connect(sock);
		for (size_t i = 0; i < sizeof(junk); i++)
			junk[i] = (char)(rand_r(&seed) & 0xff);
		send_all(fd, junk, (size_t)(rand_r(&seed) % sizeof(junk)) + 1);
		close(fd);
	}
	ck_assert_msg(th_wait_stdout(&p, "ipcctl_client: rpc 200 ok"), "RPCs stopped");
	ps = ic_json(&p, sock, IC_ARGS("ps", "--json"));
	ck_assert_str_eq(ic_str(ps, "processes.1.name"), "ipcctl_client");
	json_object_put(ps);
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, !strstr(r.out, "rpc failed"), "an RPC failed");
	th_result_free(&r);
}
END_TEST

/* A client that keeps asking and never reads is dropped once its queue is full; apps go on. */
START_TEST(test_never_reads)
{
	static const char req[] = "{\"v\":1,\"cmd\":\"ps\"}\n";
	struct th_proc p;
	struct th_result r;
	struct json_object *st;
	char sock[256];
	bool dropped = false;
	int fd, rcv = 4096;

	ic_start(&p, sock, "noread", "ipcctl_client: rpc 1 ok", IC_ARGS(PAIR_ARGS));
	fd = ic_connect(sock);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	/* Far more replies than the per-client bound (1 MiB) plus socket buffers can hold. */
	for (int i = 0; i < 200000 && !dropped; i++) {
		struct pollfd pf = { fd, POLLOUT, 0 };

		if (poll(&pf, 1, 60000) <= 0)
			break;
		if (pf.revents & (POLLERR | POLLHUP) || send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) < 0)
			dropped = true;
	}
	ck_assert_msg(dropped, "a client that never reads was never dropped");
	close(fd);
	st = ic_json(&p, sock, IC_ARGS("stats", "--json"));
	ck_assert_int_ge(ic_int(st, "control.dropped_slow"), 1);
	json_object_put(st);
	ck_assert_msg(th_wait_stdout(&p, "ipcctl_client: rpc 100 ok"), "RPCs stopped");
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, !strstr(r.out, "rpc failed"), "an RPC failed");
	th_result_free(&r);
}
END_TEST

/* A trace reader that falls behind loses events, and the stream says how many. */
START_TEST(test_trace_lag)
{
	static char buf[1 << 20];
	struct th_proc p;
	struct th_result r;
	struct json_object *st = NULL;
	size_t len = 0;
	char sock[256], *line;
	bool seen = false;
	int fd, rcv = 4096;

	ic_start(&p, sock, "lag", "ipcctl_client: rpc 1 ok", IC_ARGS(PAIR_ARGS));
	fd = ic_connect(sock);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	send_all(fd, "{\"v\":1,\"cmd\":\"trace\",\"all\":true}\n", 33);
	/* Do not read until the supervisor reports drops (it keeps running the apps meanwhile). */
	for (int i = 0; i < 6000; i++) {
		json_object_put(st);
		st = ic_json(&p, sock, IC_ARGS("stats", "--json"));
		if (ic_int(st, "control.trace_dropped") > 0)
			break;
		usleep(10000);
	}
	ck_assert_int_gt(ic_int(st, "control.trace_dropped"), 0);
	json_object_put(st);
	while (!seen && (line = ic_read_line(fd, buf, sizeof(buf), &len))) {
		struct json_object *o = json_tokener_parse(line);

		ck_assert_msg(o, "not JSON: %.200s", line);
		if (!strcmp(ic_str(o, "event"), "dropped")) {
			ck_assert_int_gt(ic_int(o, "count"), 0);
			seen = true;
		}
		json_object_put(o);
		free(line);
	}
	ck_assert_msg(seen, "no 'dropped' event in the stream");
	close(fd);
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, !strstr(r.out, "rpc failed"), "an RPC failed");
	th_result_free(&r);
}
END_TEST

/* A trace reader that stops reading for good is dropped once its queue has stayed full for 10 s; apps go on. */
START_TEST(test_trace_stuck)
{
	struct th_proc p;
	struct th_result r;
	struct json_object *st = NULL;
	char sock[256], buf[4096];
	int fd, rcv = 4096;
	long long dropped = 0;
	ssize_t n = 1;

	ic_start(&p, sock, "stuck", "ipcctl_client: rpc 1 ok", IC_ARGS(PAIR_ARGS));
	fd = ic_connect(sock);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	send_all(fd, "{\"v\":1,\"cmd\":\"trace\",\"all\":true}\n", 33);
	for (int i = 0; i < 1200 && dropped < 1; i++) {
		json_object_put(st);
		st = ic_json(&p, sock, IC_ARGS("stats", "--json"));
		dropped = ic_int(st, "control.dropped_slow");
		usleep(100000);
	}
	json_object_put(st);
	ck_assert_msg(dropped >= 1, "a trace reader that never reads was never dropped");
	/* What the kernel had buffered, then end of stream. */
	for (struct pollfd pf = { fd, POLLIN, 0 }; n > 0 && poll(&pf, 1, 60000) > 0;)
		n = read(fd, buf, sizeof(buf));
	ck_assert_msg(n == 0, "the stream of a dropped reader did not end");
	close(fd);
	ck_assert_msg(th_wait_stdout(&p, "ipcctl_client: rpc 100 ok"), "RPCs stopped");
	ic_stop(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, !strstr(r.out, "rpc failed"), "an RPC failed");
	th_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ipcctl_robust");
	TCase *tc = th_tcase("robust");

	tcase_add_test(tc, test_fuzz);
	tcase_add_test(tc, test_never_reads);
	tcase_add_test(tc, test_trace_lag);
	tcase_add_test(tc, test_trace_stuck);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
