/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtype.h"
#include "fasttext.h"
#include "le.h"
#include "subword.h"
#include "util.h"

/* fastText's enums (args.h) */
enum { FT_LOSS_HS = 1, FT_LOSS_NS, FT_LOSS_SOFTMAX, FT_LOSS_OVA };
enum { FT_MODEL_CBOW = 1, FT_MODEL_SG, FT_MODEL_SUP };

static const char *const loss_names[] = { NULL, "hs", "ns", "softmax", "ova" };
static const char *const model_names[] = { NULL, "cbow", "skipgram", "sup" };

struct ftargs {
	int32_t dim, ws, epoch, min_count, neg, word_ngrams, loss, model;
	int32_t bucket, minn, maxn, lr_update_rate;
	double t;
};

#define ARGS_BYTES 56
/* the largest dim read: a header is a claim (as word2vec's and .npy's) */
#define FT_MAXDIM (1 << 20)

/* a reader: the source and the section being read, for messages */
struct rd {
	struct src *s;
	const char *what;
	struct emb_err *e;
};

int
ft_detect(const unsigned char *p, size_t n)
{
	return n >= 4 && le_get32(p) == FT_MAGIC;
}

static int
rd_bytes(struct rd *r, void *out, size_t n)
{
	int k = src_read(r->s, out, n, r->e);

	if (k == 0)
		return 0;
	if (!r->s->err)		/* else e holds the read error */
		err_set(r->e, r->s->name, 0, "unexpected end of file in the "
		    "%s (byte %llu)", r->what, r->s->offset);
	return -1;
}

static int
rd_i32(struct rd *r, int32_t *v)
{
	unsigned char b[4];

	if (rd_bytes(r, b, 4) < 0)
		return -1;
	*v = (int32_t)le_get32(b);
	return 0;
}

static int
rd_i64(struct rd *r, int64_t *v)
{
	unsigned char b[8];

	if (rd_bytes(r, b, 8) < 0)
		return -1;
	*v = (int64_t)le_get64(b);
	return 0;
}

static int
read_args(struct rd *r, struct ftargs *a)
{
	unsigned char b[ARGS_BYTES];
	int32_t *f[12];
	uint64_t tb;
	size_t i;

	r->what = "arguments";
	if (rd_bytes(r, b, sizeof(b)) < 0)
		return -1;
	f[0] = &a->dim; f[1] = &a->ws; f[2] = &a->epoch; f[3] = &a->min_count;
	f[4] = &a->neg; f[5] = &a->word_ngrams; f[6] = &a->loss;
	f[7] = &a->model; f[8] = &a->bucket; f[9] = &a->minn;
	f[10] = &a->maxn; f[11] = &a->lr_update_rate;
	for (i = 0; i < 12; i++)
		*f[i] = (int32_t)le_get32(b + 4 * i);
	tb = le_get64(b + 48);
	memcpy(&a->t, &tb, 8);
	if (a->model == FT_MODEL_SUP) {
		err_set(r->e, r->s->name, 0, "a supervised model (a fastText "
		    "classifier): emb reads skip-gram and CBOW models only");
		return -1;
	}
	if (a->model != FT_MODEL_CBOW && a->model != FT_MODEL_SG) {
		err_set(r->e, r->s->name, 0, "unknown model type %" PRId32,
		    a->model);
		return -1;
	}
	if (a->loss < FT_LOSS_HS || a->loss > FT_LOSS_OVA) {
		err_set(r->e, r->s->name, 0, "unknown loss %" PRId32, a->loss);
		return -1;
	}
	if (a->dim <= 0) {
		err_set(r->e, r->s->name, 0, "dimension %" PRId32 " is not "
		    "positive", a->dim);
		return -1;
	}
	if (a->dim > FT_MAXDIM) {
		err_set(r->e, r->s->name, 0, "dimension %" PRId32 " (at most "
		    "%d)", a->dim, FT_MAXDIM);
		return -1;
	}
	return subword_check(a->minn, a->maxn, a->bucket, r->s->name, r->e);
}

