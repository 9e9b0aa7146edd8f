/* Linux backend of shared regions: memfds, map/unmap instructions over the trap channel, /proc verification. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/array.h"
#include "hostkernel/linux/backend_internal.h"

#define SHARE_MEMFD_NAME "tockhost-share"
#define SHARE_MAPS_TAG "/memfd:" SHARE_MEMFD_NAME

/* One region: the read-write memfd, a read-only file description of it, the supervisor's view. */
struct lx_share {
	int fd, ro_fd;
	uint8_t *host;
	uint64_t len;
	ino_t ino;
};

/* What the supervisor told one app process to have mapped, and the instructions not yet acknowledged. */
struct lx_share_expect {
	ino_t ino;
	uint64_t addr, len;
	bool writable;
};
struct lx_share_pending {
	uint32_t seq;
	uint64_t answers; /* answers sent to the app before this instruction */
};
struct lx_share_conn {
	struct lx_share_expect *expect;
	size_t n_expect, cap_expect;
	struct lx_share_pending *pending;
	size_t n_pending, cap_pending;
	uint32_t next_seq;
	uint64_t answers;
};

int lx_op_share_create(void *ctx, uint64_t len, void **ret_handle)
{
	struct lx_share *s = calloc(1, sizeof(*s));
	char path[64];
	struct stat st;
	int r;

	(void)ctx;
	if (!s)
		return -ENOMEM;
	s->fd = s->ro_fd = -1;
	s->fd = memfd_create(SHARE_MEMFD_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (s->fd < 0 || ftruncate(s->fd, (off_t)len) < 0 || fstat(s->fd, &st) < 0)
		goto fail;
	/* Nobody may grow it (the size is the region's); shrinking stays possible: destroy truncates it. */
	if (fcntl(s->fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SEAL) < 0)
		goto fail;
	/* A new, read-only open file description of the same memory: what a read-only grantee gets. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", s->fd);
	s->ro_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->ro_fd < 0)
		goto fail;
	s->host = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->host == MAP_FAILED) {
		s->host = NULL;
		goto fail;
	}
	s->len = len;
	s->ino = st.st_ino;
	*ret_handle = s;
	return 0;
fail:
	r = errno ? -errno : -ENOMEM;
	lx_op_share_destroy(ctx, s);
	return r;
}

void lx_op_share_destroy(void *ctx, void *handle)
{
	struct lx_share *s = handle;

	(void)ctx;
	if (!s)
		return;
	if (s->host)
		munmap(s->host, (size_t)s->len);
	/* Revocation that needs nobody's cooperation: every page goes, any access anywhere now faults. */
	if (s->fd >= 0) {
		/* Cannot fail on a memfd we own; the close frees it in any case. */
		(void)!ftruncate(s->fd, 0);
		close(s->fd);
	}
	if (s->ro_fd >= 0)
		close(s->ro_fd);
	free(s);
}

static struct lx_conn *share_conn_of(struct hk_process *p)
{
	struct lx_app *app = hk_process_backend(p);
	struct lx_conn *c = app ? app->conn : NULL;

	if (!c || c->state == LX_DEAD || c->state == LX_AWAIT_HELLO || c->eof)
		return NULL;
	if (!c->share)
		c->share = calloc(1, sizeof(*c->share));
	return c->share ? c : NULL;
}

/* Send one instruction (with the fd riding along when fd >= 0) and queue its acknowledgement. */
static int send_instruction(struct lx_conn *c, uint16_t kind, uint32_t op, const uint64_t arg[3], int fd)
{
	struct lx_share_conn *sc = c->share;
	struct tock_trap_frame f = { .magic = TOCK_TRAP_MAGIC, .version = TOCK_TRAP_VERSION, .kind = kind, .op = op };
	int r;

	if (!basic_array_reserve((void **)&sc->pending, &sc->cap_pending, sc->n_pending, sizeof(*sc->pending)))
		return -ENOMEM;
	f.seq = ++sc->next_seq;
	memcpy(f.arg, arg, 3 * sizeof(uint64_t));
	r = lx_channel_send(&c->chan, &f, fd);
	if (r < 0)
		return r;
	sc->pending[sc->n_pending++] = (struct lx_share_pending){ f.seq, sc->answers };
	return 0;
}

int lx_op_share_map(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool writable)
{
	struct lx_share *s = handle;
	struct lx_conn *c = share_conn_of(p);
	struct lx_share_conn *sc;
	uint64_t arg[3] = { addr, len, 0 };
	int r;

	(void)ctx;
	if (!c)
		return -ESRCH;
	sc = c->share;
	if (!basic_array_reserve((void **)&sc->expect, &sc->cap_expect, sc->n_expect, sizeof(*sc->expect)))
		return -ENOMEM;
	r = send_instruction(c, TOCK_TRAP_SHARE_MAP, writable ? TOCK_SHARE_WRITABLE : 0, arg,
	                     writable ? s->fd : s->ro_fd);
	if (r < 0)
		return r;
	sc->expect[sc->n_expect++] = (struct lx_share_expect){ s->ino, addr, len, writable };
	return 0;
}

void lx_op_share_unmap(void *ctx, struct hk_process *p, void *handle, uint64_t addr, uint64_t len, bool ending)
{
	struct lx_share *s = handle;
	struct lx_conn *c = ending ? NULL : share_conn_of(p);
	uint64_t arg[3] = { addr, len, 0 };
	struct lx_share_conn *sc;

	(void)ctx;
	if (!c)
		return; /* its host process is going (or gone): the mapping goes with it */
	sc = c->share;
	for (size_t i = 0; i < sc->n_expect; i++)
		if (sc->expect[i].ino == s->ino && sc->expect[i].addr == addr) {
			sc->expect[i] = sc->expect[--sc->n_expect];
			break;
		}
	/* A failed send means the app is gone; destroy's truncation still revokes the memory. */
	if (send_instruction(c, TOCK_TRAP_SHARE_UNMAP, 0, arg, -1) < 0)
		c->eof = true;
}

void lx_share_conn_free(struct lx_share_conn *sc)
{
	if (!sc)
		return;
	free(sc->expect);
	free(sc->pending);
	free(sc);
}

void lx_share_answer_sent(struct lx_conn *c)
{
	if (c->share)
		c->share->answers++;
}

bool lx_share_syscall_ok(struct hk_linux *lx, struct lx_conn *c)
{
	struct lx_share_conn *sc = c->share;

	/* An instruction that preceded an answer the app has since acted on was skipped: a hostile runtime. */
	if (sc && sc->n_pending && sc->pending[0].answers < sc->answers) {
		lx_fault(lx, c->app, "share protocol violation: a map/unmap instruction was not carried out", 0, 0, -1);
		return false;
	}
	return true;
}

/* The share mappings in /proc/PID/maps match `e` exactly (no other VMA of a region, no missing one). */
static int verify_maps(pid_t pid, const struct lx_share_expect *e, size_t n, char *why, size_t len)
{
	char path[64], line[512], perms[8];
	unsigned long long start, end, ino;
	bool *seen = calloc(n ? n : 1, sizeof(*seen));
	size_t i;
	int r = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f || !seen) {
		free(seen);
		if (f)
			fclose(f);
		return 0; /* gone already: its death is reported on its own */
	}
	while (r == 0 && fgets(line, sizeof(line), f)) {
		if (!strstr(line, SHARE_MAPS_TAG))
			continue;
		if (sscanf(line, "%llx-%llx %7s %*s %*s %llu", &start, &end, perms, &ino) != 4)
			continue;
		for (i = 0; i < n; i++)
			if (!seen[i] && e[i].ino == (ino_t)ino && e[i].addr == start && e[i].addr + e[i].len == end &&
			    !strcmp(perms, e[i].writable ? "rw-s" : "r--s"))
				break;
		if (i == n) {
			snprintf(why, len, "share protocol violation: unexpected shared mapping at 0x%llx (%s)", start, perms);
			r = -EPERM;
		} else {
			seen[i] = true;
		}
	}
	for (i = 0; r == 0 && i < n; i++)
		if (!seen[i]) {
			snprintf(why, len, "share protocol violation: shared region at 0x%" PRIx64 " is not mapped", e[i].addr);
			r = -EPERM;
		}
	fclose(f);
	free(seen);
	return r;
}

