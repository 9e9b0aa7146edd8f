/* tockbench: order statistics of a repetition's samples (median and extremes, never a mean: the machine is noisy). */
#include "tb_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tb_samples_add(struct tb_samples *s, double value)
{
	if (s->n < TB_MAX_SAMPLES)
		s->v[s->n++] = value;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double tb_samples_median(const struct tb_samples *s)
{
	double sorted[TB_MAX_SAMPLES];

	if (s->n == 0)
		return NAN;
	memcpy(sorted, s->v, s->n * sizeof(sorted[0]));
	qsort(sorted, s->n, sizeof(sorted[0]), cmp_double);
	if (s->n % 2)
		return sorted[s->n / 2];
	return (sorted[s->n / 2 - 1] + sorted[s->n / 2]) / 2;
}

double tb_samples_min(const struct tb_samples *s)
{
	double m = NAN;

	for (size_t i = 0; i < s->n; i++)
		if (i == 0 || s->v[i] < m)
			m = s->v[i];
	return m;
}

double tb_samples_max(const struct tb_samples *s)
{
	double m = NAN;

	for (size_t i = 0; i < s->n; i++)
		if (i == 0 || s->v[i] > m)
			m = s->v[i];
	return m;
}
