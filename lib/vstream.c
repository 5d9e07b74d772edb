/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtype.h"
#include "le.h"
#include "num.h"
#include "textvec.h"
#include "util.h"
#include "vstream.h"

/* a header's d is a claim: more than this is refused before allocating */
#define VSTREAM_MAXDIM ((size_t)1 << 20)

/* the old, obviously right way: the first %.*g that reads back */
static int
fmt_float_slow(char *buf, float x)
{
	int p, n = 0;

	for (p = 6; p <= 9; p++) {
		n = snprintf(buf, 32, "%.*g", p, (double)x);
		if (p == 9 || strtof(buf, NULL) == x)
			break;
	}
	return n;
}

static const double pow10d[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* n * 10^-s as a float, or -1 when double rounding could bite */
static float
scaled_to_float(uint64_t n, int s)
{
	double v = s >= 0 ? (double)n / pow10d[s] : (double)n * pow10d[-s];
	uint64_t bits;

	memcpy(&bits, &v, sizeof(bits));
	if ((bits & ((UINT64_C(1) << 29) - 1)) == (UINT64_C(1) << 28))
		return -1;	/* exactly halfway between two floats */
	return (float)v;
}

/* print digits dig[0..nd) with decimal exponent E the way %g does */
static int
fmt_g(char *buf, int neg, const char *dig, int nd, int E, int prec)
{
	char *p = buf;
	int i;

	if (neg)
		*p++ = '-';
	if (E < -4 || E >= prec) {
		*p++ = dig[0];
		if (nd > 1) {
			*p++ = '.';
			for (i = 1; i < nd; i++)
				*p++ = dig[i];
		}
		p += sprintf(p, "e%c%02d", E < 0 ? '-' : '+', E < 0 ? -E : E);
	} else if (E >= 0) {
		for (i = 0; i <= E; i++)
			*p++ = i < nd ? dig[i] : '0';
		if (nd > E + 1) {
			*p++ = '.';
			for (i = E + 1; i < nd; i++)
				*p++ = dig[i];
		}
	} else {
		*p++ = '0';
		*p++ = '.';
		for (i = 0; i < -E - 1; i++)
			*p++ = '0';
		for (i = 0; i < nd; i++)
			*p++ = dig[i];
	}
	*p = '\0';
	return (int)(p - buf);
}

/*
 * The shortest %.{6..9}g that reads back as x, computed with one scaled
 * multiply per precision instead of snprintf + strtof; anything outside
 * the exact-arithmetic range falls back to the slow way.
 */
int
vstream_fmt_float(char *buf, float x)
{
	double a;
	int e10, p, neg;

	if (x == 0)
		return sprintf(buf, signbit(x) ? "-0" : "0");
	if (!isfinite(x))
		return fmt_float_slow(buf, x);
	neg = x < 0;
	a = fabs((double)x);
	e10 = (int)floor(log10(a));
	if (8 - e10 > 22 || 8 - e10 < -21)
		return fmt_float_slow(buf, x);
	{
		/* make 10^e10 <= a < 10^(e10+1) exact despite log10 */
		int s = 8 - e10;
		double y = s >= 0 ? a * pow10d[s] : a / pow10d[-s];

		if (y < 1e8)
			e10--;
		else if (y >= 1e9)
			e10++;
		if (8 - e10 > 22 || 8 - e10 < -22 || 5 - e10 < -22)
			return fmt_float_slow(buf, x);
	}
	for (p = 6; p <= 9; p++) {
		int s = p - 1 - e10, nd = 0, E, i;
		double y = s >= 0 ? a * pow10d[s] : a / pow10d[-s];
		uint64_t n = (uint64_t)y, t;
		float back;
		char dig[24];

		/* round half to even, as printf does on exact ties */
		if (y - (double)n > 0.5 || (y - (double)n == 0.5 && (n & 1)))
			n++;
		back = scaled_to_float(n, s);
		if (back < 0)
			return fmt_float_slow(buf, x);
		if (n == 0 || back != (float)a)
			continue;
		/* digits of n, then drop trailing zeros */
		for (t = n; t > 0; t /= 10)
			nd++;
		for (i = nd - 1, t = n; i >= 0; i--, t /= 10)
			dig[i] = (char)('0' + t % 10);
		E = nd - 1 - s;
		while (nd > 1 && dig[nd - 1] == '0')
			nd--;
		return fmt_g(buf, neg, dig, nd, E, p);
	}
	return fmt_float_slow(buf, x);
}

int
vstream_write_values(FILE *f, const float *v, size_t d, int sep, int lead)
{
	char buf[64];
	size_t i;

	for (i = 0; i < d; i++) {
		int n = vstream_fmt_float(buf + 1, v[i]);

		buf[0] = (char)sep;
		if (!lead && i == 0) {
			if (fwrite(buf + 1, 1, (size_t)n, f) != (size_t)n)
				return -1;
		} else if (fwrite(buf, 1, (size_t)n + 1, f) != (size_t)n + 1)
			return -1;
	}
	return putc('\n', f) == EOF ? -1 : 0;
}

int
vstream_write_text(FILE *f, const char *label, size_t len, const float *v,
    size_t d)
{
	if (label != NULL && fwrite(label, 1, len, f) != len)
		return -1;
	return vstream_write_values(f, v, d, ' ', label != NULL);
}

int
vstream_write_header(FILE *f, size_t d, int flags)
{
	unsigned char h[12] = { 'E', 'M', 'B', 'V', 1, 0, 0, 0 };

	h[5] = (unsigned char)(flags & (VSTREAM_LABELLED | VSTREAM_SEQUENCES));
	le_put32(h + 8, (uint32_t)d);
	return fwrite(h, 1, 12, f) == 12 ? 0 : -1;
}

int
vstream_write_seq(FILE *f, size_t n)
{
	unsigned char c[4];

	le_put32(c, (uint32_t)n);
	return fwrite(c, 1, 4, f) == 4 ? 0 : -1;
}

int
vstream_write_bin(FILE *f, const char *label, size_t len, const float *v,
    size_t d)
{
	unsigned char l[4];

	if (label != NULL) {
		le_put32(l, (uint32_t)len);
		if (fwrite(l, 1, 4, f) != 4 || fwrite(label, 1, len, f) != len)
			return -1;
	}
	/* x86-64 and every other little-endian host: floats go out as is */
	return fwrite(v, sizeof(float), d, f) == d ? 0 : -1;
}

int
vwriter_open(struct vwriter *w, FILE *f, size_t d, int binary, int flags,
    long long nrows)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->d = d;
	w->binary = binary;
	w->labelled = (flags & VSTREAM_LABELLED) != 0;
	w->nrows = nrows;
	return binary ? vstream_write_header(f, d, flags) : 0;
}

