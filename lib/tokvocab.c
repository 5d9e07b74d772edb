/* See LICENSE file for copyright and license details. */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src.h"
#include "tokstream.h"
#include "tokvocab.h"
#include "unicode.h"
#include "util.h"

static const char *const vocabs[] = { "encoder.json", "vocab.json", NULL };
static const char *const merges[] = { "vocab.bpe", "merges.txt", NULL };

/* is one of names a file in path's directory? */
static int
beside(const char *path, const char *const *names)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash != NULL ? (size_t)(slash - path + 1) : 0;
	struct stat st;
	char *p;
	int found = 0;

	for (; *names != NULL && !found; names++) {
		p = xmalloc(dl + strlen(*names) + 1);
		(void)snprintf(p, dl + strlen(*names) + 1, "%.*s%s", (int)dl,
		    path, *names);
		found = stat(p, &st) == 0 && S_ISREG(st.st_mode);
		free(p);
	}
	return found;
}

static int
named(const char *path, const char *const *names)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash != NULL ? slash + 1 : path;

	for (; *names != NULL; names++)
		if (strcmp(base, *names) == 0)
			return 1;
	return 0;
}

int
tokvocab_is_tokenizer(const char *path)
{
	struct stat st;
	char buf[4096];
	size_t n = strlen(path);
	ssize_t r;
	int fd;

	if (stat(path, &st) < 0 || S_ISDIR(st.st_mode))
		return 1;
	if (n > 9 && strcmp(path + n - 9, ".tiktoken") == 0)
		return 1;
	if ((named(path, vocabs) && beside(path, merges)) ||
	    (named(path, merges) && beside(path, vocabs)))
		return 1;
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return 0;
	buf[r] = '\0';
	return buf[strspn(buf, "\xef\xbb\xbf \t\r\n")] == '{' &&
	    (strstr(buf, "\"model\"") != NULL ||
	    strstr(buf, "\"added_tokens\"") != NULL ||
	    strstr(buf, "\"truncation\"") != NULL);
}

int
tokvocab_check(const struct tokenizer *t, size_t rows, const char *table,
    struct emb_err *e)
{
	size_t n = tokenizer_vocab_size(t);

	if (vocab_fits(n, rows) >= 0)
		return 0;
	err_set(e, table, 0, "the table has %zu rows, the tokenizer %s has "
	    "%zu tokens", rows, tokenizer_name(t), n);
	return -1;
}

int
tokvocab_names(struct vocab *v, const struct tokenizer *t, size_t rows,
    const char *table, struct emb_err *e)
{
	size_t i, n = tokenizer_vocab_size(t), len, blen, bcap = 0;
	char *buf = NULL;
	const char *tok;

	if (tokvocab_check(t, rows, table, e) < 0)
		return -1;
	for (i = 0; i < rows; i++) {
		tok = i < n ? tokenizer_token(t, (uint32_t)i, &len) : NULL;
		blen = 0;
		if (tok != NULL)
			tokstream_escape(&buf, &blen, &bcap, tok, len);
		vocab_add(v, buf != NULL ? buf : "", blen);
	}
	free(buf);
	return 0;
}

int
tokvocab_names_spec(struct vocab *v, const char *spec, size_t *rows,
    struct emb_err *e)
{
	struct tokenizer *t;
	int rc;

	if ((t = tokenizer_open(spec, NULL, e)) == NULL)
		return -1;
	if (*rows == 0)
		*rows = tokenizer_vocab_size(t);
	rc = tokvocab_names(v, t, *rows, NULL, e);
	tokenizer_free(t);
	return rc;
}

struct tokenizer *
tokvocab_attach(struct model *m, const char *spec, int queries,
    struct emb_err *e)
{
	struct tokenizer *t;
	struct vocab v;

	if ((t = tokenizer_open(spec, NULL, e)) == NULL)
		return NULL;
	vocab_init(&v);
	if (tokvocab_names(&v, t, m->V, m->path, e) < 0 ||
	    (queries && tokenizer_set_special(t, "all", e) < 0)) {
		vocab_free(&v);
		tokenizer_free(t);
		return NULL;
	}
	if (queries)
		tokenizer_set_bos_eos(t, 0, 0);
	model_rename(m, &v);
	return t;
}

/* UTF-8 characters of s[0..n), blanks at both ends left out */
static size_t
chars(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k = 0, v, j;

	while (n > 0 && strchr(" \t\n\r\f\v", u[n - 1]) != NULL && u[n - 1])
		n--;
	while (i < n && strchr(" \t\n\r\f\v", u[i]) != NULL && u[i])
		i++;
	while (i < n) {
		if ((v = uni_valid(u + i, n - i)) == 0) {
			k++;	/* a byte that is not UTF-8 */
			i++;
			continue;
		}
		for (j = i; j < i + v; j++)
			k += (u[j] & 0xC0) != 0x80;
		i += v;
	}
	return k;
}

