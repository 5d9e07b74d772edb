/* See LICENSE file for copyright and license details. */
/* The safetensors writer of a table: the tensors, header and index. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "json.h"
#include "le.h"
#include "safetensors.h"
#include "stwrite.h"
#include "util.h"
#include "vocab.h"

#define ST_ALIGN 64		/* the data starts at a multiple of this */

/* minn, maxn, bucket: written from the table's fields, never copied */
static int
is_subword_key(const char *k)
{
	return strcmp(k, "minn") == 0 || strcmp(k, "maxn") == 0 ||
	    strcmp(k, "bucket") == 0;
}

static int
add_subword_meta(struct json *meta, const struct table *t)
{
	char buf[3][32];

	snprintf(buf[0], sizeof(buf[0]), "%d", t->minn);
	snprintf(buf[1], sizeof(buf[1]), "%d", t->maxn);
	snprintf(buf[2], sizeof(buf[2]), "%zu", t->bucket);
	return json_add_string(meta, "minn", buf[0]) < 0 ||
	    json_add_string(meta, "maxn", buf[1]) < 0 ||
	    json_add_string(meta, "bucket", buf[2]) < 0 ? -1 : 0;
}

/* tensors a table can have: counts, the index's two, embeddings,
 * output, fastText's input and ngrams, vocab */
#define ST_MAXOUT 8

struct st_out {
	const char *name, *dtype;
	uint64_t shape[2];
	int ndim;
	size_t bytes;
	const void *data;	/* bytes to write as they are, or NULL */
};

/* the token index of a labelled table (see safetensors.h) */
struct st_index {
	unsigned char *off, *slots;	/* NULL: no index */
	size_t cap;
	uint64_t seed;
	size_t probe;
};

static void
index_make(const struct table *t, struct st_index *x)
{
	uint64_t seed;

	memset(x, 0, sizeof(*x));
	if (t->vocab.n != t->V || t->V == 0 || t->V >= INT32_MAX)
		return;
	x->cap = vocab_index_cap(t->V);
	x->off = xaligned((t->V + 1) * 8);
	x->slots = xaligned(x->cap * 4);
	vocab_offsets_write(&t->vocab, x->off);
	/* a few seeds, should a vocabulary make long probes under one */
	for (seed = 0; seed < 4; seed++) {
		size_t p = vocab_index_build(&t->vocab, seed, x->slots, x->cap);

		if (seed == 0 || p < x->probe) {
			x->seed = seed;
			x->probe = p;
		}
		if (x->probe <= ST_INDEX_PROBE_OK)
			break;
	}
	if (x->seed != seed)
		vocab_index_build(&t->vocab, x->seed, x->slots, x->cap);
}

static int
add_tensor(struct json *root, const struct st_out *o, size_t *off)
{
	struct json *t = json_add_object(root, o->name), *a;
	int i;

	if (t == NULL || json_add_string(t, "dtype", o->dtype) < 0)
		return -1;
	if ((a = json_add_array(t, "shape")) == NULL)
		return -1;
	for (i = 0; i < o->ndim; i++)
		if (json_push_number(a, (double)o->shape[i]) < 0)
			return -1;
	if ((a = json_add_array(t, "data_offsets")) == NULL)
		return -1;
	if (json_push_number(a, (double)*off) < 0)
		return -1;
	*off += o->bytes;
	return json_push_number(a, (double)*off);
}

/* write n floats as dt in chunks */
static int
write_rows(FILE *fp, const float *v, size_t n, enum dtype dt)
{
	unsigned char buf[8192];
	size_t chunk = sizeof(buf) / 2, i;

	if (dt == DT_F32)
		return fwrite(v, sizeof(float), n, fp) == n ? 0 : -1;
	for (i = 0; i < n; i += chunk) {
		size_t m = n - i < chunk ? n - i : chunk;

		dtype_from_f32(dt, v + i, buf, m);
		if (fwrite(buf, 2, m, fp) != m)
			return -1;
	}
	return 0;
}

/*
 * The tensors of t in file order: by decreasing element size (8, 4, 2,
 * 1 bytes), so each starts aligned to its element size.
 */
