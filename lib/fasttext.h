/* See LICENSE file for copyright and license details. */
#ifndef EMB_FASTTEXT_H
#define EMB_FASTTEXT_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "src.h"
#include "table.h"

/*
 * fastText's .bin model file (fastText 0.9.2: FastText::saveModel,
 * Args::save, Dictionary::save, DenseMatrix::save), all little-endian:
 *
 *   int32 magic 793712314, int32 version (11 or 12)
 *   args: int32 dim ws epoch minCount neg wordNgrams loss model bucket
 *         minn maxn lrUpdateRate, float64 t             (56 bytes)
 *   dictionary: int32 size nwords nlabels, int64 ntokens pruneidx_size,
 *         size entries (word bytes, NUL, int64 count, int8 type),
 *         pruneidx_size pairs of int32
 *   uint8 quant (0), input matrix: int64 m n, m x n float32, m = nwords
 *         + bucket (the word rows, then the n-gram rows)
 *   uint8 qout, output matrix: int64 m n, m x n float32 (m = nwords)
 *
 * man/emb-formats.5 documents it byte by byte.
 */
#define FT_MAGIC	793712314
#define FT_VERSION	12

/* do the first n bytes start like a fastText .bin? */
int ft_detect(const unsigned char *p, size_t n);

/*
 * Read a skip-gram or CBOW .bin from s into t (initialised, empty): the
 * vocabulary with counts; t->vec the word vectors as fastText computes
 * them (the mean of the word's row and its n-gram rows, subword.h);
 * t->words and t->ngrams the input matrix as stored; t->out the output
 * matrix; t->minn, maxn, bucket; the arguments in t's metadata (emb.arch,
 * emb.loss, emb.window, emb.negative, emb.epochs, emb.min_count,
 * emb.sample, emb.corpus_words, fasttext.word_ngrams,
 * fasttext.lr_update_rate).  A model without n-grams (maxn 0) reads as
 * a plain table.  Refused, with the reason and the file named: a wrong
 * magic or version, a supervised model (labels), a quantized (.ftz) or
 * pruned one, n-gram lengths that do not fit, a dimension over 2^20,
 * shapes that disagree with the arguments and dictionary, NaN or Inf,
 * the file ending early (the section named) or going on after the output
 * matrix.  Sizes are claims: rows are allocated as the input backs them
 * (src_size), else as they arrive, never as the header says.
 */
int ft_read_bin(struct table *t, struct src *s, struct emb_err *e);

/*
 * Write t as a .bin that fastText reads (version 12): the n-gram rows of
 * t when it has them, else no n-grams (maxn 0, bucket 0: fastText's
 * word vector is then the row itself); output rows from t->out or zero;
 * counts from the vocabulary or V - i; the other arguments from t's
 * metadata, else fastText's defaults.  t must have a vocabulary; a token
 * holding a NUL byte cannot be stored.  path names the file in messages.
 */
int ft_write_bin(const struct table *t, FILE *f, const char *path,
    struct emb_err *e);

#endif
