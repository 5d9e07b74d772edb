/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "num.h"
#include "par.h"
#include "util.h"
#include "vstream.h"
#include "w2v.h"

#define W2V_BLOCK ((size_t)8 << 20)	/* text is parsed in blocks of this */
#define W2V_MAXPARTS 16			/* threads per block, at most */
#define W2V_MINPART ((size_t)1 << 20)	/* smaller blocks use one thread */
/*
 * Headers are claims, not facts: d is capped, and storage grows with the
 * rows that actually arrive, starting from about 1 MB whatever d is.
 */
#define W2V_MAXDIM ((size_t)1 << 20)

/* rows that grow as a file is read, 64-byte aligned like table_alloc's */
struct rows {
	float *v;
	size_t n, cap, d;
	size_t max;		/* cap never grows past this (0: no bound) */
	size_t first;		/* the first allocation, when known (0: not) */
};

static int
rows_reserve(struct rows *r, size_t need, const char *name, struct emb_err *e)
{
	size_t cap, bytes;
	float *nv;

	if (need <= r->cap)
		return 0;
	cap = r->cap ? r->cap : r->first > 0 ? r->first :
	    1 + ((size_t)1 << 18) / r->d;
	while (cap < need)
		cap *= 2;
	if (r->max > 0 && cap > r->max && need <= r->max)
		cap = r->max;
	if (size_mul(cap, r->d, &bytes) < 0 ||
	    size_mul(bytes, sizeof(float), &bytes) < 0) {
		err_set(e, name, 0, "table of %zu x %zu is too large", cap, r->d);
		return -1;
	}
	nv = xaligned(bytes);
	if (r->n > 0)
		memcpy(nv, r->v, r->n * r->d * sizeof(float));
	free(r->v);
	r->v = nv;
	r->cap = cap;
	return 0;
}

/*
 * At most how many rows of at least minrow bytes a plain file can hold
 * (0: unknown, for pipes and gzip).  With a header's count this sizes
 * the table at once, without copies, yet never beyond what the file backs.
 */
