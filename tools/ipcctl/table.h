/* Aligned text tables for ipcctl's human output, colored only on a terminal. */
#ifndef TOCKHOST_IPCCTL_TABLE_H
#define TOCKHOST_IPCCTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#define TABLE_MAX_COLUMNS 16

struct table {
	size_t ncols;
	const char *headers[TABLE_MAX_COLUMNS];
	bool right[TABLE_MAX_COLUMNS]; /* numbers are right-aligned */
	char ***rows;                  /* rows[r][c], owned */
	const char **colors;           /* per row: an ANSI color for the whole row, or NULL */
	size_t nrows, cap;
};

/* Columns as "NAME" or ">NAME" (right-aligned). */
void table_init(struct table *t, size_t ncols, const char *const *headers);
/* Append a row of ncols cells (copied); color applies only when printing to a terminal. */
void table_add(struct table *t, const char *color, const char *const *cells);
void table_print(const struct table *t, bool color);
void table_free(struct table *t);

/* ANSI colors used across ipcctl. */
#define IPCCTL_RED "\033[31m"
#define IPCCTL_GREEN "\033[32m"
#define IPCCTL_YELLOW "\033[33m"
#define IPCCTL_CYAN "\033[36m"
#define IPCCTL_DIM "\033[2m"
#define IPCCTL_BOLD "\033[1m"
#define IPCCTL_RESET "\033[0m"

#endif