int
vwriter_row(struct vwriter *w, const char *label, size_t len, const float *v,
    const char **why)
{
	if (w->binary) {
		w->n++;
		return vstream_write_bin(w->f, label, len, v, w->d);
	}
	if (label != NULL && len == 0)
		label = NULL;	/* an empty label: a row without one */
	if (label != NULL && (*why = textvec_label_bad(label, len)) != NULL)
		return -2;
	if (w->n == 0 && w->labelled && (label == NULL ||
	    textvec_label_is_num(label, len))) {
		/* a reader without d would take the label for a number */
		if (w->nrows >= 0) {
			if (fprintf(w->f, "%lld %zu\n", w->nrows, w->d) < 0)
				return -1;
		} else if ((w->spool = tmpfile()) == NULL)
			return -1;
	}
	w->n++;
	return vstream_write_text(w->spool != NULL ? w->spool : w->f, label,
	    len, v, w->d);
}

int
vwriter_close(struct vwriter *w)
{
	size_t k;
	int r = 0;

	if (w->spool == NULL)
		return 0;
	w->buf = xmalloc((size_t)1 << 16);
	if (fflush(w->spool) != 0 || fseek(w->spool, 0, SEEK_SET) != 0 ||
	    fprintf(w->f, "%zu %zu\n", w->n, w->d) < 0)
		r = -1;
	while (r == 0 && (k = fread(w->buf, 1, (size_t)1 << 16, w->spool)) > 0)
		if (fwrite(w->buf, 1, k, w->f) != k)
			r = -1;
	if (r == 0 && ferror(w->spool))
		r = -1;
	fclose(w->spool);
	free(w->buf);
	w->spool = NULL;
	w->buf = NULL;
	return r;
}

