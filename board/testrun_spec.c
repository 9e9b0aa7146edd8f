/* The `tockhost test` spec file: INI via inih, every error one line naming file and line. */
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board/testrun.h"

struct spec_ctx {
	struct tr_spec *s;
	FILE *file;
	char *dir;
	unsigned line;
	unsigned err_line;
	char err[400];
	bool failed;
	bool new_section; /* a [section] line was read since the last key */
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fputs("tockhost: out of memory\n", stderr);
		exit(TR_SPEC_ERROR);
	}
	return p;
}

static void *xrealloc(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size);
	if (!p) {
		fputs("tockhost: out of memory\n", stderr);
		exit(TR_SPEC_ERROR);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xcalloc(strlen(s) + 1, 1), s);
}

__attribute__((format(printf, 2, 3))) static int fail(struct spec_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return 0;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->failed = true;
	c->err_line = c->line;
	return 0;
}

/* Relative paths are taken from the spec file's directory, so a spec works from any cwd. */
static char *resolve(const struct spec_ctx *c, const char *path)
{
	char *r;

	if (path[0] == '/' || !strcmp(c->dir, "."))
		return xstrdup(path);
	r = xcalloc(strlen(c->dir) + strlen(path) + 2, 1);
	sprintf(r, "%s/%s", c->dir, path);
	return r;
}

static int parse_bool(const char *v, bool *ret)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
		*ret = true;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
		*ret = false;
	else
		return -1;
	return 0;
}

static int compile(struct spec_ctx *c, struct tr_expect *e, const char *value, bool is_re)
{
	char msg[200];
	int r;

	e->text = xstrdup(value);
	e->is_re = is_re;
	if (!is_re)
		return 1;
	r = regcomp(&e->re, value, REG_EXTENDED | REG_NOSUB);
	if (r) {
		regerror(r, &e->re, msg, sizeof(msg));
		free(e->text);
		e->text = NULL;
		return fail(c, "bad regex '%s': %s", value, msg);
	}
	return 1;
}

static void split_options(struct tr_spec *s, const char *v)
{
	char *copy = xstrdup(v), *save = NULL;

	/* Blank-separated words, no shell and no quoting: what is written is what tockhost run gets. */
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		s->options = xrealloc(s->options, s->n_options + 1, sizeof(*s->options));
		s->options[s->n_options++] = xstrdup(w);
	}
	free(copy);
}

static int test_key(struct spec_ctx *c, const char *name, const char *v)
{
	struct tr_spec *s = c->s;
	char *end;

	if (!strcmp(name, "name")) {
		free(s->name);
		s->name = xstrdup(v);
	} else if (!strcmp(name, "timeout")) {
		errno = 0;
		s->timeout_s = strtod(v, &end);
		if (errno || end == v || *end || !isfinite(s->timeout_s) || s->timeout_s <= 0 || s->timeout_s > 86400)
			return fail(c, "timeout: '%s' is not a number of seconds in (0, 86400]", v);
	} else if (!strcmp(name, "virtual_time")) {
		if (parse_bool(v, &s->virtual_time) < 0)
			return fail(c, "virtual_time: '%s' is not true or false", v);
	} else if (!strcmp(name, "strict")) {
		if (parse_bool(v, &s->strict) < 0)
			return fail(c, "strict: '%s' is not true or false", v);
	} else if (!strcmp(name, "board")) {
		free(s->board);
		s->board = resolve(c, v);
	} else if (!strcmp(name, "options")) {
		split_options(s, v);
	} else {
		return fail(c, "unknown key '%s' in [test] (name, timeout, virtual_time, strict, board, options)", name);
	}
	return 1;
}

static int app_key(struct spec_ctx *c, struct tr_app *a, const char *name, const char *v)
{
	char *end;
	long n;

	if (!a->line)
		a->line = c->line;
	if (!strcmp(name, "image")) {
		if (a->image)
			return fail(c, "app '%s' has two images", a->name);
		a->image = resolve(c, v);
	} else if (!strcmp(name, "expect") || !strcmp(name, "expect_re")) {
		a->lines = xrealloc(a->lines, a->n_lines + 1, sizeof(*a->lines));
		memset(&a->lines[a->n_lines], 0, sizeof(a->lines[0]));
		if (!compile(c, &a->lines[a->n_lines], v, !strcmp(name, "expect_re")))
			return 0;
		a->n_lines++;
	} else if (!strcmp(name, "exit")) {
		errno = 0;
		n = strtol(v, &end, 0);
		if (errno || end == v || *end || n < INT32_MIN || n > INT32_MAX)
			return fail(c, "exit: '%s' is not a 32-bit integer", v);
		a->has_exit = true;
		a->exit_code = (int)n;
	} else if (!strcmp(name, "fault") || !strcmp(name, "fault_re")) {
		if (a->fault.text)
			return fail(c, "app '%s' has two fault expectations", a->name);
		return compile(c, &a->fault, v, !strcmp(name, "fault_re"));
	} else {
		return fail(c, "unknown key '%s' in [app %s] (image, expect, expect_re, exit, fault, fault_re)", name,
		            a->name);
	}
	return 1;
}

static struct tr_app *app_for(struct spec_ctx *c, const char *name)
{
	struct tr_spec *s = c->s;

