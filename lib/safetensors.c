/* See LICENSE file for copyright and license details. */
/* The safetensors container (its JSON header goes through json.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "json.h"
#include "le.h"
#include "safetensors.h"
#include "util.h"
#include "vocab.h"

static const struct {
	const char *name;
	size_t size;
} st_dtypes[] = {
	{ "F64", 8 }, { "F32", 4 }, { "F16", 2 }, { "BF16", 2 },
	{ "I64", 8 }, { "I32", 4 }, { "I16", 2 }, { "I8", 1 },
	{ "U64", 8 }, { "U32", 4 }, { "U16", 2 }, { "U8", 1 },
	{ "BOOL", 1 }, { "F8_E4M3", 1 }, { "F8_E5M2", 1 },
};

size_t
st_dtype_size(const char *dtype)
{
	size_t i;

	for (i = 0; i < sizeof(st_dtypes) / sizeof(st_dtypes[0]); i++)
		if (strcmp(dtype, st_dtypes[i].name) == 0)
			return st_dtypes[i].size;
	return 0;
}

static int
parse_tensor(struct st_tensor *t, const struct json *j, size_t datalen,
    const char *path, struct emb_err *e)
{
	const char *dt = json_string(json_get(j, "dtype"));
	const struct json *sh = json_get(j, "shape");
	const struct json *off = json_get(j, "data_offsets");
	const struct json *x;
	uint64_t b, en, n = 1;
	size_t esize;

	if (json_type(j) != JSON_OBJECT || dt == NULL ||
	    json_type(sh) != JSON_ARRAY || json_type(off) != JSON_ARRAY ||
	    json_size(off) != 2) {
		err_set(e, path, 0, "tensor \"%s\": malformed entry", t->name);
		return -1;
	}
	if ((esize = st_dtype_size(dt)) == 0) {
		err_set(e, path, 0, "tensor \"%s\": unknown dtype \"%.16s\"",
		    t->name, dt);
		return -1;
	}
	snprintf(t->dtype, sizeof(t->dtype), "%s", dt);
	t->ndim = 0;
	JSON_EACH(x, sh) {
		uint64_t dim;

		if (t->ndim == 8 || json_count(x, &dim) < 0) {
			err_set(e, path, 0, "tensor \"%s\": bad shape",
			    t->name);
			return -1;
		}
		t->shape[t->ndim++] = dim;
		if (dim != 0 && n > UINT64_MAX / dim) {
			err_set(e, path, 0, "tensor \"%s\": shape too large",
			    t->name);
			return -1;
		}
		n *= dim;
	}
	if (json_count(json_at(off, 0), &b) < 0 ||
	    json_count(json_at(off, 1), &en) < 0 || b > en ||
	    en > datalen) {
		err_set(e, path, 0, "tensor \"%s\": data offsets outside the "
		    "file (file truncated?)", t->name);
		return -1;
	}
	if (n > UINT64_MAX / esize || en - b != n * esize) {
		err_set(e, path, 0, "tensor \"%s\": data size %llu does not "
		    "match its shape", t->name, (unsigned long long)(en - b));
		return -1;
	}
	t->begin = (size_t)b;
	t->end = (size_t)en;
	return 0;
}

/* the offset of the first byte that breaks UTF-8, or n if none does */
static size_t
utf8_bad(const unsigned char *p, size_t n)
{
	size_t i = 0, k, len;
	uint32_t c;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			len = 2, c = p[i] & 0x1f;
		else if (p[i] >= 0xe0 && p[i] <= 0xef)
			len = 3, c = p[i] & 0x0f;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			len = 4, c = p[i] & 0x07;
		else
			return i;
		if (n - i < len)
			return i;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		/* overlong forms, surrogates, past U+10FFFF */
		if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
		    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			return i;
		i += len;
	}
	return n;
}

/* a tensor's place, for sorting without a context pointer */
struct span {
	size_t begin, end;
	const char *name;
};

static int
by_offsets(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->begin != y->begin)
		return x->begin < y->begin ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct span *)a)->name,
	    ((const struct span *)b)->name);
}

/*
 * The layout the reference loader demands: the tensors, in the order of
 * their offsets, lie back to back from byte 0 of the data to its end,
 * with no gap or overlap; each name once.  O(n log n).
 */
