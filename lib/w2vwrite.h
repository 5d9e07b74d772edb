/* See LICENSE file for copyright and license details. */
#ifndef EMB_W2VWRITE_H
#define EMB_W2VWRITE_H

#include <stdio.h>

#include "err.h"
#include "table.h"

/*
 * word2vec binary, word2vec text / fastText .vec and GloVe text written
 * from a table: the formats w2v.h reads, by the same rules.
 *
 * Unlabelled rows are labelled by their id in word2vec text
 * and binary (whose readers need tokens); GloVe text writes them as
 * numbers only, which read back unlabelled.  Numbers are the shortest
 * decimal that reads back as the same float32.  Fail (-1, e naming path)
 * on a token the format cannot hold (textvec.h: a token that ends in a
 * number after a blank, ...; in GloVe text, a first token that reads as
 * a number) or a write error.
 *
 * w2v_write_text: header 1 writes word2vec text's "V d" line first, 0
 * GloVe text (none).  w2v_write_bin: "V d\n", then per row the token, ' '
 * and d float32 little-endian; newline 1 ends each row with '\n' as
 * word2vec.c does, 0 leaves it out as gensim does.
 */
int w2v_write_text(const struct table *t, FILE *f, int header,
    const char *path, struct emb_err *e);
int w2v_write_bin(const struct table *t, FILE *f, int newline,
    const char *path, struct emb_err *e);

#endif
