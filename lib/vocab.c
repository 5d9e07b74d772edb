/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "src.h"
#include "util.h"
#include "vocab.h"

#define ARENA_BLOCK ((size_t)1 << 20)

const char *
vocab_label(const struct vocab *v, size_t i, char *buf, size_t *len)
{
	if (v != NULL && i < v->n && v->len[i] > 0)
		return vocab_token(v, i, len);
	*len = (size_t)snprintf(buf, VOCAB_IDLEN, "%zu", i);
	return buf;
}

void
vocab_init(struct vocab *v)
{
	memset(v, 0, sizeof(*v));
}

void
vocab_free(struct vocab *v)
{
	size_t i;

	for (i = 0; i < v->nblocks; i++)
		free(v->blocks[i]);
	free(v->blocks);
	free(v->tok);
	free(v->len);
	free(v->count);
	free(v->slot);
	vocab_init(v);
}

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h ^ (h >> 29);
}

static char *
arena_copy(struct vocab *v, const char *tok, size_t len)
{
	char *p;

	if (v->nblocks == 0 || v->bcap - v->bused < len + 1) {
		/* blocks double from 4 KB, so a small vocab stays small */
		size_t cap = v->nblocks < 8 ? (size_t)4096 << v->nblocks :
		    ARENA_BLOCK;

		if (cap < len + 1)
			cap = len + 1;

		v->blocks = xreallocarray(v->blocks, v->nblocks + 1,
		    sizeof(*v->blocks));
		v->blocks[v->nblocks++] = xmalloc(cap);
		v->bcap = cap;
		v->bused = 0;
	}
	p = v->blocks[v->nblocks - 1] + v->bused;
	memcpy(p, tok, len);
	p[len] = '\0';
	v->bused += len + 1;
	return p;
}

static void
grow(struct vocab *v, size_t need)
{
	size_t cap;

	if (need <= v->cap)
		return;
	cap = v->cap ? v->cap : 64;
	while (cap < need)
		cap *= 2;
	v->tok = xreallocarray(v->tok, cap, sizeof(*v->tok));
	v->len = xreallocarray(v->len, cap, sizeof(*v->len));
	if (v->count != NULL) {
		v->count = xreallocarray(v->count, cap, sizeof(*v->count));
		memset(v->count + v->cap, 0, (cap - v->cap) * sizeof(*v->count));
	}
	v->cap = cap;
}

static void
hash_insert(struct vocab *v, size_t id)
{
	size_t mask = v->hcap - 1;
	size_t h = hash_bytes(v->tok[id], v->len[id]) & mask;

	while (v->slot[h] != 0)
		h = (h + 1) & mask;
	v->slot[h] = (uint32_t)(id + 1);
	v->hn++;
}

static void
rehash(struct vocab *v, size_t want)
{
	size_t cap = 1024, i;

	while (cap < want * 2)
		cap *= 2;
	free(v->slot);
	v->slot = xcalloc(cap, sizeof(*v->slot));
	v->hcap = cap;
	v->hn = 0;
	for (i = 0; i < v->n; i++)
		hash_insert(v, i);
}

/* build or extend the index so that it covers every id */
static void
index_all(struct vocab *v)
{
	if (v->slot == NULL || v->n * 2 > v->hcap)
		rehash(v, v->n);
	else
		while (v->hn < v->n)
			hash_insert(v, v->hn);
}

size_t
vocab_add(struct vocab *v, const char *tok, size_t len)
{
	size_t id = v->n;

	grow(v, v->n + 1);
	v->tok[id] = arena_copy(v, tok, len);
	v->len[id] = (uint32_t)len;
	if (v->count != NULL)
		v->count[id] = 0;
	v->n++;
	if (v->slot != NULL) {
		if (v->n * 2 > v->hcap)
			rehash(v, v->n);
		else if (v->hn == id)
			hash_insert(v, id);
	}
	return id;
}

long
vocab_find(struct vocab *v, const char *tok, size_t len)
{
	size_t mask, h;
	uint32_t s;

	if (v->n == 0)
		return -1;
	if (v->slot == NULL || v->hn < v->n)
		index_all(v);
	mask = v->hcap - 1;
	h = hash_bytes(tok, len) & mask;
	while ((s = v->slot[h]) != 0) {
		size_t id = s - 1;

		if (v->len[id] == len && memcmp(v->tok[id], tok, len) == 0)
			return (long)id;
		h = (h + 1) & mask;
	}
	return -1;
}

