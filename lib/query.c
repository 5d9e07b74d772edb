/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hits.h"
#include "ids.h"
#include "query.h"
#include "shard.h"
#include "src.h"
#include "util.h"
#include "vstream.h"

#define QUERY_BLOCK 4096	/* queries searched together */

void
query_opts_init(struct query_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = QUERY_AUTO;
	o->k = 10;
	o->metric = KNN_COSINE;
	o->threads = 0;
}

void
query_init(struct query *q, struct model *m, const struct query_opts *o,
    FILE *out)
{
	size_t rows, b = 0, end;

	memset(q, 0, sizeof(*q));
	q->m = m;
	q->o = *o;
	q->out = out;
	q->db.rows = m->emb;
	q->db.dt = m->dt;
	q->db.n = m->V;
	q->db.d = m->d;
	q->db.norms = NULL;	/* summed as the kernel packs the rows */
	/* the window: k and --restrict past the table's end mean all rows */
	rows = o->restrict_n != 0 && o->restrict_n < m->V ? o->restrict_n :
	    m->V;
	end = rows;
	if (o->shard_n != 0) {
		shard_range(rows, o->shard_i, o->shard_n, &b, &end);
		q->norows = b == end;
	}
	q->ko.row_begin = b;
	q->ko.row_end = end;
	q->ko.k = o->k < rows ? o->k : rows;
	if (q->ko.k == 0)
		q->ko.k = 1;
	q->ko.metric = o->metric;
	q->ko.threads = o->threads;
	q->ko.nonfinite = &q->nonfinite;
	q->nonfinite = -1;
	/* a block's hits stay under about 32 MB per thread */
	q->cap = ((size_t)1 << 22) / q->ko.k;
	if (q->cap > QUERY_BLOCK)
		q->cap = QUERY_BLOCK;
	if (q->cap == 0)
		q->cap = 1;
	points_init(&q->blk, m->d);
	q->excl = xreallocarray(NULL, q->cap, sizeof(*q->excl));
	q->hits = xreallocarray(NULL, q->cap, q->ko.k * sizeof(*q->hits));
	q->row = xreallocarray(NULL, m->d ? m->d : 1, sizeof(float));
}

void
query_free(struct query *q)
{
	points_free(&q->blk);
	free(q->excl);
	free(q->hits);
	free(q->row);
	memset(q, 0, sizeof(*q));
}

static int
write_hits(struct query *q, size_t nq)
{
	size_t i, x, len;
	const char *tok, *lab;

	for (i = 0; i < nq; i++) {
		size_t llen;

		lab = points_label(&q->blk, i, &llen);
		for (x = 0; x < q->ko.k; x++) {
			const struct knn_hit *h = q->hits + i * q->ko.k + x;
			int r;

			if (h->id == UINT32_MAX)
				break;
			tok = vocab_label(q->o.kind == QUERY_IDS ? NULL :
			    &q->m->vocab, h->id, q->idbuf, &len);
			if (q->o.shard_n != 0)
				r = shard_write_hit(q->out, q->qno + i, lab, llen,
				    tok, len, h->score, h->id);
			else
				r = hits_write(q->out, q->o.csv, lab, llen, tok,
				    len, h->score);
			if (r < 0)
				return QUERY_EWRITE;
		}
	}
	return ferror(q->out) ? QUERY_EWRITE : 0;
}

int
query_flush(struct query *q, struct emb_err *e)
{
	size_t nq = q->blk.n;
	int r = 0;

	if (nq == 0)
		return 0;
	if (!q->norows && !q->populated) {
		/* the search reads every row of the window: map them at once */
		model_populate(q->m, q->ko.row_begin, q->ko.row_end,
		    q->ko.threads);
		q->populated = 1;
	}
	if (q->norows)
		nq = 0;
	else if (knn_search(&q->db, q->blk.x, nq, &q->ko, q->excl, 1,
	    q->hits) < 0) {
		err_set(e, NULL, 0, "out of memory for %zu queries", nq);
		r = -1;
	}
	if (r == 0 && q->nonfinite >= 0) {
		model_nonfinite_err(q->m, (size_t)q->nonfinite, e);
		r = -1;
	}
	if (r == 0)
		r = write_hits(q, nq);
	q->qno += nq;
	points_clear(&q->blk);
	return r;
}

