/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analogy.h"
#include "hits.h"
#include "src.h"
#include "util.h"

/* queries per kernel call for 3CosAdd */
#define ADD_BLOCK 4096
/* floats of dense scores per block for 3CosMul (128 MiB) */
#define MUL_FLOATS ((size_t)32 << 20)

void
analogy_opts_init(struct analogy_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->method = ANALOGY_ADD;
	o->fold = SIMEVAL_FOLD_UPPER;
	o->scan = 5;
	o->skip_variants = 1;
}

int
analogy_compat(struct analogy_opts *o, const char *name)
{
	if (strcmp(name, "w2v") == 0) {
		o->restrict_n = 30000;
		o->fold = SIMEVAL_FOLD_UPPER;
		o->scan = 1;
		o->skip_variants = 0;
		o->positive_only = 1;
	} else if (strcmp(name, "gensim") == 0) {
		o->restrict_n = 300000;
		o->fold = SIMEVAL_FOLD_UPPER;
		o->scan = 5;
		o->skip_variants = 1;
		o->positive_only = 0;
	} else
		return -1;
	return 0;
}

int
analogy_method_byname(const char *name, enum analogy_method *out)
{
	if (strcmp(name, "add") == 0 || strcmp(name, "3cosadd") == 0)
		*out = ANALOGY_ADD;
	else if (strcmp(name, "mul") == 0 || strcmp(name, "3cosmul") == 0)
		*out = ANALOGY_MUL;
	else
		return -1;
	return 0;
}

static int
is_op(const char *w)
{
	return (w[0] == '+' || w[0] == '-') && w[1] == '\0';
}

int
analogy_parse(char *const *w, size_t n, const char **tok, int *sign,
    const char **why)
{
	size_t i, nt = 0;
	int s = 1, want_term = 1, any_op = 0;

	for (i = 0; i < n; i++)
		any_op |= is_op(w[i]);
	if (!any_op) {
		if (n != 3) {
			*why = "expected three words (a b c) or an expression";
			return -1;
		}
		tok[0] = w[0], sign[0] = -1;
		tok[1] = w[1], sign[1] = 1;
		tok[2] = w[2], sign[2] = 1;
		return 3;
	}
	for (i = 0; i < n; i++) {
		if (is_op(w[i])) {
			if (!want_term && nt > 0)
				want_term = 1;
			else if (!(nt == 0 && i == 0)) {
				*why = "two operators in a row";
				return -1;
			}
			s = w[i][0] == '-' ? -1 : 1;
			continue;
		}
		if (!want_term) {
			*why = "missing operator between words";
			return -1;
		}
		tok[nt] = w[i];
		sign[nt++] = s;
		want_term = 0;
	}
	if (want_term) {
		*why = "expression ends with an operator";
		return -1;
	}
	return (int)nt;
}

void
analogy_init(struct analogy *a, struct model *m, const struct analogy_opts *o)
{
	memset(a, 0, sizeof(*a));
	a->m = m;
	a->o = *o;
	a->n = o->restrict_n == 0 || o->restrict_n > m->V ? m->V : o->restrict_n;
	a->db.rows = m->emb;
	a->db.dt = m->dt;
	a->db.n = m->V;
	a->db.d = m->d;
	a->db.norms = model_norms(m);
	a->unit = xaligned((m->d ? m->d : 1) * sizeof(float));
}

void
analogy_free(struct analogy *a)
{
	free(a->unit);
	free(a->extra);
	free(a->extra_norm);
	memset(a, 0, sizeof(*a));
}

long
analogy_term(struct analogy *a, const char *tok, size_t len,
    struct emb_err *e)
{
	size_t d = a->db.d, j;
	long r;
	double s = 0;

