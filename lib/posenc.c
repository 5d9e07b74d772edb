/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fmt.h"
#include "posenc.h"
#include "util.h"

void
posenc_init(struct posenc *pe, size_t d)
{
	memset(pe, 0, sizeof(*pe));
	pe->kind = POSENC_NONE;
	pe->d = d;
	pe->scale = 1;
	table_init(&pe->tab);
}

void
posenc_sinusoidal(size_t p, size_t d, float *out)
{
	size_t j;

	for (j = 0; j < d; j++) {
		/* dimensions 2i and 2i + 1 share the frequency of 2i */
		double a = (double)p / pow(10000.0, (double)(j & ~(size_t)1) /
		    (double)d);

		out[j] = (float)((j & 1) ? cos(a) : sin(a));
	}
}

int
posenc_open(struct posenc *pe, const char *spec, size_t d,
    struct emb_err *e)
{
	struct fmt_opts fo;
	struct stat st;
	const char *colon = strrchr(spec, ':');
	char *path;

	posenc_init(pe, d);
	if (strcmp(spec, "sinusoidal") == 0) {
		pe->kind = POSENC_SINUSOIDAL;
		return 0;
	}
	fmt_opts_init(&fo);
	path = xstrdup(spec);
	if (colon != NULL && colon[1] != '\0' && stat(spec, &st) < 0) {
		path[colon - spec] = '\0';
		fo.tensor = colon + 1;
	}
	if (fmt_read(&pe->tab, path, FMT_NONE, &fo, e) < 0) {
		free(path);
		posenc_free(pe);
		return -1;
	}
	if (pe->tab.d != d) {
		err_set(e, path, 0, "the position table has %zu dimensions, "
		    "the model %zu", pe->tab.d, d);
		free(path);
		posenc_free(pe);
		return -1;
	}
	pe->kind = POSENC_TABLE;
	pe->T = pe->tab.V;
	pe->P = pe->tab.vec;
	pe->name = path;
	return 0;
}

void
posenc_free(struct posenc *pe)
{
	table_free(&pe->tab);
	free(pe->name);
	free(pe->buf);
	pe->buf = NULL;
	pe->name = NULL;
	pe->P = NULL;
	pe->T = 0;
}

int
posenc_check(const struct posenc *pe, size_t n, const char *file,
    size_t line, struct emb_err *e)
{
	if (pe->kind != POSENC_TABLE || (pe->offset <= pe->T &&
	    n <= pe->T - pe->offset))
		return 0;
	if (pe->offset > 0)
		err_set(e, file, line, "sequence of %zu tokens from position "
		    "%zu, but %s has %zu positions", n, pe->offset, pe->name,
		    pe->T);
	else
		err_set(e, file, line, "sequence of %zu tokens, but %s has %zu "
		    "positions", n, pe->name, pe->T);
	return -1;
}

void
posenc_add(struct posenc *pe, size_t t, float *row)
{
	const float *q = NULL;
	size_t j;

	if (pe->kind == POSENC_SINUSOIDAL) {
		if (pe->buf == NULL)
			pe->buf = xreallocarray(NULL, pe->d ? pe->d : 1,
			    sizeof(float));
		posenc_sinusoidal(pe->offset + t, pe->d, pe->buf);
		q = pe->buf;
	} else if (pe->kind == POSENC_TABLE)
		q = pe->P + (pe->offset + t) * pe->d;
	for (j = 0; j < pe->d; j++) {
		double v = pe->scale * (double)row[j];

		if (q != NULL)
			v += (double)q[j];
		row[j] = (float)v;
	}
}
