/* See LICENSE file for copyright and license details. */
#define _DEFAULT_SOURCE	/* madvise(MADV_POPULATE_READ) */
#include <sys/mman.h>

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "model.h"
#include "par.h"
#include "safetensors.h"
#include "util.h"

/* a decimal metadata value as an unsigned integer */
static int
meta_u64(char **pairs, size_t n, const char *key, uint64_t *out)
{
	size_t i;
	const char *p;
	uint64_t v = 0;

	for (i = 0; i < n; i++)
		if (strcmp(pairs[2 * i], key) == 0)
			break;
	if (i == n || *(p = pairs[2 * i + 1]) == '\0' || strlen(p) > 19)
		return -1;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = v;
	return 0;
}

/*
 * Use the stored token index (see safetensors.h) when the file has one
 * and it passes vocab_map's checks: 1; 0 when the file has none; -1 (e
 * says why) when it has one that is not to be trusted.
 */
static int
attach_index(struct model *m, const struct st_tensor *voc, struct emb_err *e)
{
	const struct st_tensor *off = st_find(m->st, ST_INDEX_OFFSETS);
	const struct st_tensor *slots = st_find(m->st, ST_INDEX_SLOTS);
	char **pairs = NULL, *hash = NULL;
	uint64_t seed, probe;
	size_t np = 0, i;
	int r = -1;

	if (off == NULL && slots == NULL)
		return 0;
	if (off == NULL || slots == NULL) {
		err_set(e, m->path, 0, "token index: %s without %s",
		    off == NULL ?
		    ST_INDEX_SLOTS : ST_INDEX_OFFSETS, off == NULL ?
		    ST_INDEX_OFFSETS : ST_INDEX_SLOTS);
		return -1;
	}
	if (strcmp(off->dtype, "I64") != 0 || off->ndim != 1 ||
	    off->shape[0] != m->V + 1 || (strcmp(slots->dtype, "I32") != 0 &&
	    strcmp(slots->dtype, "U32") != 0) || slots->ndim != 1) {
		err_set(e, m->path, 0, "token index: %s must be I64 [%zu] "
		    "and %s I32 [H]",
		    ST_INDEX_OFFSETS, m->V + 1, ST_INDEX_SLOTS);
		return -1;
	}
	if (m->st->meta != NULL)
		st_meta_pairs(m->st->meta, &pairs, &np);
	for (i = 0; i < np; i++)
		if (strcmp(pairs[2 * i], ST_INDEX_KEY_HASH) == 0)
			hash = pairs[2 * i + 1];
	if (hash == NULL || strcmp(hash, ST_INDEX_HASH) != 0)
		err_set(e, m->path, 0, "token index: %s is not \"%s\"",
		    ST_INDEX_KEY_HASH, ST_INDEX_HASH);
	else if (meta_u64(pairs, np, ST_INDEX_KEY_SEED, &seed) < 0 ||
	    meta_u64(pairs, np, ST_INDEX_KEY_PROBE, &probe) < 0)
		err_set(e, m->path, 0, "token index: %s or %s is not a "
		    "number",
		    ST_INDEX_KEY_SEED, ST_INDEX_KEY_PROBE);
	else if (vocab_map(&m->vocab, (const char *)voc->data,
	    voc->end - voc->begin, m->V, off->data, slots->data,
	    (size_t)slots->shape[0], seed, probe > SIZE_MAX ? 0 :
	    (size_t)probe, m->path, e) == 0)
		r = 1;
	for (i = 0; i < 2 * np; i++)
		free(pairs[i]);
	free(pairs);
	return r;
}

/* the token index's three tensors advised (mem_advise) */
static void
advise_index(const struct model *m, const struct st_tensor *voc, int advice)
{
	const struct st_tensor *off = st_find(m->st, ST_INDEX_OFFSETS);
	const struct st_tensor *slots = st_find(m->st, ST_INDEX_SLOTS);

	mem_advise(voc->data, voc->end - voc->begin, advice);
	if (off != NULL)
		mem_advise(off->data, off->end - off->begin, advice);
	if (slots != NULL)
		mem_advise(slots->data, slots->end - slots->begin, advice);
}

