/* See LICENSE file for copyright and license details. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "seq.h"
#include "util.h"

void
seq_init(struct seq *s)
{
	memset(s, 0, sizeof(*s));
}

void
seq_free(struct seq *s)
{
	free(s->id);
	free(s->label);
	free(s->labellen);
	free(s->ids);
	tokenizer_seq_free(&s->tq);
	memset(s, 0, sizeof(*s));
}

static void
push(struct seq *s, long id, const char *label, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->id = xreallocarray(s->id, s->cap, sizeof(*s->id));
		s->label = xreallocarray(s->label, s->cap, sizeof(*s->label));
		s->labellen = xreallocarray(s->labellen, s->cap,
		    sizeof(*s->labellen));
	}
	s->id[s->n] = id;
	s->label[s->n] = label;
	s->labellen[s->n] = len;
	s->n++;
}

int
seq_tokens(struct seq *s, struct model *m, const char *line, size_t len,
    enum seq_oov oov, long unk, const char *file, size_t lineno,
    struct emb_err *e)
{
	size_t i = 0;

	s->n = 0;
	while (i < len) {
		size_t start;
		long id;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		if ((id = model_find(m, line + start, i - start)) < 0) {
			switch (oov) {
			case SEQ_OOV_ERROR:
				err_set(e, file, lineno, "unknown token \"%.*s\"",
				    (int)(i - start > 200 ? 200 : i - start),
				    line + start);
				return -1;
			case SEQ_OOV_SKIP:
				s->skipped++;
				continue;
			case SEQ_OOV_ZERO:
				break;
			case SEQ_OOV_UNK:
				id = unk;
				break;
			case SEQ_OOV_SUBWORD:
				id = -2;
				break;
			}
		}
		push(s, id, line + start, i - start);
	}
	return 0;
}

int
seq_ids(struct seq *s, const struct model *m, char *line, size_t len,
    const char *file, size_t lineno, struct emb_err *e)
{
	size_t k, nids;
	const char *why;
	char *bad;

	s->n = 0;
	if (ids_parse(line, len, m->V, &s->ids, &nids, &s->idcap, &why,
	    &bad) < 0) {
		err_set(e, file, lineno, "%s: \"%.40s\" (table has %zu rows)",
		    why, bad, m->V);
		return -1;
	}
	for (k = 0; k < nids; k++)
		push(s, (long)s->ids[k], NULL, 0);
	return 0;
}

int
seq_text(struct seq *s, const struct tokenizer *t, const struct model *m,
    const char *line, size_t len, const char *file, size_t lineno,
    struct emb_err *e)
{
	struct emb_err te;
	size_t k;

	s->n = 0;
	if (tokenizer_encode(t, &s->tq, line, len, &te) < 0) {
		err_set(e, file, lineno, "%s", te.msg);
		return -1;
	}
	for (k = 0; k < s->tq.n; k++) {
		if (s->tq.ids[k] >= m->V) {
			err_set(e, file, lineno, "token %lu is not a row of the "
			    "table (%zu rows)", (unsigned long)s->tq.ids[k],
			    m->V);
			return -1;
		}
		push(s, (long)s->tq.ids[k], NULL, 0);
	}
	return 0;
}

void
seq_range(struct seq *s, size_t from, size_t n, const uint64_t *skip)
{
	size_t k, i;

	s->n = 0;
	for (k = 0; k < n; k++) {
		i = from + k;
		if (skip == NULL || !(skip[i / 64] >> (i % 64) & 1))
			push(s, (long)i, NULL, 0);
	}
}

int
seq_write_line(FILE *f, struct seq *s, const struct model *m, int ids)
{
	size_t k, len;
	const char *tok;

	for (k = 0; k < s->n; k++) {
		if (k > 0 && putc(' ', f) == EOF)
			return -1;
		if (ids) {
			if (fprintf(f, "%ld", s->id[k]) < 0)
				return -1;
			continue;
		}
		tok = seq_label(s, m, k, &len);
		if (fwrite(tok, 1, len, f) != len)
			return -1;
	}
	return putc('\n', f) == EOF ? -1 : 0;
}

const char *
seq_label(struct seq *s, const struct model *m, size_t i, size_t *len)
{
	const char *tok;

	if (s->label[i] != NULL) {
		*len = s->labellen[i];
		return s->label[i];
	}
	if (m->vocab.n > 0 && s->id[i] >= 0) {
		tok = vocab_token(&m->vocab, (size_t)s->id[i], len);
		if (*len > 0)
			return tok;
	}
	*len = (size_t)snprintf(s->num, sizeof(s->num), "%ld", s->id[i]);
	return s->num;
}

int
seq_row(const struct seq *s, struct model *m, size_t i, float *out,
    struct emb_err *e)
{
	if (s->id[i] == -2)
		return model_vector(m, s->label[i], s->labellen[i], out, e) ==
		    -3 ? -1 : 0;
	if (s->id[i] < 0) {
		memset(out, 0, m->d * sizeof(float));
		return 0;
	}
	return model_row_finite(m, (size_t)s->id[i], out, e);
}
