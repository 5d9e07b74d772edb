/* See LICENSE file for copyright and license details. */
#ifndef EMB_VOCABIO_H
#define EMB_VOCABIO_H

#include "err.h"
#include "src.h"
#include "vocab.h"

/*
 * Read a vocabulary file: one token per line, optionally followed by a
 * space or tab and a count (the last field when numeric... see vocabio.c);
 * CRLF tolerated.  Empty tokens and duplicates are errors with file:line.
 */
int vocab_load(struct vocab *v, const char *path, struct emb_err *e);
/* the same from an open source */
int vocab_read(struct vocab *v, struct src *s, struct emb_err *e);
/*
 * Read a Hugging Face vocab.json ({"token": id, ...}); ids must be a
 * permutation of 0..n-1.
 */
int vocab_load_json(struct vocab *v, const char *path, struct emb_err *e);
/* the same from an open source */
int vocab_read_json(struct vocab *v, struct src *s, struct emb_err *e);

#endif