static size_t
file_rows(const struct src *s, size_t minrow)
{
	struct stat st;
	unsigned char m[2];

	if (fstat(s->fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
		return 0;
	if (pread(s->fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b)
		return 0;
	return (size_t)st.st_size / minrow;
}

static void
rows_first(struct rows *r, const struct src *s, size_t minrow)
{
	size_t n = file_rows(s, minrow);

	if (n > 0 && r->max > 0)
		r->first = n < r->max ? n : r->max;
}

/* hand the rows over to t */
static void
rows_to_table(struct rows *r, struct table *t)
{
	free(t->vec);
	t->vec = r->v != NULL ? r->v : xaligned(64);
	t->V = r->n;
	t->d = r->d;
	r->v = NULL;
}

static int
isblk(int c)
{
	return c == ' ' || c == '\t';
}

/* a decimal count with nothing else: 0 ok */
static int
parse_size(const char *p, const char *end, size_t *out)
{
	size_t v = 0;

	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9' || v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*p - '0');
	}
	*out = v;
	return 0;
}

int
w2v_parse_header(const char *line, size_t len, size_t *V, size_t *d)
{
	const char *p = line, *end = line + len, *f;

	while (end > p && (isblk(end[-1]) || end[-1] == '\r' ||
	    end[-1] == '\n'))
		end--;
	while (p < end && isblk(*p))
		p++;
	for (f = p; p < end && !isblk(*p); p++)
		;
	if (parse_size(f, p, V) < 0)
		return -1;
	while (p < end && isblk(*p))
		p++;
	if (parse_size(p, end, d) < 0 || *d == 0)
		return -1;
	return 0;
}

/* what went wrong in a text row */
enum { RE_BLANK = 1, RE_FEW, RE_NUM, RE_NAN, RE_NOTOKEN, RE_EXTRA };

struct rowerr {
	int code;
	size_t nf;		/* fields in the row (RE_FEW) */
	char field[48];		/* the offending field, cut short */
};

static size_t
count_fields(const char *p, const char *e)
{
	size_t n = 0;

	while (p < e) {
		while (p < e && isblk(*p))
			p++;
		if (p == e)
			break;
		n++;
		while (p < e && !isblk(*p))
			p++;
	}
	return n;
}

static void
set_field(struct rowerr *re, int code, const char *fs, const char *fe)
{
	size_t n = (size_t)(fe - fs);

	if (n > sizeof(re->field) - 4) {
		n = sizeof(re->field) - 4;
		memcpy(re->field + n, "...", 4);
	} else
		re->field[n] = '\0';
	memcpy(re->field, fs, n);
	re->code = code;
}

/*
 * The careful parse: the last d fields, right to left, are the numbers;
 * the rest (blanks inside included) is the token.
 */
static int
parse_slow(const char *p, const char *e, size_t d, float *out,
    size_t *toklen, struct rowerr *re)
{
	const char *i = e, *fs, *fe;
	char *ne;
	size_t k;

	for (k = d; k > 0; k--) {
		fe = i;
		while (i > p && !isblk(i[-1]))
			i--;
		fs = i;
		if (fs == p) {
			re->code = RE_FEW;
			re->nf = count_fields(p, e);
			return -1;
		}
		out[k - 1] = num_float(fs, &ne);
		if (ne != fe) {
			re->nf = count_fields(p, e);
			if (re->nf < d + 1) {
				re->code = RE_FEW;
				return -1;
			}
			set_field(re, RE_NUM, fs, fe);
			return -1;
		}
		if (!isfinite(out[k - 1])) {
			set_field(re, RE_NAN, fs, fe);
			return -1;
		}
		while (i > p && isblk(i[-1]))
			i--;
	}
	if (i == p) {
		re->code = RE_NOTOKEN;
		return -1;
	}
	*toklen = (size_t)(i - p);
	return 0;
}

/*
 * Parse the row [p, e); *e is '\n' (never part of a number).  The fast
 * path takes a token without blanks followed by exactly d numbers; any
 * surprise goes to the careful parse, which also words the error.
 */
static int
parse_row(const char *p, const char *e, size_t d, float *out, size_t *toklen,
    struct rowerr *re)
{
	const char *q;
	char *ne;
	size_t k;

	while (e > p && (isblk(e[-1]) || e[-1] == '\r'))
		e--;
	if (e == p) {
		re->code = RE_BLANK;
		return -1;
	}
	for (q = p; q < e && !isblk(*q); q++)
		;
	*toklen = (size_t)(q - p);
	for (k = 0; k < d; k++) {
		while (q < e && isblk(*q))
			q++;
		if (q == e)
			break;
		out[k] = num_float(q, &ne);
		if (ne == q || (ne < e && !isblk(*ne)) || !isfinite(out[k]))
			break;
		q = ne;
	}
	if (k == d && q == e && *toklen > 0)
		return 0;
	return parse_slow(p, e, d, out, toklen, re);
}

/* one slice of a block, parsed by one thread */
struct part {
	const char *p, *end;	/* whole lines; end is just after a '\n' */
	size_t d, limit;
	float *vec;
	size_t *toff, *tlen;	/* token offsets from p, lengths */
	size_t n, cap;
	int failed;
	struct rowerr re;
};

static void
parse_part(struct part *pt)
{
	const char *p = pt->p, *nl;
	size_t toklen;

	pt->n = 0;
	pt->failed = 0;
	while (p < pt->end && pt->n < pt->limit) {
		nl = memchr(p, '\n', (size_t)(pt->end - p));
		if (pt->n == pt->cap) {
			pt->cap = pt->cap ? pt->cap * 2 :
			    1 + ((size_t)1 << 16) / pt->d;
			pt->vec = xreallocarray(pt->vec, pt->cap,
			    pt->d * sizeof(float));
			pt->toff = xreallocarray(pt->toff, pt->cap,
			    sizeof(size_t));
			pt->tlen = xreallocarray(pt->tlen, pt->cap,
			    sizeof(size_t));
		}
		if (parse_row(p, nl, pt->d, pt->vec + pt->n * pt->d, &toklen,
		    &pt->re) < 0) {
			pt->failed = 1;
			break;
		}
		pt->toff[pt->n] = (size_t)(p - pt->p);
		pt->tlen[pt->n] = toklen;
		pt->n++;
		p = nl + 1;
	}
	return;
}

static void
row_error(struct emb_err *e, const char *name, size_t line,
    const struct rowerr *re, size_t d)
{
	switch (re->code) {
	case RE_BLANK:
		err_set(e, name, line, "empty line");
		break;
	case RE_FEW:
		err_set(e, name, line, "expected a token and %zu numbers, "
		    "found %zu field%s", d, re->nf, re->nf == 1 ? "" : "s");
		break;
	case RE_NUM:
		err_set(e, name, line, "not a number: \"%s\"", re->field);
		break;
	case RE_NAN:
		err_set(e, name, line, "NaN or infinite value \"%s\"",
		    re->field);
		break;
	case RE_NOTOKEN:
		err_set(e, name, line, "empty token");
		break;
	default:
		err_set(e, name, line, "more than %zu numbers (the header "
		    "says d = %zu)", d, d);
		break;
	}
}

/* the token of a row ends in a number: the header's d is too small */
static int
token_ends_in_number(const char *tok, size_t len)
{
	const char *f = tok + len;
	char buf[64], *ne;

	while (f > tok && !isblk(f[-1]))
		f--;
	if (f == tok || (size_t)(tok + len - f) >= sizeof(buf))
		return 0;
	memcpy(buf, f, (size_t)(tok + len - f));
	buf[tok + len - f] = '\0';
	num_float(buf, &ne);
	return *ne == '\0';
}

/* d of a headerless file: the trailing numeric fields of its first row */
static size_t
first_row_dim(const char *p, const char *e)
{
	const char *i;
	size_t nf, m = 0;
	char *ne;

	while (e > p && (isblk(e[-1]) || e[-1] == '\r'))
		e--;
	nf = count_fields(p, e);
	i = e;
	while (i > p && m + 1 < nf) {
		const char *fe = i;
		float x;

		while (i > p && !isblk(i[-1]))
			i--;
		x = num_float(i, &ne);
		if (ne != fe || !isfinite(x))
			break;
		m++;
		while (i > p && isblk(i[-1]))
			i--;
	}
	return m;
}

struct reader {
	struct table *t;
	struct src *s;
	struct rows rows;
	size_t V, hdr, limit;	/* hdr: 1 if the file has a header line */
	struct part parts[W2V_MAXPARTS];
	int nthreads;
	int done;
};

/* parts [b, e) of a block, on one thread (lib/par.h) */
static void
parse_parts(void *arg, size_t b, size_t e)
{
	struct part *parts = arg;

	for (; b < e; b++)
		parse_part(&parts[b]);
}

/* parse the whole lines [p, p + len) and append them */
static int
text_block(struct reader *rd, const char *p, size_t len, struct emb_err *e)
{
	size_t np, i, want = SIZE_MAX;
	const char *at = p, *end = p + len;
	size_t d = rd->rows.d;

	if (d == 0) {
		const char *nl = memchr(p, '\n', len);

		if ((d = first_row_dim(p, nl)) == 0) {
			err_set(e, rd->s->name, rd->hdr + 1, "expected a token "
			    "and numbers");
			return -1;
		}
		if (d > W2V_MAXDIM) {
			err_set(e, rd->s->name, rd->hdr + 1, "%zu dimensions "
			    "(at most %zu)", d, W2V_MAXDIM);
			return -1;
		}
		rd->rows.d = d;
	}
	if (rd->limit > 0)
		want = rd->limit - rd->rows.n;
	np = len < W2V_MINPART ? 1 : (size_t)rd->nthreads;
	for (i = 0; i < np; i++) {
		struct part *pt = &rd->parts[i];
		const char *stop = i + 1 == np ? end : p + len / np * (i + 1);

		if (stop < at)
			stop = at;
		if (stop < end) {
			const char *nl = memchr(stop, '\n',
			    (size_t)(end - stop));

			stop = nl + 1;
		}
		if (pt->d != d) {
			free(pt->vec);
			pt->vec = NULL;
			pt->cap = 0;
			free(pt->toff);
			free(pt->tlen);
			pt->toff = pt->tlen = NULL;
		}
		pt->d = d;
		pt->p = at;
		pt->end = stop;
		pt->limit = want;
		at = stop;
	}
	par_run((int)np, np, parse_parts, rd->parts);
	for (i = 0; i < np; i++) {
		struct part *pt = &rd->parts[i];
		size_t take = pt->n, j;
		float *dst;

		if (rd->limit > 0 && take > rd->limit - rd->rows.n)
			take = rd->limit - rd->rows.n;
		if (rd->hdr && rd->limit == 0 && rd->rows.n + take > rd->V) {
			err_set(e, rd->s->name, rd->hdr + rd->V + 1, "more rows "
			    "than the header's %zu", rd->V);
			return -1;
		}
		if (pt->failed && take == pt->n) {
			row_error(e, rd->s->name, rd->hdr + rd->rows.n +
			    pt->n + 1, &pt->re, d);
			return -1;
		}
		if (rows_reserve(&rd->rows, rd->rows.n + take, rd->s->name,
		    e) < 0)
			return -1;
		dst = rd->rows.v + rd->rows.n * d;
		memcpy(dst, pt->vec, take * d * sizeof(float));
		for (j = 0; j < take; j++)
			vocab_add(&rd->t->vocab, pt->p + pt->toff[j],
			    pt->tlen[j]);
		if (rd->hdr && rd->rows.n == 0 && take > 0 &&
		    token_ends_in_number(pt->p + pt->toff[0], pt->tlen[0])) {
			struct rowerr re;

			memset(&re, 0, sizeof(re));
			re.code = RE_EXTRA;
			row_error(e, rd->s->name, rd->hdr + 1, &re, d);
			return -1;
		}
		rd->rows.n += take;
		if (rd->limit > 0 && rd->rows.n == rd->limit) {
			rd->done = 1;
			break;
		}
	}
	return 0;
}

static void
consume(struct src *s, size_t n)
{
	s->pos += n;
	s->offset += n;
}

static void
reader_free(struct reader *rd)
{
	int i;

	for (i = 0; i < W2V_MAXPARTS; i++) {
		free(rd->parts[i].vec);
		free(rd->parts[i].toff);
		free(rd->parts[i].tlen);
	}
	free(rd->rows.v);
}

/* duplicate tokens are an error: name both rows (lines: + first) */
static int
check_duplicates(struct table *t, const char *name, size_t first,
    int binary, struct emb_err *e)
{
	long dup = vocab_first_duplicate(&t->vocab);
	size_t len;
	const char *tok;
	long orig;

	if (dup < 0)
		return 0;
	tok = vocab_token(&t->vocab, (size_t)dup, &len);
	orig = vocab_find(&t->vocab, tok, len);
	if (binary)
		err_set(e, name, 0, "row %ld: duplicate token \"%.*s\" "
		    "(first in row %ld)", dup + 1, (int)(len > 100 ? 100 : len),
		    tok, orig + 1);
	else
		err_set(e, name, (size_t)dup + first, "duplicate token "
		    "\"%.*s\" (first on line %zu)", (int)(len > 100 ? 100 : len),
		    tok, (size_t)orig + first);
	return -1;
}

/*
 * Parse the whole lines of q[0, n), and at the end of the input (eof) a
 * last line without '\n' too.  *used is the bytes taken: 0 when no line
 * ends in q (a longer block is needed).
 */
static int
feed(struct reader *rd, const char *q, size_t n, int eof, size_t *used,
    struct emb_err *e)
{
	const char *last;
	char *tail;
	int r;

	for (last = q + n; last > q && last[-1] != '\n'; last--)
		;
	if (last > q) {
		*used = (size_t)(last - q);
		return text_block(rd, q, *used, e);
	}
	*used = 0;
	if (!eof)
		return 0;
	tail = xmalloc(n + 1);
	memcpy(tail, q, n);
	tail[n] = '\n';
	r = text_block(rd, tail, n + 1, e);
	free(tail);
	*used = n;
	return r;
}

/* map a plain (named, regular, not gzip) file read-only, or NULL */
static char *
map_plain(const struct src *s, size_t *len)
{
	struct stat st;
	unsigned char m[2];
	void *p;

	if (strcmp(s->name, "<stdin>") == 0 || fstat(s->fd, &st) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uintmax_t)st.st_size > SIZE_MAX || s->offset > (uintmax_t)st.st_size)
		return NULL;
	if (pread(s->fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b)
		return NULL;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, s->fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	posix_madvise(p, (size_t)st.st_size, POSIX_MADV_SEQUENTIAL);
	*len = (size_t)st.st_size;
	return p;
}

int
w2v_read_text(struct table *t, struct src *s, enum w2v_header h,
    size_t limit, struct emb_err *e)
{
	struct reader rd;
	const unsigned char *p;
	const char *nl;
	size_t n, blk = W2V_BLOCK, used, maplen;
	char *map;

	memset(&rd, 0, sizeof(rd));
	rd.t = t;
	rd.s = s;
	rd.limit = limit;
	rd.nthreads = ncores();
	if (rd.nthreads > W2V_MAXPARTS)
		rd.nthreads = W2V_MAXPARTS;
	n = src_peek(s, &p, 4096, e);
	if (s->err)
		return -1;
	nl = memchr(p, '\n', n);
	if (h != W2V_HEADER_NONE && n > 0 && w2v_parse_header((const char *)p,
	    nl != NULL ? (size_t)(nl - (const char *)p) : n, &rd.V,
	    &rd.rows.d) == 0) {
		rd.hdr = 1;
		if (rd.rows.d > W2V_MAXDIM) {
			err_set(e, s->name, 1, "the header says %zu dimensions "
			    "(at most %zu)", rd.rows.d, W2V_MAXDIM);
			return -1;
		}
		consume(s, nl != NULL ? (size_t)(nl - (const char *)p) + 1 : n);
		rd.rows.max = limit > 0 && limit < rd.V ? limit : rd.V;
		rows_first(&rd.rows, s, 2 * rd.rows.d + 2);
	} else if (h == W2V_HEADER_REQUIRED) {
		err_set(e, s->name, 1, "expected a \"V d\" header line");
		return -1;
	} else
		rd.rows.max = limit;
	if ((map = map_plain(s, &maplen)) != NULL) {
		/* a plain file: parse it in place, no copies */
		size_t at = (size_t)s->offset;

		while (at < maplen && !rd.done) {
			size_t len = maplen - at < blk ? maplen - at : blk;

			if (feed(&rd, map + at, len, at + len == maplen, &used,
			    e) < 0) {
				munmap(map, maplen);
				goto fail;
			}
			if (used == 0)
				blk *= 2;	/* a line longer than the block */
			at += used;
		}
		munmap(map, maplen);
	} else
		while (!rd.done) {
			n = src_peek(s, &p, blk, e);
			if (s->err)
				goto fail;
			if (n == 0)
				break;
			if (feed(&rd, (const char *)p, n, n < blk, &used, e) < 0)
				goto fail;
			if (used == 0)
				blk *= 2;
			consume(s, used);
		}
	if (rd.hdr && limit == 0 && rd.rows.n != rd.V) {
		err_set(e, s->name, 1, "the header says %zu rows, the file "
		    "has %zu", rd.V, rd.rows.n);
		goto fail;
	}
	if (!rd.hdr && rd.rows.n == 0) {
		err_set(e, s->name, 0, "no vectors in the file");
		goto fail;
	}
	rows_to_table(&rd.rows, t);
	reader_free(&rd);
	return check_duplicates(t, s->name, 1 + rd.hdr, 0, e);
fail:
	reader_free(&rd);
	return -1;
}

int
w2v_read_bin(struct table *t, struct src *s, size_t limit, struct emb_err *e)
{
	struct rows r;
	char *line, *tok = NULL;
	ssize_t n;
	size_t V, d, want, i, tl, tcap = 0, j;
	int c;

	memset(&r, 0, sizeof(r));
	if ((n = src_getline(s, &line, e)) == -2)
		return -1;
	if (n < 0 || w2v_parse_header(line, (size_t)n, &V, &d) < 0) {
		err_set(e, s->name, 1, "expected a \"V d\" header line");
		return -1;
	}
	if (d > W2V_MAXDIM) {
		err_set(e, s->name, 1, "the header says %zu dimensions (at "
		    "most %zu)", d, W2V_MAXDIM);
		return -1;
	}
	want = limit > 0 && limit < V ? limit : V;
	r.d = d;
	r.max = want;
	rows_first(&r, s, d * sizeof(float) + 2);
	for (i = 0; i < want; i++) {
		float *row;

		/* word2vec.c ends each row with '\n', gensim does not */
		do
			c = src_getc(s, e);
		while (c == '\n' || c == '\r');
		for (tl = 0; c != ' '; tl++) {
			if (c < 0)
				goto trunc;
			if (tl == tcap) {
				tcap = tcap ? tcap * 2 : 64;
				tok = xreallocarray(tok, tcap, 1);
			}
			tok[tl] = (char)c;
			c = src_getc(s, e);
		}
		if (tl == 0) {
			err_set(e, s->name, 0, "row %zu: empty token", i + 1);
			goto fail;
		}
		if (memchr(tok, '\n', tl) != NULL) {
			err_set(e, s->name, 0, "row %zu: a token holds a line "
			    "break", i + 1);
			goto fail;
		}
		if (rows_reserve(&r, i + 1, s->name, e) < 0)
			goto fail;
		row = r.v + i * d;
		if (src_read(s, row, d * sizeof(float), e) != 0)
			goto trunc;
		for (j = 0; j < d; j++)
			if (!isfinite(row[j])) {
				err_set(e, s->name, 0, "row %zu (\"%.*s\"): NaN "
				    "or infinite value", i + 1,
				    (int)(tl > 100 ? 100 : tl), tok);
				goto fail;
			}
		vocab_add(&t->vocab, tok, tl);
		r.n = i + 1;
	}
	if (limit == 0) {
		do
			c = src_getc(s, e);
		while (c == '\n' || c == '\r');
		if (c == -2)
			goto fail;
		if (c >= 0) {
			err_set(e, s->name, 0, "data after the %zu rows the "
			    "header announces", V);
			goto fail;
		}
	}
	free(tok);
	rows_to_table(&r, t);
	return check_duplicates(t, s->name, 1, 1, e);
trunc:
	if (!s->err)
		err_set(e, s->name, 0, "unexpected end of file after row %zu "
		    "(the header says %zu rows)", i, V);
fail:
	free(tok);
	free(r.v);
	return -1;
}

/* can this format hold the token?  0 yes, -1 with the reason */
static int
check_token(const char *tok, size_t len, size_t row, int binary,
    const char *path, struct emb_err *e)
{
	int l = (int)(len > 100 ? 100 : len);

	if (len == 0) {
		err_set(e, path, 0, "row %zu: cannot write an empty token",
		    row + 1);
		return -1;
	}
	if (memchr(tok, '\n', len) != NULL || memchr(tok, '\r', len) != NULL) {
		err_set(e, path, 0, "row %zu: token \"%.*s\" holds a line "
		    "break, which this format cannot store", row + 1, l, tok);
		return -1;
	}
	if (binary && (memchr(tok, ' ', len) != NULL)) {
		err_set(e, path, 0, "row %zu: token \"%.*s\" holds a space, "
		    "which word2vec binary cannot store", row + 1, l, tok);
		return -1;
	}
	return 0;
}

/* rows [from, to) of a table formatted as text lines, by one thread */
struct wpart {
	const struct table *t;
	size_t from, to;
	char *buf;
	size_t len, cap;
	long bad;		/* first row whose token text cannot hold */
};

static void
format_rows(struct wpart *w)
{
	const struct table *t = w->t;
	char idbuf[VOCAB_IDLEN];
	size_t i, j, len;

	w->len = 0;
	w->bad = -1;
	for (i = w->from; i < w->to; i++) {
		const char *tok = vocab_label(&t->vocab, i, idbuf, &len);
		const float *v = table_row(t, i);
		char *o;

		if (len == 0 || memchr(tok, '\n', len) != NULL ||
		    memchr(tok, '\r', len) != NULL) {
			w->bad = (long)i;
			return;
		}
		if (w->cap - w->len < len + t->d * 34 + 2) {
			w->cap = 2 * w->cap + len + t->d * 34 + 2;
			w->buf = xreallocarray(w->buf, w->cap, 1);
		}
		o = w->buf + w->len;
		memcpy(o, tok, len);
		o += len;
		for (j = 0; j < t->d; j++) {
			*o++ = ' ';
			o += vstream_fmt_float(o, v[j]);
		}
		*o++ = '\n';
		w->len = (size_t)(o - w->buf);
	}
	return;
}

/* parts [b, e) of a chunk of rows, on one thread (lib/par.h) */
static void
format_parts(void *arg, size_t b, size_t e)
{
	struct wpart *w = arg;

	for (; b < e; b++)
		format_rows(&w[b]);
}

/*
 * Formatting numbers is the cost of text output, so blocks of rows are
 * formatted on all cores and written in order.
 */
int
w2v_write_text(const struct table *t, FILE *f, int header, const char *path,
    struct emb_err *e)
{
	struct wpart w[W2V_MAXPARTS];
	size_t np = (size_t)ncores(), chunk, at, i, len;
	char idbuf[VOCAB_IDLEN];
	int r = -1;

	if (np > W2V_MAXPARTS)
		np = W2V_MAXPARTS;
	chunk = 1 + ((size_t)1 << 20) / (t->d ? t->d : 1);
	memset(w, 0, sizeof(w));
	if (header && fprintf(f, "%zu %zu\n", t->V, t->d) < 0)
		goto werr;
	for (at = 0; at < t->V; at += chunk * np) {
		for (i = 0; i < np; i++) {
			w[i].t = t;
			w[i].from = at + i * chunk < t->V ? at + i * chunk : t->V;
			w[i].to = w[i].from + chunk < t->V ? w[i].from + chunk :
			    t->V;
		}
		par_run((int)np, np, format_parts, w);
		for (i = 0; i < np; i++) {
			if (w[i].bad >= 0) {
				const char *tok = vocab_label(&t->vocab,
				    (size_t)w[i].bad, idbuf, &len);

				check_token(tok, len, (size_t)w[i].bad, 0, path, e);
				goto done;
			}
			if (w[i].len > 0 &&
			    fwrite(w[i].buf, 1, w[i].len, f) != w[i].len)
				goto werr;
		}
	}
	r = 0;
	goto done;
werr:
	err_sys(e, path);
done:
	for (i = 0; i < np; i++)
		free(w[i].buf);
	return r;
}

int
w2v_write_bin(const struct table *t, FILE *f, int newline, const char *path,
    struct emb_err *e)
{
	char idbuf[VOCAB_IDLEN];
	size_t i, len;

	if (fprintf(f, "%zu %zu\n", t->V, t->d) < 0)
		goto werr;
	for (i = 0; i < t->V; i++) {
		const char *tok = vocab_label(&t->vocab, i, idbuf, &len);

		if (check_token(tok, len, i, 1, path, e) < 0)
			return -1;
		/* x86-64 and other little-endian hosts: floats as they are */
		if (fwrite(tok, 1, len, f) != len || putc(' ', f) == EOF ||
		    fwrite(table_row(t, i), sizeof(float), t->d, f) != t->d ||
		    (newline && putc('\n', f) == EOF))
			goto werr;
	}
	return 0;
werr:
	err_sys(e, path);
	return -1;
}
