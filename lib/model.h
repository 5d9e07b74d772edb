/* See LICENSE file for copyright and license details. */
#ifndef EMB_MODEL_H
#define EMB_MODEL_H

#include <stddef.h>

#include "dtype.h"
#include "err.h"
#include "fmt.h"
#include "safetensors.h"
#include "src.h"
#include "subword.h"
#include "table.h"
#include "vocab.h"

/*
 * A model opened read-only.  A native (safetensors) file is mmap'd: opening
 * reads the header and indexes nothing else, so it costs O(header), not
 * O(V x d); the vocab index is built on first token lookup.  Any other
 * format emb-init reads is imported into memory instead.
 */
struct model {
	char *path;
	enum fmt fmt;		/* the format read */
	size_t V, d;
	enum dtype dt;
	const void *emb;	/* V * d values of dt, row-major */
	const float *out;	/* output vectors (F32) or NULL */
	struct vocab vocab;	/* vocab.n == V (counts in vocab.count) */
	char *meta;		/* __metadata__ as JSON text, or NULL */
	struct subword sw;	/* fastText n-grams: subword_on(&sw) if any */
	/* private */
	struct src *src;	/* a native file's input, holding its bytes */
	struct st_file *st;	/* the mapped native file */
	struct table *tab;	/* imported non-native file */
	float *f32;		/* converted copy for F16/BF16 */
	float *norms;		/* row norms, computed on demand */
	void *owned[4];		/* realigned copies of counts/output/
				 * input/ngrams */
	uint32_t *ids;		/* scratch for n-gram rows */
	size_t idcap;
	int index;		/* stored token index: 1 used, 0 none,
				 * -1 present but not used (index_why) */
	size_t cold;		/* rows left to read before the matrix's
				 * read-ahead is back on (model_open), or 0 */
	struct emb_err index_why;
};

/*
 * Open path (stdin for "-") read-only, as format f (FMT_NONE: detect it
 * from the content).  The file is opened once: a native file's tensors
 * point into its one mapping (or, for stdin and gzip input, the one copy
 * read into memory).  Opening a native file reads its header (64 KiB at
 * most) and, when it has a token index, the few pages that check it: no
 * work in proportion to its size.  Its matrix and token index are mapped
 * POSIX_MADV_RANDOM, so that on a cold page cache a lookup reads the
 * pages it touches and not the read-ahead around each; read-ahead is
 * back on (POSIX_MADV_NORMAL) after MODEL_COLD rows read (VOCAB_COLD
 * tokens for the index), and before any pass over every row
 * (model_norms, model_f32, model_nonfinite, model_populate).
 */
#define MODEL_COLD 64
int model_open(struct model *m, const char *path, enum fmt f,
    struct emb_err *e);
/* the same over n bytes at p (kept until model_close), called name */
int model_open_mem(struct model *m, const void *p, size_t n,
    const char *name, enum fmt f, struct emb_err *e);
void model_close(struct model *m);

/* row i as float32 into out[d] */
void model_row(const struct model *m, size_t i, float *out);
/* the whole table as float32 (no copy for F32 tables) */
const float *model_f32(struct model *m);
/* L2 norm of every row (cached) */
const float *model_norms(struct model *m);
/*
 * Map rows [b, e) of a mapped native model into the process now, in one
 * bulk pass (madvise MADV_POPULATE_READ, Linux 5.14 and later; 8 MiB
 * pieces on `threads` threads, 0 for all cores), instead of one page
 * fault per 64 KB as a scan first touches them: on a 3.6 GB table in the
 * page cache that is 0.3 CPU-s of kernel time instead of 0.65.  Rows not
 * in the page cache are read from the file.  For a search that reads
 * every row of the window; nothing for a table in memory, a window under
 * 64 MiB, or a system without it (errors are ignored: it is a hint).
 */
void model_populate(const struct model *m, size_t b, size_t e, int threads);
/*
 * A mapped native model is not scanned when it is opened (that would read
 * the whole matrix), so NaN and infinities are caught as rows are used.
 * model_row_finite: model_row, or -1 naming the file and row (1-based)
 * when the row holds NaN or Inf.  model_nonfinite: how many rows do (it
 * reads every row, through model_norms), the lowest in *first or -1.
 * model_nonfinite_err: the message for row i.
 */
int model_row_finite(const struct model *m, size_t i, float *out,
    struct emb_err *e);
size_t model_nonfinite(struct model *m, long *first);
void model_nonfinite_err(const struct model *m, size_t i, struct emb_err *e);
/* the safetensors container of a native model (tensors, metadata), else
 * NULL */
const struct st_file *model_container(const struct model *m);
/*
 * The stored token index (see vocab_map): 0 when the model has none; 1
 * when vocab_map_check finds all of it sound (this reads the whole
 * vocabulary); -1 with the reason when it is damaged or was not used.
 */
int model_index_check(struct model *m, struct emb_err *e);
/* id of the token or -1 */
long model_find(struct model *m, const char *tok, size_t len);
/*
 * Name the rows by v's tokens instead (v->n == V; a tokenizer's readable
 * tokens, tokvocab.h), keeping the counts; v is taken over (left empty).
 */
void model_rename(struct model *m, struct vocab *v);

/*
 * The vector of any token into out[d]: its row when it is in the
 * vocabulary (returns the id), else, for a model with subwords, the
 * mean of its n-gram rows, as fastText computes an unseen word's vector
 * (returns -2; out is zero when the token has no n-gram, as "</s>"),
 * else -1 (out untouched).  A row or n-gram row holding NaN or Inf, or
 * n-gram rows whose sum overflows float32: -3 with e naming it.  Not
 * thread-safe (a scratch list in m).
 */
long model_vector(struct model *m, const char *tok, size_t len, float *out,
    struct emb_err *e);

#endif
