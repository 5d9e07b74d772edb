/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "num.h"
#include "textvec.h"

int
textvec_is_num(const char *p, const char *e)
{
	char buf[64], *end;
	float x;

	if (p >= e || (size_t)(e - p) >= sizeof(buf))
		return 0;
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	x = num_float(buf, &end);
	return end == buf + (e - p) && isfinite(x);
}

size_t
textvec_fields(const char *p, const char *e)
{
	size_t n = 0;

	while (p < e) {
		while (p < e && TEXTVEC_BLANK(*p))
			p++;
		if (p == e)
			break;
		n++;
		while (p < e && !TEXTVEC_BLANK(*p))
			p++;
	}
	return n;
}

/* [p, e) without the blanks and '\r' at its end */
static const char *
trim_end(const char *p, const char *e)
{
	while (e > p && (TEXTVEC_BLANK(e[-1]) || e[-1] == '\r'))
		e--;
	return e;
}

size_t
textvec_tail(const char *p, const char *e)
{
	const char *i = trim_end(p, e), *fe;
	size_t n = 0;

	while (i > p) {
		fe = i;
		while (i > p && !TEXTVEC_BLANK(i[-1]))
			i--;
		if (!textvec_is_num(i, fe))
			break;
		n++;
		while (i > p && TEXTVEC_BLANK(i[-1]))
			i--;
	}
	return n;
}

/* a decimal count, digits only: 0 ok */
static int
count(const char *p, const char *e, size_t *out)
{
	size_t v = 0;

	if (p == e)
		return -1;
	for (; p < e; p++) {
		if (*p < '0' || *p > '9' || v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*p - '0');
	}
	*out = v;
	return 0;
}

enum textvec_first
textvec_header(const char *p, const char *e, const char *n, const char *ne,
    size_t *V, size_t *d)
{
	const char *a, *ae, *b;

	e = trim_end(p, e);
	while (e > p && e[-1] == '\n')
		e = trim_end(p, e - 1);
	if (textvec_fields(p, e) != 2)
		return TEXTVEC_ROW;
	for (a = p; TEXTVEC_BLANK(*a); a++)
		;
	for (ae = a; !TEXTVEC_BLANK(*ae); ae++)
		;
	for (b = ae; TEXTVEC_BLANK(*b); b++)
		;
	if (count(a, ae, V) == 0 && count(b, e, d) == 0 && *d > 0)
		return TEXTVEC_HEADER;
	if (!textvec_is_num(a, ae) || !textvec_is_num(b, e))
		return TEXTVEC_ROW;
	/* two numbers: a 2-D row, unless the next line is not one */
	if (n == NULL || textvec_fields(n, trim_end(n, ne)) == 2)
		return TEXTVEC_ROW;
	return TEXTVEC_BAD_HEADER;
}

size_t
textvec_first_dim(const char *p, const char *e, int *unlabelled)
{
	const char *f;
	size_t nf;

	e = trim_end(p, e);
	nf = textvec_fields(p, e);
	*unlabelled = 0;
	if (nf == 0)
		return 0;
	while (TEXTVEC_BLANK(*p))
		p++;
	for (f = p; f < e && !TEXTVEC_BLANK(*f); f++)
		;
	if (textvec_is_num(p, f)) {
		*unlabelled = 1;
		return nf;
	}
	return textvec_tail(p, e);
}

static void
set_field(struct textvec_err *er, enum textvec_why why, const char *fs,
    const char *fe)
{
	/* control characters escaped: a "\v1" must not print as "1" */
	textvec_show(fs, (size_t)(fe - fs), er->field, sizeof(er->field) - 8);
	er->why = why;
}

int
textvec_parse(const char *p, const char *e, size_t d, float *out,
    size_t *lablen, struct textvec_err *er)
{
	const char *i, *fs, *fe, *j;
	char *ne;
	size_t k;

	er->why = TEXTVEC_OK;
	er->nf = er->nnum = 0;
	e = trim_end(p, e);
	if (e == p) {
		er->why = TEXTVEC_EMPTY;
		return -1;
	}
	i = e;
	for (k = d; k > 0; k--) {
		fe = i;
		while (i > p && !TEXTVEC_BLANK(i[-1]))
			i--;
		fs = i;
		if (fs == fe) {
			er->why = TEXTVEC_FEW;
			er->nf = textvec_fields(p, e);
			return -1;
		}
		out[k - 1] = num_float(fs, &ne);
		if (ne != fe) {
			er->nf = textvec_fields(p, e);
			if (er->nf < d)
				er->why = TEXTVEC_FEW;
			else
				set_field(er, TEXTVEC_NOTNUM, fs, fe);
			return -1;
		}
		if (!isfinite(out[k - 1])) {
			set_field(er, TEXTVEC_NAN, fs, fe);
			return -1;
		}
		while (i > p && TEXTVEC_BLANK(i[-1]))
			i--;
	}
	*lablen = (size_t)(i - p);
	/* a label ending in a number: a row with too many numbers */
	if (i > p && textvec_fields(p, i) >= 2) {
		for (j = i; j > p && !TEXTVEC_BLANK(j[-1]); j--)
			;
		if (textvec_is_num(j, i)) {
			size_t t = textvec_tail(p, i);

			er->why = TEXTVEC_EXTRA;
			er->nf = textvec_fields(p, e);
			er->nnum = d + (t == textvec_fields(p, i) ? t - 1 : t);
			return -1;
		}
	}
	return 0;
}

const char *
textvec_label_bad(const char *lab, size_t len)
{
	const char *e = lab + len, *j;
	size_t i;

	if (len == 0)
		return "is empty";
	if (memchr(lab, '\n', len) != NULL || memchr(lab, '\r', len) != NULL)
		return "holds a line break";
	for (i = 0; i < len && TEXTVEC_BLANK(lab[i]); i++)
		;
	if (i == len)
		return "is only blanks, which separate fields";
	if (TEXTVEC_BLANK(e[-1]))
		return "ends in a blank";
	if (textvec_fields(lab, e) >= 2) {
		for (j = e; j > lab && !TEXTVEC_BLANK(j[-1]); j--)
			;
		if (textvec_is_num(j, e))
			return "ends in a number after a blank, which reads as "
			    "one more number";
	}
	return NULL;
}

int
textvec_label_is_num(const char *lab, size_t len)
{
	const char *e = lab + len, *f;

	while (lab < e && TEXTVEC_BLANK(*lab))
		lab++;
	for (f = lab; f < e && !TEXTVEC_BLANK(*f); f++)
		;
	return textvec_is_num(lab, f);
}

const char *
textvec_show(const char *lab, size_t len, char *buf, size_t max)
{
	size_t i, o = 0;

	for (i = 0; i < len && o < max; i++) {
		unsigned char c = (unsigned char)lab[i];

		if (c == '\t')
			o += (size_t)sprintf(buf + o, "\\t");
		else if (c == '\n')
			o += (size_t)sprintf(buf + o, "\\n");
		else if (c == '\r')
			o += (size_t)sprintf(buf + o, "\\r");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)sprintf(buf + o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (i < len)
		o += (size_t)sprintf(buf + o, "...");
	buf[o] = '\0';
	return buf;
}
