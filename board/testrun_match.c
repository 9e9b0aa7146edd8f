/* The `tockhost test` matcher: console lines and kernel reports in, per-app verdicts and the diff out. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/testrun.h"

/* Enough for any story worth a diff; later lines are counted, not kept. */
#define TR_MAX_KEPT_LINES 1000

static struct tr_app *find_app(struct tr_spec *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->n_apps; i++)
		if (strlen(s->apps[i].name) == len && !memcmp(s->apps[i].name, name, len))
			return &s->apps[i];
	return NULL;
}

__attribute__((format(printf, 2, 3))) static void set_broken(char **slot, const char *fmt, ...)
{
	va_list ap;

	if (*slot)
		return; /* the first reason is the one that matters */
	va_start(ap, fmt);
	if (vasprintf(slot, fmt, ap) < 0)
		*slot = NULL;
	va_end(ap);
}

static bool expect_matches(const struct tr_expect *e, const char *text)
{
	if (e->is_re)
		return regexec(&e->re, text, 0, NULL, 0) == 0;
	return strcmp(e->text, text) == 0;
}

static bool expect_contains(const struct tr_expect *e, const char *text)
{
	if (e->is_re)
		return regexec(&e->re, text, 0, NULL, 0) == 0;
	return strstr(text, e->text) != NULL;
}

/* Loaded too: an [app] section no image answers to is not met by having no expectations. */
static bool app_met(const struct tr_app *a)
{
	return a->loaded && !a->broken && a->matched == a->n_lines && (!a->has_exit || a->exit_ok) && (!a->fault.text || a->fault_ok);
}

void tr_on_console(struct tr_spec *s, const char *app, const char *text)
{
	struct tr_app *a = find_app(s, app, strlen(app));
	char *copy;

	if (!a) {
		set_broken(&s->broken, "an image runs as '%s', which no [app] section names", app);
		return;
	}
	if (a->n_out < TR_MAX_KEPT_LINES && (copy = strdup(text))) {
		char **out = reallocarray(a->out, a->n_out + 1, sizeof(*a->out));

		if (out) {
			a->out = out;
			a->out[a->n_out++] = copy;
		} else {
			free(copy);
		}
	}
	if (a->broken)
		return;
	if (a->matched < a->n_lines && expect_matches(&a->lines[a->matched], text)) {
		a->matched++;
		return;
	}
	/* Not strict: lines between the expected ones (and after them) are allowed. */
	if (!s->strict)
		return;
	if (a->matched < a->n_lines)
		set_broken(&a->broken, "got \"%s\" where expected line %zu was due", text, a->matched + 1);
	else
		set_broken(&a->broken, "got \"%s\" after the last expected line (strict)", text);
}

static void on_exit_code(struct tr_app *a, int code)
{
	a->exited = true;
	a->got_exit = code;
	if (a->broken)
		return;
	if (a->matched < a->n_lines)
		set_broken(&a->broken, "exited with code %d before expected line %zu", code, a->matched + 1);
	else if (a->fault.text)
		set_broken(&a->broken, "exited with code %d, but a fault was expected", code);
	else if (a->has_exit && code != a->exit_code)
		set_broken(&a->broken, "exited with code %d, expected %d", code, a->exit_code);
	else
		a->exit_ok = true;
}

static void on_fault(struct tr_app *a, const char *cause)
{
	if (!a->got_fault)
		a->got_fault = strdup(cause);
	a->faulted = true;
	if (a->broken || a->fault_ok)
		return;
	if (!a->fault.text)
		set_broken(&a->broken, "faulted (%s), no fault was expected", cause);
	else if (!expect_contains(&a->fault, cause))
		set_broken(&a->broken, "faulted (%s), expected a fault %s \"%s\"", cause,
		           a->fault.is_re ? "matching" : "containing", a->fault.text);
	else
		a->fault_ok = true;
}

