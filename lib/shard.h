/* See LICENSE file for copyright and license details. */
#ifndef EMB_SHARD_H
#define EMB_SHARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

/*
 * Sharded search: shard i of n (1 <= i <= n) owns rows
 * [V * (i - 1) / n, V * i / n).  A shard prints partial k-best lists,
 * one line per hit:
 *
 *	query number<TAB>query<TAB>neighbour<TAB>score (%.9g)<TAB>row
 *
 * with exact scores and global row numbers, so shard_merge can rebuild
 * exactly the lines one unsharded search prints.
 */
int shard_parse(const char *s, size_t *i, size_t *n);
void shard_range(size_t V, size_t i, size_t n, size_t *begin, size_t *end);

/* one partial line, as a shard prints it */
int shard_write_hit(FILE *f, uint64_t qno, const char *query, size_t qlen,
    const char *tok, size_t toklen, float score, uint32_t row);

/*
 * Merge the partial lists in paths[0..npaths) into the k best per query
 * (higher scores first, or lower with ascending, ties to the lower row)
 * and print them as emb-nn does: "query<TAB>neighbour<TAB>score" (%.6f),
 * or CSV.  Each file must hold its queries in increasing number.
 */
int shard_merge(char *const *paths, size_t npaths, size_t k, int ascending,
    int csv, FILE *out, struct emb_err *e);
/* the same over n blocks of memory (lists held by the caller) */
int shard_merge_mem(const char *const *bufs, const size_t *lens, size_t n,
    size_t k, int ascending, int csv, FILE *out, struct emb_err *e);

#endif
