/* Console capsule (driver 0x1): writes go straight to the board's port, reads are served from an input ring. */
#include "capsules/console.h"

#include <stdlib.h>
#include <string.h>

/* The one read in flight, kernel-wide (Tock keeps a single RX buffer). */
struct console_read {
	bool active;
	hk_pid pid;
	uint32_t want;                        /* bytes that complete the read */
	uint32_t got;                         /* bytes in data[] so far */
	uint8_t data[CAPSULE_CONSOLE_RX_MAX]; /* copied to the RW allow only at completion */
};

struct capsule_console {
	struct hk_kernel *kernel;
	uint32_t driver;
	struct capsule_console_port port;
	struct console_read read;
	size_t ring_head, ring_len; /* ring[ring_head] is the oldest byte */
	uint8_t ring[CAPSULE_CONSOLE_RING_SIZE];
};

struct capsule_console *capsule_console_new(struct hk_kernel *k, uint32_t driver,
                                            const struct capsule_console_port *port)
{
	struct capsule_console *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->kernel = k;
	c->driver = driver;
	if (port)
		c->port = *port;
	return c;
}

void capsule_console_free(struct capsule_console *c)
{
	free(c);
}

size_t capsule_console_rx_space(const struct capsule_console *c)
{
	return CAPSULE_CONSOLE_RING_SIZE - c->ring_len;
}

/* ---- the input ring ---- */

static size_t ring_put(struct capsule_console *c, const uint8_t *bytes, size_t len)
{
	size_t n = len < capsule_console_rx_space(c) ? len : capsule_console_rx_space(c);

	for (size_t i = 0; i < n; i++)
		c->ring[(c->ring_head + c->ring_len + i) % CAPSULE_CONSOLE_RING_SIZE] = bytes[i];
	c->ring_len += n;
	return n;
}

static size_t ring_take(struct capsule_console *c, uint8_t *out, size_t max)
{
	size_t n = max < c->ring_len ? max : c->ring_len;

	for (size_t i = 0; i < n; i++)
		out[i] = c->ring[(c->ring_head + i) % CAPSULE_CONSOLE_RING_SIZE];
	c->ring_head = (c->ring_head + n) % CAPSULE_CONSOLE_RING_SIZE;
	c->ring_len -= n;
	return n;
}

/* ---- reads ---- */

/* A reader that died (or restarted under a new ProcessId) loses its read. */
static void read_drop_if_dead(struct capsule_console *c)
{
	if (c->read.active && !hk_process_alive(c->kernel, c->read.pid))
		c->read.active = false;
}

/* End the read: copy what arrived into the reader's RW allow and tell it how it went. */
static void read_finish(struct capsule_console *c, uint32_t status)
{
	struct hk_buf buf;
	uint32_t copied = 0;

	c->read.active = false;
	if (hk_allow_rw_get(c->kernel, c->driver, c->read.pid, TOCK_CONSOLE_ALLOW_RW_READ, &buf) < 0)
		return; /* reader gone: nobody to tell */
	if (c->read.got > 0 && buf.len == 0) {
		status = TOCK_ERR_NOMEM; /* the buffer vanished */
	} else {
		copied = c->read.got <= buf.len ? c->read.got : (uint32_t)buf.len;
		if (copied > 0)
			memcpy(buf.ptr, c->read.data, copied);
		if (copied < c->read.got)
			status = TOCK_ERR_SIZE;
	}
	hk_upcall_schedule(c->kernel, c->driver, c->read.pid, TOCK_CONSOLE_UPCALL_READ_DONE, status, copied, 0);
}

/* Move buffered input into the read in flight, if its process may have input now. */
static void read_feed(struct capsule_console *c)
{
	read_drop_if_dead(c);
	if (!c->read.active || c->ring_len == 0)
		return;
	if (c->port.input_allowed && !c->port.input_allowed(c->port.ctx, c->read.pid))
		return;
	c->read.got += (uint32_t)ring_take(c, c->read.data + c->read.got, c->read.want - c->read.got);
	if (c->read.got == c->read.want)
		read_finish(c, 0);
}

size_t capsule_console_receive(struct capsule_console *c, const uint8_t *bytes, size_t len)
{
	size_t taken = 0;

	/* Feed between puts so a reader can drain the ring while a long input streams in. */
	while (taken < len) {
		size_t n = ring_put(c, bytes + taken, len - taken);

		read_feed(c);
		if (n == 0)
			break;
		taken += n;
	}
	read_feed(c);
	return taken;
}

/* ---- commands: decode (all checks) first, then invoke ---- */

static struct hk_cmd_ret console_write(struct capsule_console *c, const struct hk_call *call, uint32_t max)
{
	struct hk_robuf src;
	size_t n;

	if (hk_allow_ro_get(c->kernel, call->driver, call->pid, TOCK_CONSOLE_ALLOW_RO_WRITE, &src) < 0)
		return hk_cmd_failure(TOCK_ERR_FAIL);
	n = max < src.len ? max : src.len;
	if (n > 0 && c->port.write)
		c->port.write(c->port.ctx, call->pid, src.ptr, n);
	hk_upcall_schedule(c->kernel, call->driver, call->pid, TOCK_CONSOLE_UPCALL_WRITE_DONE, (uint32_t)n, 0, 0);
	return hk_cmd_success();
}

static struct hk_cmd_ret console_read(struct capsule_console *c, const struct hk_call *call, uint32_t max)
{
	struct hk_buf dst;
	size_t want;

	read_drop_if_dead(c);
	if (c->read.active)
		return hk_cmd_failure(TOCK_ERR_BUSY);
	if (hk_allow_rw_get(c->kernel, call->driver, call->pid, TOCK_CONSOLE_ALLOW_RW_READ, &dst) < 0)
		return hk_cmd_failure(TOCK_ERR_FAIL);
	want = max < dst.len ? max : dst.len;
	if (want > CAPSULE_CONSOLE_RX_MAX)
		return hk_cmd_failure(TOCK_ERR_INVAL);
	if (want == 0)
		return hk_cmd_failure(TOCK_ERR_SIZE);

	c->read = (struct console_read){ .active = true, .pid = call->pid, .want = (uint32_t)want };
	read_feed(c); /* input may already be waiting */
	return hk_cmd_success();
}

static struct hk_cmd_ret console_abort(struct capsule_console *c, const struct hk_call *call)
{
	read_drop_if_dead(c);
	if (c->read.active && c->read.pid == call->pid)
		read_finish(c, TOCK_ERR_CANCEL);
	return hk_cmd_success();
}

static struct hk_cmd_ret console_command(void *self, const struct hk_call *call, uint32_t command, uint32_t arg0,
                                         uint32_t arg1)
{
	struct capsule_console *c = self;

	switch (command) {
	case TOCK_CONSOLE_CMD_EXISTS:
		return hk_cmd_success();
	case TOCK_CONSOLE_CMD_WRITE:
		return console_write(c, call, arg0);
	case TOCK_CONSOLE_CMD_READ:
		return console_read(c, call, arg0);
	case TOCK_CONSOLE_CMD_ABORT:
		return console_abort(c, call);
	default:
		return hk_cmd_failure(TOCK_ERR_NOSUPPORT);
	}
}

const struct hk_driver_ops capsule_console_ops = {
	.name = "console",
	.grant_size = 0, /* all state is kernel-wide: writes complete at once, one read at a time */
	.num_upcalls = 3,
	.num_allow_ro = 2,
	.num_allow_rw = 2,
	.num_allow_ur = 0,
	.notification_upcalls = 0,
	.command = console_command,
	.abi = &tock_console_abi,
};
