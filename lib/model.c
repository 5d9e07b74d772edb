/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "model.h"
#include "safetensors.h"
#include "util.h"

static int
open_native(struct model *m, const char *path, struct emb_err *e)
{
	const struct st_tensor *t, *voc, *cnt, *out;
	const char *base;
	size_t len;

	/* a plain file is mapped, stdin and gzip input read into memory */
	if ((base = src_slurp(m->src, &len, e)) == NULL)
		return -1;
	m->st = xcalloc(1, sizeof(*m->st));
	if (st_open_mem(m->st, base, len, m->src->name, e) < 0)
		return -1;
	if ((t = st_matrix(m->st, NULL, path, e)) == NULL)
		return -1;
	m->V = (size_t)t->shape[0];
	m->d = (size_t)t->shape[1];
	if (st_companions(m->st, m->V, m->d, &voc, &cnt, &out, path, e) < 0)
		return -1;
	if (strcmp(t->dtype, "F64") == 0 ||
	    (strcmp(t->dtype, "F32") == 0 && (uintptr_t)t->data % 4 != 0)) {
		/* not usable in place: convert once */
		m->f32 = xaligned(m->V * m->d * sizeof(float));
		st_to_f32(t, m->f32, m->V * m->d);
		m->dt = DT_F32;
		m->emb = m->f32;
	} else {
		dtype_byname(t->dtype, &m->dt);
		m->emb = t->data;
	}
	if (voc != NULL && vocab_from_block(&m->vocab, (const char *)voc->data,
	    voc->end - voc->begin, m->V, path, e) < 0)
		return -1;
	if (cnt != NULL && voc != NULL) {
		if ((uintptr_t)cnt->data % 8 == 0) {
			m->vocab.count = (int64_t *)(uintptr_t)cnt->data;
			m->owned[0] = NULL;
		} else {
			m->owned[0] = xmalloc(m->V * 8);
			memcpy(m->owned[0], cnt->data, m->V * 8);
			m->vocab.count = m->owned[0];
		}
	}
	if (out != NULL) {
		if ((uintptr_t)out->data % 4 == 0) {
			m->out = (const float *)(const void *)out->data;
		} else {
			m->owned[1] = xmalloc(m->V * m->d * 4);
			memcpy(m->owned[1], out->data, m->V * m->d * 4);
			m->out = m->owned[1];
		}
	}
	if (m->st->meta != NULL)
		m->meta = xstrdup(m->st->meta);
	return 0;
}

/* the model over m->src, open and raw */
static int
model_begin(struct model *m, enum fmt f, struct emb_err *e)
{
	const char *path = m->path;

	src_raw(m->src);
	if (f == FMT_NONE && fmt_sniff(m->src, &f, e) < 0)
		goto fail;
	m->fmt = f;
	if (f == FMT_SAFETENSORS) {
		if (open_native(m, path, e) < 0)
			goto fail;
		return 0;
	}
	m->tab = xmalloc(sizeof(*m->tab));
	table_init(m->tab);
	if (fmt_read_src(m->tab, m->src, f, NULL, e) < 0)
		goto fail;
	src_close(m->src);
	free(m->src);
	m->src = NULL;
	m->V = m->tab->V;
	m->d = m->tab->d;
	m->dt = DT_F32;
	m->emb = m->tab->vec;
	m->out = m->tab->out;
	/* the model takes the vocab over */
	m->vocab = m->tab->vocab;
	vocab_init(&m->tab->vocab);
	return 0;
fail:
	model_close(m);
	return -1;
}

int
model_open(struct model *m, const char *path, enum fmt f, struct emb_err *e)
{
	memset(m, 0, sizeof(*m));
	vocab_init(&m->vocab);
	m->path = xstrdup(path);
	m->src = xmalloc(sizeof(*m->src));
	if (src_open(m->src, path, e) < 0) {
		free(m->src);
		m->src = NULL;
		model_close(m);
		return -1;
	}
	return model_begin(m, f, e);
}

