/* See LICENSE file for copyright and license details. */
/*
 * Vocabulary files read into a struct vocab: one token a line with an
 * optional count (word2vec's and GloVe's vocab files), and Hugging
 * Face's vocab.json.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "src.h"
#include "util.h"
#include "vocab.h"
#include "vocabio.h"

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
