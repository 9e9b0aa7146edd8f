/* Aligned text tables for ipcctl's human output: widths from the widest cell, two spaces between columns. */
#include "tools/ipcctl/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void table_init(struct table *t, size_t ncols, const char *const *headers)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols < TABLE_MAX_COLUMNS ? ncols : TABLE_MAX_COLUMNS;
	for (size_t i = 0; i < t->ncols; i++) {
		t->right[i] = headers[i][0] == '>';
		t->headers[i] = headers[i] + (t->right[i] ? 1 : 0);
	}
}

void table_add(struct table *t, const char *color, const char *const *cells)
{
	char **row;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char ***rows = realloc(t->rows, cap * sizeof(*rows));
		const char **colors = realloc(t->colors, cap * sizeof(*colors));

		if (rows)
			t->rows = rows;
		if (colors)
			t->colors = colors;
		if (!rows || !colors)
			return;
		t->cap = cap;
	}
	row = calloc(t->ncols, sizeof(*row));
	if (!row)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		row[i] = strdup(cells[i] ? cells[i] : "-");
	t->rows[t->nrows] = row;
	t->colors[t->nrows++] = color;
}

static void print_cell(const char *s, size_t width, bool right, bool last)
{
	int pad = (int)(width - strlen(s));

	if (right)
		printf("%*s%s", pad, "", s);
	else if (last)
		printf("%s", s);
	else
		printf("%s%*s", s, pad, "");
}

void table_print(const struct table *t, bool color)
{
	size_t width[TABLE_MAX_COLUMNS];

	for (size_t c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->headers[c]);
		for (size_t r = 0; r < t->nrows; r++)
			if (t->rows[r][c] && strlen(t->rows[r][c]) > width[c])
				width[c] = strlen(t->rows[r][c]);
	}
	if (color)
		fputs(IPCCTL_BOLD, stdout);
	for (size_t c = 0; c < t->ncols; c++) {
		print_cell(t->headers[c], width[c], t->right[c], c + 1 == t->ncols);
		fputs(c + 1 == t->ncols ? "" : "  ", stdout);
	}
	fputs(color ? IPCCTL_RESET "\n" : "\n", stdout);
	for (size_t r = 0; r < t->nrows; r++) {
		bool colored = color && t->colors[r];

		if (colored)
			printf("%s", t->colors[r]);
		for (size_t c = 0; c < t->ncols; c++) {
			print_cell(t->rows[r][c], width[c], t->right[c], c + 1 == t->ncols);
			fputs(c + 1 == t->ncols ? "" : "  ", stdout);
		}
		fputs(colored ? IPCCTL_RESET "\n" : "\n", stdout);
	}
}

void table_free(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	free(t->colors);
	memset(t, 0, sizeof(*t));
}
