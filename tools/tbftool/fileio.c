/* tbftool: whole-file read and atomic replace, so a failed pack never leaves a half-written image. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tbftool_read_file(const char *path, size_t max, uint8_t **ret_data, size_t *ret_len)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t have = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out_close;
	}
	if ((uint64_t)st.st_size > max) {
		r = -EFBIG;
		goto out_close;
	}
	/* One spare byte to notice a file that grew while we read it. */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		ssize_t n = read(fd, buf + have, (size_t)st.st_size + 1 - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (have > (size_t)st.st_size) {
			r = -EAGAIN;
			goto out_free;
		}
	}
	close(fd);
	*ret_data = buf;
	*ret_len = have;
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return r;
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int tbftool_write_atomic(const char *path, const uint8_t *data, size_t len)
{
	char *tmp;
	int fd, r;

	if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto out_free;
	}
	r = write_all(fd, data, len);
	if (r == 0 && fchmod(fd, 0644) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
out_free:
	free(tmp);
	return r;
}
