/* tockbench: a small sample set (one value per repetition) and its median, minimum and maximum. */
#pragma once

#include <stddef.h>

#define TB_MAX_SAMPLES 64

struct tb_samples {
	double v[TB_MAX_SAMPLES];
	size_t n;
};

/* Append one value; values past TB_MAX_SAMPLES are ignored (the plan never asks for that many). */
void tb_samples_add(struct tb_samples *s, double value);
/* NAN when empty. */
double tb_samples_median(const struct tb_samples *s);
double tb_samples_min(const struct tb_samples *s);
double tb_samples_max(const struct tb_samples *s);