static void
meta_num(struct table *t, const char *key, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.10g", v);
	table_meta_set(t, key, buf);
}

static void
args_to_meta(struct table *t, const struct ftargs *a, int64_t ntokens)
{
	char buf[32];

	table_meta_set(t, "emb.arch", model_names[a->model]);
	table_meta_set(t, "emb.loss", loss_names[a->loss]);
	meta_num(t, "emb.window", a->ws);
	meta_num(t, "emb.negative", a->neg);
	meta_num(t, "emb.epochs", a->epoch);
	meta_num(t, "emb.min_count", a->min_count);
	meta_num(t, "emb.sample", a->t);
	snprintf(buf, sizeof(buf), "%" PRId64, ntokens);
	table_meta_set(t, "emb.corpus_words", buf);
	meta_num(t, "fasttext.word_ngrams", a->word_ngrams);
	meta_num(t, "fasttext.lr_update_rate", a->lr_update_rate);
}

/* one dictionary entry: word bytes up to a NUL, int64 count, int8 type */
static int
read_entry(struct rd *r, struct table *t, char **buf, size_t *cap,
    int64_t *count, int32_t i, int32_t size)
{
	size_t len = 0;
	int c;
	unsigned char type;

	while ((c = src_getc(r->s, r->e)) > 0) {
		if (len + 1 >= *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*buf = xreallocarray(*buf, *cap, 1);
		}
		(*buf)[len++] = (char)c;
	}
	if (c < 0)
		goto short_read;
	if (len == 0) {
		err_set(r->e, r->s->name, 0, "dictionary word %" PRId32 " of %"
		    PRId32 " is empty", i + 1, size);
		return -1;
	}
	if (rd_i64(r, count) < 0 || rd_bytes(r, &type, 1) < 0)
		goto short_read;
	if (type == 1) {
		err_set(r->e, r->s->name, 0, "a supervised model (the "
		    "dictionary holds labels): emb reads skip-gram and CBOW "
		    "models only");
		return -1;
	}
	if (type != 0 || *count < 0) {
		err_set(r->e, r->s->name, 0, "dictionary word %" PRId32 ": bad "
		    "%s", i + 1, type != 0 ? "entry type" : "count");
		return -1;
	}
	vocab_add(&t->vocab, *buf, len);
	return 0;
short_read:
	err_set(r->e, r->s->name, 0, "unexpected end of file in the dictionary "
	    "(word %" PRId32 " of %" PRId32 ", byte %llu)", i + 1, size,
	    r->s->offset);
	return -1;
}