static size_t
plan(const struct table *t, enum dtype dt, const struct st_index *x,
    const char *vblock, struct st_out *o)
{
	struct st_out all[ST_MAXOUT];
	size_t n = 0, no = 0, i, k;
	static const size_t esz[] = { 8, 4, 2, 1 };
	int labelled = t->vocab.n == t->V && t->V > 0;

	if (labelled && t->vocab.count != NULL)
		all[n++] = (struct st_out){ "counts", "I64", { t->V, 0 }, 1,
		    t->V * 8, t->vocab.count };
	if (x->off != NULL)
		all[n++] = (struct st_out){ ST_INDEX_OFFSETS, "I64",
		    { t->V + 1, 0 }, 1, (t->V + 1) * 8, x->off };
	all[n++] = (struct st_out){ "embeddings", dtype_name(dt),
	    { t->V, t->d }, 2, t->V * t->d * dtype_size(dt), NULL };
	if (t->out != NULL)
		all[n++] = (struct st_out){ "output", "F32", { t->V, t->d }, 2,
		    t->V * t->d * 4, NULL };
	if (t->ngrams != NULL) {
		/* fastText's word rows and n-gram buckets, as they are */
		all[n++] = (struct st_out){ "input", "F32", { t->V, t->d }, 2,
		    t->V * t->d * 4, t->words };
		all[n++] = (struct st_out){ "ngrams", "F32",
		    { t->bucket, t->d }, 2, t->bucket * t->d * 4, t->ngrams };
	}
	if (x->slots != NULL)
		all[n++] = (struct st_out){ ST_INDEX_SLOTS, "I32",
		    { x->cap, 0 }, 1, x->cap * 4, x->slots };
	if (labelled)
		all[n++] = (struct st_out){ "vocab", "U8",
		    { vocab_block_size(&t->vocab), 0 }, 1,
		    vocab_block_size(&t->vocab), vblock };
	for (k = 0; k < 4; k++)
		for (i = 0; i < n; i++)
			if (st_dtype_size(all[i].dtype) == esz[k])
				o[no++] = all[i];
	return no;
}

/* the JSON header: metadata, then the tensors; NULL when out of memory */
static char *
header(const struct table *t, const struct st_out *o, size_t no,
    const struct st_index *x)
{
	struct json *root = json_new_object(), *meta;
	char seed[24], probe[24], *hdr = NULL;
	size_t i, off = 0;

	if (root == NULL ||
	    (meta = json_add_object(root, "__metadata__")) == NULL ||
	    json_add_string(meta, "format", "emb") < 0 ||
	    json_add_string(meta, "emb.version", "1") < 0)
		goto done;
	for (i = 0; i < t->nmeta; i++)
		if (strcmp(t->meta[2 * i], "format") != 0 &&
		    strcmp(t->meta[2 * i], "emb.version") != 0 &&
		    strncmp(t->meta[2 * i], "emb.index.", 10) != 0 &&
		    !is_subword_key(t->meta[2 * i]) &&
		    json_add_string(meta, t->meta[2 * i],
		    t->meta[2 * i + 1]) < 0)
			goto done;
	if (t->ngrams != NULL && add_subword_meta(meta, t) < 0)
		goto done;
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)x->seed);
	snprintf(probe, sizeof(probe), "%zu", x->probe);
	if (x->off != NULL && (json_add_string(meta, ST_INDEX_KEY_HASH,
	    ST_INDEX_HASH) < 0 || json_add_string(meta, ST_INDEX_KEY_SEED,
	    seed) < 0 || json_add_string(meta, ST_INDEX_KEY_PROBE, probe) < 0))
		goto done;
	for (i = 0; i < no; i++)
		if (add_tensor(root, &o[i], &off) < 0)
			goto done;
	hdr = json_print(root);
done:
	json_free(root);
	return hdr;
}

int
st_write_table(const struct table *t, const char *path, enum dtype dt,
    struct emb_err *e)
{
	struct st_out o[ST_MAXOUT];
	struct st_index x;
	size_t no, i, hlen, pad;
	char *hdr = NULL, *vblock = NULL;
	unsigned char len8[8];
	struct afile a;
	int werr = 0, ret = -1;

	index_make(t, &x);
	if (t->vocab.n == t->V && t->V > 0) {
		vblock = xaligned(vocab_block_size(&t->vocab) + 1);
		vocab_write_block(&t->vocab, vblock);
	}
	no = plan(t, dt, &x, vblock, o);
	if ((hdr = header(t, o, no, &x)) == NULL) {
		err_set(e, path, 0, "out of memory");
		goto done;
	}
	hlen = strlen(hdr);
	/* pad the header with spaces so the data starts 64-byte aligned */
	pad = (ST_ALIGN - (8 + hlen) % ST_ALIGN) % ST_ALIGN;
	le_put64(len8, (uint64_t)(hlen + pad));
	if (afile_open(&a, path, e) < 0)
		goto done;
	if (fwrite(len8, 1, 8, a.f) != 8 || fwrite(hdr, 1, hlen, a.f) != hlen)
		werr = 1;
	for (i = 0; i < pad && !werr; i++)
		werr = fputc(' ', a.f) == EOF;
	for (i = 0; i < no && !werr; i++) {
		int out = strcmp(o[i].name, "output") == 0;

		if (o[i].data != NULL)
			werr = fwrite(o[i].data, 1, o[i].bytes, a.f) !=
			    o[i].bytes;
		else
			werr = write_rows(a.f, out ? t->out : t->vec,
			    t->V * t->d, out ? DT_F32 : dt) < 0;
	}
	if (werr) {
		/* name the write's errno (ENOSPC, EPIPE: quiet for callers) */
		int saved = errno;

		err_sys(e, a.path);
		afile_abort(&a);
		errno = saved;
		goto done;
	}
	if (afile_commit(&a, e) < 0)
		goto done;
	ret = 0;
done:
	free(x.off);
	free(x.slots);
	free(vblock);
	free(hdr);
	return ret;
}
