/* See LICENSE file for copyright and license details. */
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "lookup.h"
#include "textvec.h"
#include "util.h"

int
lookup_init(struct lookup *l, struct model *m, const struct lookup_opts *o,
    FILE *out, int all)
{
	size_t nskip;

	memset(l, 0, sizeof(*l));
	l->o = *o;
	l->m = m;
	l->out = out;
	if (all)
		l->o.label = 1;
	if (all && o->text != NULL)
		l->skip = tokvocab_mask(o->text, m->V, o->skip_special,
		    o->min_length, &nskip);
	seq_init(&l->seq);
	pool_init(&l->pool, o->pool, m->d);
	l->row = xmalloc((m->d ? m->d : 1) * sizeof(float));
	if (l->o.out != LOOKUP_CSV && l->o.print == LOOKUP_VECTORS &&
	    vwriter_open(&l->w, out, m->d, l->o.out == LOOKUP_BINARY,
	    (l->o.label ? VSTREAM_LABELLED : 0) | (all || l->o.pooling ? 0 :
	    VSTREAM_SEQUENCES), all ? (long long)m->V : -1) < 0)
		return LOOKUP_EWRITE;
	return 0;
}

int
lookup_close(struct lookup *l)
{
	if (l->o.out != LOOKUP_CSV && l->o.print == LOOKUP_VECTORS &&
	    vwriter_close(&l->w) < 0)
		return LOOKUP_EWRITE;
	return 0;
}

void
lookup_free(struct lookup *l)
{
	free(l->row);
	free(l->skip);
	seq_free(&l->seq);
	pool_free(&l->pool);
}

/* one vector, labelled when the options say so */
static int
put_vec(struct lookup *l, const char *label, size_t len, const float *v,
    struct emb_err *e)
{
	const char *why;
	char show[48];
	int r;

	if (!l->o.label)
		label = NULL;
	if (l->o.out == LOOKUP_CSV)
		r = csvio_write_vec(l->out, label, len, v, l->m->d);
	else if ((r = vwriter_row(&l->w, label, len, v, &why)) == -2) {
		err_set(e, NULL, 0, "label \"%s\" %s: a text vector stream "
		    "cannot hold it", textvec_show(label, len, show, 32), why);
		return LOOKUP_ELABEL;
	}
	return r < 0 ? LOOKUP_EWRITE : 0;
}

int
lookup_line(struct lookup *l, char *line, size_t n, const char *file,
    size_t lineno, struct emb_err *e)
{
	struct seq *s = &l->seq;
	const struct lookup_opts *o = &l->o;
	const char *label;
	size_t k, len;
	int r;

	if ((o->ids ? seq_ids(s, l->m, line, n, file, lineno, e) :
	    o->text != NULL ? seq_text(s, o->text, l->m, line, n, file,
	    lineno, e) : seq_tokens(s, l->m, line, n, o->oov, o->unk, file,
	    lineno, e)) < 0)
		return -1;
	if (o->print != LOOKUP_VECTORS)
		return seq_write_line(l->out, s, l->m, o->print ==
		    LOOKUP_IDS) < 0 ? LOOKUP_EWRITE : 0;
	if (o->pe != NULL && posenc_check(o->pe, s->n, file, lineno, e) < 0)
		return -1;
	if (o->out == LOOKUP_BINARY && !o->pooling &&
	    vstream_write_seq(l->out, s->n) < 0)
		return LOOKUP_EWRITE;
	pool_reset(&l->pool);
	for (k = 0; k < s->n; k++) {
		if (seq_row(s, l->m, k, l->row, e) < 0)
			return -1;
		if (o->pe != NULL)
			posenc_add(o->pe, k, l->row);
		if (o->pooling)
			pool_add(&l->pool, l->row);
		else {
			label = seq_label(s, l->m, k, &len);
			if ((r = put_vec(l, label, len, l->row, e)) < 0)
				return r;
		}
	}
	if (!o->pooling)
		return 0;
	/* the line's vector, labelled with the line */
	pool_get(&l->pool, l->row);
	return put_vec(l, line, n, l->row, e);
}

int
lookup_all(struct lookup *l, struct emb_err *e)
{
	size_t i, j, k, len, V = l->m->V;
	const char *label;
	int r;

	/* in blocks, so that seq holds at most 4096 rows */
	for (i = 0; i < V; i += k) {
		k = V - i < 4096 ? V - i : 4096;
		seq_range(&l->seq, i, k, l->skip);
		for (j = 0; j < l->seq.n; j++) {
			if (seq_row(&l->seq, l->m, j, l->row, e) < 0)
				return -1;
			label = seq_label(&l->seq, l->m, j, &len);
			if ((r = put_vec(l, label, len, l->row, e)) < 0)
				return r;
		}
	}
	return 0;
}