/* an error in the queries: write the hits of those before it first */
static int
query_error(struct query *q, struct emb_err *e)
{
	struct emb_err fe;
	int r = query_flush(q, &fe);

	if (r == -1)
		*e = fe;
	return r < 0 ? r : -1;
}

/* a zero query has no cosine */
static int
is_zero(const struct query *q, const float *v)
{
	size_t k;

	if (q->o.metric != KNN_COSINE)
		return 0;
	for (k = 0; k < q->m->d; k++)
		if (v[k] != 0)
			return 0;
	return 1;
}

int
query_vector(struct query *q, const char *label, size_t len, const float *v,
    long self, struct emb_err *e)
{
	q->excl[q->blk.n] = q->o.include || self < 0 ? -1 : (int32_t)self;
	points_add(&q->blk, label, len, v);
	return q->blk.n == q->cap ? query_flush(q, e) : 0;
}

int
query_token(struct query *q, const char *tok, size_t len, const char *where,
    struct emb_err *e)
{
	long id = model_find(q->m, tok, len);
	int l = (int)(len > 200 ? 200 : len);

	if (q->m->vocab.n == 0 && q->m->V > 0) {
		err_set(e, NULL, 0, "%s: the table has no vocabulary: give IDs "
		    "with --ids", q->m->path);
		return query_error(q, e);
	}
	if (id < 0 && subword_on(&q->m->sw)) {
		/* fastText's vector of an unseen word: its n-grams' mean */
		if ((id = model_vector(q->m, tok, len, q->row, e)) == -3)
			return -1;
		if (is_zero(q, q->row)) {
			err_set(e, NULL, 0, "%s\"%.*s\" has no n-gram: a zero "
			    "vector, no cosine", where, l, tok);
			return query_error(q, e);
		}
		return query_vector(q, tok, len, q->row, -1, e);
	}
	if (id < 0) {
		if (!q->o.oov_skip) {
			err_set(e, NULL, 0, "%sunknown token \"%.*s\"", where,
			    l, tok);
			return query_error(q, e);
		}
		if (q->o.warn != NULL) {
			struct emb_err w;

			err_set(&w, NULL, 0, "%sunknown token \"%.*s\" skipped",
			    where, l, tok);
			q->o.warn(&w);
		}
		return 0;
	}
	if (model_row_finite(q->m, (size_t)id, q->row, e) < 0)
		return -1;
	if (is_zero(q, q->row)) {
		err_set(e, NULL, 0, "%s\"%.*s\" is a zero vector: no cosine",
		    where, l, tok);
		return query_error(q, e);
	}
	return query_vector(q, tok, len, q->row, id, e);
}

int
query_text(struct query *q, const char *text, size_t len, const char *file,
    size_t line, struct emb_err *e)
{
	struct emb_err note;
	long self;

	if ((self = tokquery_vector(q->o.text, text, len, q->row, file, line,
	    e)) < -1)
		return query_error(q, e);
	if (q->o.describe != NULL && q->o.text->n > 1) {
		tokquery_describe(q->o.text, text, len, file, line, &note);
		q->o.describe(&note);
	}
	if (is_zero(q, q->row)) {
		err_set(e, file, line, "\"%.*s\" is a zero vector: no cosine",
		    (int)(len > 200 ? 200 : len), text);
		return query_error(q, e);
	}
	return query_vector(q, text, len, q->row, self, e);
}

int
query_id(struct query *q, uint32_t id, const char *where, struct emb_err *e)
{
	char buf[24];
	int len = snprintf(buf, sizeof(buf), "%lu", (unsigned long)id);

	if (model_row_finite(q->m, id, q->row, e) < 0)
		return -1;
	if (is_zero(q, q->row)) {
		err_set(e, NULL, 0, "%srow %s is a zero vector: no cosine",
		    where, buf);
		return query_error(q, e);
	}
	return query_vector(q, buf, (size_t)len, q->row, (long)id, e);
}

