/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dtype.h"
#include "num.h"
#include "table.h"
#include "textvec.h"
#include "util.h"

void
table_init(struct table *t)
{
	memset(t, 0, sizeof(*t));
	vocab_init(&t->vocab);
}

int
table_alloc(struct table *t, size_t V, size_t d, struct emb_err *e)
{
	size_t n, bytes;

	if (size_mul(V, d, &n) < 0 || size_mul(n, sizeof(float), &bytes) < 0) {
		err_set(e, NULL, 0, "table of %zu x %zu is too large", V, d);
		return -1;
	}
	free(t->vec);
	t->vec = xaligned(bytes);
	memset(t->vec, 0, bytes);
	t->V = V;
	t->d = d;
	return 0;
}

void
table_free(struct table *t)
{
	size_t i;

	free(t->vec);
	free(t->out);
	free(t->ngrams);
	free(t->words);
	vocab_free(&t->vocab);
	for (i = 0; i < 2 * t->nmeta; i++)
		free(t->meta[i]);
	free(t->meta);
	table_init(t);
}

void
table_subword(const struct table *t, struct subword *sw)
{
	sw->minn = t->minn;
	sw->maxn = t->maxn;
	sw->bucket = t->ngrams != NULL ? t->bucket : 0;
	sw->d = t->d;
	sw->ngrams = t->ngrams;
	sw->words = t->words;
}

void
table_compose(struct table *t)
{
	struct subword sw;
	uint32_t *ids = NULL;
	size_t cap = 0, i, len;

	table_subword(t, &sw);
	for (i = 0; i < t->V; i++) {
		const char *w = vocab_token(&t->vocab, i, &len);

		subword_vector(&sw, t->words + i * t->d, w, len,
		    t->vec + i * t->d, &ids, &cap);
	}
	free(ids);
}

void
table_drop_subwords(struct table *t)
{
	free(t->ngrams);
	free(t->words);
	t->ngrams = t->words = NULL;
	t->minn = t->maxn = 0;
	t->bucket = 0;
}

void
table_meta_set(struct table *t, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < t->nmeta; i++)
		if (strcmp(t->meta[2 * i], key) == 0) {
			free(t->meta[2 * i + 1]);
			t->meta[2 * i + 1] = xstrdup(value);
			return;
		}
	t->meta = xreallocarray(t->meta, 2 * t->nmeta + 3, sizeof(*t->meta));
	t->meta[2 * t->nmeta] = xstrdup(key);
	t->meta[2 * t->nmeta + 1] = xstrdup(value);
	t->nmeta++;
	t->meta[2 * t->nmeta] = NULL;
}

const char *
table_meta_get(const struct table *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->nmeta; i++)
		if (strcmp(t->meta[2 * i], key) == 0)
			return t->meta[2 * i + 1];
	return NULL;
}

void
table_normalize(struct table *t)
{
	size_t i, j;

	/* unit rows are no longer the mean of a word's row and n-grams */
	table_drop_subwords(t);
	for (i = 0; i < t->V; i++) {
		float *r = table_row(t, i);
		double s = 0;

		for (j = 0; j < t->d; j++)
			s += (double)r[j] * r[j];
		if (s > 0) {
			float inv = (float)(1.0 / sqrt(s));

			for (j = 0; j < t->d; j++)
				r[j] *= inv;
		}
	}
}

long
table_first_nonfinite(const struct table *t)
{
	size_t i;

	for (i = 0; i < t->V; i++)
		if (!f32_finite(table_row(t, i), t->d))
			return (long)i;
	return -1;
}

int
table_unlabel(struct table *t, const char *name, struct emb_err *e)
{
	size_t d = t->d + 1, i, len, bytes;
	const char *tok, *end;
	char buf[64], *ne;
	float *v;

	if (size_mul(t->V, d, &bytes) < 0 ||
	    size_mul(bytes, sizeof(float), &bytes) < 0) {
		err_set(e, name, 0, "table of %zu x %zu is too large", t->V, d);
		return -1;
	}
	v = xaligned(bytes ? bytes : 64);
	for (i = 0; i < t->V; i++) {
		tok = vocab_token(&t->vocab, i, &len);
		/* a number, blanks around it (CSV): under 64 bytes inside */
		for (end = tok + len; tok < end && TEXTVEC_BLANK(*tok); tok++)
			;
		len = (size_t)(end - tok);
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, tok, len);
		buf[len] = '\0';
		v[i * d] = num_float(buf, &ne);
		memcpy(v + i * d + 1, t->vec + i * t->d, t->d * sizeof(float));
	}
	free(t->vec);
	t->vec = v;
	t->d = d;
	vocab_free(&t->vocab);
	vocab_init(&t->vocab);
	return 0;
}
