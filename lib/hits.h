/* See LICENSE file for copyright and license details. */
#ifndef EMB_HITS_H
#define EMB_HITS_H

#include <stddef.h>
#include <stdio.h>

/*
 * The line a search prints per hit: query, neighbour, score with six
 * decimals ("%.6f"), separated by tabs, or written as CSV (fields quoted
 * as needed, lib/csvio.h).  emb-nn, its --merge of sharded runs and
 * emb-analogy all print through this one function, so a merged search is
 * the unsharded one byte for byte.  Returns 0, or -1 on a write error
 * (errno set by the failed write).
 */
int hits_write(FILE *f, int csv, const char *query, size_t qlen,
    const char *tok, size_t toklen, double score);

#endif