	if (a->nextra == a->extracap) {
		a->extracap = a->extracap ? 2 * a->extracap : 16;
		a->extra = xreallocarray(a->extra, a->extracap, (d ? d : 1) *
		    sizeof(float));
		a->extra_norm = xreallocarray(a->extra_norm, a->extracap,
		    sizeof(float));
	}
	r = model_vector(a->m, tok, len, a->extra + a->nextra * d, e);
	if (r >= 0 || r == -1)
		return r;
	if (r == -3)
		return -2;
	for (j = 0; j < d; j++)
		s += (double)a->extra[a->nextra * d + j] *
		    a->extra[a->nextra * d + j];
	a->extra_norm[a->nextra] = (float)sqrt(s);
	return (long)(a->db.n + a->nextra++);
}

float
analogy_term_norm(const struct analogy *a, uint32_t term)
{
	return term < a->db.n ? a->db.norms[term] :
	    a->extra_norm[term - a->db.n];
}

void
analogy_clear_terms(struct analogy *a)
{
	a->nextra = 0;
}

/* out[d] += s * term / |term| (a zero vector adds nothing) */
static void
add_unit(struct analogy *a, uint32_t row, float s, float *out)
{
	float nr = analogy_term_norm(a, row);
	size_t j, d = a->db.d;

	if (nr == 0)
		return;
	if (row < a->db.n)
		model_row(a->m, row, a->unit);
	else
		memcpy(a->unit, a->extra + (row - a->db.n) * d,
		    d * sizeof(float));
	s /= nr;
	for (j = 0; j < d; j++)
		out[j] += s * a->unit[j];
}

static int
solve_add(struct analogy *a, const struct analogy_query *q, size_t nq,
    size_t k, struct knn_hit *out, struct emb_err *e)
{
	struct knn_opts ko;
	size_t i, t, b, nexcl = 1, d = a->db.d;
	float *qv;
	int32_t *excl;
	int rc = 0;

	for (i = 0; i < nq; i++)
		if (q[i].n > nexcl)
			nexcl = q[i].n;
	memset(&ko, 0, sizeof(ko));
	ko.k = k;
	ko.metric = KNN_COSINE;
	ko.threads = a->o.threads;
	ko.restrict_n = a->n;
	b = nq < ADD_BLOCK ? nq : ADD_BLOCK;
	qv = xaligned((b ? b : 1) * (d ? d : 1) * sizeof(float));
	excl = xreallocarray(NULL, (b ? b : 1) * nexcl, sizeof(*excl));
	for (i = 0; i < nq && rc == 0; i += b) {
		size_t nb = nq - i < b ? nq - i : b, j;

		memset(qv, 0, nb * d * sizeof(float));
		for (j = 0; j < nb; j++) {
			const struct analogy_query *qq = &q[i + j];

			for (t = 0; t < nexcl; t++)
				excl[j * nexcl + t] = t < qq->n ?
				    (int32_t)qq->row[t] : -1;
			for (t = 0; t < qq->n; t++)
				add_unit(a, qq->row[t], (float)qq->sign[t],
				    qv + j * d);
		}
		if (knn_search(&a->db, qv, nb, &ko, excl, nexcl,
		    out + i * k) < 0) {
			err_set(e, NULL, 0, "out of memory");
			rc = -1;
		}
	}
	free(qv);
	free(excl);
	return rc;
}

/* is (s, id) worse than h? lower score, or equal and later row */
static int
worse(float s, uint32_t id, const struct knn_hit *h)
{
	return s < h->score || (s == h->score && id > h->id);
}

/* min-heap of the k best: heap[0] is the worst kept */
static void
sift_down(struct knn_hit *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct knn_hit t;

		if (l < n && worse(h[l].score, h[l].id, &h[m]))
			m = l;
		if (r < n && worse(h[r].score, h[r].id, &h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i], h[i] = h[m], h[m] = t;
		i = m;
	}
}

