/* Integration-test helpers that read tockhost's output contract: app lines and supervisor messages. */
#include "th_text.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void th_lines_split(const char *buf, struct th_lines *ret)
{
	char *s, *nl;

	memset(ret, 0, sizeof(*ret));
	ret->copy = strdup(buf ? buf : "");
	ret->v = calloc(TH_MAX_LINES, sizeof(*ret->v));
	ck_assert_msg(ret->copy && ret->v, "out of memory");
	for (s = ret->copy; *s && ret->n < TH_MAX_LINES; s = nl + 1) {
		ret->v[ret->n++] = s;
		nl = strchr(s, '\n');
		if (!nl)
			break;
		*nl = '\0';
	}
}

void th_app_lines(const char *out, const char *app, struct th_lines *ret)
{
	char prefix[300];
	size_t plen, kept = 0;

	snprintf(prefix, sizeof(prefix), "[%s] ", app);
	plen = strlen(prefix);
	th_lines_split(out, ret);
	for (size_t i = 0; i < ret->n; i++) {
		if (strncmp(ret->v[i], prefix, plen) == 0)
			ret->v[kept++] = ret->v[i] + plen;
	}
	ret->n = kept;
}

void th_lines_free(struct th_lines *l)
{
	if (!l)
		return;
	free(l->copy);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool th_has_line(const char *buf, const char *line)
{
	struct th_lines l;
	bool found = false;

	th_lines_split(buf, &l);
	for (size_t i = 0; i < l.n && !found; i++)
		found = strcmp(l.v[i], line) == 0;
	th_lines_free(&l);
	return found;
}

size_t th_count(const char *buf, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (const char *s = buf; len && (s = strstr(s, needle)) != NULL; s += len)
		n++;
	return n;
}

/* Matches "tockhost: <head>'<name>'<tail...>" and returns the text after "'<name>'". */
static const char *after_name(const char *line, const char *head, const char *name)
{
	size_t hl = strlen(head), nl = strlen(name);

	if (strncmp(line, head, hl) != 0 || line[hl] != '\'')
		return NULL;
	if (strncmp(line + hl + 1, name, nl) != 0 || line[hl + 1 + nl] != '\'')
		return NULL;
	return line + hl + nl + 2;
}

size_t th_loaded(const char *err, const char *name, struct th_loaded *ret, size_t max)
{
	struct th_lines l;
	size_t n = 0;

	th_lines_split(err, &l);
	for (size_t i = 0; i < l.n && n < max; i++) {
		const char *rest = after_name(l.v[i], "tockhost: loaded ", name);
		struct th_loaded x;
		char close = 0;

		if (rest && sscanf(rest, " as ProcessId %u (flash 0x%" SCNx64 "-0x%" SCNx64 ", RAM 0x%" SCNx64
				   "-0x%" SCNx64 "%c", &x.pid, &x.flash_start, &x.flash_end, &x.ram_start,
				   &x.ram_end, &close) == 6 && close == ')')
			ret[n++] = x;
	}
	th_lines_free(&l);
	return n;
}

size_t th_restarts(const char *err, const char *name, struct th_restart *ret, size_t max)
{
	struct th_lines l;
	size_t n = 0;

	th_lines_split(err, &l);
	for (size_t i = 0; i < l.n && n < max; i++) {
		const char *rest = after_name(l.v[i], "tockhost: process ", name);
		struct th_restart x;
		char close = 0;

		if (rest && sscanf(rest, " restarted as ProcessId %u (restart %u%c", &x.pid, &x.count, &close) == 3 &&
		    close == ')')
			ret[n++] = x;
	}
	th_lines_free(&l);
	return n;
}

/* Parse the indented "pc" / "address" lines that follow a fault line. */
static void fault_details(struct th_lines *l, size_t i, struct th_fault *f)
{
	for (i++; i < l->n && strncmp(l->v[i], "tockhost:   ", 12) == 0; i++) {
		const char *d = l->v[i] + 12;

		if (sscanf(d, "pc 0x%" SCNx64, &f->pc) == 1)
			f->has_pc = true;
		else if (sscanf(d, "address 0x%" SCNx64 " (%7[a-z])", &f->address, f->access) >= 1)
			f->has_address = true;
	}
}

size_t th_faults(const char *err, const char *name, struct th_fault *ret, size_t max)
{
	struct th_lines l;
	size_t n = 0;

	th_lines_split(err, &l);
	for (size_t i = 0; i < l.n && n < max; i++) {
		const char *rest = after_name(l.v[i], "tockhost: process ", name);
		struct th_fault *f = &ret[n];
		int used = 0;

		memset(f, 0, sizeof(*f));
		if (!rest || sscanf(rest, " (ProcessId %u) faulted: %n", &f->pid, &used) != 1 || used == 0)
			continue;
		snprintf(f->cause, sizeof(f->cause), "%s", rest + used);
		fault_details(&l, i, f);
		n++;
	}
	th_lines_free(&l);
	return n;
}

size_t th_process_events(const char *err, const char *name, const char *what, unsigned *ret_pids, size_t max)
{
	struct th_lines l;
	size_t n = 0;

	th_lines_split(err, &l);
	for (size_t i = 0; i < l.n && n < max; i++) {
		const char *rest = after_name(l.v[i], "tockhost: process ", name);
		unsigned pid;
		int used = 0;

		if (rest && sscanf(rest, " (ProcessId %u) %n", &pid, &used) == 1 && used > 0 &&
		    strcmp(rest + used, what) == 0)
			ret_pids[n++] = pid;
	}
	th_lines_free(&l);
	return n;
}