/* what the first bytes of an open s->src say */
static int
vstream_begin(struct vstream *s, size_t d, struct emb_err *e)
{
	const unsigned char *p;
	size_t n;

	src_raw(&s->src);
	n = src_peek(&s->src, &p, 12, e);
	if (n >= 4 && memcmp(p, VSTREAM_MAGIC, 4) == 0) {
		unsigned char h[12];
		size_t hd;

		if (src_read(&s->src, h, 12, e) != 0) {
			err_set(e, s->src.name, 0, "truncated vector stream "
			    "header");
			goto fail;
		}
		hd = le_get32(h + 8);
		if (h[4] != 1 || hd == 0 ||
		    (h[5] & ~(VSTREAM_LABELLED | VSTREAM_SEQUENCES)) != 0) {
			err_set(e, s->src.name, 0, "unsupported vector stream "
			    "(version %d, d %zu)", h[4], hd);
			goto fail;
		}
		if (hd > VSTREAM_MAXDIM) {
			err_set(e, s->src.name, 0, "vector stream header says "
			    "%zu dimensions (at most %zu)", hd, VSTREAM_MAXDIM);
			goto fail;
		}
		if (d != 0 && hd != d) {
			err_set(e, s->src.name, 0, "vectors have %zu "
			    "dimensions, expected %zu", hd, d);
			goto fail;
		}
		s->binary = 1;
		s->labelled = h[5] & VSTREAM_LABELLED;
		s->sequences = (h[5] & VSTREAM_SEQUENCES) != 0;
		d = hd;
	} else if (src_skip_bom(&s->src, e) < 0)
		goto fail;
	s->d = d;
	return 0;
fail:
	src_close(&s->src);
	return -1;
}

/*
 * sequences: before a sequence's first row, its row count; 0 ready, -1
 * clean end (between sequences), -2 error
 */
static int
next_seq(struct vstream *s, struct emb_err *e)
{
	unsigned char c[4];
	int r;

	if (s->left > 0) {
		s->pos++;
		return 0;
	}
	do {
		if ((r = src_read(&s->src, c, 4, e)) == -1)
			return -1;
		if (r != 0) {
			if (!s->src.err)
				err_set(e, s->src.name, 0, "unexpected end of file "
				    "in the row count of sequence %zu",
				    s->nseq + 1);
			return -2;
		}
		s->nseq++;
		s->left = le_get32(c);
	} while (s->left == 0);
	s->seq = s->nseq - 1;
	s->pos = 0;
	return 0;
}

int
vstream_open(struct vstream *s, const char *path, size_t d, struct emb_err *e)
{
	memset(s, 0, sizeof(*s));
	if (src_open(&s->src, path, e) < 0)
		return -1;
	return vstream_begin(s, d, e);
}

int
vstream_open_mem(struct vstream *s, const void *p, size_t n, const char *name,
    size_t d, struct emb_err *e)
{
	memset(s, 0, sizeof(*s));
	if (src_open_mem(&s->src, p, n, name, e) < 0)
		return -1;
	return vstream_begin(s, d, e);
}

/*
 * Room for a row, allocated when the first row arrives: d is a claim
 * (a header's), and memory follows the data that backs it.
 */
static void
ensure_vec(struct vstream *s)
{
	if (s->cap >= s->d)
		return;
	free(s->vec);
	s->vec = xreallocarray(NULL, s->d, sizeof(float));
	s->cap = s->d;
}

/* can the rest of the input hold a binary row?  (pipes: assume so) */
static int
bin_room(struct vstream *s)
{
	size_t left;

	return s->cap >= s->d || src_size(&s->src, &left) < 0 ||
	    left / sizeof(float) >= s->d;
}

static int
next_bin(struct vstream *s, struct emb_err *e)
{
	unsigned char l[4];
	int r;

	if (s->sequences) {
		if ((r = next_seq(s, e)) < 0)
			return r;
		s->left--;
	}
	if (s->labelled) {
		uint32_t len;
		size_t left;

		if ((r = src_read(&s->src, l, 4, e)) == -1 && !s->sequences)
			return -1;
		if (r < 0)
			goto trunc;
		len = le_get32(l);
		if (len > SRC_MAXLINE) {
			err_set(e, s->src.name, 0, "label of %lu bytes in row "
			    "%zu", (unsigned long)len, s->row + 1);
			return -2;
		}
		/* a claim: not allocated beyond what the input still holds */
		if (src_size(&s->src, &left) == 0 && left < len)
			goto trunc;
		if (s->lcap < (size_t)len + 1) {
			s->lcap = (size_t)len + 1;
			s->label = xreallocarray(s->label, s->lcap, 1);
		}
		if (len > 0 && src_read(&s->src, s->label, len, e) != 0)
			goto trunc;
		s->label[len] = '\0';
		s->labellen = len;
		if (!bin_room(s))
			goto trunc;
		ensure_vec(s);
		r = src_read(&s->src, s->vec, s->d * sizeof(float), e);
		if (r != 0)
			goto trunc;
	} else {
		const unsigned char *p;

		if (!bin_room(s)) {
			if (src_peek(&s->src, &p, 1, e) == 0 && !s->src.err &&
			    !s->sequences)
				return -1;
			goto trunc;
		}
		ensure_vec(s);
		r = src_read(&s->src, s->vec, s->d * sizeof(float), e);
		if (r == -1 && !s->sequences)
			return -1;
		if (r < 0)
			goto trunc;
		s->labellen = 0;
	}
	if (!f32_finite(s->vec, s->d)) {
		err_set(e, s->src.name, 0, "row %zu: NaN or infinite value",
		    s->row + 1);
		return -2;
	}
	s->row++;
	return 0;
trunc:
	if (s->src.err)
		return -2;
	err_set(e, s->src.name, 0, "unexpected end of file after row %zu",
	    s->row);
	return -2;
}

