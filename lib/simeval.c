/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "simeval.h"
#include "src.h"
#include "stats.h"
#include "util.h"

int
simeval_fold_byname(const char *name, enum simeval_fold *out)
{
	if (strcmp(name, "none") == 0)
		*out = SIMEVAL_FOLD_NONE;
	else if (strcmp(name, "upper") == 0)
		*out = SIMEVAL_FOLD_UPPER;
	else if (strcmp(name, "lower") == 0)
		*out = SIMEVAL_FOLD_LOWER;
	else
		return -1;
	return 0;
}

/* fold tok into ev->buf (not NUL-terminated) */
static const char *
fold(struct simeval_vocab *ev, const char *tok, size_t len)
{
	size_t i;

	if (ev->fold == SIMEVAL_FOLD_NONE)
		return tok;
	if (len > ev->cap) {
		ev->cap = len + 64;
		ev->buf = xreallocarray(ev->buf, ev->cap, 1);
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)tok[i];

		if (ev->fold == SIMEVAL_FOLD_UPPER && c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		else if (ev->fold == SIMEVAL_FOLD_LOWER && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		ev->buf[i] = (char)c;
	}
	return ev->buf;
}

/*
 * Intern the folded key of every row in [0, n): the first row to bring a
 * key owns it, and every later variant points back at it (canon).
 * O(n) expected.
 */
void
simeval_vocab_init(struct simeval_vocab *ev, struct model *m,
    size_t restrict_n, enum simeval_fold fld)
{
	size_t i;

	memset(ev, 0, sizeof(*ev));
	ev->m = m;
	ev->fold = fld;
	ev->n = restrict_n == 0 || restrict_n > m->V ? m->V : restrict_n;
	vocab_init(&ev->keys);
	ev->row = xreallocarray(NULL, ev->n ? ev->n : 1, sizeof(*ev->row));
	ev->canon = xreallocarray(NULL, ev->n ? ev->n : 1, sizeof(*ev->canon));
	for (i = 0; i < ev->n; i++) {
		size_t len, id;
		const char *tok = vocab_token(&m->vocab, i, &len);
		int added;

		id = vocab_intern(&ev->keys, fold(ev, tok, len), len, &added);
		if (added)
			ev->row[id] = (uint32_t)i;
		ev->canon[i] = ev->row[id];
	}
}

void
simeval_vocab_free(struct simeval_vocab *ev)
{
	vocab_free(&ev->keys);
	free(ev->row);
	free(ev->canon);
	free(ev->buf);
	memset(ev, 0, sizeof(*ev));
}

long
simeval_vocab_find(struct simeval_vocab *ev, const char *tok, size_t len)
{
	long id = vocab_find(&ev->keys, fold(ev, tok, len), len);

	return id < 0 ? -1 : (long)ev->row[id];
}

/* split line in place at sep (' ': blanks, lib/src.h), trimming the
 * spaces around each field; returns the number of fields, in (*f)[] */
static size_t
split(char *line, int sep, char ***f, size_t *cap)
{
	size_t n = 0;
	char *p = line;

	if (sep == ' ') {
		src_split(line, f, &n, cap);
		return n;
	}
	for (;;) {
		char *end = strchr(p, sep), *q;

		if (end != NULL)
			*end = '\0';
		while (*p == ' ')
			p++;
		for (q = p + strlen(p); q > p && q[-1] == ' '; q--)
			;
		*q = '\0';
		if (n == *cap) {
			*cap = *cap ? 2 * *cap : 8;
			*f = xreallocarray(*f, *cap, sizeof(**f));
		}
		(*f)[n++] = p;
		if (end == NULL)
			return n;
		p = end + 1;
	}
}

int
simeval_load(struct simeval_set *s, const char *path, struct emb_err *e)
{
	struct src in;
	int rc;

	memset(s, 0, sizeof(*s));
	if (src_open(&in, path, e) < 0)
		return -1;
	rc = simeval_read(s, &in, e);
	src_close(&in);
	return rc;
}

int
simeval_read(struct simeval_set *s, struct src *src, struct emb_err *e)
{
	char *line, **f = NULL;
	ssize_t len;
	size_t fcap = 0;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	s->name = xstrdup(src->name);
	while ((len = src_getline(src, &line, e)) >= 0) {
		char *p = line;
		const char *why;
		struct simeval_pair *q;
		size_t nf;
		int sep;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *line == '#')
			continue;
		sep = strchr(line, '\t') ? '\t' : strchr(line, ',') ? ',' : ' ';
		nf = split(line, sep, &f, &fcap);
		if (nf != 3) {
			err_set(e, src->name, src->line, "expected 3 fields "
			    "(word, word, score), found %zu", nf);
			goto out;
		}
		if (*f[0] == '\0' || *f[1] == '\0') {
			err_set(e, src->name, src->line, "empty word");
			goto out;
		}
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 256;
			s->p = xreallocarray(s->p, s->cap, sizeof(*s->p));
		}
		q = &s->p[s->n];
		if (num_double(f[2], -HUGE_VAL, HUGE_VAL, &q->gold, &why) < 0) {
			err_set(e, src->name, src->line, "invalid score \"%s\"",
			    f[2]);
			goto out;
		}
		q->a = xstrdup(f[0]);
		q->b = xstrdup(f[1]);
		q->line = src->line;
		s->n++;
	}
	if (len == -2)
		goto out;
	if (s->n == 0) {
		err_set(e, src->name, 0, "no word pairs");
		goto out;
	}
	rc = 0;