/* top k of score[0, n) without the rows in q, best first */
static void
select_top(const float *score, size_t n, const struct analogy_query *q,
    size_t k, struct knn_hit *out)
{
	size_t i, t, nh = 0;

	for (i = 0; i < n; i++) {
		int skip = 0;

		/* most rows lose to the worst kept: test that first */
		if (nh == k && (k == 0 || !(score[i] > out[0].score)))
			continue;
		for (t = 0; t < q->n; t++)
			skip |= q->row[t] == i;
		if (skip)
			continue;
		if (nh < k) {
			size_t c = nh++;

			out[c].score = score[i];
			out[c].id = (uint32_t)i;
			/* sift up */
			while (c > 0 && worse(out[c].score, out[c].id,
			    &out[(c - 1) / 2])) {
				struct knn_hit tmp = out[c];

				out[c] = out[(c - 1) / 2];
				out[(c - 1) / 2] = tmp;
				c = (c - 1) / 2;
			}
		} else if (k > 0 && worse(out[0].score, out[0].id,
		    &(struct knn_hit){ score[i], (uint32_t)i })) {
			out[0].score = score[i];
			out[0].id = (uint32_t)i;
			sift_down(out, nh, 0);
		}
	}
	qsort(out, nh, sizeof(*out), knn_hit_cmp);
	for (i = nh; i < k; i++) {
		out[i].score = 0;
		out[i].id = UINT32_MAX;
	}
}

/*
 * 3CosMul: the cosines of every distinct term row of a block of queries
 * with rows [0, n) come from one dense kernel call (terms x rows); then
 * each query combines its terms and keeps its top k.  Queries share
 * words (an analogy set has a few hundred distinct words for thousands
 * of questions), so the kernel computes each word's cosines once.
 */
static int
solve_mul(struct analogy *a, const struct analogy_query *q, size_t nq,
    size_t k, struct knn_hit *out, struct emb_err *e)
{
	size_t n = a->n, d = a->db.d, i = 0, maxt, j, t, x;
	const float *norms = a->db.norms;
	float *tv, *dots, *score, *neg, *inv;
	uint32_t *slot, *used;
	int rc = 0;

	/* distinct terms per block: what fits MUL_FLOATS, at most all, at
	 * least the longest query */
	for (j = 0, t = 0; j < nq; j++)
		t += q[j].n;
	maxt = MUL_FLOATS / (n ? n : 1);
	if (maxt > t)
		maxt = t;
	for (j = 0; j < nq; j++)
		if (q[j].n > maxt)
			maxt = q[j].n;
	if (maxt == 0)
		maxt = 1;
	tv = xaligned(maxt * (d ? d : 1) * sizeof(float));
	dots = xaligned(maxt * (n ? n : 1) * sizeof(float));
	score = xreallocarray(NULL, n ? n : 1, sizeof(*score));
	neg = xreallocarray(NULL, n ? n : 1, sizeof(*neg));
	inv = xreallocarray(NULL, n ? n : 1, sizeof(*inv));
	for (x = 0; x < n; x++)
		inv[x] = norms[x] > 0 ? 1 / norms[x] : 0;
	/* slot[row]: the row's place among the block's terms, or none */
	slot = xreallocarray(NULL, a->db.n + a->nextra + 1, sizeof(*slot));
	memset(slot, 0xff, (a->db.n + a->nextra + 1) * sizeof(*slot));
	used = xreallocarray(NULL, maxt, sizeof(*used));
	while (i < nq && rc == 0) {
		size_t nb = 0, nt = 0;

		/* take queries while their new terms fit */
		while (i + nb < nq) {
			const struct analogy_query *qq = &q[i + nb];
			size_t fresh = 0;

			for (t = 0; t < qq->n; t++)
				fresh += slot[qq->row[t]] == UINT32_MAX;
			if (nt + fresh > maxt)
				break;
			for (t = 0; t < qq->n; t++)
				if (slot[qq->row[t]] == UINT32_MAX) {
					slot[qq->row[t]] = (uint32_t)nt;
					used[nt++] = qq->row[t];
				}
			nb++;
		}
		memset(tv, 0, nt * d * sizeof(float));
		for (t = 0; t < nt; t++)
			add_unit(a, used[t], 1.0f, tv + t * d);
		if (knn_dot_block(&a->db, tv, nt, 0, n, a->o.threads,
		    dots) < 0) {
			err_set(e, NULL, 0, "out of memory");
			rc = -1;
		}
		for (j = 0; j < nb && rc == 0; j++) {
			const struct analogy_query *qq = &q[i + j];

			/* float32 throughout, as gensim's numpy arrays */
			for (x = 0; x < n; x++)
				score[x] = neg[x] = 1;
			for (t = 0; t < qq->n; t++) {
				const float *dt = dots +
				    (size_t)slot[qq->row[t]] * n;
				float *acc = qq->sign[t] > 0 ? score : neg;

				for (x = 0; x < n; x++)
					acc[x] *= (1 + dt[x] * inv[x]) / 2;
			}
			for (x = 0; x < n; x++)
				score[x] /= neg[x] + 1e-6f;
			select_top(score, n, qq, k, out + (i + j) * k);
		}
		for (t = 0; t < nt; t++)
			slot[used[t]] = UINT32_MAX;
		i += nb;
	}
	free(tv);
	free(dots);
	free(score);
	free(neg);
	free(inv);
	free(slot);
	free(used);
	return rc;
}

