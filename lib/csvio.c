/* See LICENSE file for copyright and license details. */
#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "num.h"
#include "textvec.h"
#include "util.h"
#include "vstream.h"

/* the state of one read, shared by libcsv's callbacks */
struct crd {
	struct src *s;
	struct emb_err *e;
	struct table *t;
	int header;		/* a header record is still to be skipped */
	int failed;
	size_t nfield;		/* fields so far in this record */
	char *tok;		/* field 0 of this record */
	size_t toklen, tokcap;
	float *row;		/* the numbers of this record */
	size_t rowcap;
	size_t d;		/* 0 until the first record */
	float *vec;		/* rows so far */
	size_t n, cap;
	size_t *lines;		/* the line each row ended on */
	int known;		/* d is known (the first record was read) */
	int quoted;		/* this record's first field is quoted */
	size_t numtok;		/* rows whose token is an unquoted number */
};

static void
on_field(void *f, size_t len, void *data)
{
	struct crd *c = data;
	const char *p = f, *q;
	char *end;
	size_t k;
	float x;

	if (c->failed || c->header) {
		c->nfield++;
		return;
	}
	if (c->nfield == 0) {
		if (c->tokcap < len + 1) {
			c->tokcap = len + 1;
			c->tok = xreallocarray(c->tok, c->tokcap, 1);
		}
		memcpy(c->tok, p, len);
		c->tok[len] = '\0';	/* messages print it with %.40s */
		c->toklen = len;
		c->nfield++;
		return;
	}
	k = c->nfield - 1;
	if (k >= c->rowcap) {
		c->rowcap = c->rowcap ? c->rowcap * 2 : 64;
		c->row = xreallocarray(c->row, c->rowcap, sizeof(float));
	}
	q = p;
	while (*q == ' ' || *q == '\t')
		q++;
	x = num_float(q, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == q || end != p + len) {
		err_set(c->e, c->s->name, c->s->line, "field %zu: not a "
		    "number: \"%.40s\"%s", c->nfield + 1, p,
		    c->s->line == 1 ? " (a header row? emb-init --header "
		    "skips it)" : "");
		c->failed = 1;
	} else if (!isfinite(x)) {
		err_set(c->e, c->s->name, c->s->line, "field %zu: NaN or "
		    "infinite value \"%.40s\"", c->nfield + 1, p);
		c->failed = 1;
	}
	c->row[k] = x;
	c->nfield++;
}

static void
on_record(int ch, void *data)
{
	struct crd *c = data;
	size_t nums = c->nfield > 0 ? c->nfield - 1 : 0;
	int isnum;
	const char *name = c->s->name;
	size_t line = c->s->line;

	(void)ch;
	if (c->failed)
		return;
	if (c->header) {
		c->header = 0;
		c->nfield = 0;
		return;
	}
	isnum = !c->quoted && csvio_label_is_num(c->tok, c->toklen);
	if (!c->known) {
		/* one number alone: a row of an unlabelled 1-D table */
		if (nums == 0 && !isnum) {
			err_set(c->e, name, line, "expected a token and numbers");
			c->failed = 1;
			return;
		}
		c->d = nums;
		c->known = 1;
	}
	if (c->d == 0 && !isnum) {
		err_set(c->e, name, line, "not a number: \"%.40s\"", c->tok);
		c->failed = 1;
		return;
	}
	if (nums != c->d) {
		if (isnum && c->numtok == c->n)	/* all numbers so far */
			err_set(c->e, name, line, "expected %zu numbers, found "
			    "%zu field%s", c->d + 1, c->nfield,
			    c->nfield == 1 ? "" : "s");
		else
			err_set(c->e, name, line, "expected a token and %zu "
			    "numbers, found %zu field%s", c->d, c->nfield,
			    c->nfield == 1 ? "" : "s");
		c->failed = 1;
		return;
	}
	c->numtok += isnum;
	if (c->toklen == 0) {
		err_set(c->e, name, line, "empty token");
		c->failed = 1;
		return;
	}
	if (memchr(c->tok, '\n', c->toklen) != NULL ||
	    memchr(c->tok, '\r', c->toklen) != NULL) {
		err_set(c->e, name, line, "a token holds a line break");
		c->failed = 1;
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->vec = xreallocarray(c->vec, c->cap, c->d * sizeof(float));
		c->lines = xreallocarray(c->lines, c->cap, sizeof(size_t));
	}
	if (c->d > 0)
		memcpy(c->vec + c->n * c->d, c->row, c->d * sizeof(float));
	c->lines[c->n++] = line;
	vocab_add(&c->t->vocab, c->tok, c->toklen);
	c->nfield = 0;
}