static int
st_layout(const struct st_file *f, size_t datalen, const char *path,
    struct emb_err *e)
{
	struct span *sp = xreallocarray(NULL, f->ntensors ? f->ntensors : 1,
	    sizeof(*sp));
	size_t i, at = 0;
	int r = -1;

	for (i = 0; i < f->ntensors; i++) {
		sp[i].begin = f->tensors[i].begin;
		sp[i].end = f->tensors[i].end;
		sp[i].name = f->tensors[i].name;
	}
	qsort(sp, f->ntensors, sizeof(*sp), by_offsets);
	for (i = 0; i < f->ntensors; i++) {
		if (sp[i].begin != at) {
			err_set(e, path, 0, "invalid safetensors header: tensor "
			    "\"%s\" starts at data byte %zu, %s %zu",
			    sp[i].name, sp[i].begin, i == 0 ? "not at" :
			    "the tensor before it ends at", at);
			goto done;
		}
		at = sp[i].end;
	}
	if (at != datalen) {
		err_set(e, path, 0, "invalid safetensors header: the tensors "
		    "end at data byte %zu, the file's data at %zu", at, datalen);
		goto done;
	}
	qsort(sp, f->ntensors, sizeof(*sp), by_name);
	for (i = 0; i + 1 < f->ntensors; i++)
		if (strcmp(sp[i].name, sp[i + 1].name) == 0) {
			err_set(e, path, 0, "invalid safetensors header: tensor "
			    "\"%s\" given twice", sp[i].name);
			goto done;
		}
	r = 0;
done:
	free(sp);
	return r;
}

/* __metadata__: an object of strings */
static int
st_meta(struct st_file *f, const struct json *j, const char *path,
    struct emb_err *e)
{
	const struct json *m;

	if (json_type(j) != JSON_OBJECT) {
		err_set(e, path, 0, "__metadata__ is not an object");
		return -1;
	}
	JSON_EACH(m, j)
		if (json_string(m) == NULL) {
			err_set(e, path, 0, "invalid safetensors header: "
			    "__metadata__ \"%s\" is %s %s, not a string",
			    json_key(m), json_type(m) == JSON_OBJECT ||
			    json_type(m) == JSON_ARRAY ? "an" : "a",
			    json_type_name(json_type(m)));
			return -1;
		}
	free(f->meta);
	f->meta = json_print(j);
	return 0;
}

/* parse and check the header of the file at f->base (f->len bytes) */
static int
st_parse(struct st_file *f, const char *path, struct emb_err *e)
{
	uint64_t hlen;
	const unsigned char *p = f->base;
	struct json *root = NULL;
	const struct json *j;
	size_t datalen, n = 0, used = 0;

	if (f->len < 8) {
		err_set(e, path, 0, "too short for a safetensors file");
		return -1;
	}
	hlen = le_get64(p);
	if (hlen > ST_MAX_HEADER || hlen > f->len - 8 || hlen < 2) {
		err_set(e, path, 0, "safetensors header length %llu is "
		    "invalid for a file of %zu bytes",
		    (unsigned long long)hlen, f->len);
		return -1;
	}
	datalen = f->len - 8 - (size_t)hlen;
	if ((used = utf8_bad(p + 8, (size_t)hlen)) < hlen) {
		err_set(e, path, 0, "invalid safetensors header: not UTF-8 "
		    "(header byte %zu)", used);
		return -1;
	}
	if (p[8] == '{')
		root = json_parse_value((const char *)p + 8, (size_t)hlen,
		    path, &used, e);
	if (json_type(root) != JSON_OBJECT) {
		err_set(e, path, 0, "safetensors header is not a JSON object");
		goto fail;
	}
	/* only the spaces the reference writer pads with may follow */
	for (; used < hlen; used++)
		if (p[8 + used] != ' ') {
			err_set(e, path, 0, "invalid safetensors header: bytes "
			    "after the JSON object");
			goto fail;
		}
	n = json_size(root);
	f->tensors = xcalloc(n ? n : 1, sizeof(*f->tensors));
	JSON_EACH(j, root) {
		struct st_tensor *t;

		if (json_key(j) == NULL) {
			err_set(e, path, 0, "safetensors header: unnamed entry");
			goto fail;
		}
		if (strcmp(json_key(j), "__metadata__") == 0) {
			if (st_meta(f, j, path, e) < 0)
				goto fail;
			continue;
		}
		t = &f->tensors[f->ntensors];
		t->name = xstrdup(json_key(j));
		f->ntensors++;
		if (parse_tensor(t, j, datalen, path, e) < 0)
			goto fail;
		t->data = p + 8 + hlen + t->begin;
	}
	if (st_layout(f, datalen, path, e) < 0)
		goto fail;
	json_free(root);
	return 0;
fail:
	json_free(root);
	return -1;
}

