/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "hits.h"
#include "ids.h"
#include "pool.h"
#include "simitems.h"
#include "src.h"
#include "util.h"
#include "vstream.h"

void
simitems_init(struct simitems *s, struct model *m,
    const struct simitems_opts *o, FILE *out)
{
	size_t d = m != NULL ? m->d : 0;

	memset(s, 0, sizeof(*s));
	s->o = *o;
	s->m = m;
	s->out = out;
	points_init(&s->it, d);
	s->v = xmalloc((d ? d : 1) * sizeof(float));
}

void
simitems_free(struct simitems *s)
{
	points_free(&s->it);
	free(s->v);
}

/* the row of a token, or with opts.ids of an ID, into *row; -1 with e */
static int
find(struct simitems *s, const char *tok, const char *file, size_t line,
    size_t *row, struct emb_err *e)
{
	uint32_t id;
	long r;
	int k;

	if (s->o.ids) {
		if ((k = ids_one(tok, strlen(tok), s->m->V, &id)) == 0) {
			*row = id;
			return 0;
		}
		err_set(e, file, line, "ID \"%s\" is %s (%zu rows)", tok,
		    k == -1 ? "not a number" : "out of range", s->m->V);
		return -1;
	}
	if ((r = model_find(s->m, tok, strlen(tok))) < 0) {
		err_set(e, file, line, "unknown token \"%s\"", tok);
		return -1;
	}
	*row = (size_t)r;
	return 0;
}

/*
 * The score of items i and j into *r; a zero vector under cosine is an
 * error naming the item
 */
static int
score(const struct simitems *s, size_t i, size_t j, const char *file,
    size_t line, double *r, struct emb_err *e)
{
	const struct points *it = &s->it;
	const float *u = it->x + i * it->d, *v = it->x + j * it->d;
	const char *lab;
	size_t len;
	int zero;

	*r = knn_score(s->o.metric, u, v, it->d, &zero);
	if (zero) {
		lab = points_label(it, knn_score(KNN_DOT, u, u, it->d,
		    &zero) == 0 ? i : j, &len);
		err_set(e, file, line, "zero vector \"%.*s\" under cosine",
		    (int)len, lab);
		return -1;
	}
	return 0;
}

/* write the pair of items 0 and 1 as a hit line, then forget them */
static int
put_pair(struct simitems *s, const char *file, size_t line,
    struct emb_err *e)
{
	const char *a, *b;
	size_t alen, blen;
	double r;

	if (score(s, 0, 1, file, line, &r, e) < 0)
		return -1;
	a = points_label(&s->it, 0, &alen);
	b = points_label(&s->it, 1, &blen);
	if (hits_write(s->out, s->o.csv, a, alen, b, blen, r) < 0)
		return SIMITEMS_EWRITE;
	points_clear(&s->it);
	return 0;
}

/* the group's odd one out (gensim's doesnt_match), its label a line */
static int
put_odd(struct simitems *s, const char *file, size_t line,
    struct emb_err *e)
{
	size_t i, n = s->it.n, d = s->it.d, len;
	const float **rows = xreallocarray(NULL, n, sizeof(*rows));
	const char **labs = xreallocarray(NULL, n, sizeof(*labs));
	const char *lab;
	long odd;

	for (i = 0; i < n; i++) {
		rows[i] = s->it.x + i * d;
		labs[i] = points_label(&s->it, i, &len);
	}
	odd = pool_odd_one_out(rows, n, d, labs, NULL);
	free(rows);
	free(labs);
	if (odd < 0) {
		err_set(e, file, line, "a zero vector: no odd one out");
		return -1;
	}
	lab = points_label(&s->it, (size_t)odd, &len);
	if (fwrite(lab, 1, len, s->out) != len || putc('\n', s->out) == EOF)
		return SIMITEMS_EWRITE;
	points_clear(&s->it);
	return 0;
}

int
simitems_add(struct simitems *s, const char *tok, const char *file,
    size_t line, struct emb_err *e)
{
	size_t row;
	long r;

	if (s->o.text != NULL) {
		if (tokquery_vector(s->o.text, tok, strlen(tok), s->v, file,
		    line, e) < -1)
			return -1;
	} else if (s->o.ids) {
		if (find(s, tok, file, line, &row, e) < 0 ||
		    model_row_finite(s->m, row, s->v, e) < 0)
			return -1;
	} else if ((r = model_vector(s->m, tok, strlen(tok), s->v, e)) < 0) {
		if (r == -1 && find(s, tok, file, line, &row, e) < 0)
			return -1;	/* the unknown-token message */
		if (r == -3)
			return -1;
	}
	points_add(&s->it, tok, strlen(tok), s->v);
	if (!s->o.matrix && !s->o.odd && s->it.n == 2)
		return put_pair(s, file, line, e);
	return 0;
}

int
simitems_args(struct simitems *s, char *const *args, size_t n,
    struct emb_err *e)
{
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		if ((r = simitems_add(s, args[i], NULL, 0, e)) < 0)
			return r;
	return s->o.odd && n > 0 ? put_odd(s, NULL, 0, e) : 0;
}

/* one line's fields as items; -1 or SIMITEMS_EWRITE */
static int
add_line(struct simitems *s, char **w, size_t nw, const struct src *in,
    struct emb_err *e)
{
	size_t i;
	int r;

