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