int
st_open(struct st_file *f, const char *path, struct emb_err *e)
{
	struct stat st;
	int fd;

	memset(f, 0, sizeof(*f));
	f->name = xstrdup(path);
	if ((fd = open(path, O_RDONLY)) < 0) {
		err_sys(e, path);
		goto fail;
	}
	if (fstat(fd, &st) < 0) {
		err_sys(e, path);
		close(fd);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, path, 0, "not a regular file (safetensors files "
		    "are mapped, not streamed)");
		close(fd);
		goto fail;
	}
	if (st.st_size < 8) {
		err_set(e, path, 0, "too short for a safetensors file");
		close(fd);
		goto fail;
	}
	f->maplen = (size_t)st.st_size;
	f->map = mmap(NULL, f->maplen, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (f->map == MAP_FAILED) {
		f->map = NULL;
		err_sys(e, path);
		goto fail;
	}
	f->base = f->map;
	f->len = f->maplen;
	if (st_parse(f, path, e) < 0)
		goto fail;
	return 0;
fail:
	st_close(f);
	return -1;
}

int
st_open_mem(struct st_file *f, const void *p, size_t n, const char *name,
    struct emb_err *e)
{
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	f->base = p;
	f->len = n;
	if (st_parse(f, name, e) < 0) {
		st_close(f);
		return -1;
	}
	return 0;
}

void
st_close(struct st_file *f)
{
	size_t i;

	if (f->map != NULL)
		munmap(f->map, f->maplen);
	for (i = 0; i < f->ntensors; i++)
		free(f->tensors[i].name);
	free(f->tensors);
	free(f->meta);
	free(f->name);
	memset(f, 0, sizeof(*f));
}

const struct st_tensor *
st_find(const struct st_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->ntensors; i++)
		if (strcmp(f->tensors[i].name, name) == 0)
			return &f->tensors[i];
	return NULL;
}

static int
is_float_dtype(const char *d)
{
	return strcmp(d, "F32") == 0 || strcmp(d, "F16") == 0 ||
	    strcmp(d, "BF16") == 0 || strcmp(d, "F64") == 0;
}

/* the matrix to use: by name, else "embeddings", else the only 2-D float */
const struct st_tensor *
st_matrix(const struct st_file *f, const char *name, const char *path,
    struct emb_err *e)
{
	const struct st_tensor *t = NULL;
	size_t i, cand = 0;

	if (name != NULL) {
		if ((t = st_find(f, name)) == NULL) {
			err_set(e, path, 0, "no tensor named \"%s\"", name);
			return NULL;
		}
	} else if ((t = st_find(f, "embeddings")) == NULL) {
		for (i = 0; i < f->ntensors; i++)
			if (f->tensors[i].ndim == 2 &&
			    is_float_dtype(f->tensors[i].dtype)) {
				t = &f->tensors[i];
				cand++;
			}
		if (cand != 1) {
			char names[256] = "";
			size_t used = 0;

			for (i = 0; i < f->ntensors && used + 4 < sizeof(names);
			    i++) {
				int n;

				if (f->tensors[i].ndim != 2 ||
				    !is_float_dtype(f->tensors[i].dtype))
					continue;
				n = snprintf(names + used, sizeof(names) - used,
				    "%s%s", used ? ", " : "", f->tensors[i].name);
				used = n < 0 || (size_t)n >= sizeof(names) - used ?
				    sizeof(names) : used + (size_t)n;
			}
			if (cand == 0)
				err_set(e, path, 0, "no 2-D float tensor to use "
				    "as an embedding table");
			else
				err_set(e, path, 0, "%zu 2-D float tensors (%s): "
				    "choose one with --tensor", cand, names);
			return NULL;
		}
	}
	if (t->ndim != 2 || !is_float_dtype(t->dtype)) {
		err_set(e, path, 0, "tensor \"%s\" is not a 2-D float matrix "
		    "(%s, %zu dims)", t->name, t->dtype, t->ndim);
		return NULL;
	}
	if (t->shape[1] == 0) {
		err_set(e, path, 0, "tensor \"%s\" has 0 columns", t->name);
		return NULL;
	}
	return t;
}