static int
read_dict(struct rd *r, struct table *t, int64_t *ntokens)
{
	int32_t size, nwords, nlabels, i;
	int64_t prune;
	char *buf = NULL;
	int64_t *count = NULL;
	size_t cap = 0, ccap = 0, left;
	long dup;

	r->what = "dictionary";
	if (rd_i32(r, &size) < 0 || rd_i32(r, &nwords) < 0 ||
	    rd_i32(r, &nlabels) < 0 || rd_i64(r, ntokens) < 0 ||
	    rd_i64(r, &prune) < 0)
		return -1;
	if (*ntokens < 0) {
		err_set(r->e, r->s->name, 0, "a negative corpus token count (%"
		    PRId64 ")", *ntokens);
		return -1;
	}
	if (nlabels > 0) {
		err_set(r->e, r->s->name, 0, "a supervised model (labels: %"
		    PRId32 "): emb reads skip-gram and CBOW models only",
		    nlabels);
		return -1;
	}
	if (size < 0 || nwords < 0 || nlabels < 0 || size != nwords) {
		err_set(r->e, r->s->name, 0, "bad dictionary sizes (size %"
		    PRId32 ", words %" PRId32 ", labels %" PRId32 ")", size,
		    nwords, nlabels);
		return -1;
	}
	if (src_size(r->s, &left) == 0 && (uint64_t)size * 10 >
	    (uint64_t)left) {
		err_set(r->e, r->s->name, 0, "a dictionary of %" PRId32 " words "
		    "cannot fit in the %zu bytes left in the file", size, left);
		return -1;
	}
	if (prune != -1) {
		err_set(r->e, r->s->name, 0, "a pruned dictionary (%" PRId64
		    " n-gram entries): only quantized models are pruned", prune);
		return -1;
	}
	for (i = 0; i < size; i++) {
		if ((size_t)i == ccap) {
			ccap = ccap ? 2 * ccap : 1024;
			count = xreallocarray(count, ccap, sizeof(*count));
		}
		if (read_entry(r, t, &buf, &cap, &count[i], i, size) < 0) {
			free(buf);
			free(count);
			return -1;
		}
	}
	free(buf);
	vocab_ensure_counts(&t->vocab);
	if (size > 0)
		memcpy(t->vocab.count, count, (size_t)size * sizeof(*count));
	free(count);
	if ((dup = vocab_first_duplicate(&t->vocab)) >= 0) {
		size_t len;
		const char *w = vocab_token(&t->vocab, (size_t)dup, &len);

		err_set(r->e, r->s->name, 0, "dictionary word %ld \"%.*s\" is a "
		    "duplicate", dup + 1, (int)(len > 200 ? 200 : len), w);
		return -1;
	}
	return 0;
}

/* rows allocated at first when the input does not back a count: ~1 MB */
#define FIRST_ROWS(d) (1 + ((size_t)1 << 18) / (d))

/*
 * n rows of d float32 (rows first+1.. of total, for messages) into *dst,
 * allocated here (64-byte aligned).  A count is a claim: when the input's
 * size is known and holds the rows they are allocated at once, else the
 * storage grows with the rows that arrive.
 */
static int
read_rows(struct rd *r, float **dst, size_t n, size_t d, size_t first,
    size_t total)
{
	size_t i = 0, cap, left, rowb = d * sizeof(float);

	if (src_size(r->s, &left) == 0 && n <= left / rowb)
		cap = n;
	else
		cap = n < FIRST_ROWS(d) ? n : FIRST_ROWS(d);
	*dst = xaligned(cap * rowb + sizeof(float));
	while (i < n) {
		size_t k, j;
		float *p;
		unsigned long long at = r->s->offset;

		if (i == cap) {
			float *nv;

			cap = n - cap < cap ? n : 2 * cap;
			nv = xaligned(cap * rowb + sizeof(float));
			memcpy(nv, *dst, i * rowb);
			free(*dst);
			*dst = nv;
		}
		k = cap - i < 1024 ? cap - i : 1024;
		p = *dst + i * d;
		if (src_read(r->s, p, k * rowb, r->e) != 0) {
			if (r->s->err)
				return -1;
			/* the row cut short: bytes read past the chunk's start */
			err_set(r->e, r->s->name, 0, "unexpected end of file in "
			    "the %s at row %llu of %zu (byte %llu)", r->what,
			    (unsigned long long)(first + i + 1) + (r->s->offset -
			    at) / rowb, total, r->s->offset);
			return -1;
		}
		le_f32(p, k * d);
		for (j = 0; j < k; j++)
			if (!f32_finite(p + j * d, d)) {
				err_set(r->e, r->s->name, 0, "%s row %zu: NaN or "
				    "infinite value", r->what, first + i + j + 1);
				return -1;
			}
		i += k;
	}
	return 0;
}

/*
 * a matrix header: uint8 flag (quant or qout), int64 m, int64 n; the
 * input matrix has V word rows and a->bucket n-gram rows, the output
 * matrix V rows, both a->dim columns
 */