int
analogy_solve(struct analogy *a, const struct analogy_query *q, size_t nq,
    size_t k, struct knn_hit *out, struct emb_err *e)
{
	if (nq == 0 || k == 0)
		return 0;
	if (a->o.method == ANALOGY_MUL)
		return solve_mul(a, q, nq, k, out, e);
	return solve_add(a, q, nq, k, out, e);
}

void
analogy_batch_init(struct analogy_batch *b, struct analogy *a, size_t k,
    size_t block, FILE *out)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
	b->k = k;
	b->block = block ? block : 1;
	b->out = out;
}

void
analogy_batch_free(struct analogy_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->text[i]);
	free(b->text);
	free(b->row);
	free(b->sign);
	free(b->first);
	free(b->len);
	free(b->w);
	free(b->vec);
	memset(b, 0, sizeof(*b));
}

void
analogy_batch_text(struct analogy_batch *b, struct tokquery *tq)
{
	b->tq = tq;
	b->vec = xreallocarray(b->vec, b->a->m->d ? b->a->m->d : 1,
	    sizeof(float));
}

/*
 * The row of term w: its token's with text, else by name (an unseen word
 * of a subword model: its n-grams' vector, analogy_term); -1 with e, -2
 * with e for a vector that cannot be made
 */
static long
term_row(struct analogy_batch *b, const char *w, const char *file,
    size_t line, struct emb_err *e)
{
	long id;

	if (b->tq == NULL) {
		if ((id = analogy_term(b->a, w, strlen(w), e)) == -1)
			err_set(e, file, line, "unknown token \"%s\"", w);
		return id;
	}
	id = tokquery_vector(b->tq, w, strlen(w), b->vec, file, line, e);
	if (id == -1)
		err_set(e, file, line, "\"%s\" is %zu tokens: each term of "
		    "an analogy must be one token", w, b->tq->n);
	return id < 0 ? -1 : id;
}

/* room for one more query of nt terms */
static void
batch_grow(struct analogy_batch *b, size_t nt)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->text = xreallocarray(b->text, b->cap, sizeof(*b->text));
		b->first = xreallocarray(b->first, b->cap, sizeof(*b->first));
		b->len = xreallocarray(b->len, b->cap, sizeof(*b->len));
	}
	while (b->nt + nt > b->tcap) {
		b->tcap = b->tcap ? 2 * b->tcap : 256;
		b->row = xreallocarray(b->row, b->tcap, sizeof(*b->row));
		b->sign = xreallocarray(b->sign, b->tcap, sizeof(*b->sign));
	}
}

/* the words joined by single spaces, malloc'd */
static char *
joined(char *const *w, size_t nw)
{
	size_t i, len = 0;
	char *s;

	for (i = 0; i < nw; i++)
		len += strlen(w[i]) + 1;
	s = xmalloc(len + 1);
	for (i = 0, len = 0; i < nw; i++)
		len += (size_t)sprintf(s + len, "%s%s", i ? " " : "", w[i]);
	s[len] = '\0';
	return s;
}