/* the optional vocab, counts and output tensors that go with V x d rows */
int
st_companions(const struct st_file *f, size_t V, size_t d,
    const struct st_tensor **vocab, const struct st_tensor **counts,
    const struct st_tensor **output, const char *path, struct emb_err *e)
{
	*vocab = st_find(f, "vocab");
	*counts = st_find(f, "counts");
	*output = st_find(f, "output");
	if (*vocab != NULL && (strcmp((*vocab)->dtype, "U8") != 0 ||
	    (*vocab)->ndim != 1)) {
		err_set(e, path, 0, "tensor \"vocab\" must be U8 [bytes]");
		return -1;
	}
	if (*counts != NULL && (strcmp((*counts)->dtype, "I64") != 0 ||
	    (*counts)->ndim != 1 || (*counts)->shape[0] != V)) {
		err_set(e, path, 0, "tensor \"counts\" must be I64 [%zu]", V);
		return -1;
	}
	if (*output != NULL && (strcmp((*output)->dtype, "F32") != 0 ||
	    (*output)->ndim != 2 || (*output)->shape[0] != V ||
	    (*output)->shape[1] != d)) {
		err_set(e, path, 0, "tensor \"output\" must be F32 [%zu, %zu]",
		    V, d);
		return -1;
	}
	return 0;
}

/* a string in __metadata__ parsed as a whole decimal number, else -1 */
static long long
meta_int(const struct st_file *f, const char *key)
{
	struct json *root;
	struct emb_err e;
	const char *v;
	long long x = -1;
	char *end;

	if (f->meta == NULL || (root = json_parse(f->meta, strlen(f->meta),
	    "", &e)) == NULL)
		return -1;
	v = json_string(json_get(root, key));
	if (v != NULL && v[0] >= '0' && v[0] <= '9') {
		errno = 0;
		x = strtoll(v, &end, 10);
		if (*end != '\0' || errno != 0)
			x = -1;
	}
	json_free(root);
	return x;
}

int
st_subwords(const struct st_file *f, size_t V, size_t d,
    const struct st_tensor **ngrams, const struct st_tensor **input,
    struct subword *sw, const char *path, struct emb_err *e)
{
	long long minn, maxn, bucket;

	memset(sw, 0, sizeof(*sw));
	sw->d = d;
	*ngrams = st_find(f, "ngrams");
	*input = st_find(f, "input");
	if (*ngrams == NULL && *input == NULL)
		return 0;
	if (*ngrams == NULL || *input == NULL) {
		err_set(e, path, 0, "tensor \"%s\" without \"%s\": the "
		    "subword tensors go together", *input ? "input" : "ngrams",
		    *input ? "ngrams" : "input");
		return -1;
	}
	minn = meta_int(f, "minn");
	maxn = meta_int(f, "maxn");
	bucket = meta_int(f, "bucket");
	if (minn < 0 || maxn < 1 || bucket < 1) {
		err_set(e, path, 0, "tensor \"ngrams\" needs minn, maxn and "
		    "bucket (decimal strings, maxn and bucket above 0) in "
		    "__metadata__");
		return -1;
	}
	if (subword_check(minn > INT_MAX ? INT_MAX : (long)minn,
	    maxn > INT_MAX ? INT_MAX : (long)maxn, bucket, path, e) < 0)
		return -1;
	if (strcmp((*ngrams)->dtype, "F32") != 0 || (*ngrams)->ndim != 2 ||
	    (*ngrams)->shape[0] != (uint64_t)bucket ||
	    (*ngrams)->shape[1] != d) {
		err_set(e, path, 0, "tensor \"ngrams\" must be F32 [%lld, %zu]",
		    bucket, d);
		return -1;
	}
	if (strcmp((*input)->dtype, "F32") != 0 || (*input)->ndim != 2 ||
	    (*input)->shape[0] != V || (*input)->shape[1] != d) {
		err_set(e, path, 0, "tensor \"input\" must be F32 [%zu, %zu]",
		    V, d);
		return -1;
	}
	sw->minn = (int)minn;
	sw->maxn = (int)maxn;
	sw->bucket = (size_t)bucket;
	return 0;
}