static int
read_mat_head(struct rd *r, int input, int64_t V, const struct ftargs *a)
{
	unsigned char flag;
	int64_t gm, gn, m = input ? V + a->bucket : V;

	if (rd_bytes(r, &flag, 1) < 0)
		return -1;
	if (flag > 1) {
		if (input)
			err_set(r->e, r->s->name, 0, "bad flag %u at byte %llu, "
			    "where the input matrix should start after the "
			    "dictionary's %" PRId64 " words", flag,
			    r->s->offset - 1, V);
		else
			err_set(r->e, r->s->name, 0, "bad flag %u at byte %llu, "
			    "where the output matrix should start", flag,
			    r->s->offset - 1);
		return -1;
	}
	if (input && flag) {
		err_set(r->e, r->s->name, 0, "a quantized model (.ftz): emb "
		    "does not read product-quantized matrices");
		return -1;
	}
	if (rd_i64(r, &gm) < 0 || rd_i64(r, &gn) < 0)
		return -1;
	if (gn != a->dim) {
		err_set(r->e, r->s->name, 0, "the %s has %" PRId64 " columns, "
		    "the arguments say dimension %" PRId32, r->what, gn,
		    a->dim);
		return -1;
	}
	if (gm != m && input) {
		err_set(r->e, r->s->name, 0, "the input matrix has %" PRId64
		    " rows, the dictionary's %" PRId64 " words and the "
		    "arguments' %" PRId32 " n-gram buckets make %" PRId64, gm,
		    V, a->bucket, m);
		return -1;
	}
	if (gm != m) {
		err_set(r->e, r->s->name, 0, "the output matrix has %" PRId64
		    " rows, the dictionary has %" PRId64 " words", gm, V);
		return -1;
	}
	return 0;
}

static int
read_matrices(struct rd *r, struct table *t, const struct ftargs *a)
{
	size_t V = t->vocab.n, d = (size_t)a->dim, nb = (size_t)a->bucket;

	r->what = "input matrix";
	if (read_mat_head(r, 1, (int64_t)V, a) < 0 ||
	    read_rows(r, &t->words, V, d, 0, V + nb) < 0 ||
	    read_rows(r, &t->ngrams, nb, d, V, V + nb) < 0)
		return -1;
	r->what = "output matrix";
	if (read_mat_head(r, 0, (int64_t)V, a) < 0 ||
	    read_rows(r, &t->out, V, d, 0, V) < 0)
		return -1;
	/* every row arrived: the input backs the table */
	if (table_alloc(t, V, d, r->e) < 0)
		return -1;
	if (a->maxn > 0 && nb > 0) {
		t->minn = a->minn;
		t->maxn = a->maxn;
		t->bucket = nb;
	} else {
		/* no n-grams: a word's vector is its row */
		memcpy(t->vec, t->words, V * d * sizeof(float));
		table_drop_subwords(t);
	}
	return 0;
}

int
ft_read_bin(struct table *t, struct src *s, struct emb_err *e)
{
	struct rd r = { s, "header", e };
	struct ftargs a;
	int32_t magic, version;
	int64_t ntokens;
	unsigned char extra;

	if (rd_i32(&r, &magic) < 0)
		return -1;
	if ((uint32_t)magic != FT_MAGIC) {
		err_set(e, s->name, 0, "not a fastText model (magic %" PRId32
		    ", not %d)", magic, FT_MAGIC);
		return -1;
	}
	if (rd_i32(&r, &version) < 0)
		return -1;
	if (version != 11 && version != 12) {
		err_set(e, s->name, 0, "fastText file format version %" PRId32
		    " (emb reads versions 11 and 12)", version);
		return -1;
	}
	if (read_args(&r, &a) < 0 || read_dict(&r, t, &ntokens) < 0 ||
	    read_matrices(&r, t, &a) < 0)
		return -1;
	if (src_read(s, &extra, 1, e) != -1) {
		if (!s->err)
			err_set(e, s->name, 0, "data after the output matrix "
			    "(byte %llu)", s->offset);
		return -1;
	}
	if (t->ngrams != NULL) {
		long bad;

		table_compose(t);
		if ((bad = table_first_nonfinite(t)) >= 0) {
			size_t len;
			const char *w = vocab_token(&t->vocab, (size_t)bad, &len);

			err_set(e, s->name, 0, "word %ld \"%.*s\": its vector (the "
			    "mean of its row and n-gram rows) overflows float32",
			    bad + 1, (int)(len > 200 ? 200 : len), w);
			return -1;
		}
	}
	args_to_meta(t, &a, ntokens);
	return 0;
}

