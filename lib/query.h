/* See LICENSE file for copyright and license details. */
#ifndef EMB_QUERY_H
#define EMB_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "knn.h"
#include "model.h"
#include "points.h"
#include "tokvocab.h"

/*
 * Nearest-neighbour queries against a model: queries in (tokens, row IDs
 * or vectors; from operands or a stream), blocks of hits out, written as
 * emb-nn prints them (lib/hits.h), or as partial lists with a shard
 * (lib/shard.h).  Queries are gathered into blocks of up to 4096 (fewer
 * for a large k: a block's hits stay near 32 MB) and each full block is
 * searched at once with knn_search, so the rows are read once per block,
 * not once per query.  A query's own row (a token's or ID's row; a
 * vector labelled with a token of the table, or with a row number when
 * the table has no vocabulary) is left out of its hits unless
 * opts.include is set.
 *
 * Errors: the functions return 0, -1 with e filled (a bad query, a NaN
 * or Inf in a row of the table, out of memory), or QUERY_EWRITE when
 * writing failed (errno is the write's: EPIPE means the reader went
 * away).  After an error in the queries the hits of those before it have
 * been written; after an error in the table they have not.
 */
enum query_kind {
	QUERY_AUTO,		/* a stream: vectors or tokens, detected */
	QUERY_TOKENS,
	QUERY_IDS,		/* row IDs; hits are labelled by ID too */
	QUERY_VECTORS,		/* a vector stream (lib/vstream.h) */
	QUERY_TEXT		/* words and phrases through opts.text: each
				 * operand, each line of a stream, one query */
};

#define QUERY_EWRITE (-2)

struct query_opts {
	enum query_kind kind;
	size_t k;		/* hits per query, at least 1 */
	enum knn_metric metric;
	int threads;		/* 0 = all cores */
	size_t restrict_n;	/* search only the first n rows, 0 = all */
	size_t shard_i, shard_n;	/* search shard i of n of those rows
				 * and write partial lists; shard_n 0 =
				 * no shard */
	int include;		/* keep the query's own row */
	int oov_skip;		/* skip unknown tokens (else an error) */
	int csv;		/* write query,neighbour,score as CSV */
	void (*warn)(const struct emb_err *e);	/* told of each skipped
				 * token; NULL: quiet */
	struct tokquery *text;	/* QUERY_TEXT: tokenizes and pools */
	void (*describe)(const struct emb_err *e);	/* QUERY_TEXT: told
				 * how each query of several tokens was
				 * pooled; NULL: quiet */
};

struct query {
	/* private */
	struct model *m;
	struct query_opts o;
	FILE *out;
	struct knn_db db;
	struct knn_opts ko;
	int norows;		/* the shard owns no rows */
	int populated;		/* model_populate done */
	size_t cap;		/* queries per block */
	struct points blk;	/* the block's labels and vectors */
	int32_t *excl;		/* cap: the row to leave out, or -1 */
	struct knn_hit *hits;	/* cap x ko.k */
	long nonfinite;		/* the lowest table row with NaN or Inf */
	uint64_t qno;		/* queries searched before this block */
	float *row;		/* d floats of scratch */
	char idbuf[VOCAB_IDLEN];
};

/* defaults: tokens or vectors detected, k 10, cosine, all cores */
void query_opts_init(struct query_opts *o);

/*
 * Get ready to search m (which must outlive q) and write hits to out.
 * The rows searched, the window, are fixed here: the first restrict_n
 * rows (all if 0 or more than the table has), then a shard of them.
 */
void query_init(struct query *q, struct model *m, const struct query_opts *o,
    FILE *out);
void query_free(struct query *q);

/*
 * Queries from operands: tokens, with QUERY_IDS blank-separated IDs, with
 * QUERY_TEXT one word or phrase each.  Messages name no file.
 */
int query_args(struct query *q, char *const *args, size_t n,
    struct emb_err *e);
/*
 * Queries from a stream (path "-" = stdin): with QUERY_AUTO a binary
 * vector stream, or text that vstream_sniff takes for vectors, is read
 * as vectors, else as blank-separated tokens; lines of IDs with
 * QUERY_IDS; with QUERY_TEXT each line (empty lines skipped) is one
 * query.  Messages name file:line.
 */
int query_stream(struct query *q, const char *path, struct emb_err *e);

/* one query each: a token (where prefixes messages: "file:line: " or "") */
int query_token(struct query *q, const char *tok, size_t len,
    const char *where, struct emb_err *e);
/*
 * a word or phrase (QUERY_TEXT): its tokens' rows pooled by opts.text's
 * mode, labelled by the text as given; its row left out of its hits when
 * it is one token.  file and line (NULL, 0: none) name it in messages.
 */
int query_text(struct query *q, const char *text, size_t len,
    const char *file, size_t line, struct emb_err *e);
/* row id of the table, labelled by its number */
int query_id(struct query *q, uint32_t id, const char *where,
    struct emb_err *e);
/*
 * a vector of d floats with its label; self is the row to leave out
 * (-1: none).  A zero vector under cosine is the caller's to refuse.
 */
int query_vector(struct query *q, const char *label, size_t len,
    const float *v, long self, struct emb_err *e);

/* search the queries gathered so far and write their hits */
int query_flush(struct query *q, struct emb_err *e);

#endif