size_t
vocab_intern(struct vocab *v, const char *tok, size_t len, int *added)
{
	long id;

	if (v->slot == NULL)
		index_all(v);
	id = vocab_find(v, tok, len);
	if (id >= 0) {
		*added = 0;
		return (size_t)id;
	}
	*added = 1;
	return vocab_add(v, tok, len);
}

long
vocab_first_duplicate(struct vocab *v)
{
	size_t i;

	/* rebuild from scratch: an index of duplicates keeps the first */
	free(v->slot);
	v->slot = NULL;
	v->hcap = v->hn = 0;
	if (v->n == 0)
		return -1;
	v->slot = xcalloc(1024, sizeof(*v->slot));
	v->hcap = 1024;
	for (i = 0; i < v->n; i++) {
		size_t mask, h;
		uint32_t s;

		if ((i + 1) * 2 > v->hcap) {
			size_t n = v->n;

			v->n = i;
			rehash(v, i + 1);
			v->n = n;
		}
		mask = v->hcap - 1;
		h = hash_bytes(v->tok[i], v->len[i]) & mask;
		while ((s = v->slot[h]) != 0) {
			if (v->len[s - 1] == v->len[i] &&
			    memcmp(v->tok[s - 1], v->tok[i], v->len[i]) == 0) {
				free(v->slot);
				v->slot = NULL;
				v->hcap = v->hn = 0;
				return (long)i;
			}
			h = (h + 1) & mask;
		}
		v->slot[h] = (uint32_t)(i + 1);
		v->hn++;
	}
	return -1;
}

int
vocab_from_block(struct vocab *v, const char *buf, size_t size, size_t n,
    const char *name, struct emb_err *e)
{
	const char *p = buf, *end = buf + size, *nl;
	size_t i;

	grow(v, n);
	for (i = 0; i < n; i++) {
		if (p >= end || (nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			err_set(e, name, 0, "vocab holds %zu tokens, "
			    "the table has %zu rows", i, n);
			return -1;
		}
		if ((size_t)(nl - p) > UINT32_MAX) {
			err_set(e, name, 0, "vocab token %zu too long", i);
			return -1;
		}
		v->tok[v->n] = p;
		v->len[v->n] = (uint32_t)(nl - p);
		v->n++;
		p = nl + 1;
	}
	if (p != end) {
		err_set(e, name, 0, "vocab holds more tokens than the "
		    "table's %zu rows", n);
		return -1;
	}
	return 0;
}

size_t
vocab_block_size(const struct vocab *v)
{
	size_t i, n = 0;

	for (i = 0; i < v->n; i++)
		n += v->len[i] + 1;
	return n;
}

void
vocab_write_block(const struct vocab *v, char *out)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		memcpy(out, v->tok[i], v->len[i]);
		out += v->len[i];
		*out++ = '\n';
	}
}

void
vocab_ensure_counts(struct vocab *v)
{
	if (v->count == NULL)
		v->count = xcalloc(v->cap ? v->cap : 1, sizeof(*v->count));
}

static const int64_t *sort_counts;

static int
cmp_count(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (sort_counts[x] != sort_counts[y])
		return sort_counts[x] > sort_counts[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

void
vocab_count_order(const struct vocab *v, size_t *perm)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		perm[i] = i;
	if (v->count == NULL)
		return;
	/* ties broken by id make qsort's order total, hence stable */
	sort_counts = v->count;
	qsort(perm, v->n, sizeof(*perm), cmp_count);
	sort_counts = NULL;
}

void
vocab_permute(struct vocab *v, const size_t *perm, size_t n)
{
	const char **tok = xreallocarray(NULL, n ? n : 1, sizeof(*tok));
	uint32_t *len = xreallocarray(NULL, n ? n : 1, sizeof(*len));
	int64_t *count = NULL;
	size_t i;

	if (v->count != NULL)
		count = xreallocarray(NULL, n ? n : 1, sizeof(*count));
	for (i = 0; i < n; i++) {
		tok[i] = v->tok[perm[i]];
		len[i] = v->len[perm[i]];
		if (count != NULL)
			count[i] = v->count[perm[i]];
	}
	free(v->tok);
	free(v->len);
	free(v->count);
	v->tok = tok;
	v->len = len;
	v->count = count;
	v->n = v->cap = n;
	free(v->slot);
	v->slot = NULL;
	v->hcap = v->hn = 0;
}

/* a count field: all digits */
static int
parse_count(const char *p, size_t n, int64_t *out)
{
	int64_t c = 0;
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		c = c * 10 + (p[i] - '0');
	}
	*out = c;
	return 0;
}

