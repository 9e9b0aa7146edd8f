/* Bounded whole-file read: stat first, refuse what is not a regular file or is too large, read to EOF. */
#include "basic/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int basic_read_file(const char *path, size_t max, uint8_t **ret_data, size_t *ret_len)
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
	if (st.st_size < 0 || (uint64_t)st.st_size > max) {
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
	buf[have] = 0; /* the spare byte: text reads as a C string */
	*ret_data = buf;
	*ret_len = have;
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return r;
}