int
csvio_read_src(struct table *t, struct src *s, int header, struct emb_err *e)
{
	struct csv_parser p;
	struct crd c;
	char *line;
	ssize_t n;
	int r = -1;
	long dup;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.e = e;
	c.t = t;
	c.header = header;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		err_set(e, s->name, 0, "out of memory");
		return -1;
	}
	/* one line at a time, so the callbacks know the line number */
	while ((n = src_getline(s, &line, e)) >= 0) {
		if (c.nfield == 0)	/* a record starts (tokens hold no '\n') */
			c.quoted = n > 0 && line[0] == '"';
		if (csv_parse(&p, line, (size_t)n, on_field, on_record, &c) !=
		    (size_t)n || csv_parse(&p, "\n", 1, on_field, on_record,
		    &c) != 1) {
			err_set(e, s->name, s->line, "%s",
			    csv_strerror(csv_error(&p)));
			goto done;
		}
		if (c.failed)
			goto done;
	}
	if (n == -2)
		goto done;
	if (csv_fini(&p, on_field, on_record, &c) != 0) {
		err_set(e, s->name, s->line, "end of file inside a quoted "
		    "field");
		goto done;
	}
	if (c.failed)
		goto done;
	if (c.n == 0) {
		err_set(e, s->name, 0, "no rows");
		goto done;
	}
	if (table_alloc(t, c.n, c.d, e) < 0)
		goto done;
	if (c.d > 0)
		memcpy(t->vec, c.vec, c.n * c.d * sizeof(float));
	if (c.numtok == c.n) {
		/* every first field an unquoted number: unlabelled rows */
		r = table_unlabel(t, s->name, e);
		goto done;
	}
	if ((dup = vocab_first_duplicate(&t->vocab)) >= 0) {
		size_t len;
		const char *tok = vocab_token(&t->vocab, (size_t)dup, &len);
		long orig = vocab_find(&t->vocab, tok, len);

		err_set(e, s->name, c.lines[dup], "duplicate token \"%.*s\" "
		    "(first on line %zu)", (int)(len > 100 ? 100 : len), tok,
		    c.lines[orig]);
		goto done;
	}
	r = 0;
done:
	csv_free(&p);
	free(c.tok);
	free(c.row);
	free(c.vec);
	free(c.lines);
	return r;
}

int
csvio_read_table(struct table *t, const char *path, int header,
    struct emb_err *e)
{
	struct src s;
	int r;

	if (src_open(&s, path, e) < 0)
		return -1;
	r = csvio_read_src(t, &s, header, e);
	src_close(&s);
	return r;
}

int
csvio_write_field(FILE *f, const char *s, size_t len)
{
	size_t i;
	int quote = len == 0 || s[0] == ' ' || s[0] == '\t' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t';

	for (i = 0; i < len && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (quote)
		return csv_fwrite(f, s, len) == 0 ? 0 : -1;
	return fwrite(s, 1, len, f) == len ? 0 : -1;
}

int
csvio_write_vec(FILE *f, const char *label, size_t len, const float *v,
    size_t d)
{
	if (label != NULL && (csvio_label_is_num(label, len) ?
	    csv_fwrite(f, label, len) != 0 : csvio_write_field(f, label, len) < 0))
		return -1;
	return vstream_write_values(f, v, d, ',', label != NULL);
}

int
csvio_write_table(const struct table *t, FILE *f)
{
	size_t i, len = 0;
	int labelled = t->vocab.n == t->V && t->V > 0;

	for (i = 0; i < t->V; i++) {
		const char *tok = NULL;

		/* unlabelled rows stay unlabelled: numbers only */
		if (labelled)
			tok = vocab_token(&t->vocab, i, &len);
		if (csvio_write_vec(f, tok, len, table_row(t, i), t->d) < 0)
			return -1;
	}
	return 0;
}

int
csvio_label_is_num(const char *s, size_t len)
{
	const char *e = s + len;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return textvec_is_num(s, e);
}
