/* Integration tests: control clients that hang up with output still queued, mid-run and at shutdown (client lifetimes). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_ipcctl_util.h"
#include "th_suite.h"

#define PAIR_ARGS th_app("ipcctl_server"), th_app("ipcctl_client")
#define HUNG_UP_CLIENTS 4
#define PIPELINED 400 /* ps replies: far more than the socket buffers hold, well under CONTROL_MAX_PENDING */

static void send_line(int fd, const char *line)
{
	size_t len = strlen(line);

	ck_assert_msg(send(fd, line, len, MSG_NOSIGNAL) == (ssize_t)len, "send: %s", strerror(errno));
}

/* Stop the supervisor and wait until it really is stopped, so what follows reaches it as one batch. */
static void freeze(pid_t pid)
{
	siginfo_t si;

	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	memset(&si, 0, sizeof(si));
	ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WSTOPPED | WNOWAIT), 0);
	ck_assert_int_eq(si.si_code, CLD_STOPPED);
}

/*
 * Clients that send a request and hang up at once leave a reply queued with no read armed, to be
 * flushed before the loop next sleeps. When the stop signal comes in the same batch of completions
 * (a loaded machine: ipcctl exits and the test sends SIGTERM before the supervisor runs), that
 * flush happens in teardown, which used to free each client while walking the list: a
 * use-after-free (signal 11 after `ipcctl trace -n`). Each client must still get its reply.
 */
START_TEST(test_hung_up_clients_at_shutdown)
{
	int fds[HUNG_UP_CLIENTS];
	struct th_proc p;
	struct th_result r;
	char sock[256], buf[8192], *line;
	size_t len;

	ic_start(&p, sock, "teardown", "ipcctl_client: rpc 1 ok", IC_ARGS(PAIR_ARGS));
	for (size_t i = 0; i < HUNG_UP_CLIENTS; i++) {
		/* A hello round trip first: the client is accepted and its read poll armed. */
		fds[i] = ic_connect(sock);
		send_line(fds[i], "{\"v\":1,\"cmd\":\"hello\"}\n");
		len = 0;
		line = ic_read_line(fds[i], buf, sizeof(buf), &len);
		ck_assert_msg(line && strstr(line, "\"ok\":true"), "no hello reply: %s", line ? line : "(EOF)");
		free(line);
	}
	freeze(p.pid);
	for (size_t i = 0; i < HUNG_UP_CLIENTS; i++) {
		send_line(fds[i], i % 2 ? "{\"v\":1,\"cmd\":\"ps\",\"id\":\"last\"}\n"
		                        : "{\"v\":1,\"cmd\":\"trace\",\"all\":true,\"id\":\"last\"}\n");
		ck_assert_int_eq(shutdown(fds[i], SHUT_WR), 0);
	}
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_int_eq(kill(p.pid, SIGCONT), 0);
	th_finish(&p, &r);
	th_expect_clean(&r);
	th_expect(&r, r.exit_code == 0, "exit %d", r.exit_code);
	for (size_t i = 0; i < HUNG_UP_CLIENTS; i++) {
		len = 0;
		line = ic_read_line(fds[i], buf, sizeof(buf), &len);
		ck_assert_msg(line && strstr(line, "\"id\":\"last\""), "client %zu: its last reply was lost: %s", i,
		              line ? line : "(EOF)");
		free(line);
		close(fds[i]);
	}
	th_result_free(&r);
}
END_TEST

/*
 * A client pipelines more requests than its socket can take replies for, then hangs up its
 * sending side: the supervisor waits for POLLOUT to send the rest and then closes it. That close
 * happens inside the POLLOUT completion, which used to free the client and then touch it again
 * (use-after-free, double free). Every reply must arrive, then EOF, and the supervisor lives on.
 */
START_TEST(test_pipelined_then_hung_up)
{
	static char buf[1 << 16], other_buf[4096];
	struct th_proc p;
	struct th_result r;
	struct ic_out out;
	char sock[256], *line;
	size_t len = 0, other_len = 0, replies = 0, req_len = strlen("{\"v\":1,\"cmd\":\"ps\"}\n");
	char *reqs = malloc(PIPELINED * req_len + 1);
	int fd, other;

	ck_assert_ptr_nonnull(reqs);
	for (size_t i = 0; i < PIPELINED; i++)
		memcpy(reqs + i * req_len, "{\"v\":1,\"cmd\":\"ps\"}\n", req_len);
	ic_start(&p, sock, "pipelined", "ipcctl_client: rpc 1 ok", IC_ARGS(PAIR_ARGS));
	fd = ic_connect(sock);
	other = ic_connect(sock);
	send_line(fd, "{\"v\":1,\"cmd\":\"hello\"}\n"); /* accepted, its read poll armed */
	line = ic_read_line(fd, buf, sizeof(buf), &len);
	ck_assert_msg(line != NULL, "no hello reply");
	free(line);
	freeze(p.pid); /* the requests and the hang-up reach it as one read */
	for (size_t off = 0; off < PIPELINED * req_len;) {
		ssize_t n = send(fd, reqs + off, PIPELINED * req_len - off, MSG_NOSIGNAL);

		ck_assert_msg(n > 0 || errno == EINTR, "send: %s", strerror(errno));
		off += n > 0 ? (size_t)n : 0;
	}
	ck_assert_int_eq(shutdown(fd, SHUT_WR), 0);
	ck_assert_int_eq(kill(p.pid, SIGCONT), 0);
	/* A round trip on another client: by its reply the first one's replies have filled its socket. */
	send_line(other, "{\"v\":1,\"cmd\":\"hello\"}\n");
	line = ic_read_line(other, other_buf, sizeof(other_buf), &other_len);
	ck_assert_msg(line != NULL, "no hello reply");
	free(line);
	close(other);
	while ((line = ic_read_line(fd, buf, sizeof(buf), &len))) {
		ck_assert_msg(strstr(line, "\"processes\""), "not a ps reply: %.200s", line);
		replies++;
		free(line);
	}
	ck_assert_uint_eq(replies, PIPELINED);
	close(fd);
	free(reqs);
	ic_run(&out, &p, sock, IC_ARGS("ps", "--json"));
	ic_stop(&p, &r);
	th_expect_clean(&r); /* a sanitizer report or a crash is shown before anything else */
	th_expect(&r, out.code == 0, "the supervisor stopped serving after the hang-up: %s", out.err);
	ic_out_free(&out);
	th_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("control_teardown");
	TCase *tc = th_tcase("teardown");

	tcase_add_test(tc, test_hung_up_clients_at_shutdown);
	tcase_add_test(tc, test_pipelined_then_hung_up);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
