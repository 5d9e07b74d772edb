/* See LICENSE file for copyright and license details. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "textvec.h"
#include "util.h"
#include "vocab.h"
#include "vstream.h"
#include "w2vwrite.h"

#define W2V_MAXPARTS 16		/* threads formatting text rows, at most */

/* can this format hold the token?  0 yes, -1 with the reason */
static int
check_token(const char *tok, size_t len, size_t row, int binary,
    const char *path, struct emb_err *e)
{
	int l = (int)(len > 100 ? 100 : len);
	const char *why;
	char show[48];

	if (len == 0) {
		err_set(e, path, 0, "row %zu: cannot write an empty token",
		    row + 1);
		return -1;
	}
	if (!binary && (why = textvec_label_bad(tok, len)) != NULL) {
		err_set(e, path, 0, "row %zu: token \"%s\" %s: a text row "
		    "cannot hold it", row + 1, textvec_show(tok, len, show,
		    32), why);
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
	int bare;		/* no labels: numbers only */
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
		const char *tok = w->bare ? "" : vocab_label(&t->vocab, i, idbuf,
		    &len);
		const float *v = table_row(t, i);
		char *o;

		if (w->bare)
			len = 0;
		else if (textvec_label_bad(tok, len) != NULL) {
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
			if (j > 0 || !w->bare)
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
	char idbuf[VOCAB_IDLEN], show[48];
	int r = -1, bare = !header && !(t->vocab.n == t->V && t->V > 0);
	const char *tok = !header && !bare ? vocab_token(&t->vocab, 0, &len) :
	    NULL;

	if (np > W2V_MAXPARTS)
		np = W2V_MAXPARTS;
	if (tok != NULL && textvec_label_is_num(tok, len)) {
		/* without a header, readers would take it for a number */
		err_set(e, path, 0, "row 1: token \"%s\" reads as a number, "
		    "and GloVe text has no header to say d (word2vec-text "
		    "and vec have one)", textvec_show(tok, len, show, 32));
		return -1;
	}
	chunk = 1 + ((size_t)1 << 20) / (t->d ? t->d : 1);
	memset(w, 0, sizeof(w));
	if (header && fprintf(f, "%zu %zu\n", t->V, t->d) < 0)
		goto werr;
	for (at = 0; at < t->V; at += chunk * np) {
		for (i = 0; i < np; i++) {
			w[i].t = t;
			w[i].bare = bare;
			w[i].from = at + i * chunk < t->V ? at + i * chunk : t->V;
			w[i].to = w[i].from + chunk < t->V ? w[i].from + chunk :
			    t->V;
		}
		par_run((int)np, np, format_parts, w);
		for (i = 0; i < np; i++) {
			if (w[i].bad >= 0) {
				const char *bad = vocab_label(&t->vocab,
				    (size_t)w[i].bad, idbuf, &len);

				check_token(bad, len, (size_t)w[i].bad, 0, path, e);
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