int
analogy_batch_add(struct analogy_batch *b, char *const *w, size_t nw,
    const char *file, size_t line, struct emb_err *e)
{
	const char **tok = xreallocarray(NULL, nw + 1, sizeof(*tok));
	int *sign = xreallocarray(NULL, nw + 1, sizeof(*sign));
	const char *why;
	size_t i, nt0 = b->nt;
	int nt, r = 0;

	if ((nt = analogy_parse(w, nw, tok, sign, &why)) < 0) {
		err_set(e, file, line, "%s", why);
		r = ANALOGY_EQUERY;
		goto done;
	}
	batch_grow(b, (size_t)nt);
	for (i = 0; i < (size_t)nt; i++) {
		long id = term_row(b, tok[i], file, line, e);

		if (id == -2) {
			b->nt = nt0;
			r = -1;
			goto done;
		}
		if (id >= 0 && analogy_term_norm(b->a, (uint32_t)id) == 0)
			err_set(e, file, line, "zero vector \"%s\"", tok[i]);
		if (id < 0 || analogy_term_norm(b->a, (uint32_t)id) == 0) {
			b->nt = nt0;
			r = -1;
			goto done;
		}
		b->row[b->nt] = (uint32_t)id;
		b->sign[b->nt++] = sign[i];
	}
	b->first[b->n] = nt0;
	b->len[b->n] = (size_t)nt;
	b->text[b->n++] = joined(w, nw);
	if (b->n == b->block)
		r = analogy_batch_flush(b, e);
done:
	free(tok);
	free(sign);
	return r;
}

int
analogy_batch_flush(struct analogy_batch *b, struct emb_err *e)
{
	struct analogy_query *q = xreallocarray(NULL, b->n + 1, sizeof(*q));
	struct knn_hit *h = xreallocarray(NULL, b->n * b->k + 1, sizeof(*h));
	size_t i, j, k = b->k, len;
	int r = 0;

	for (i = 0; i < b->n; i++) {
		q[i].row = b->row + b->first[i];
		q[i].sign = b->sign + b->first[i];
		q[i].n = b->len[i];
	}
	if (analogy_solve(b->a, q, b->n, k, h, e) < 0)
		r = -1;
	for (i = 0; i < b->n && r == 0; i++)
		for (j = 0; j < k && h[i * k + j].id != UINT32_MAX; j++) {
			const char *t = vocab_token(&b->a->m->vocab,
			    h[i * k + j].id, &len);

			if (hits_write(b->out, 0, b->text[i],
			    strlen(b->text[i]), t, len, h[i * k + j].score) < 0) {
				r = ANALOGY_EWRITE;
				break;
			}
		}
	for (i = 0; i < b->n; i++)
		free(b->text[i]);
	b->n = b->nt = 0;
	analogy_clear_terms(b->a);
	free(q);
	free(h);
	return r;
}

int
analogy_batch_args(struct analogy_batch *b, char **args, size_t n,
    struct emb_err *e)
{
	size_t i, nw = 0;
	int r;

	for (i = 0; i < n; i++) {
		if (b->tq != NULL) {
			/* one term or operator each */
			if (nw == b->wcap) {
				b->wcap = b->wcap ? 2 * b->wcap : 8;
				b->w = xreallocarray(b->w, b->wcap,
				    sizeof(*b->w));
			}
			b->w[nw++] = args[i];
		} else
			src_split(args[i], &b->w, &nw, &b->wcap);
	}
	if ((r = analogy_batch_add(b, b->w, nw, NULL, 0, e)) < 0)
		return r;
	return analogy_batch_flush(b, e);
}

int
analogy_batch_read(struct analogy_batch *b, const char *path,
    struct emb_err *e)
{
	struct src in;
	char *line;
	ssize_t len;
	int r = 0;