/* a metadata number, or def */
static double
meta_or(const struct table *t, const char *key, double def)
{
	const char *v = table_meta_get(t, key);
	char *end;
	double x;

	if (v == NULL)
		return def;
	x = strtod(v, &end);
	return end != v && *end == '\0' && isfinite(x) ? x : def;
}

static int32_t
meta_i32(const struct table *t, const char *key, int32_t def)
{
	double x = meta_or(t, key, def);

	return x >= 0 && x <= INT32_MAX && x == floor(x) ? (int32_t)x : def;
}

static int32_t
name_index(const char *v, const char *const *names, size_t n, int32_t def)
{
	size_t i;

	for (i = 1; v != NULL && i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return (int32_t)i;
	return def;
}

/* the arguments for t: its metadata, else fastText's defaults */
static void
args_from_table(const struct table *t, struct ftargs *a)
{
	const char *arch = table_meta_get(t, "emb.arch");

	a->dim = (int32_t)t->d;
	a->ws = meta_i32(t, "emb.window", 5);
	a->epoch = meta_i32(t, "emb.epochs", 5);
	a->min_count = meta_i32(t, "emb.min_count", 5);
	a->neg = meta_i32(t, "emb.negative", 5);
	a->word_ngrams = meta_i32(t, "fasttext.word_ngrams", 1);
	a->loss = name_index(table_meta_get(t, "emb.loss"), loss_names, 5,
	    FT_LOSS_NS);
	if (a->loss == FT_LOSS_SOFTMAX || a->loss == FT_LOSS_OVA)
		a->loss = FT_LOSS_NS;
	a->model = arch != NULL && strcmp(arch, "cbow") == 0 ? FT_MODEL_CBOW :
	    FT_MODEL_SG;
	a->lr_update_rate = meta_i32(t, "fasttext.lr_update_rate", 100);
	a->t = meta_or(t, "emb.sample", 1e-4);
	if (t->ngrams != NULL) {
		a->bucket = (int32_t)t->bucket;
		a->minn = t->minn;
		a->maxn = t->maxn;
	} else
		a->bucket = a->minn = a->maxn = 0;
}

static int
put_rows(FILE *f, const float *x, size_t n)
{
	float buf[1024];
	size_t i;

	if (le_host())
		return fwrite(x, sizeof(float), n, f) == n ? 0 : -1;
	for (i = 0; i < n; i += 1024) {
		size_t k = n - i < 1024 ? n - i : 1024, j;

		for (j = 0; j < k; j++) {
			unsigned char b[4];
			uint32_t v;

			memcpy(&v, &x[i + j], 4);
			le_put32(b, v);
			memcpy(&buf[j], b, 4);
		}
		if (fwrite(buf, sizeof(float), k, f) != k)
			return -1;
	}
	return 0;
}

static int
put_head(FILE *f, const struct ftargs *a)
{
	unsigned char b[8 + ARGS_BYTES];
	const int32_t v[12] = { a->dim, a->ws, a->epoch, a->min_count, a->neg,
	    a->word_ngrams, a->loss, a->model, a->bucket, a->minn, a->maxn,
	    a->lr_update_rate };
	uint64_t tb;
	size_t i;

	le_put32(b, FT_MAGIC);
	le_put32(b + 4, FT_VERSION);
	for (i = 0; i < 12; i++)
		le_put32(b + 8 + 4 * i, (uint32_t)v[i]);
	memcpy(&tb, &a->t, 8);
	le_put64(b + 8 + 48, tb);
	return fwrite(b, 1, sizeof(b), f) == sizeof(b) ? 0 : -1;
}

static int
put_dict(FILE *f, const struct table *t)
{
	unsigned char b[28];
	size_t i, len;
	int64_t ntok = 0;

	const char *cw = table_meta_get(t, "emb.corpus_words");
	char *end;
	long long x;

	/* the corpus size given, else the counts' sum (saturated) */
	for (i = 0; i < t->V; i++) {
		int64_t c = t->vocab.count != NULL ? t->vocab.count[i] :
		    (int64_t)(t->V - i);

		ntok = c > 0 && ntok > INT64_MAX - c ? INT64_MAX :
		    ntok + (c > 0 ? c : 0);
	}
	if (cw != NULL) {
		errno = 0;
		x = strtoll(cw, &end, 10);
		if (end != cw && *end == '\0' && errno == 0 && x >= 0)
			ntok = (int64_t)x;
	}
	le_put32(b, (uint32_t)t->V);
	le_put32(b + 4, (uint32_t)t->V);
	le_put32(b + 8, 0);
	le_put64(b + 12, (uint64_t)ntok);
	le_put64(b + 20, (uint64_t)-1);	/* pruneidx_size: not pruned */
	if (fwrite(b, 1, 28, f) != 28)
		return -1;
	for (i = 0; i < t->V; i++) {
		const char *w = vocab_token(&t->vocab, i, &len);
		int64_t c = t->vocab.count != NULL ? t->vocab.count[i] :
		    (int64_t)(t->V - i);

		le_put64(b, (uint64_t)c);
		b[8] = 0;	/* entry_type::word */
		if (fwrite(w, 1, len, f) != len || putc(0, f) == EOF ||
		    fwrite(b, 1, 9, f) != 9)
			return -1;
	}
	return 0;
}

static int
put_mat_head(FILE *f, size_t m, size_t n)
{
	unsigned char b[17];

	b[0] = 0;	/* quant / qout: false */
	le_put64(b + 1, (uint64_t)m);
	le_put64(b + 9, (uint64_t)n);
	return fwrite(b, 1, sizeof(b), f) == sizeof(b) ? 0 : -1;
}

int
ft_write_bin(const struct table *t, FILE *f, const char *path,
    struct emb_err *e)
{
	struct ftargs a;
	size_t i, len, nd = t->V * t->d;
	float *zero = NULL;
	int r;

	if (t->vocab.n != t->V || t->V == 0) {
		err_set(e, path, 0, "fasttext-bin needs a table with a "
		    "vocabulary");
		return -1;
	}
	if (t->V > INT32_MAX || t->d > INT32_MAX ||
	    t->bucket > (size_t)INT32_MAX) {
		err_set(e, path, 0, "a table of %zu x %zu is too large for "
		    "fasttext-bin", t->V, t->d);
		return -1;
	}
	for (i = 0; i < t->V; i++) {
		const char *w = vocab_token(&t->vocab, i, &len);

		if (memchr(w, '\0', len) != NULL) {
			err_set(e, path, 0, "row %zu: a token holds a NUL byte, "
			    "which fasttext-bin cannot store", i + 1);
			return -1;
		}
	}
	args_from_table(t, &a);
	r = put_head(f, &a) < 0 || put_dict(f, t) < 0 ||
	    put_mat_head(f, t->V + (size_t)a.bucket, t->d) < 0 ||
	    put_rows(f, t->ngrams != NULL ? t->words : t->vec, nd) < 0 ||
	    (t->ngrams != NULL &&
	    put_rows(f, t->ngrams, (size_t)a.bucket * t->d) < 0) ||
	    put_mat_head(f, t->V, t->d) < 0;
	if (!r && t->out == NULL) {
		zero = xcalloc(t->d, sizeof(float));
		for (i = 0; i < t->V && !r; i++)
			r = put_rows(f, zero, t->d) < 0;
		free(zero);
	} else if (!r)
		r = put_rows(f, t->out, nd) < 0;
	if (r) {
		err_sys(e, path);
		return -1;
	}
	return 0;
}