/* read-ahead back on for the matrix and the token index (model_open) */
static void
warm(const struct model *m)
{
	/* a model is never a const object: the hint is all that changes */
	struct model *w = (struct model *)(uintptr_t)m;

	if (w->cold == 0)
		return;
	w->cold = 0;
	mem_advise(w->emb, w->V * w->d * dtype_size(w->dt), POSIX_MADV_NORMAL);
	vocab_map_warm(&w->vocab);
}

/* a mapped F32 tensor in place, or a 4-byte aligned copy in *owned */
static const float *
f32_data(const struct st_tensor *t, size_t n, void **owned)
{
	if ((uintptr_t)t->data % 4 == 0)
		return (const float *)(const void *)t->data;
	*owned = xmalloc(n * 4 + 1);
	memcpy(*owned, t->data, n * 4);
	return *owned;
}

static int
open_native(struct model *m, const char *path, struct emb_err *e)
{
	const struct st_tensor *t, *voc, *cnt, *out, *ng, *in;
	const char *base;
	size_t len;
	int r = 0, mapped;

	/* a plain file is mapped, stdin and gzip input read into memory */
	if ((base = src_slurp(m->src, &len, e)) == NULL)
		return -1;
	if (m->src->map != NULL && len >= 8) {
		/* the header's pages in one read, not read-around per page */
		const unsigned char *h = (const unsigned char *)base;
		uint64_t hl = 0;
		int i;

		for (i = 7; i >= 0; i--)
			hl = hl << 8 | h[i];
		if (hl <= len - 8 && hl <= ST_MAX_HEADER)
			mem_advise(base, 8 + (size_t)hl, POSIX_MADV_WILLNEED);
	}
	m->st = xcalloc(1, sizeof(*m->st));
	if (st_open_mem(m->st, base, len, m->src->name, e) < 0)
		return -1;
	if ((t = st_matrix(m->st, NULL, path, e)) == NULL)
		return -1;
	m->V = (size_t)t->shape[0];
	m->d = (size_t)t->shape[1];
	if (st_companions(m->st, m->V, m->d, &voc, &cnt, &out, path, e) < 0 ||
	    st_subwords(m->st, m->V, m->d, &ng, &in, &m->sw, path, e) < 0)
		return -1;
	if (ng != NULL) {
		m->sw.ngrams = f32_data(ng, m->sw.bucket * m->d, &m->owned[3]);
		m->sw.words = f32_data(in, m->V * m->d, &m->owned[2]);
	}
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
	/* a file mapping read in place: see model_open */
	mapped = m->src->map != NULL && m->f32 == NULL;
	if (mapped) {
		mem_advise(m->emb, m->V * m->d * dtype_size(m->dt),
		    POSIX_MADV_RANDOM);
		m->cold = MODEL_COLD;
	}
	if (mapped && voc != NULL && st_find(m->st, ST_INDEX_SLOTS) != NULL)
		advise_index(m, voc, POSIX_MADV_RANDOM);
	if (voc != NULL && (r = attach_index(m, voc, &m->index_why)) < 0) {
		/* the index is only a shortcut: say so and do without */
		err_set(e, NULL, 0, "%s; indexing the vocab instead",
		    m->index_why.msg);
		err_report(e, 0);
	}
	m->index = r;
	if (mapped && voc != NULL && r < 0)
		advise_index(m, voc, POSIX_MADV_NORMAL);	/* read it all */
	if (r > 0 && mapped)
		vocab_map_cold(&m->vocab);
	if (voc != NULL && r <= 0 && vocab_from_block(&m->vocab,
	    (const char *)voc->data, voc->end - voc->begin, m->V, path, e) < 0)
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
	if (out != NULL)
		m->out = f32_data(out, m->V * m->d, &m->owned[1]);
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
	table_subword(m->tab, &m->sw);
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
	free(m->owned[2]);
	free(m->owned[3]);
	free(m->ids);
	free(m->f32);
	free(m->norms);
	free(m->meta);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

void
model_row(const struct model *m, size_t i, float *out)
{
	if (m->cold > 0 && --((struct model *)(uintptr_t)m)->cold == 0) {
		((struct model *)(uintptr_t)m)->cold = 1;
		warm(m);
	}
	dtype_to_f32(m->dt, (const unsigned char *)m->emb +
	    i * m->d * dtype_size(m->dt), out, m->d);
}

const float *
model_f32(struct model *m)
{
	warm(m);
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
	warm(m);
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

int
model_index_check(struct model *m, struct emb_err *e)
{
	if (m->index == 0)
		return 0;
	if (m->index < 0) {
		*e = m->index_why;
		return -1;
	}
	if (m->vocab.mslot == NULL) {
		err_set(e, m->path, 0, "token index: damaged (dropped in use)");
		return -1;
	}
	return vocab_map_check(&m->vocab, e) < 0 ? -1 : 1;
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

#define POPULATE_PIECE ((size_t)8 << 20)

struct populate {
	char *p;		/* page-aligned start */
	size_t len;
};

/* pieces [b, e) of the range (lib/par.h) */
static void
populate_pieces(void *arg, size_t b, size_t e)
{
#ifdef MADV_POPULATE_READ
	const struct populate *pp = arg;

	for (; b < e; b++) {
		size_t off = b * POPULATE_PIECE, n = pp->len - off;

		if (n > POPULATE_PIECE)
			n = POPULATE_PIECE;
		(void)madvise(pp->p + off, n, MADV_POPULATE_READ);
	}
#else
	(void)arg;
	(void)b;
	(void)e;
#endif
}

void
model_populate(const struct model *m, size_t b, size_t e, int threads)
{
	size_t rowb = m->d * dtype_size(m->dt), page, at;
	struct populate pp;
	long ps = sysconf(_SC_PAGESIZE);

	warm(m);	/* a search reads every row of the window */
	if (m->st == NULL || e > m->V || b >= e || ps <= 0 ||
	    (e - b) * rowb < ((size_t)64 << 20))
		return;
	page = (size_t)ps;
	at = (uintptr_t)m->emb + b * rowb;
	pp.p = (char *)(at - at % page);
	pp.len = (uintptr_t)m->emb + e * rowb - (uintptr_t)pp.p;
	par_run(threads, (pp.len + POPULATE_PIECE - 1) / POPULATE_PIECE,
	    populate_pieces, &pp);
}

long
model_vector(struct model *m, const char *tok, size_t len, float *out,
    struct emb_err *e)
{
	long id = model_find(m, tok, len);
	size_t i, n;

	if (id >= 0)
		return model_row_finite(m, (size_t)id, out, e) < 0 ? -3 : id;
	if (!subword_on(&m->sw))
		return -1;
	n = subword_ngrams(&m->sw, tok, len, &m->ids, &m->idcap);
	for (i = 0; i < n; i++)
		if (!f32_finite(m->sw.ngrams + (size_t)m->ids[i] * m->d,
		    m->d)) {
			err_set(e, m->path, 0, "n-gram row %" PRIu32 ": NaN or "
			    "infinite value", m->ids[i] + 1);
			return -3;
		}
	subword_vector(&m->sw, NULL, tok, len, out, &m->ids, &m->idcap);
	if (!f32_finite(out, m->d)) {
		err_set(e, m->path, 0, "the n-gram vector of \"%.*s\" is not "
		    "finite (its n-gram rows overflow float32 when summed)",
		    (int)(len > 200 ? 200 : len), tok);
		return -3;
	}
	return -2;
}