int
vocab_load(struct vocab *v, const char *path, struct emb_err *e)
{
	struct src s;
	int r;

	if (src_open(&s, path, e) < 0)
		return -1;
	r = vocab_read(v, &s, e);
	src_close(&s);
	return r;
}

int
vocab_read(struct vocab *v, struct src *s, struct emb_err *e)
{
	char *line;
	ssize_t n;
	int hascount = -1, added;

	while ((n = src_getline(s, &line, e)) >= 0) {
		size_t len = (size_t)n, toklen = len;
		int64_t c = 0;
		char *sep = NULL;
		size_t i;

		/* "token count" or "token\tcount": the count is the last field */
		for (i = len; i > 0; i--)
			if (line[i - 1] == '\t' || line[i - 1] == ' ') {
				sep = line + i - 1;
				break;
			}
		if (hascount < 0)
			hascount = sep != NULL && parse_count(sep + 1,
			    len - (size_t)(sep + 1 - line), &c) == 0;
		if (hascount) {
			if (sep == NULL || parse_count(sep + 1,
			    len - (size_t)(sep + 1 - line), &c) < 0) {
				err_set(e, s->name, s->line, "expected \"token "
				    "count\" like the first line");
				goto fail;
			}
			toklen = (size_t)(sep - line);
		}
		if (toklen == 0) {
			err_set(e, s->name, s->line, "empty token");
			goto fail;
		}
		vocab_intern(v, line, toklen, &added);
		if (!added) {
			err_set(e, s->name, s->line, "duplicate token \"%.*s\"",
			    (int)(toklen > 100 ? 100 : toklen), line);
			goto fail;
		}
		if (hascount) {
			vocab_ensure_counts(v);
			v->count[v->n - 1] = c;
		}
	}
	return n == -2 ? -1 : 0;
fail:
	return -1;
}

int
vocab_load_json(struct vocab *v, const char *path, struct emb_err *e)
{
	struct src s;
	int r;

	if (src_open(&s, path, e) < 0)
		return -1;
	r = vocab_read_json(v, &s, e);
	src_close(&s);
	return r;
}

int
vocab_read_json(struct vocab *v, struct src *s, struct emb_err *e)
{
	const char *path = s->name, *buf;
	struct json *root;
	const struct json *j;
	const char **tok;
	size_t n, i, len;
	int ok = 0;

	if ((buf = src_slurp(s, &len, e)) == NULL)
		return -1;
	root = json_parse(buf, len, path, e);
	if (json_type(root) != JSON_OBJECT) {
		err_set(e, path, 0, "not a JSON object of token ids");
		json_free(root);
		return -1;
	}
	n = json_size(root);
	tok = xcalloc(n ? n : 1, sizeof(*tok));
	JSON_EACH(j, root) {
		uint64_t id;

		if (json_count(j, &id) < 0 || id >= n) {
			err_set(e, path, 0, "token \"%.100s\": id is not in "
			    "0-%zu", json_key(j), n ? n - 1 : 0);
			goto done;
		}
		if (tok[id] != NULL) {
			err_set(e, path, 0, "id %llu given twice",
			    (unsigned long long)id);
			goto done;
		}
		tok[id] = json_key(j);
	}
	for (i = 0; i < n; i++)
		vocab_add(v, tok[i], strlen(tok[i]));
	ok = 1;
done:
	free(tok);
	json_free(root);
	return ok ? 0 : -1;
}

int
vocab_fits(size_t n, size_t rows)
{
	if (rows == n)
		return 0;
	/* n < rows <= n rounded up to a multiple of 1024, rows % 8 == 0 */
	if (rows > n && rows % 8 == 0 && (rows - 1) / 1024 ==
	    (n + 1023) / 1024 - 1)
		return 1;
	return -1;
}

size_t
vocab_unnamed(const struct vocab *v, long *first)
{
	size_t i, k = 0;

	*first = -1;
	for (i = 0; i < v->n; i++)
		if (v->len[i] == 0 && k++ == 0)
			*first = (long)i;
	return k;
}
