/* libFuzzer harness for the TAB reader: any bytes in; on success the members obey tab.h's promises, on failure one line. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/tab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small enough that the fuzzer meets the size limit, not only the archive's own end. */
#define FUZZ_MAX_MEMBER 2048

static void check_line(const char *err)
{
	if (!err[0] || strchr(err, '\n'))
		__builtin_trap();
}

static void check_tab(const struct tab *t)
{
	if (t->n_tbfs > t->n_members || t->n_members > TAB_MAX_MEMBERS)
		__builtin_trap();
	if (t->metadata && (t->metadata_len > TAB_MAX_METADATA || t->metadata[t->metadata_len] != '\0'))
		__builtin_trap();
	for (size_t i = 0; i < t->n_tbfs; i++) {
		const char *n = t->tbfs[i].name;
		size_t len = strlen(n);

		if (len < 5 || strcmp(n + len - 4, ".tbf") || strchr(n, '/') || t->tbfs[i].len > FUZZ_MAX_MEMBER ||
		    !t->tbfs[i].data)
			__builtin_trap();
		for (const unsigned char *c = (const unsigned char *)n; *c; c++)
			if (*c < 0x20 || *c == 0x7f)
				__builtin_trap();
		for (size_t j = 0; j < i; j++)
			if (!strcmp(n, t->tbfs[j].name))
				__builtin_trap();
		/* Touch every byte: ASan checks the length is real. */
		volatile uint8_t sum = 0;
		for (size_t k = 0; k < t->tbfs[i].len; k++)
			sum ^= t->tbfs[i].data[k];
		(void)sum;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tab t;
	char err[256];
	int r, i;

	err[0] = '\0';
	r = tab_read(data, size, FUZZ_MAX_MEMBER, &t, err, sizeof(err));
	if (r < 0) {
		check_line(err);
		return 0;
	}
	if (r != 0)
		__builtin_trap();
	check_tab(&t);
	err[0] = '\0';
	i = tab_find_arch(&t, TAB_ARCH, err, sizeof(err));
	if (i >= 0) {
		if ((size_t)i >= t.n_tbfs || strncmp(t.tbfs[i].name, TAB_ARCH ".", strlen(TAB_ARCH) + 1))
			__builtin_trap();
	} else {
		if (i != -ENOENT)
			__builtin_trap();
		check_line(err);
	}
	tab_release(&t);
	return 0;
}
