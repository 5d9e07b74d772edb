/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "num.h"
#include "par.h"
#include "textvec.h"
#include "util.h"
#include "w2v.h"
#include "w2v_impl.h"

#define W2V_BLOCK ((size_t)8 << 20)	/* text is parsed in blocks of this */
#define W2V_MAXPARTS 16			/* threads per block, at most */
#define W2V_MINPART ((size_t)1 << 20)	/* smaller blocks use one thread */
int
rows_reserve(struct rows *r, size_t need, const char *name, struct emb_err *e)
{
	size_t cap, bytes;
	float *nv;

	if (need <= r->cap)
		return 0;
	cap = r->cap ? r->cap : r->first > 0 ? r->first :
	    1 + ((size_t)1 << 18) / r->d;
	/* a text row of d numbers takes 2d bytes at least */
	if (r->cap == 0 && r->left > 0 && cap > r->left / (2 * r->d) + 1)
		cap = r->left / (2 * r->d) + 1;
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
file_rows(struct src *s, size_t minrow)
{
	size_t left;

	if (src_size(s, &left) < 0 || left == 0)
		return 0;
	return left / minrow;
}

void
rows_first(struct rows *r, struct src *s, size_t minrow)
{
	size_t n = file_rows(s, minrow);

	if (n > 0 && r->max > 0)
		r->first = n < r->max ? n : r->max;
}

/* hand the rows over to t */
void
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

/* are the rows labelled?  (text rows; see textvec.h) */
enum {
	LAB_UNSET,	/* not known yet */
	LAB_YES,	/* a token, then d numbers */
	LAB_NO,		/* d numbers */
	LAB_MAYBE	/* the first field of the first row is a number: read
			 * as labelled, unlabelled after all when every token
			 * is a number (then d is one more) */
};

/* what went wrong in a text row, beyond textvec's reasons */
enum { RE_TV, RE_NOTOKEN, RE_LABEL };

struct rowerr {
	int code;
	struct textvec_err tv;	/* RE_TV */
	char tok[64];		/* RE_NOTOKEN, RE_LABEL: shown as is */
};

/*
 * Parse the row [p, e); *e is '\n' (never part of a number).  The fast
 * path takes a token without blanks (none for LAB_NO) followed by
 * exactly d numbers; any surprise goes to textvec_parse, which also
 * words the error.
 */
static int
parse_row(const char *p, const char *e, size_t d, int lab, float *out,
    size_t *toklen, struct rowerr *re)
{
	const char *q = p;
	char *ne;
	size_t k;

	while (e > p && (isblk(e[-1]) || e[-1] == '\r'))
		e--;
	*toklen = 0;
	if (lab != LAB_NO) {
		while (q < e && !isblk(*q))
			q++;
		*toklen = (size_t)(q - p);
	}
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
	if (k == d && q == e && (lab == LAB_NO) == (*toklen == 0))
		return 0;
	re->code = RE_TV;
	if (textvec_parse(p, e, d, out, toklen, &re->tv) < 0)
		return -1;
	if (lab == LAB_NO && *toklen > 0) {
		re->tv.nf = textvec_fields(p, e);
		if (textvec_tail(p, p + *toklen) ==
		    textvec_fields(p, p + *toklen)) {
			re->tv.why = TEXTVEC_FEW;	/* too many numbers */
			return -1;
		}
		re->code = RE_LABEL;
		textvec_show(p, *toklen, re->tok, sizeof(re->tok) - 8);
		return -1;
	}
	if (lab != LAB_NO && *toklen == 0) {
		/* blanks before the numbers: all but the last are a token */
		for (q = p; q < e && isblk(*q); q++)
			;
		re->code = RE_NOTOKEN;
		textvec_show(p, q > p ? (size_t)(q - p) - 1 : 0, re->tok,
		    sizeof(re->tok) - 8);
		return -1;
	}
	return 0;
}

/*
 * One slice of a block, parsed by one thread.  Its lines are counted
 * first, so that it knows where its rows go and parses them straight
 * into the table (vec points there); a slice with more lines than its
 * bytes can hold as rows (a row of d numbers takes 2d bytes) has a line
 * that is not a row, and parses into its own buf instead, as do the
 * slices after it (their place is not known).
 */
struct part {
	const char *p, *end;	/* whole lines; end is just after a '\n' */
	size_t d, limit;
	int lab;
	size_t lines;		/* '\n's in [p, end) */
	int own;		/* rows go to buf, not to the table */
	float *vec;		/* row 0 of the slice: in the table or buf */
	float *buf;
	size_t bcap;		/* rows in buf */
	size_t *toff, *tlen;	/* token offsets from p, lengths */
	size_t n, cap;		/* cap: entries in toff and tlen */
	int failed;
	struct rowerr re;
};

static void
count_part(struct part *pt)
{
	const char *p = pt->p, *nl;
	size_t n = 0;

	while (p < pt->end &&
	    (nl = memchr(p, '\n', (size_t)(pt->end - p))) != NULL) {
		n++;
		p = nl + 1;
	}
	pt->lines = n;
}

/* room for one more row in an own slice */
static void
part_grow(struct part *pt, const char *p)
{
	/* rows of d numbers take 2d bytes: no more than that */
	size_t most = 1 + (size_t)(pt->end - p) / (2 * pt->d);
	size_t cap = pt->bcap ? pt->bcap * 2 : 1 + ((size_t)1 << 16) / pt->d;

	if (cap > pt->n + most)
		cap = pt->n + most;
	pt->buf = xreallocarray(pt->buf, cap, pt->d * sizeof(float));
	pt->vec = pt->buf;
	pt->bcap = cap;
	if (pt->cap < cap) {
		pt->toff = xreallocarray(pt->toff, cap, sizeof(size_t));
		pt->tlen = xreallocarray(pt->tlen, cap, sizeof(size_t));
		pt->cap = cap;
	}
}

static void
parse_part(struct part *pt)
{
	const char *p = pt->p, *nl;
	size_t toklen;

	pt->n = 0;
	pt->failed = 0;
	while (p < pt->end && pt->n < pt->limit) {
		nl = memchr(p, '\n', (size_t)(pt->end - p));
		if (pt->own && pt->n == pt->bcap)
			part_grow(pt, p);
		if (parse_row(p, nl, pt->d, pt->lab, pt->vec + pt->n * pt->d,
		    &toklen, &pt->re) < 0) {
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

struct reader {
	struct table *t;
	struct src *s;
	struct rows rows;
	size_t V, hdr, limit;	/* hdr: 1 if the file has a header line */
	int lab;		/* LAB_* */
	struct part parts[W2V_MAXPARTS];
	int nthreads;
	int done;
};

/* in LAB_MAYBE, is every token so far (and n more of pt) a number? */
static int
all_numeric(const struct reader *rd, const struct part *pt, size_t n)
{
	const struct vocab *v = &rd->t->vocab;
	size_t i, len;
	const char *tok;

	if (rd->lab != LAB_MAYBE)
		return 0;
	for (i = 0; i < v->n; i++) {
		tok = vocab_token(v, i, &len);
		if (!textvec_is_num(tok, tok + len))
			return 0;
	}
	for (i = 0; pt != NULL && i < n; i++)
		if (!textvec_is_num(pt->p + pt->toff[i],
		    pt->p + pt->toff[i] + pt->tlen[i]))
			return 0;
	return 1;
}

static void
row_error(struct emb_err *e, const struct reader *rd, size_t line,
    const struct rowerr *re, int unl)
{
	const char *name = rd->s->name;
	size_t d = rd->rows.d, nf = re->tv.nf;

	if (re->code == RE_NOTOKEN && unl) {
		/* all numbers so far: word it for unlabelled rows */
		err_set(e, name, line, "expected %zu numbers, found %zu "
		    "field%s", d + 1, d, d == 1 ? "" : "s");
		return;
	}
	if (re->code == RE_NOTOKEN) {
		if (re->tok[0] != '\0')
			err_set(e, name, line, "token \"%s\" is only blanks, "
			    "which separate fields", re->tok);
		else
			err_set(e, name, line, "no token before the %zu "
			    "numbers", d);
		return;
	}
	if (re->code == RE_LABEL) {
		err_set(e, name, line, "a token (\"%s\"), but line %zu has "
		    "none", re->tok, rd->hdr + 1);
		return;
	}
	if (unl && (re->tv.why == TEXTVEC_FEW || re->tv.why == TEXTVEC_EXTRA)) {
		/* all numbers so far: word it for unlabelled rows */
		err_set(e, name, line, "expected %zu numbers, found %zu "
		    "field%s", d + 1, nf, nf == 1 ? "" : "s");
		return;
	}
	switch (re->tv.why) {
	case TEXTVEC_EMPTY:
		err_set(e, name, line, "empty line");
		break;
	case TEXTVEC_FEW:
		if (rd->lab == LAB_NO)
			err_set(e, name, line, "expected %zu numbers, found "
			    "%zu field%s", d, nf, nf == 1 ? "" : "s");
		else
			err_set(e, name, line, "expected a token and %zu "
			    "numbers, found %zu field%s", d, nf,
			    nf == 1 ? "" : "s");
		break;
	case TEXTVEC_NOTNUM:
		if (rd->lab != LAB_NO && nf < d + 1)
			err_set(e, name, line, "expected a token and %zu "
			    "numbers, found %zu field%s", d, nf,
			    nf == 1 ? "" : "s");
		else
			err_set(e, name, line, "not a number: \"%s\"",
			    re->tv.field);
		break;
	case TEXTVEC_NAN:
		err_set(e, name, line, "NaN or infinite value \"%s\"",
		    re->tv.field);
		break;
	default:
		if (rd->hdr)
			err_set(e, name, line, "%zu numbers, the header says "
			    "%zu", re->tv.nnum, d);
		else
			err_set(e, name, line, "%zu numbers, line 1 has %zu",
			    re->tv.nnum, d);
		break;
	}
}

/* d and the label rule from the first row of a block */
static int
learn_rows(struct reader *rd, const char *p, size_t len, struct emb_err *e)
{
	const char *nl = memchr(p, '\n', len);
	size_t d;
	int unl;

	if (rd->rows.d > 0) {
		/* d from the header: d fields make an unlabelled row */
		rd->lab = textvec_fields(p, nl) == rd->rows.d ? LAB_NO :
		    LAB_YES;
		return 0;
	}
	if ((d = textvec_first_dim(p, nl, &unl)) == 0) {
		err_set(e, rd->s->name, rd->hdr + 1, "expected a token and "
		    "numbers");
		return -1;
	}
	if (d > W2V_MAXDIM) {
		err_set(e, rd->s->name, rd->hdr + 1, "%zu dimensions (at most "
		    "%zu)", d, W2V_MAXDIM);
		return -1;
	}
	rd->lab = !unl ? LAB_YES : d == 1 ? LAB_NO : LAB_MAYBE;
	rd->rows.d = rd->lab == LAB_MAYBE ? d - 1 : d;
	return 0;
}

/* append the first take rows of pt (in place: they are there already) */
static int
take_rows(struct reader *rd, struct part *pt, size_t take, struct emb_err *e)
{
	size_t d = rd->rows.d, j;

	if (pt->own) {
		if (rows_reserve(&rd->rows, rd->rows.n + take, rd->s->name,
		    e) < 0)
			return -1;
		memcpy(rd->rows.v + rd->rows.n * d, pt->vec,
		    take * d * sizeof(float));
	}
	if (rd->lab != LAB_NO)
		for (j = 0; j < take; j++)
			vocab_add(&rd->t->vocab, pt->p + pt->toff[j],
			    pt->tlen[j]);
	rd->rows.n += take;
	return 0;
}

/* count / parse parts [b, e) of a block, on one thread (lib/par.h) */
static void
count_parts(void *arg, size_t b, size_t e)
{
	struct part *parts = arg;

	for (; b < e; b++)
		count_part(&parts[b]);
}

static void
parse_parts(void *arg, size_t b, size_t e)
{
	struct part *parts = arg;

	for (; b < e; b++)
		parse_part(&parts[b]);
}

/*
 * Cut [p, p + len) into slices of whole lines, count their lines, make
 * room in the table for the rows they can hold and point each slice at
 * its place.  Returns the number of slices, 0 on error.
 */
static size_t
block_parts(struct reader *rd, const char *p, size_t len, struct emb_err *e)
{
	size_t np, i, want = SIZE_MAX, total = 0, at_row, rows;
	const char *at = p, *end = p + len;
	int own = 0;

	if (rd->limit > 0)
		want = rd->limit - rd->rows.n;
	np = len < W2V_MINPART ? 1 : (size_t)rd->nthreads;
	for (i = 0; i < np; i++) {
		struct part *pt = &rd->parts[i];
		const char *stop = i + 1 == np ? end : p + len / np * (i + 1);

		if (stop < at)
			stop = at;
		if (stop < end)
			stop = (const char *)memchr(stop, '\n',
			    (size_t)(end - stop)) + 1;
		if (pt->d != rd->rows.d) {
			free(pt->buf);
			pt->buf = NULL;
			pt->bcap = 0;
		}
		pt->d = rd->rows.d;
		pt->lab = rd->lab;
		pt->p = at;
		pt->end = stop;
		at = stop;
	}
	par_run((int)np, np, count_parts, rd->parts);
	for (i = 0; i < np; i++) {
		struct part *pt = &rd->parts[i];

		pt->limit = total < want ? want - total : 0;
		rows = pt->lines < pt->limit ? pt->lines : pt->limit;
		if (rows > 1 + (size_t)(pt->end - pt->p) / (2 * pt->d))
			own = 1;
		pt->own = own;
		if (own) {
			pt->limit = want;	/* as if alone */
			continue;
		}
		if (rows > pt->cap) {
			pt->toff = xreallocarray(pt->toff, rows,
			    sizeof(size_t));
			pt->tlen = xreallocarray(pt->tlen, rows,
			    sizeof(size_t));
			pt->cap = rows;
		}
		total += rows;
	}
	if (rows_reserve(&rd->rows, rd->rows.n + total, rd->s->name, e) < 0)
		return 0;
	for (i = 0, at_row = rd->rows.n; i < np; i++) {
		struct part *pt = &rd->parts[i];

		rows = pt->lines < pt->limit ? pt->lines : pt->limit;
		if (pt->own)
			pt->vec = pt->buf;
		else
			pt->vec = rows > 0 ?
			    rd->rows.v + at_row * rd->rows.d : NULL;
		at_row += pt->own ? 0 : rows;
	}
	return np;
}

/* parse the whole lines [p, p + len) and append them */
static int
text_block(struct reader *rd, const char *p, size_t len, struct emb_err *e)
{
	size_t np, i;

	if (rd->lab == LAB_UNSET && learn_rows(rd, p, len, e) < 0)
		return -1;
	if ((np = block_parts(rd, p, len, e)) == 0)
		return -1;
	par_run((int)np, np, parse_parts, rd->parts);
	/* the slices in order: the first problem is the one reported */
	for (i = 0; i < np; i++) {
		struct part *pt = &rd->parts[i];
		size_t take = pt->n;

		if (rd->limit > 0 && take > rd->limit - rd->rows.n)
			take = rd->limit - rd->rows.n;
		if (rd->hdr && rd->limit == 0 && rd->rows.n + take > rd->V) {
			if (rd->V == 0)
				err_set(e, rd->s->name, 1, "the header says 0 "
				    "rows, but rows follow");
			else
				err_set(e, rd->s->name, rd->hdr + rd->V + 1,
				    "more rows than the header's %zu", rd->V);
			return -1;
		}
		if (pt->failed && take == pt->n) {
			row_error(e, rd, rd->hdr + rd->rows.n + pt->n + 1,
			    &pt->re, all_numeric(rd, pt, pt->n));
			return -1;
		}
		if (take_rows(rd, pt, take, e) < 0)
			return -1;
		if (rd->limit > 0 && rd->rows.n == rd->limit) {
			rd->done = 1;
			break;
		}
	}
	return 0;
}

static void
reader_free(struct reader *rd)
{
	int i;

	for (i = 0; i < W2V_MAXPARTS; i++) {
		free(rd->parts[i].buf);
		free(rd->parts[i].toff);
		free(rd->parts[i].tlen);
	}
	free(rd->rows.v);
}

/* duplicate tokens are an error: name both rows (lines: + first) */
int
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

/* the rest of a plain file or a memory block, read in place; or NULL */
static const char *
map_rest(struct src *s, size_t *len)
{
	const char *p = src_map(s, len);
	uintptr_t a;
	long pg = sysconf(_SC_PAGESIZE);

	if (p == NULL || *len == 0)
		return NULL;
	if (pg > 0) {
		a = (uintptr_t)p - (uintptr_t)p % (uintptr_t)pg;
		posix_madvise((void *)a, *len + ((uintptr_t)p - a),
		    POSIX_MADV_SEQUENTIAL);
	}
	return p;
}

/* the header (or its absence) from the first bytes p[0, n) of s */
static int
text_header(struct reader *rd, const char *p, size_t n, enum w2v_header h,
    struct emb_err *e)
{
	const char *nl = memchr(p, '\n', n), *l2 = NULL, *l2e = NULL;
	enum textvec_first f = TEXTVEC_ROW;
	char show[48];

	if (nl != NULL && nl + 1 < p + n) {
		l2 = nl + 1;
		if ((l2e = memchr(l2, '\n', (size_t)(p + n - l2))) == NULL)
			l2e = p + n;
	}
	if (h != W2V_HEADER_NONE && n > 0)
		f = textvec_header(p, nl != NULL ? nl : p + n, l2, l2e,
		    &rd->V, &rd->rows.d);
	if (f == TEXTVEC_BAD_HEADER) {
		size_t len = (nl != NULL ? (size_t)(nl - p) : n);

		while (len > 0 && (p[len - 1] == '\r' || isblk(p[len - 1])))
			len--;
		err_set(e, rd->s->name, 1, "malformed header \"%s\": expected "
		    "\"V d\", two whole numbers with d > 0",
		    textvec_show(p, len, show, 32));
		return -1;
	}
	if (f == TEXTVEC_ROW) {
		if (h == W2V_HEADER_REQUIRED) {
			err_set(e, rd->s->name, 1, "expected a \"V d\" header "
			    "line");
			return -1;
		}
		rd->rows.max = rd->limit;
		return 0;
	}
	rd->hdr = 1;
	if (rd->rows.d > W2V_MAXDIM) {
		err_set(e, rd->s->name, 1, "the header says %zu dimensions (at "
		    "most %zu)", rd->rows.d, W2V_MAXDIM);
		return -1;
	}
	src_consume(rd->s, nl != NULL ? (size_t)(nl - p) + 1 : n);
	rd->rows.max = rd->limit > 0 && rd->limit < rd->V ? rd->limit : rd->V;
	rows_first(&rd->rows, rd->s, 2 * rd->rows.d + 2);
	return 0;
}

int
w2v_read_text(struct table *t, struct src *s, enum w2v_header h,
    size_t limit, struct emb_err *e)
{
	struct reader rd;
	const unsigned char *p;
	size_t n, blk = W2V_BLOCK, used, maplen;
	const char *map;

	memset(&rd, 0, sizeof(rd));
	rd.t = t;
	rd.s = s;
	rd.limit = limit;
	rd.nthreads = ncores();
	if (rd.nthreads > W2V_MAXPARTS)
		rd.nthreads = W2V_MAXPARTS;
	n = src_peek(s, &p, 4096, e);
	if (s->err || text_header(&rd, (const char *)p, n, h, e) < 0)
		return -1;
	if (src_size(s, &rd.rows.left) < 0)
		rd.rows.left = 0;
	if ((map = map_rest(s, &maplen)) != NULL) {
		/* a plain file: parse it in place, no copies */
		size_t at = 0;

		while (at < maplen && !rd.done) {
			size_t len = maplen - at < blk ? maplen - at : blk;

			if (feed(&rd, map + at, len, at + len == maplen, &used,
			    e) < 0)
				goto fail;
			if (used == 0)
				blk *= 2;	/* a line longer than the block */
			at += used;
		}
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
			src_consume(s, used);
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
	if (all_numeric(&rd, NULL, 0)) {
		reader_free(&rd);
		return table_unlabel(t, s->name, e);
	}
	reader_free(&rd);
	if (rd.lab == LAB_NO)
		return 0;
	return check_duplicates(t, s->name, 1 + rd.hdr, 0, e);
fail:
	reader_free(&rd);
	return -1;
}