/*
 * The line after the current one, [*n, *ne) (n NULL at the end): looked
 * at, not consumed.  The buffer may move: the current line must have
 * been copied.
 */
static void
next_line(struct vstream *s, const char **n, const char **ne,
    struct emb_err *e)
{
	const unsigned char *p;
	size_t got, want = 64;
	const char *nl = NULL;

	for (;;) {
		got = src_peek(&s->src, &p, want, e);
		if ((nl = memchr(p, '\n', got)) != NULL || got < want ||
		    want >= 4096)
			break;
		want *= 2;
	}
	*n = *ne = NULL;
	if (got == 0)
		return;
	*n = (const char *)p;
	*ne = nl != NULL ? nl : (const char *)p + got;
}

/*
 * The first line of a stream whose d is not known (a copy, in s->first):
 * a "N d" header (then 1), a malformed one (-2), or the first row, which
 * sets d and whether the rows are labelled (0).
 */
static int
learn_dim(struct vstream *s, size_t len, struct emb_err *e)
{
	const char *line = s->first, *n = "", *ne = n;
	char show[48];
	enum textvec_first f = TEXTVEC_ROW;
	size_t V, d;
	int unl;

	if (s->src.line == 1 &&
	    (f = textvec_header(line, line + len, n, ne, &V, &d)) ==
	    TEXTVEC_BAD_HEADER) {
		/* two numbers: a header only if the next line is no row */
		next_line(s, &n, &ne, e);
		f = textvec_header(line, line + len, n, ne, &V, &d);
	}
	if (f == TEXTVEC_BAD_HEADER) {
		err_set(e, s->src.name, 1, "malformed header \"%s\": expected "
		    "\"N d\", two whole numbers with d > 0",
		    textvec_show(line, len, show, 32));
		return -2;
	}
	if (f == TEXTVEC_HEADER) {
		if (d > VSTREAM_MAXDIM) {
			err_set(e, s->src.name, 1, "the header says %zu "
			    "dimensions (at most %zu)", d, VSTREAM_MAXDIM);
			return -2;
		}
		s->d = d;
		s->hdr = 1;
		return 1;
	}
	if ((d = textvec_first_dim(line, line + len, &unl)) == 0) {
		err_set(e, s->src.name, s->src.line, "no numbers");
		return -2;
	}
	if (d > VSTREAM_MAXDIM) {
		err_set(e, s->src.name, s->src.line, "%zu numbers (at most "
		    "%zu)", d, VSTREAM_MAXDIM);
		return -2;
	}
	s->d = d;
	s->unl = unl;
	s->dline = s->src.line;
	return 0;
}

/* the message for a row that did not parse */
static void
row_error(struct vstream *s, const char *line, size_t n,
    const struct textvec_err *er, struct emb_err *e)
{
	const char *name = s->src.name;
	size_t l = s->src.line, d = s->d;

	switch (er->why) {
	case TEXTVEC_FEW:
		err_set(e, name, l, "expected %zu numbers, found %zu field%s",
		    d, er->nf, er->nf == 1 ? "" : "s");
		break;
	case TEXTVEC_NOTNUM:
		if (s->unl && er->nf == d && !textvec_label_is_num(line,
		    (size_t)n)) {
			err_set(e, name, l, "not a number: \"%s\" (the rows "
			    "are unlabelled, as line %zu starts with a "
			    "number; an \"N d\" header line would say d)",
			    er->field, s->dline);
			break;
		}
		err_set(e, name, l, "not a number: \"%s\"", er->field);
		break;
	case TEXTVEC_NAN:
		err_set(e, name, l, "NaN or infinite value \"%s\"", er->field);
		break;
	case TEXTVEC_EXTRA:
		err_set(e, name, l, "%zu numbers, expected %zu", er->nnum, d);
		break;
	default:
		err_set(e, name, l, "empty line");
		break;
	}
}

