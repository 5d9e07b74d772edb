/* See LICENSE file for copyright and license details. */
#ifndef EMB_SAFETENSORS_H
#define EMB_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "dtype.h"
#include "err.h"
#include "subword.h"
#include "table.h"

/*
 * The safetensors container: an 8-byte little-endian header length N, N
 * bytes of JSON ({"name": {"dtype", "shape", "data_offsets"}, ...,
 * "__metadata__": {str: str}}), then the tensor data.  Every offset and
 * size is checked against the file size before any tensor byte is touched.
 * N is at most ST_MAX_HEADER bytes, as in the reference library.
 */
#define ST_MAX_HEADER ((uint64_t)100 << 20)

struct st_tensor {
	char *name;
	char dtype[8];		/* "F32", "F16", "BF16", "I64", "U8", ... */
	size_t ndim;
	uint64_t shape[8];
	size_t begin, end;	/* byte offsets from the data start */
	const unsigned char *data;
};

struct st_file {
	char *name;		/* the file's name in messages */
	const unsigned char *base;	/* the whole file, len bytes */
	size_t len;
	void *map;		/* st_open's mapping of base, else NULL */
	size_t maplen;
	size_t ntensors;
	struct st_tensor *tensors;
	char *meta;		/* "__metadata__" as JSON text, or NULL */
};

/* mmap and validate; the tensors' data points into the map */
int st_open(struct st_file *f, const char *path, struct emb_err *e);
/*
 * Validate the n bytes at p (the whole file, which must outlive f) as a
 * safetensors file called name in messages: a memory block, or a file
 * mapped or read by the caller.
 */
int st_open_mem(struct st_file *f, const void *p, size_t n, const char *name,
    struct emb_err *e);
void st_close(struct st_file *f);
const struct st_tensor *st_find(const struct st_file *f, const char *name);
/* element size of a dtype name, 0 if unknown */
size_t st_dtype_size(const char *dtype);

/* the matrix: by name, else "embeddings", else the only 2-D float tensor */
const struct st_tensor *st_matrix(const struct st_file *f, const char *name,
    const char *path, struct emb_err *e);
/* the optional "vocab", "counts", "output" tensors, checked against V x d */
int st_companions(const struct st_file *f, size_t V, size_t d,
    const struct st_tensor **vocab, const struct st_tensor **counts,
    const struct st_tensor **output, const char *path, struct emb_err *e);
/*
 * The optional subword tensors of a fastText model: "ngrams" (F32
 * [bucket, d]) and "input" (F32 [V, d], the word rows alone), with minn,
 * maxn and bucket in __metadata__.  sw gets the parameters (its rows are
 * left NULL: the caller maps or copies them); without the tensors
 * bucket is 0.  Both or neither tensor must be there.
 */
int st_subwords(const struct st_file *f, size_t V, size_t d,
    const struct st_tensor **ngrams, const struct st_tensor **input,
    struct subword *sw, const char *path, struct emb_err *e);
/* convert n values of a float tensor (F64/F32/F16/BF16) to float32 */
void st_to_f32(const struct st_tensor *t, float *dst, size_t n);

/*
 * Split a __metadata__ JSON object into key, value pairs (string values
 * only): *pairs holds 2 * *n malloc'd strings.  -1 if json is not an object.
 */
int st_meta_pairs(const char *json, char ***pairs, size_t *n);

/*
 * The native emb model on top of the container: tensors "embeddings"
 * (F32/F16/BF16 [V, d]), "vocab" (U8, tokens each followed by '\n'),
 * optional "counts" (I64 [V]) and "output" (F32 [V, d]).
 *
 * st_read_table imports path into t (float32 copy).  tensor names the
 * matrix (NULL: "embeddings", else the only 2-D float tensor); the vocab
 * comes from the "vocab" tensor when present.
 */
int st_read_table(struct table *t, const char *path, const char *tensor,
    struct emb_err *e);
/* the same from an open file (messages name f->name) */
int st_to_table(struct table *t, const struct st_file *f, const char *tensor,
    struct emb_err *e);

/*
 * The token index of a labelled model (man emb-formats: "The token
 * index"): ST_INDEX_OFFSETS, I64 [V + 1], the byte offset of each token
 * in "vocab" and the vocab's size; ST_INDEX_SLOTS, I32 [H], H a power of
 * 2 >= 2V, an open-addressing table of row + 1 (0 = empty) filled by
 * linear probing from vocab_hash(seed) mod H.  __metadata__ names the
 * hash, the seed and the longest probe.  st_write_table writes them for
 * every labelled table of fewer than 2^31 - 1 rows, trying seeds 0..3
 * until the longest probe is at most ST_INDEX_PROBE_OK.
 */
#define ST_INDEX_OFFSETS	"vocab_offsets"
#define ST_INDEX_SLOTS		"vocab_index"
#define ST_INDEX_KEY_HASH	"emb.index.hash"
#define ST_INDEX_KEY_SEED	"emb.index.seed"
#define ST_INDEX_KEY_PROBE	"emb.index.probe"
#define ST_INDEX_HASH		"fnv1a64-fmix64"
#define ST_INDEX_PROBE_OK	64


#endif
