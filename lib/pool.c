/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "util.h"

static const char *const names[] = {
	"mean", "avg", "sum", "max", "first", "last"
};

const char pool_names[] = "mean, avg, sum, max, first, last";

int
pool_byname(const char *name, enum pool_mode *m)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0) {
			*m = (enum pool_mode)i;
			return 0;
		}
	return -1;
}

const char *
pool_name(enum pool_mode m)
{
	return names[m];
}

void
pool_init(struct pool *p, enum pool_mode m, size_t d)
{
	p->mode = m;
	p->d = d;
	p->acc = xcalloc(d ? d : 1, sizeof(float));
	p->n = 0;
}

void
pool_free(struct pool *p)
{
	free(p->acc);
	p->acc = NULL;
}

void
pool_reset(struct pool *p)
{
	memset(p->acc, 0, p->d * sizeof(float));
	p->n = 0;
}

/* fastText's Vector::norm: the squares summed in float32, in order */
static float
norm_f32(const float *x, size_t d)
{
	float s = 0;
	size_t j;

	for (j = 0; j < d; j++)
		s += x[j] * x[j];
	return sqrtf(s);
}

void
pool_add(struct pool *p, const float *row)
{
	float a, nrm;
	size_t j;

	switch (p->mode) {
	case POOL_MEAN:
		if ((nrm = norm_f32(row, p->d)) <= 0)
			return;
		a = (float)(1.0 / nrm);
		for (j = 0; j < p->d; j++)
			p->acc[j] += row[j] * a;
		break;
	case POOL_AVG:
	case POOL_SUM:
		for (j = 0; j < p->d; j++)
			p->acc[j] += row[j];
		break;
	case POOL_MAX:
		for (j = 0; j < p->d; j++)
			if (p->n == 0 || row[j] > p->acc[j])
				p->acc[j] = row[j];
		break;
	case POOL_FIRST:
		if (p->n == 0)
			memcpy(p->acc, row, p->d * sizeof(float));
		break;
	case POOL_LAST:
		memcpy(p->acc, row, p->d * sizeof(float));
		break;
	}
	p->n++;
}

size_t
pool_get(const struct pool *p, float *out)
{
	float a;
	size_t j;

	if (p->n == 0) {
		memset(out, 0, p->d * sizeof(float));
		return 0;
	}
	if (p->mode == POOL_MEAN) {
		/* fastText: svec.mul(1.0 / count) */
		a = (float)(1.0 / (double)p->n);
		for (j = 0; j < p->d; j++)
			out[j] = p->acc[j] * a;
	} else if (p->mode == POOL_AVG) {
		/* gensim: mean / total_weight, in float32 */
		a = (float)p->n;
		for (j = 0; j < p->d; j++)
			out[j] = p->acc[j] / a;
	} else
		memcpy(out, p->acc, p->d * sizeof(float));
	return p->n;
}

long
pool_odd_one_out(const float *const *rows, size_t n, size_t d,
    const char *const *labels, float *score)
{
	float *mean, nrm, s, best = 0;
	size_t i, j;
	long odd = -1;

	if (n == 0)
		return -1;
	mean = xcalloc(d, sizeof(*mean));
	for (i = 0; i < n; i++) {
		if ((nrm = norm_f32(rows[i], d)) <= 0) {
			free(mean);
			return -1;
		}
		for (j = 0; j < d; j++)
			mean[j] += rows[i][j] / nrm;
	}
	if ((nrm = norm_f32(mean, d)) > 0)
		for (j = 0; j < d; j++)
			mean[j] /= nrm;
	for (i = 0; i < n; i++) {
		nrm = norm_f32(rows[i], d);
		for (s = 0, j = 0; j < d; j++)
			s += rows[i][j] / nrm * mean[j];
		if (score != NULL)
			score[i] = s;
		if (odd < 0 || s < best || (s == best && labels != NULL &&
		    strcmp(labels[i], labels[odd]) < 0)) {
			best = s;
			odd = (long)i;
		}
	}
	free(mean);
	return odd;
}
