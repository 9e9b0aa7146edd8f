/* tbftool: TAB dump: the archive is read by loader/tab (hostile-input checks), each TBF by the TBF inspector. */
#include "inspect_tab.h"

#include <stdbool.h>

#include "inspect.h"
#include "loader/tab.h"

/* Largest TBF member tbftool reads (tockhost's own limit for an image file). */
#define TBFTOOL_MAX_TAB_MEMBER (64u << 20)

/* metadata.toml as it is, each line indented; bytes that would steer a terminal are shown as \xNN. */
static void print_metadata(FILE *out, const struct tab *t)
{
	bool line_start = true;

	if (!t->metadata) {
		fprintf(out, "  metadata.toml          (absent)\n");
		return;
	}
	fprintf(out, "  metadata.toml          %zu bytes\n", t->metadata_len);
	for (size_t i = 0; i < t->metadata_len; i++) {
		unsigned char c = (unsigned char)t->metadata[i];

		if (line_start)
			fputs("    ", out);
		line_start = c == '\n';
		if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f))
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
	if (!line_start)
		fputc('\n', out);
}

int tbftool_inspect_tab(FILE *out, FILE *errs, const char *name, const uint8_t *data, size_t len)
{
	struct tab t;
	char err[512], label[1024];
	int status = 0, pick;

	if (tab_read(data, len, TBFTOOL_MAX_TAB_MEMBER, &t, err, sizeof(err)) < 0) {
		fprintf(errs, "%s: %s\n", name, err);
		return 1;
	}
	fprintf(out, "%s: TAB (tar archive), %zu members, %zu TBF%s\n", name, t.n_members, t.n_tbfs,
		t.n_tbfs == 1 ? "" : "s");
	print_metadata(out, &t);
	pick = tab_find_arch(&t, TAB_ARCH, err, sizeof(err));
	if (pick >= 0)
		fprintf(out, "  %-22s %s\n", "tockhost runs", t.tbfs[pick].name);
	else
		fprintf(out, "  %-22s nothing (%s)\n", "tockhost runs", err);
	for (size_t i = 0; i < t.n_tbfs; i++) {
		snprintf(label, sizeof(label), "%s:%s", name, t.tbfs[i].name);
		if (tbftool_inspect_image(out, errs, label, t.tbfs[i].data, t.tbfs[i].len))
			status = 1;
	}
	tab_release(&t);
	return status;
}
