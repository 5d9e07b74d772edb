/* See LICENSE file for copyright and license details. */
#ifndef EMB_TOKVOCAB_H
#define EMB_TOKVOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"
#include "points.h"
#include "pool.h"
#include "tokenizer.h"
#include "vocab.h"

/*
 * A tokenizer's vocabulary on an embedding table whose rows are its
 * token IDs (GPT-2's 50257 rows, a table trained on emb-tokenize's IDs):
 * the rows named by readable tokens, words and phrases turned into one
 * query vector, and the rows people leave out when they list a token's
 * neighbours.
 *
 * A row's name is the token's text as emb-tokenize --print tokens writes
 * it: the bytes it stands for (" Paris", not "ĠParis" or "▁Paris"), with
 * '\\', tab, newline, CR as C escapes and other control bytes and bytes
 * that are not valid UTF-8 as \xNN (tokstream_escape), so a name never
 * holds a newline and every name is distinct.  IDs the tokenizer has no
 * token for, and the rows of a table padded past the vocabulary
 * (vocab_fits), are unnamed (an empty name).
 */

/*
 * Does path (a --vocab argument) name a tokenizer rather than a list of
 * tokens?  A directory, a name that is not a file (gpt2, cl100k_base), a
 * tiktoken rank file (*.tiktoken), a Hugging Face tokenizer.json (a JSON
 * object with "model", "added_tokens" or "truncation" near its start), or
 * one file of GPT-2's pair with the other beside it (encoder.json or
 * vocab.json and vocab.bpe or merges.txt).  Anything else is a
 * vocabulary file: lines, or a vocab.json alone.
 */
int tokvocab_is_tokenizer(const char *path);

/*
 * Does the tokenizer fit a table of rows rows: its IDs are the table's
 * rows, the table padded or not (vocab_fits)?  -1 with e naming the
 * table and both sizes.
 */
int tokvocab_check(const struct tokenizer *t, size_t rows, const char *table,
    struct emb_err *e);
/*
 * v (empty) gets the name of each of rows rows, as above; -1 with e when
 * the tokenizer does not fit (tokvocab_check).
 */
int tokvocab_names(struct vocab *v, const struct tokenizer *t, size_t rows,
    const char *table, struct emb_err *e);
/*
 * tokvocab_names with the tokenizer spec opened (tokenizer_open) and
 * closed here; *rows 0 becomes the tokenizer's vocabulary size.  -1 with
 * e filled.
 */
int tokvocab_names_spec(struct vocab *v, const char *spec, size_t *rows,
    struct emb_err *e);

/*
 * Open the tokenizer spec (tokenizer_open) for the table m, which it must
 * fit (tokvocab_check), and rename m's rows by its readable tokens
 * (model_rename).  With queries, words and phrases are encoded as
 * queries are: without the tokens a post-processor adds (BOS, EOS), and
 * special-token text as the special token.  NULL with e filled.
 */
struct tokenizer *tokvocab_attach(struct model *m, const char *spec,
    int queries, struct emb_err *e);

/*
 * Rows to leave out of neighbour lists and maps: special tokens
 * (skip_special), tokens whose text, blanks at both ends left out, has
 * fewer than min_length characters (UTF-8 characters; an invalid byte
 * counts as one), and unnamed rows.  Returns a bitset of rows bits
 * (bit i of word i / 64) with a bit set for each row left out, and the
 * count in *n; NULL (nothing left out) when neither filter is asked for.
 */
uint64_t *tokvocab_mask(const struct tokenizer *t, size_t rows,
    int skip_special, size_t min_length, size_t *n);

/* Words and phrases as queries: tokenized, their rows pooled */
struct tokquery {
	const struct tokenizer *t;
	const struct model *m;
	enum pool_mode mode;	/* a word of several tokens: pooled so */
	int single;		/* a word of one token: its row as it is,
				 * not pooled (a query equal to the ID's
				 * under every metric) */
	size_t n;		/* tokens of the last query */
	const uint32_t *ids;	/* and their IDs (valid until the next) */
	/* private */
	struct tokenizer_seq seq;
	struct pool pool;
	float *row;
};

/*
 * Get ready to turn text into vectors of m (both must outlive q).  The
 * tokenizer should encode without BOS/EOS (tokenizer_set_bos_eos).
 */
void tokquery_init(struct tokquery *q, const struct tokenizer *t,
    const struct model *m, enum pool_mode mode);
void tokquery_free(struct tokquery *q);
/*
 * text[0..len) into out[d]: its tokens' rows, pooled by q->mode (when
 * there are several, or always unless q->single; q->n, q->ids say which).  Returns the row when the
 * text is one token, -1 when it is several, -2 with e filled (file and
 * line, when not NULL and 0, name the query): no token at all, a
 * tokenizer error, an ID past the table, a row with NaN or Inf.
 */
long tokquery_vector(struct tokquery *q, const char *text, size_t len,
    float *out, const char *file, size_t line, struct emb_err *e);

/*
 * For -v: what the last query was, in msg (file and line, when given,
 * name it): "\" defenestration\" is 4 tokens [ def|en|est|ration],
 * pooled by mean" (the tokens escaped as names are).
 */
void tokquery_describe(const struct tokquery *q, const char *text,
    size_t len, const char *file, size_t line, struct emb_err *msg);
/*
 * Read path (a file of lines, "-" = stdin) as queries, one word or phrase
 * a line (empty lines skipped), into p labelled by the lines as read; with
 * verbose, describe() is called for each query of several tokens.  -1
 * with e naming the file and line.
 */
int tokquery_points(struct tokquery *q, struct points *p, const char *path,
    void (*describe)(const struct emb_err *msg), struct emb_err *e);

#endif