/* the IDs of one line or operand; file NULL for an operand */
static int
query_idlist(struct query *q, char *s, size_t len, const char *file,
    size_t line, const char *where, struct emb_err *e)
{
	uint32_t *ids = NULL;
	size_t cap = 0, nids, i;
	const char *why;
	char *bad;
	int r = 0;

	if (ids_parse(s, len, q->m->V, &ids, &nids, &cap, &why, &bad) < 0) {
		err_set(e, file, line, "%s: \"%.40s\" (table has %zu rows)",
		    why, bad, q->m->V);
		free(ids);
		return query_error(q, e);
	}
	for (i = 0; i < nids && r == 0; i++)
		r = query_id(q, ids[i], where, e);
	free(ids);
	return r;
}

int
query_args(struct query *q, char *const *args, size_t n, struct emb_err *e)
{
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (q->o.kind == QUERY_IDS)
			r = query_idlist(q, args[i], strlen(args[i]), NULL, 0,
			    "", e);
		else if (q->o.kind == QUERY_TEXT)
			r = query_text(q, args[i], strlen(args[i]), NULL, 0, e);
		else
			r = query_token(q, args[i], strlen(args[i]), "", e);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
stream_vectors(struct query *q, struct vstream *vs, struct emb_err *e)
{
	int r;

	while ((r = vstream_next(vs, e)) == 0) {
		const char *lab = vs->label;
		size_t len = vs->labellen;
		long self = -1;
		uint32_t id;
		char where[64];

		snprintf(where, sizeof(where), "%zu", vs->row);
		if (is_zero(q, vs->vec)) {
			if (vs->binary)
				err_set(e, vs->src.name, 0, "row %s: zero vector: "
				    "no cosine", where);
			else
				err_set(e, vs->src.name, vs->src.line,
				    "zero vector: no cosine");
			return query_error(q, e);
		}
		if (lab == NULL || len == 0) {
			lab = where;
			len = strlen(where);
		} else if (q->m->vocab.n > 0)
			self = model_find(q->m, lab, len);
		else if (ids_one(lab, len, q->m->V, &id) == 0)
			self = id;
		if ((r = query_vector(q, lab, len, vs->vec, self, e)) < 0)
			return r;
	}
	return r == -1 ? 0 : query_error(q, e);
}

/* lines of blank-separated tokens or IDs */
static int
stream_words(struct query *q, struct src *s, struct emb_err *e)
{
	char *line, where[64];
	ssize_t len;
	int r = 0;

	while ((len = src_getline(s, &line, e)) >= 0) {
		const char *p = line, *t;
		size_t tlen;

		snprintf(where, sizeof(where), "%s:%zu: ", s->name, s->line);
		if (q->o.kind == QUERY_IDS)
			r = query_idlist(q, line, (size_t)len, s->name, s->line,
			    where, e);
		while (q->o.kind != QUERY_IDS && r == 0 &&
		    (t = src_word(&p, line + len, &tlen)) != NULL)
			r = query_token(q, t, tlen, where, e);
		if (r < 0)
			return r;
	}
	return len == -2 ? query_error(q, e) : 0;
}

/* a word or phrase a line */
static int
stream_text(struct query *q, const char *path, struct emb_err *e)
{
	struct src s;
	char *line;
	ssize_t len;
	int r = 0;

	if (src_open(&s, path, e) < 0)
		return query_error(q, e);
	while (r == 0 && (len = src_getline(&s, &line, e)) >= 0)
		if (len > 0)
			r = query_text(q, line, (size_t)len, s.name, s.line, e);
	if (r == 0 && len == -2)
		r = query_error(q, e);
	src_close(&s);
	return r;
}

int
query_stream(struct query *q, const char *path, struct emb_err *e)
{
	struct vstream vs;
	int vectors = q->o.kind == QUERY_VECTORS, r;

	if (q->o.kind == QUERY_TEXT)
		return stream_text(q, path, e);

	if (vstream_open(&vs, path, q->m->d, e) < 0)
		return query_error(q, e);
	if (vs.binary)
		vectors = 1;
	else if (q->o.kind == QUERY_AUTO || q->o.kind == QUERY_VECTORS)
		vectors = vstream_sniff(&vs, q->m->d, e) ||
		    q->o.kind == QUERY_VECTORS;
	if (vectors)
		r = stream_vectors(q, &vs, e);
	else
		r = stream_words(q, &vs.src, e);
	vstream_close(&vs);
	return r;
}