	if (src_open(&in, path, e) < 0)
		return -1;
	while (r == 0 && (len = src_getline(&in, &line, e)) >= 0) {
		size_t nw = 0;

		if (b->tq != NULL)
			src_split_tabs(line, &b->w, &nw, &b->wcap);
		else
			src_split(line, &b->w, &nw, &b->wcap);
		if (nw > 0)
			r = analogy_batch_add(b, b->w, nw, in.name, in.line, e);
	}
	if (r == 0 && len == -2)
		r = -1;
	if (r == 0)
		r = analogy_batch_flush(b, e);
	src_close(&in);
	return r;
}

int
analogy_load(struct analogy_set *s, const char *path, struct emb_err *e)
{
	struct src in;
	int rc;

	memset(s, 0, sizeof(*s));
	if (src_open(&in, path, e) < 0)
		return -1;
	rc = analogy_read(s, &in, e);
	src_close(&in);
	return rc;
}

int
analogy_read(struct analogy_set *s, struct src *src, struct emb_err *e)
{
	char *line, **w = NULL;
	ssize_t len;
	size_t wcap = 0;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	vocab_init(&s->words);
	s->name = xstrdup(src->name);
	while ((len = src_getline(src, &line, e)) >= 0) {
		char *p = line;
		size_t nw = 0, i;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == ':') {
			struct analogy_section *sec;
			char *end;

			while (*p == ':' || *p == ' ' || *p == '\t')
				p++;
			for (end = p + strlen(p); end > p &&
			    (end[-1] == ' ' || end[-1] == '\t'); end--)
				;
			*end = '\0';
			if (s->nsec == s->seccap) {
				s->seccap = s->seccap ? 2 * s->seccap : 16;
				s->sec = xreallocarray(s->sec, s->seccap,
				    sizeof(*s->sec));
			}
			sec = &s->sec[s->nsec++];
			sec->name = xstrdup(p);
			sec->first = s->nq;
			sec->n = 0;
			continue;
		}
		src_split(p, &w, &nw, &wcap);
		if (nw == 0)
			continue;
		if (nw != 4) {
			err_set(e, src->name, src->line, "expected 4 words "
			    "(a b c d), found %zu", nw);
			goto out;
		}
		if (s->nsec == 0) {
			err_set(e, src->name, src->line, "question before the "
			    "first section line (\": name\")");
			goto out;
		}
		if (s->nq == s->qcap) {
			s->qcap = s->qcap ? 2 * s->qcap : 1024;
			s->q = xreallocarray(s->q, s->qcap, sizeof(*s->q));
		}
		for (i = 0; i < 4; i++) {
			int added;

			s->q[s->nq][i] = (uint32_t)vocab_intern(&s->words,
			    w[i], strlen(w[i]), &added);
		}
		s->nq++;
		s->sec[s->nsec - 1].n++;
	}
	if (len == -2)
		goto out;
	if (s->nq == 0) {
		err_set(e, src->name, 0, "no questions");
		goto out;
	}
	rc = 0;
out:
	free(w);
	if (rc < 0)
		analogy_set_free(s);
	return rc;
}

int
analogy_write_score(FILE *f, const char *name, size_t ok, size_t n)
{
	if (n == 0)
		return fprintf(f, "%s: n/a (0/0)\n", name) < 0 ? -1 : 0;
	return fprintf(f, "%s: %.2f%% (%zu/%zu)\n", name, 100.0 * (double)ok /
	    (double)n, ok, n) < 0 ? -1 : 0;
}

void
analogy_set_free(struct analogy_set *s)
{
	size_t i;

	for (i = 0; i < s->nsec; i++)
		free(s->sec[i].name);
	free(s->sec);
	free(s->q);
	free(s->name);
	vocab_free(&s->words);
	memset(s, 0, sizeof(*s));
}

/*
 * Which candidate a question predicts, as its first row among variants:
 * walk the scan hits best first; with skip_variants pass over those that
 * fold like an input (if all do, the last one stands, as in gensim); with
 * positive_only a score <= 0 predicts nothing (compute-accuracy's
 * bestd = 0).  Returns the row or -1.
 */