	if (!s->o.matrix && !s->o.odd && nw != 2) {
		if (nw == 0)
			return 0;
		err_set(e, in->name, in->line, "expected 2 %s, found %zu",
		    s->o.text != NULL ? "tab-separated fields" : "tokens", nw);
		return -1;
	}
	for (i = 0; i < nw; i++)
		if ((r = simitems_add(s, w[i], in->name, in->line, e)) < 0)
			return r;
	return s->o.odd && nw > 0 ? put_odd(s, in->name, in->line, e) : 0;
}

int
simitems_stream(struct simitems *s, const char *path, struct emb_err *e)
{
	struct src in;
	char *line, **w = NULL;
	size_t wcap = 0, nw;
	ssize_t len;
	int r = 0;

	if (src_open(&in, path, e) < 0)
		return -1;
	while (r == 0 && (len = src_getline(&in, &line, e)) >= 0) {
		nw = 0;
		if (s->o.text != NULL)
			src_split_tabs(line, &w, &nw, &wcap);
		else
			src_split(line, &w, &nw, &wcap);
		r = add_line(s, w, nw, &in, e);
	}
	if (r == 0 && len == -2)
		r = -1;
	free(w);
	src_close(&in);
	return r;
}

int
simitems_vectors(struct simitems *s, const char *path, struct emb_err *e)
{
	struct vstream vs;
	char num[32];
	int r, w = 0;

	if (vstream_open(&vs, path, 0, e) < 0)
		return -1;
	while ((r = vstream_next(&vs, e)) == 0) {
		s->it.d = vs.d;
		if (vs.label != NULL)
			points_add(&s->it, vs.label, vs.labellen, vs.vec);
		else
			points_add(&s->it, num, (size_t)snprintf(num,
			    sizeof(num), "%zu", vs.row), vs.vec);
		if (!s->o.matrix && s->it.n == 2 && (w = put_pair(s,
		    vs.src.name, vs.binary ? 0 : vs.src.line, e)) < 0)
			break;
	}
	if (w < 0)
		r = w;
	else if (r == -2)	/* vstream_next's error */
		r = -1;
	else if (!s->o.matrix && s->it.n == 1) {
		err_set(e, vs.src.name, 0, "odd number of vectors: row %zu "
		    "has no partner", vs.row);
		r = -1;
	} else
		r = 0;
	vstream_close(&vs);
	return r;
}

/* the matrix as CSV: a header row starting with an empty cell */
static int
matrix_csv(FILE *f, const struct points *p, const double *score)
{
	size_t i, j, len, n = p->n;
	const char *lab;

	for (j = 0; j < n; j++) {
		lab = points_label(p, j, &len);
		if (putc(',', f) == EOF || csvio_write_field(f, lab, len) < 0)
			return -1;
	}
	if (putc('\n', f) == EOF)
		return -1;
	for (i = 0; i < n; i++) {
		lab = points_label(p, i, &len);
		if (csvio_write_field(f, lab, len) < 0)
			return -1;
		for (j = 0; j < n; j++)
			if (fprintf(f, ",%.6f", score[i * n + j]) < 0)
				return -1;
		if (putc('\n', f) == EOF)
			return -1;
	}
	return 0;
}

/* the matrix in aligned columns */
static int
matrix_text(FILE *f, const struct points *p, const double *score)
{
	size_t i, j, w0 = 0, w = 9, n = p->n, len;
	const char *lab;
	char num[64];

	/* column width: the widest label or number */
	for (i = 0; i < n; i++) {
		(void)points_label(p, i, &len);
		if (len > w0)
			w0 = len;
		if (len > w)
			w = len;
	}
	for (i = 0; i < n * n; i++) {
		size_t l = (size_t)snprintf(num, sizeof(num), "%.6f", score[i]);

		if (l > w)
			w = l;
	}
	if (fprintf(f, "%*s", (int)w0, "") < 0)
		return -1;
	for (j = 0; j < n; j++) {
		lab = points_label(p, j, &len);
		if (fprintf(f, "  %*s%.*s", (int)(w - len), "", (int)len,
		    lab) < 0)
			return -1;
	}
	if (putc('\n', f) == EOF)
		return -1;
	for (i = 0; i < n; i++) {
		lab = points_label(p, i, &len);
		if (fprintf(f, "%.*s%*s", (int)len, lab, (int)(w0 - len),
		    "") < 0)
			return -1;
		for (j = 0; j < n; j++)
			if (fprintf(f, "  %*.6f", (int)w, score[i * n + j]) < 0)
				return -1;
		if (putc('\n', f) == EOF)
			return -1;
	}
	return 0;
}

int
simitems_matrix(struct simitems *s, struct emb_err *e)
{
	size_t i, j, n = s->it.n;
	double *m;
	int r = 0;

	if (n == 0)
		return 0;
	m = xreallocarray(NULL, n * n, sizeof(double));
	for (i = 0; i < n && r == 0; i++)
		for (j = 0; j < n && r == 0; j++)
			r = score(s, i, j, NULL, 0, &m[i * n + j], e);
	if (r == 0 && (s->o.csv ? matrix_csv(s->out, &s->it, m) :
	    matrix_text(s->out, &s->it, m)) < 0)
		r = SIMITEMS_EWRITE;
	free(m);
	return r;
}
