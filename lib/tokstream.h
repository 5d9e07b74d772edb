/* See LICENSE file for copyright and license details. */
#ifndef EMB_TOKSTREAM_H
#define EMB_TOKSTREAM_H

#include <stdio.h>

#include "err.h"
#include "src.h"
#include "tokenizer.h"

/*
 * emb-tokenize's streams: text in, one line of tokens out per input line
 * (its '\n' not encoded, a '\r' before it kept as text), or per input
 * with whole; and ID lines in, text out.  Lines are encoded by a pool of
 * threads in blocks; the output keeps the input's order and is the same
 * for any number of threads.
 */

enum tokstream_print {
	TOKSTREAM_IDS,		/* "13225 2375" */
	TOKSTREAM_TOKENS,	/* "Hello\t world": tab-separated, escaped */
	TOKSTREAM_BOTH,		/* "13225:Hello\t2375: world" */
	TOKSTREAM_OFFSETS	/* "13225:0-5 2375:5-11": [start, end) bytes */
};

struct tokstream_opts {
	enum tokstream_print print;
	int count;		/* print the number of tokens instead */
	int whole;		/* the whole input is one sequence */
	int threads;		/* >= 1 */
};

#define TOKSTREAM_EWRITE (-2)	/* writing out failed (errno says why) */

/*
 * Encode in to out.  0; -1 with e filled ("name:line: why": a read error,
 * special-token text the tokenizer refuses); TOKSTREAM_EWRITE.  Lines
 * before a failing one are written.
 */
int tokstream_encode(const struct tokenizer *t, struct src *in, FILE *out,
    const struct tokstream_opts *o, struct emb_err *e);

/*
 * Decode ID lines (IDs separated by blanks) from in to out: each line's
 * text then '\n', or with whole no '\n' added (the inverse of encoding
 * with whole).  0; -1 with e filled ("name:line: ID 300000 out of
 * range", "not an ID"); TOKSTREAM_EWRITE.
 */
int tokstream_decode(const struct tokenizer *t, struct src *in, FILE *out,
    int whole, struct emb_err *e);

/*
 * Append token text s[0..n) to *buf escaped for one field of a line:
 * '\\' '\t' '\n' '\r' as C escapes, other control bytes, DEL and bytes
 * that are not part of valid UTF-8 as \xNN; everything else as is.
 */
void tokstream_escape(char **buf, size_t *len, size_t *cap, const char *s,
    size_t n);

#endif
