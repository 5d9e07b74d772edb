/* See LICENSE file for copyright and license details. */
#ifndef EMB_SUBWORD_H
#define EMB_SUBWORD_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * fastText's subword model (Bojanowski et al. 2017, "Enriching Word
 * Vectors with Subword Information"; src/dictionary.cc and fasttext.cc of
 * fastText 0.9.2): a word is "<" word ">" cut into its character n-grams
 * of minn to maxn characters (UTF-8 characters: a byte 10xxxxxx continues
 * the character before it), the lone "<" and ">" left out; each n-gram
 * is hashed (32-bit FNV-1a over its bytes, each byte sign-extended as a
 * signed char) into one of bucket n-gram rows.  A word's vector is the
 * mean of its own row (when in the vocabulary) and its n-gram rows; an
 * unseen word gets the mean of its n-gram rows.  "</s>" has no n-grams.
 *
 * struct subword holds the parameters and the rows: ngrams is bucket x d
 * float32, words is V x d float32 (the word rows alone, before the
 * n-grams are averaged in; the vocabulary's order).
 */
struct subword {
	int minn, maxn;		/* n-gram lengths in characters */
	size_t bucket;		/* n-gram rows */
	size_t d;
	const float *ngrams;	/* bucket x d */
	const float *words;	/* V x d */
};

#define SUBWORD_MAXN 100	/* longest n-gram emb accepts */

/* fastText's Dictionary::hash: FNV-1a 32, bytes through int8_t */
uint32_t subword_hash(const char *s, size_t len);

/*
 * Check minn, maxn and bucket as a model file gives them: -1 with the
 * reason (prefixed by name) for minn > maxn with maxn > 0, a length below
 * 0 or maxn over SUBWORD_MAXN, or bucket 0 while there are n-grams.
 */
int subword_check(long minn, long maxn, long long bucket, const char *name,
    struct emb_err *e);

/* does the model have n-grams at all (maxn > 0 and bucket > 0)? */
int subword_on(const struct subword *s);

/*
 * The n-gram rows of tok (len bytes, without "<" ">"), in fastText's
 * order (by start character, then by length), appended to *ids (a
 * growing array of *cap entries, realloc'd as needed); returns how many.
 * Rows are 0 .. bucket-1 (fastText numbers them nwords + row).
 */
size_t subword_ngrams(const struct subword *s, const char *tok, size_t len,
    uint32_t **ids, size_t *cap);

/*
 * fastText's word vector (FastText::getWordVector) into out[d]: the mean
 * of word (a row of d floats, or NULL for a word not in the vocabulary)
 * and the n-gram rows of tok, summed in float32 in fastText's order and
 * scaled by (float)(1.0 / count).  Returns the count of rows used (0:
 * out is zero).  ids/cap as for subword_ngrams (scratch).
 */
size_t subword_vector(const struct subword *s, const float *word,
    const char *tok, size_t len, float *out, uint32_t **ids, size_t *cap);

#endif
