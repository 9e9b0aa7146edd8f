/* A growable array's capacity doubling, the one copy for every layer (libc only). */
#ifndef TOCKHOST_BASIC_ARRAY_H
#define TOCKHOST_BASIC_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Make room for element n of *arr (capacity *cap, elements of elem bytes): doubles, from 8. False on overflow or ENOMEM. */
static inline bool basic_array_reserve(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *a;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap < *cap || elem == 0 || ncap > SIZE_MAX / elem)
		return false;
	a = realloc(*arr, ncap * elem);
	if (!a)
		return false;
	*arr = a;
	*cap = ncap;
	return true;
}

#endif