int
vstream_next(struct vstream *s, struct emb_err *e)
{
	struct textvec_err er;
	char *line;
	ssize_t n;
	size_t V, hd, nf;
	int r;

	if (s->binary)
		return next_bin(s, e);
	for (;;) {
		if ((n = src_getline(&s->src, &line, e)) < 0)
			return (int)n;
		if ((nf = textvec_fields(line, line + n)) > 0)
			break;	/* blank lines separate nothing */
	}
	if (s->row == 0 && s->src.line == 1 && s->d > 0 && !s->hdr &&
	    textvec_header(line, line + n, NULL, NULL, &V, &hd) ==
	    TEXTVEC_HEADER) {
		/* "N d" is a header where it cannot be a row of d numbers */
		if (hd == s->d) {
			s->hdr = 1;
			return vstream_next(s, e);
		}
		if (s->d > 2) {
			err_set(e, s->src.name, 1, "the header says %zu "
			    "dimensions, expected %zu", hd, s->d);
			return -2;
		}
	}
	if (s->d == 0) {
		/* learn_dim may look ahead, which can move line: copy it */
		free(s->first);
		s->first = line = xmemdup(line, (size_t)n);
		if ((r = learn_dim(s, (size_t)n, e)) == 1)
			return vstream_next(s, e);
		if (r < 0)
			return -2;
	}
	if (s->cap < s->d && nf < s->d) {
		err_set(e, s->src.name, s->src.line, "expected %zu numbers, "
		    "found %zu field%s", s->d, nf, nf == 1 ? "" : "s");
		return -2;
	}
	ensure_vec(s);
	if (textvec_parse(line, line + n, s->d, s->vec, &s->labellen,
	    &er) < 0) {
		row_error(s, line, (size_t)n, &er, e);
		return -2;
	}
	if (s->unl && s->labellen > 0) {
		char show[48];

		err_set(e, s->src.name, s->src.line, "a label (\"%s\"), but "
		    "line %zu has none (it starts with a number); an \"N d\" "
		    "header line would say d", textvec_show(line, s->labellen,
		    show, 32), s->dline);
		return -2;
	}
	if (s->labellen > 0) {
		line[s->labellen] = '\0';
		s->label = line;
	} else
		s->label = NULL;
	s->row++;
	return 0;
}

/* the trailing numbers of a line's last fields: *nf fields, *nint ints */
static size_t
trailing_numbers(char *line, size_t *nf, size_t *nint)
{
	char *f, *save = NULL, *end;
	size_t nnum = 0;

	*nf = *nint = 0;
	for (f = strtok_r(line, " \t\r", &save); f != NULL;
	    f = strtok_r(NULL, " \t\r", &save)) {
		(*nf)++;
		(void)num_float(f, &end);
		if (end == f || *end != '\0') {
			nnum = 0;
			*nint = 0;
			continue;
		}
		nnum++;
		*nint += strspn(f, "0123456789") == strlen(f);
	}
	return nnum;
}

int
vstream_sniff(struct vstream *s, size_t d, struct emb_err *e)
{
	const unsigned char *p;
	size_t got, want = 256, i, nf, nnum, nint;
	char line[512], *skip;
	int first = 1;		/* the line is the first of the input */

	for (;;) {
		got = src_peek(&s->src, &p, want, e);
		if (memchr(p, '\n', got) != NULL || got < want)
			break;
		want *= 2;
		if (want > ((size_t)1 << 20))
			break;
	}
	/* the first line that is not blank */
	for (;;) {
		for (i = 0; i < got && (p[i] == ' ' || p[i] == '\t' ||
		    p[i] == '\r'); i++)
			;
		if (i == got || p[i] != '\n')
			break;
		p += i + 1;
		got -= i + 1;
		first = 0;
	}
	/* look at its last fields (up to 511 bytes) */
	for (i = 0; i < got && p[i] != '\n'; i++)
		;
	got = i;
	i = got > sizeof(line) - 1 ? got - (sizeof(line) - 1) : 0;
	memcpy(line, p + i, got - i);
	line[got - i] = '\0';
	nnum = trailing_numbers(line, &nf, &nint);
	if (first && i == 0 && nf == 2 && nint == 2 && d != 2) {
		/* a read error here is met again by the next read */
		(void)src_getline(&s->src, &skip, e);
		return 1;
	}
	return nnum >= 2 || (d == 1 && nnum == 1);
}

void
vstream_close(struct vstream *s)
{
	if (s->binary)
		free(s->label);
	free(s->first);
	free(s->vec);
	src_close(&s->src);
	memset(s, 0, sizeof(*s));
}