	/* inih calls us per key: a key with no [section] line since the last one continues that app. */
	if (!c->new_section && s->n_apps && !strcmp(s->apps[s->n_apps - 1].name, name))
		return &s->apps[s->n_apps - 1];
	for (size_t i = 0; i < s->n_apps; i++)
		if (!strcmp(s->apps[i].name, name)) {
			fail(c, "duplicate app '%s' (first at line %u)", name, s->apps[i].line);
			return NULL;
		}
	if (!*name || strpbrk(name, "[] \t")) {
		fail(c, "bad app name '%s' (the console prefix: no blanks or brackets)", name);
		return NULL;
	}
	s->apps = xrealloc(s->apps, s->n_apps + 1, sizeof(*s->apps));
	memset(&s->apps[s->n_apps], 0, sizeof(s->apps[0]));
	s->apps[s->n_apps].name = xstrdup(name);
	return &s->apps[s->n_apps++];
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct spec_ctx *c = user;
	struct tr_app *a;

	bool fresh = c->new_section;

	if (c->failed)
		return 1;
	c->new_section = false;
	if (!strcmp(section, "test"))
		return test_key(c, name, value);
	if (!strncmp(section, "app ", 4)) {
		c->new_section = fresh;
		a = app_for(c, section + 4);
		c->new_section = false;
		return a ? app_key(c, a, name, value) : 0;
	}
	return fail(c, "unknown section [%s] (want [test] or [app NAME])", section);
}

static char *reader(char *str, int num, void *user)
{
	struct spec_ctx *c = user;
	size_t n;

	if (c->failed || !fgets(str, num, c->file))
		return NULL;
	c->line++;
	n = strlen(str);
	if (n + 1 == (size_t)num && str[n - 1] != '\n' && !feof(c->file)) {
		fail(c, "line too long (at most %d characters)", num - 2);
		return NULL;
	}
	if (str[strspn(str, " \t")] == '[')
		c->new_section = true;
	return str;
}

/* Checks that need the whole file; nothing runs unless every image can be opened. */
static void check_spec(struct spec_ctx *c)
{
	struct tr_spec *s = c->s;

	if (c->failed)
		return;
	if (!s->n_apps) {
		c->line = 0;
		fail(c, "no [app NAME] section: nothing to test");
		return;
	}
	for (size_t i = 0; i < s->n_apps && !c->failed; i++) {
		struct tr_app *a = &s->apps[i];

		c->line = a->line;
		if (!a->image)
			fail(c, "app '%s' has no image", a->name);
		else if (access(a->image, R_OK) < 0)
			fail(c, "app '%s': image %s: %s", a->name, a->image, strerror(errno));
		else if (a->has_exit && a->fault.text)
			fail(c, "app '%s' expects both an exit code and a fault", a->name);
	}
	if (!c->failed && s->board && access(s->board, R_OK) < 0) {
		c->line = 0;
		fail(c, "board %s: %s", s->board, strerror(errno));
	}
}

int tr_spec_load(struct tr_spec *s, const char *path)
{
	struct spec_ctx c = { .s = s };
	char *tmp;
	struct stat st;
	int r;

	memset(s, 0, sizeof(*s));
	s->timeout_s = 10;
	s->virtual_time = true;
	s->path = xstrdup(path);
	c.file = fopen(path, "re");
	if (!c.file || fstat(fileno(c.file), &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "tockhost: %s: %s\n", path, c.file ? "not a regular file" : strerror(errno));
		if (c.file)
			fclose(c.file);
		return -1;
	}
	tmp = xstrdup(path);
	c.dir = xstrdup(dirname(tmp));
	free(tmp);
	r = ini_parse_stream(reader, &c, handler, &c);
	if (r > 0 && !c.failed) {
		c.line = (unsigned)r;
		fail(&c, "syntax error (expected [section] or key = value)");
	} else if (r < 0 && !c.failed) {
		fail(&c, "cannot read the spec file");
	}
	fclose(c.file);
	check_spec(&c);
	free(c.dir);
	if (c.failed) {
		if (c.err_line)
			fprintf(stderr, "tockhost: %s:%u: %s\n", path, c.err_line, c.err);
		else
			fprintf(stderr, "tockhost: %s: %s\n", path, c.err);
		return -1;
	}
	if (!s->name)
		s->name = xstrdup(path);
	return 0;
}

static void free_expect(struct tr_expect *e)
{
	if (e->text && e->is_re)
		regfree(&e->re);
	free(e->text);
}

void tr_spec_free(struct tr_spec *s)
{
	for (size_t i = 0; i < s->n_apps; i++) {
		struct tr_app *a = &s->apps[i];

		for (size_t j = 0; j < a->n_lines; j++)
			free_expect(&a->lines[j]);
		free(a->lines);
		free_expect(&a->fault);
		for (size_t j = 0; j < a->n_out; j++)
			free(a->out[j]);
		free(a->out);
		free(a->name);
		free(a->image);
		free(a->got_fault);
		free(a->broken);
	}
	free(s->apps);
	free(s->broken);
	for (size_t i = 0; i < s->n_options; i++)
		free(s->options[i]);
	free(s->options);
	free(s->board);
	free(s->name);
	free(s->path);
	memset(s, 0, sizeof(*s));
}