/* "process 'NAME' (ProcessId N) exited with code C" / "... faulted: CAUSE" / "loaded 'NAME' as ...". */
void tr_on_kernel(struct tr_spec *s, const char *line)
{
	const char *name, *end, *rest;
	struct tr_app *a;
	int code;

	if (!strncmp(line, "loaded '", 8)) {
		name = line + 8;
		end = strchr(name, '\'');
		if (!end)
			return;
		a = find_app(s, name, (size_t)(end - name));
		if (a)
			a->loaded = true;
		else
			set_broken(&s->broken, "an image runs as '%.*s', which no [app] section names", (int)(end - name),
			           name);
		return;
	}
	if (strncmp(line, "process '", 9))
		return;
	name = line + 9;
	end = strchr(name, '\'');
	if (!end || !(a = find_app(s, name, (size_t)(end - name))))
		return;
	rest = strstr(end, ") ");
	if (!rest)
		return;
	rest += 2;
	if (sscanf(rest, "exited with code %d", &code) == 1)
		on_exit_code(a, code);
	else if (!strncmp(rest, "faulted: ", 9))
		on_fault(a, rest + 9);
}

void tr_on_end(struct tr_spec *s)
{
	for (size_t i = 0; i < s->n_apps; i++) {
		struct tr_app *a = &s->apps[i];

		if (app_met(a) || a->broken)
			continue;
		if (!a->loaded)
			set_broken(&a->broken, "no image loaded under this name");
		else if (a->matched < a->n_lines)
			set_broken(&a->broken, "the run ended before expected line %zu", a->matched + 1);
		else if (a->has_exit)
			set_broken(&a->broken, "the run ended before the app exited");
		else
			set_broken(&a->broken, "the run ended before the expected fault");
	}
}

bool tr_all_met(const struct tr_spec *s)
{
	if (s->broken)
		return false;
	for (size_t i = 0; i < s->n_apps; i++)
		if (!app_met(&s->apps[i]))
			return false;
	return true;
}

bool tr_any_broken(const struct tr_spec *s)
{
	if (s->broken)
		return true;
	for (size_t i = 0; i < s->n_apps; i++)
		if (s->apps[i].broken)
			return true;
	return false;
}

static void write_app_diff(const struct tr_app *a, FILE *f)
{
	bool lines_met = a->matched == a->n_lines;

	fprintf(f, "app '%s': %s\n", a->name,
	        a->broken ? a->broken : a->loaded ? "expectations not met yet" : "no image loaded under this name yet");
	fprintf(f, "  expected, in order (ok = seen, >> = first unmet):\n");
	for (size_t j = 0; j < a->n_lines; j++)
		fprintf(f, "  %-3s %2zu %s\"%s\"\n", j < a->matched ? "ok" : j == a->matched ? ">>" : "", j + 1,
		        a->lines[j].is_re ? "regex " : "", a->lines[j].text);
	if (a->has_exit)
		fprintf(f, "  %-3s    exit code %d\n", a->exit_ok ? "ok" : lines_met ? ">>" : "", a->exit_code);
	if (a->fault.text)
		fprintf(f, "  %-3s    fault %s\"%s\"\n", a->fault_ok ? "ok" : lines_met ? ">>" : "", a->fault.is_re ? "regex " : "",
		        a->fault.text);
	fprintf(f, "  actual console lines (%zu%s):\n", a->n_out, a->n_out == TR_MAX_KEPT_LINES ? ", later ones not kept" : "");
	for (size_t j = 0; j < a->n_out; j++)
		fprintf(f, "      %2zu \"%s\"\n", j + 1, a->out[j]);
	if (a->exited)
		fprintf(f, "  actual: exited with code %d\n", a->got_exit);
	if (a->got_fault)
		fprintf(f, "  actual: faulted: %s\n", a->got_fault);
}

void tr_write_diff(const struct tr_spec *s, FILE *f)
{
	if (s->broken)
		fprintf(f, "%s\n", s->broken);
	for (size_t i = 0; i < s->n_apps; i++) {
		if (app_met(&s->apps[i]))
			fprintf(f, "app '%s': ok\n", s->apps[i].name);
		else
			write_app_diff(&s->apps[i], f);
	}
}