static long
predict(const struct analogy *a, const struct simeval_vocab *ev,
    const struct knn_hit *h, size_t scan, const uint32_t *in)
{
	long pred = -1;
	size_t j;

	for (j = 0; j < scan; j++) {
		if (h[j].id == UINT32_MAX)
			break;
		if (a->o.positive_only && !(h[j].score > 0))
			return pred;
		pred = ev->canon[h[j].id];
		if (!a->o.skip_variants || ((uint32_t)pred != in[0] &&
		    (uint32_t)pred != in[1] && (uint32_t)pred != in[2]))
			break;
	}
	return pred;
}

int
analogy_eval(struct analogy *a, const struct analogy_set *s,
    struct analogy_result *r, struct emb_err *e)
{
	struct simeval_vocab ev;
	struct analogy_query *qs;
	struct knn_hit *hits;
	static const int sign[3] = { -1, 1, 1 };
	uint32_t (*rows)[4];
	long *wrow;
	size_t i, j, nk = 0, scan = a->o.scan ? a->o.scan : 1, sec;
	int rc;

	memset(r, 0, sizeof(*r));
	r->nsec = s->nsec;
	r->seen = xcalloc(s->nsec ? s->nsec : 1, sizeof(*r->seen));
	r->correct = xcalloc(s->nsec ? s->nsec : 1, sizeof(*r->correct));
	r->total = s->nq;
	simeval_vocab_init(&ev, a->m, a->n, a->o.fold);
	/* look each distinct word up once */
	wrow = xreallocarray(NULL, s->words.n ? s->words.n : 1, sizeof(*wrow));
	for (i = 0; i < s->words.n; i++) {
		size_t len;
		const char *w = vocab_token(&s->words, i, &len);

		wrow[i] = simeval_vocab_find(&ev, w, len);
	}
	rows = xreallocarray(NULL, s->nq, sizeof(*rows));
	qs = xreallocarray(NULL, s->nq, sizeof(*qs));
	for (i = 0; i < s->nq; i++) {
		int known = 1;

		for (j = 0; j < 4; j++) {
			long w = wrow[s->q[i][j]];

			known &= w >= 0;
			rows[nk][j] = w >= 0 ? (uint32_t)w : 0;
		}
		if (!known)
			continue;
		qs[nk].row = rows[nk];
		qs[nk].sign = sign;
		qs[nk].n = 3;
		nk++;
	}
	r->known = nk;
	hits = xreallocarray(NULL, (nk ? nk : 1) * scan, sizeof(*hits));
	rc = analogy_solve(a, qs, nk, scan, hits, e);
	/* count per section, walking the questions in the same order */
	for (sec = 0, i = 0, nk = 0; rc == 0 && sec < s->nsec; sec++) {
		size_t end = s->sec[sec].first + s->sec[sec].n;

		for (i = s->sec[sec].first; i < end; i++) {
			int known = 1, ok = 0;

			for (j = 0; j < 4; j++)
				known &= wrow[s->q[i][j]] >= 0;
			if (known) {
				ok = predict(a, &ev, hits + nk * scan, scan,
				    rows[nk]) == (long)rows[nk][3];
				nk++;
			} else if (!a->o.dummy4unknown)
				continue;
			r->seen[sec]++;
			r->correct[sec] += ok;
		}
		if (sec < 5) {
			r->sem_n += r->seen[sec];
			r->sem_ok += r->correct[sec];
		} else {
			r->syn_n += r->seen[sec];
			r->syn_ok += r->correct[sec];
		}
	}
	r->all_n = r->sem_n + r->syn_n;
	r->all_ok = r->sem_ok + r->syn_ok;
	free(hits);
	free(qs);
	free(rows);
	free(wrow);
	simeval_vocab_free(&ev);
	if (rc < 0)
		analogy_result_free(r);
	return rc;
}

void
analogy_result_free(struct analogy_result *r)
{
	free(r->seen);
	free(r->correct);
	memset(r, 0, sizeof(*r));
}