static void
f64_to_f32(const unsigned char *src, float *dst, size_t n)
{
	size_t i;
	double x;

	for (i = 0; i < n; i++) {
		memcpy(&x, src + 8 * i, 8);
		dst[i] = (float)x;
	}
}

/* copy a float tensor of any supported dtype to float32 */
void
st_to_f32(const struct st_tensor *t, float *dst, size_t n)
{
	enum dtype dt;

	if (strcmp(t->dtype, "F64") == 0)
		f64_to_f32(t->data, dst, n);
	else if (dtype_byname(t->dtype, &dt) == 0)
		dtype_to_f32(dt, t->data, dst, n);
}

int
st_meta_pairs(const char *json, char ***pairs, size_t *n)
{
	struct json *root = json_parse(json, strlen(json), NULL, NULL);
	const struct json *j;

	*pairs = NULL;
	*n = 0;
	if (json_type(root) != JSON_OBJECT) {
		json_free(root);
		return -1;
	}
	JSON_EACH(j, root)
		if (json_key(j) != NULL && json_string(j) != NULL) {
			*pairs = xreallocarray(*pairs, 2 * *n + 2,
			    sizeof(**pairs));
			(*pairs)[2 * *n] = xstrdup(json_key(j));
			(*pairs)[2 * *n + 1] = xstrdup(json_string(j));
			(*n)++;
		}
	json_free(root);
	return 0;
}

static void
meta_to_table(struct table *t, const char *json)
{
	struct json *root = json_parse(json, strlen(json), NULL, NULL);
	const struct json *j;

	JSON_EACH(j, root)
		if (json_key(j) != NULL && json_string(j) != NULL)
			table_meta_set(t, json_key(j), json_string(j));
	json_free(root);
}

int
st_to_table(struct table *t, const struct st_file *f, const char *tensor,
    struct emb_err *e)
{
	const struct st_tensor *m, *voc, *cnt, *out, *ng, *in;
	const char *path = f->name;
	struct subword sw;
	size_t V, d;

	if ((m = st_matrix(f, tensor, path, e)) == NULL)
		return -1;
	V = (size_t)m->shape[0];
	d = (size_t)m->shape[1];
	if (st_companions(f, V, d, &voc, &cnt, &out, path, e) < 0 ||
	    st_subwords(f, V, d, &ng, &in, &sw, path, e) < 0)
		return -1;
	if (table_alloc(t, V, d, e) < 0)
		return -1;
	st_to_f32(m, t->vec, V * d);
	if (voc != NULL) {
		struct vocab tmp;
		size_t i;

		vocab_init(&tmp);
		if (vocab_from_block(&tmp, (const char *)voc->data,
		    voc->end - voc->begin, V, path, e) < 0) {
			vocab_free(&tmp);
			return -1;
		}
		for (i = 0; i < V; i++)
			vocab_add(&t->vocab, tmp.tok[i], tmp.len[i]);
		vocab_free(&tmp);
		if (cnt != NULL) {
			vocab_ensure_counts(&t->vocab);
			memcpy(t->vocab.count, cnt->data, V * 8);
		}
	}
	if (out != NULL) {
		t->out = xaligned(V * d * sizeof(float));
		memcpy(t->out, out->data, V * d * sizeof(float));
	}
	if (ng != NULL) {
		t->minn = sw.minn;
		t->maxn = sw.maxn;
		t->bucket = sw.bucket;
		t->ngrams = xaligned(sw.bucket * d * sizeof(float) + 1);
		memcpy(t->ngrams, ng->data, sw.bucket * d * sizeof(float));
		t->words = xaligned(V * d * sizeof(float) + 1);
		memcpy(t->words, in->data, V * d * sizeof(float));
	}
	if (f->meta != NULL)
		meta_to_table(t, f->meta);
	return 0;
}

int
st_read_table(struct table *t, const char *path, const char *tensor,
    struct emb_err *e)
{
	struct st_file f;
	int r;

	if (st_open(&f, path, e) < 0)
		return -1;
	r = st_to_table(t, &f, tensor, e);
	st_close(&f);
	return r;
}