out:
	free(f);
	if (rc < 0)
		simeval_set_free(s);
	return rc;
}

void
simeval_set_free(struct simeval_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->p[i].a);
		free(s->p[i].b);
	}
	free(s->p);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

/* the row of a known word, else its n-gram vector */
static int
pair_vector(struct model *m, long row, const char *w, float *out,
    struct emb_err *e)
{
	if (row >= 0)
		return model_row_finite(m, (size_t)row, out, e);
	return model_vector(m, w, strlen(w), out, e) == -3 ? -1 : 0;
}

int
simeval_run(const struct simeval_set *s, struct simeval_vocab *ev,
    enum knn_metric metric, enum simeval_oov oov, struct simeval_result *r,
    struct emb_err *e)
{
	double *gold, *model;
	float *u, *v;
	size_t i, d = ev->m->d;

	memset(r, 0, sizeof(*r));
	r->total = s->n;
	gold = xreallocarray(NULL, s->n, sizeof(*gold));
	model = xreallocarray(NULL, s->n, sizeof(*model));
	u = xreallocarray(NULL, d ? d : 1, sizeof(*u));
	v = xreallocarray(NULL, d ? d : 1, sizeof(*v));
	for (i = 0; i < s->n; i++) {
		const struct simeval_pair *p = &s->p[i];
		long ia = simeval_vocab_find(ev, p->a, strlen(p->a));
		long ib = simeval_vocab_find(ev, p->b, strlen(p->b));
		int zero;

		if (ia < 0 || ib < 0) {
			r->oov++;
			if (oov == SIMEVAL_OOV_SKIP || (oov ==
			    SIMEVAL_OOV_SUBWORD && !subword_on(&ev->m->sw)))
				continue;
			if (oov == SIMEVAL_OOV_ZERO) {
				gold[r->used] = p->gold;
				model[r->used++] = 0.0;
				continue;
			}
			r->oov_scored++;
		}
		if (pair_vector(ev->m, ia, p->a, u, e) < 0 ||
		    pair_vector(ev->m, ib, p->b, v, e) < 0) {
			free(u);
			free(v);
			free(gold);
			free(model);
			return -1;
		}
		gold[r->used] = p->gold;
		model[r->used++] = knn_score(metric, u, v, d, &zero);
		r->zero += zero;
	}
	free(u);
	free(v);
	if (r->used == 0) {
		err_set(e, s->name, 0, "no pair has both words in the "
		    "vocabulary (%zu pairs, %zu rows searched)", s->n, ev->n);
		free(gold);
		free(model);
		return -1;
	}
	r->oov_ratio = 100.0 * (double)r->oov / (double)s->n;
	r->spearman = stats_spearman(gold, model, r->used);
	r->spearman_p = stats_corr_pvalue(r->spearman, r->used);
	r->pearson = stats_pearson(gold, model, r->used);
	r->pearson_p = stats_corr_pvalue(r->pearson, r->used);
	free(gold);
	free(model);
	return 0;
}

int
simeval_eval(struct model *m, const char *path, size_t restrict_n,
    enum simeval_fold fold, enum knn_metric metric, enum simeval_oov oov,
    struct simeval_result *r, struct emb_err *e)
{
	struct simeval_vocab ev;
	struct simeval_set set;
	int ret;

	if (simeval_load(&set, path, e) < 0)
		return -1;
	simeval_vocab_init(&ev, m, restrict_n, fold);
	ret = simeval_run(&set, &ev, metric, oov, r, e);
	simeval_vocab_free(&ev);
	simeval_set_free(&set);
	return ret;
}

int
simeval_write_result(FILE *f, const struct simeval_result *r,
    enum simeval_oov oov)
{
	if (fprintf(f, "pairs\t%zu\nused\t%zu\noov\t%zu\noov_ratio\t%.6f\n"
	    "spearman\t%.6f\nspearman_p\t%.6g\npearson\t%.6f\n"
	    "pearson_p\t%.6g\n", r->total, r->used, r->oov, r->oov_ratio,
	    r->spearman, r->spearman_p, r->pearson, r->pearson_p) < 0)
		return -1;
	if (oov == SIMEVAL_OOV_SUBWORD && fprintf(f, "oov_scored\t%zu\n",
	    r->oov_scored) < 0)
		return -1;
	return 0;
}