uint64_t *
tokvocab_mask(const struct tokenizer *t, size_t rows, int skip_special,
    size_t min_length, size_t *n)
{
	size_t i, V = tokenizer_vocab_size(t), len;
	uint64_t *mask;
	const char *tok;

	*n = 0;
	if (!skip_special && min_length == 0)
		return NULL;
	mask = xcalloc((rows + 63) / 64 + 1, sizeof(*mask));
	for (i = 0; i < rows; i++) {
		tok = i < V ? tokenizer_token(t, (uint32_t)i, &len) : NULL;
		if (tok == NULL || (skip_special &&
		    tokenizer_is_special(t, (uint32_t)i)) ||
		    (min_length > 0 && chars(tok, len) < min_length)) {
			mask[i / 64] |= (uint64_t)1 << (i % 64);
			(*n)++;
		}
	}
	return mask;
}

void
tokquery_init(struct tokquery *q, const struct tokenizer *t,
    const struct model *m, enum pool_mode mode)
{
	memset(q, 0, sizeof(*q));
	q->t = t;
	q->m = m;
	q->mode = mode;
	tokenizer_seq_init(&q->seq);
	pool_init(&q->pool, mode, m->d);
	q->row = xreallocarray(NULL, m->d ? m->d : 1, sizeof(float));
}

void
tokquery_free(struct tokquery *q)
{
	tokenizer_seq_free(&q->seq);
	pool_free(&q->pool);
	free(q->row);
	memset(q, 0, sizeof(*q));
}

long
tokquery_vector(struct tokquery *q, const char *text, size_t len,
    float *out, const char *file, size_t line, struct emb_err *e)
{
	size_t k;

	q->n = 0;
	if (tokenizer_encode(q->t, &q->seq, text, len, e) < 0)
		return -2;
	q->n = q->seq.n;
	q->ids = q->seq.ids;
	if (q->n == 0) {
		err_set(e, file, line, "\"%.*s\" gives no token",
		    (int)(len > 200 ? 200 : len), text);
		return -2;
	}
	pool_reset(&q->pool);
	for (k = 0; k < q->n; k++) {
		if (q->ids[k] >= q->m->V) {
			err_set(e, file, line, "token %lu of \"%.*s\" is not a "
			    "row of the table (%zu rows)",
			    (unsigned long)q->ids[k],
			    (int)(len > 200 ? 200 : len), text, q->m->V);
			return -2;
		}
		if (model_row_finite(q->m, q->ids[k], q->row, e) < 0)
			return -2;
		pool_add(&q->pool, q->row);
	}
	if (q->n > 1 || !q->single)
		pool_get(&q->pool, out);
	else if (out != q->row)
		memcpy(out, q->row, q->m->d * sizeof(float));
	return q->n == 1 ? (long)q->ids[0] : -1;
}

void
tokquery_describe(const struct tokquery *q, const char *text, size_t len,
    const char *file, size_t line, struct emb_err *msg)
{
	char *buf = NULL;
	size_t blen = 0, bcap = 0, k, tl;
	const char *tok;

	for (k = 0; k < q->n && blen < 600; k++) {
		if (k > 0)
			tokstream_escape(&buf, &blen, &bcap, "|", 1);
		if ((tok = tokenizer_token(q->t, q->ids[k], &tl)) != NULL)
			tokstream_escape(&buf, &blen, &bcap, tok, tl);
	}
	err_set(msg, file, line, "\"%.*s\" is %zu tokens [%.*s], pooled by %s",
	    (int)(len > 200 ? 200 : len), text, q->n, (int)blen,
	    buf != NULL ? buf : "", pool_name(q->mode));
	free(buf);
}

int
tokquery_points(struct tokquery *q, struct points *p, const char *path,
    void (*describe)(const struct emb_err *msg), struct emb_err *e)
{
	struct emb_err note;
	struct src s;
	char *line;
	ssize_t n;
	int r = 0;

	if (src_open(&s, path, e) < 0)
		return -1;
	while ((n = src_getline(&s, &line, e)) >= 0) {
		if (n == 0)
			continue;
		if (tokquery_vector(q, line, (size_t)n, q->row, s.name, s.line,
		    e) < -1) {
			r = -1;
			break;
		}
		if (describe != NULL && q->n > 1) {
			tokquery_describe(q, line, (size_t)n, s.name, s.line,
			    &note);
			describe(&note);
		}
		points_add(p, line, (size_t)n, q->row);
	}
	src_close(&s);
	return r < 0 || n == -2 ? -1 : 0;
}