/* The app holds no fd but its trap socket: a region's fd it kept could be mapped again after revocation. */
static int verify_fds(pid_t pid, char *why, size_t len)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int r = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while (r == 0 && (d = readdir(dir)))
		if (d->d_name[0] != '.' && strcmp(d->d_name, "3")) {
			snprintf(why, len, "share protocol violation: kept file descriptor %.16s", d->d_name);
			r = -EPERM;
		}
	closedir(dir);
	return r;
}

static int lx_share_verify(pid_t pid, const struct lx_share_expect *e, size_t n, char *why, size_t len)
{
	int r = verify_maps(pid, e, n, why, len);

	return r < 0 ? r : verify_fds(pid, why, len);
}

void lx_share_done(struct hk_linux *lx, struct lx_conn *c, uint32_t seq, uint32_t status)
{
	struct lx_share_conn *sc = c->share;
	char why[160];

	if (!sc || sc->n_pending == 0 || sc->pending[0].seq != seq) {
		lx_fault(lx, c->app, "malformed trap frame: an unexpected SHARE_DONE", 0, 0, -1);
		return;
	}
	memmove(sc->pending, sc->pending + 1, --sc->n_pending * sizeof(*sc->pending));
	if (status) {
		snprintf(why, sizeof(why), "could not map a shared region: %s", strerror((int)status));
		lx_fault(lx, c->app, why, 0, 0, -1);
		return;
	}
	if (sc->n_pending == 0 && lx_share_verify(c->pid, sc->expect, sc->n_expect, why, sizeof(why)) < 0)
		lx_fault(lx, c->app, why, 0, 0, -1);
}