int
model_open_mem(struct model *m, const void *p, size_t n, const char *name,
    enum fmt f, struct emb_err *e)
{
	memset(m, 0, sizeof(*m));
	vocab_init(&m->vocab);
	m->path = xstrdup(name);
	m->src = xmalloc(sizeof(*m->src));
	if (src_open_mem(m->src, p, n, m->path, e) < 0) {
		free(m->src);
		m->src = NULL;
		model_close(m);
		return -1;
	}
	return model_begin(m, f, e);
}

void
model_close(struct model *m)
{
	if (m->st != NULL) {
		/* counts may point into the map: detach before freeing */
		m->vocab.count = NULL;
		st_close(m->st);
		free(m->st);
	}
	if (m->src != NULL) {
		src_close(m->src);
		free(m->src);
	}
	/* tokens live in the map or were moved from the table's arena */
	vocab_free(&m->vocab);
	if (m->tab != NULL) {
		table_free(m->tab);
		free(m->tab);
	}
	free(m->owned[0]);
	free(m->owned[1]);
	free(m->f32);
	free(m->norms);
	free(m->meta);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

void
model_row(const struct model *m, size_t i, float *out)
{
	dtype_to_f32(m->dt, (const unsigned char *)m->emb +
	    i * m->d * dtype_size(m->dt), out, m->d);
}

const float *
model_f32(struct model *m)
{
	if (m->dt == DT_F32)
		return m->emb;
	if (m->f32 == NULL) {
		m->f32 = xaligned(m->V * m->d * sizeof(float));
		dtype_to_f32(m->dt, m->emb, m->f32, m->V * m->d);
	}
	return m->f32;
}

const float *
model_norms(struct model *m)
{
	size_t i, j;
	float *row;

	if (m->norms != NULL)
		return m->norms;
	m->norms = xmalloc((m->V ? m->V : 1) * sizeof(float));
	row = m->dt == DT_F32 ? NULL : xmalloc(m->d * sizeof(float));
	for (i = 0; i < m->V; i++) {
		const float *r;
		double s = 0;

		if (row == NULL)
			r = (const float *)m->emb + i * m->d;
		else {
			model_row(m, i, row);
			r = row;
		}
		for (j = 0; j < m->d; j++)
			s += (double)r[j] * r[j];
		m->norms[i] = (float)sqrt(s);
	}
	free(row);
	return m->norms;
}

void
model_nonfinite_err(const struct model *m, size_t i, struct emb_err *e)
{
	err_set(e, m->path, 0, "row %zu: NaN or infinite value", i + 1);
}

int
model_row_finite(const struct model *m, size_t i, float *out,
    struct emb_err *e)
{
	model_row(m, i, out);
	if (f32_finite(out, m->d))
		return 0;
	model_nonfinite_err(m, i, e);
	return -1;
}

size_t
model_nonfinite(struct model *m, long *first)
{
	const float *norm = model_norms(m);
	float *row = NULL;
	size_t i, n = 0;

	*first = -1;
	for (i = 0; i < m->V; i++) {
		/* a finite row's norm overflows only near FLT_MAX: look */
		if (isfinite(norm[i]))
			continue;
		if (row == NULL)
			row = xmalloc((m->d ? m->d : 1) * sizeof(float));
		model_row(m, i, row);
		if (f32_finite(row, m->d))
			continue;
		if (n++ == 0)
			*first = (long)i;
	}
	free(row);
	return n;
}

const struct st_file *
model_container(const struct model *m)
{
	return m->st;
}

long
model_find(struct model *m, const char *tok, size_t len)
{
	return vocab_find(&m->vocab, tok, len);
}

void
model_rename(struct model *m, struct vocab *v)
{
	int64_t *count = m->vocab.count;

	/* counts stay where they are: in the map, owned[0], or the arena */
	m->vocab.count = NULL;
	vocab_free(&m->vocab);
	m->vocab = *v;
	m->vocab.count = count;
	vocab_init(v);
}
