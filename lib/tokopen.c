/* See LICENSE file for copyright and license details. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpe.h"
#include "hf.h"
#include "pretok.h"
#include "tiktoken.h"
#include "tokenizer.h"
#include "tokimpl.h"
#include "util.h"

#ifndef EMB_DATADIR
#define EMB_DATADIR "/usr/local/share/emb"
#endif

/*
 * Finding the file: a path, a directory holding a tokenizer, or a name
 * under the data directories; then telling its format by its content.
 */

enum ffmt { F_UNKNOWN, F_HFJSON, F_VOCABJSON, F_MERGES, F_RANKS };

static int
isdir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
isfile(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
}

static char *
join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p = xmalloc(dl + nl + 2);

	(void)snprintf(p, dl + nl + 2, "%s/%s", dir, name);
	return p;
}

static char *
dirname_of(const char *path)
{
	const char *sl = strrchr(path, '/');

	if (sl == NULL)
		return xstrdup(".");
	if (sl == path)
		return xstrdup("/");
	return xmemdup(path, (size_t)(sl - path));
}

/*
 * The data directories, in order: the source tree's data/ and the
 * installation's share/emb, both found from the running program, then
 * the compiled-in EMB_DATADIR.
 */
static size_t
datadirs(char *out[3])
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t k = 0;

	if (n > 0) {
		char *d;

		exe[n] = '\0';
		d = dirname_of(exe);
		out[k++] = join(d, "../data");
		out[k++] = join(d, "../share/emb");
		free(d);
	}
	out[k++] = xstrdup(EMB_DATADIR);
	return k;
}

/* the first bytes of a file (NUL-terminated), or -1 */
static long
head(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	return (long)r;
}

static enum ffmt
sniff(const char *path)
{
	char buf[4096], *p, *sp, *nl;
	long n = head(path, buf, sizeof(buf));

	if (n <= 0)
		return F_UNKNOWN;
	p = buf;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	p += strspn(p, " \t\r\n");
	if (*p == '{') {
		/* a tokenizer.json has "model" (and more) at the top */
		if (strstr(p, "\"model\"") != NULL ||
		    strstr(p, "\"added_tokens\"") != NULL ||
		    strstr(p, "\"truncation\"") != NULL)
			return F_HFJSON;
		return F_VOCABJSON;
	}
	if (strncmp(p, "#version", 8) == 0)
		return F_MERGES;
	/* "base64 rank" or "a b" */
	nl = strchr(p, '\n');
	if (nl != NULL)
		*nl = '\0';
	sp = strchr(p, ' ');
	if (sp != NULL && sp[1] >= '0' && sp[1] <= '9' &&
	    strspn(sp + 1, "0123456789\r") == strlen(sp + 1))
		return F_RANKS;
	if (sp != NULL)
		return F_MERGES;
	return F_UNKNOWN;
}

/* the first of names found in dir, or NULL */
static char *
find_in(const char *dir, const char *const *names)
{
	for (; *names != NULL; names++) {
		char *p = join(dir, *names);

		if (isfile(p))
			return p;
		free(p);
	}
	return NULL;
}

/* the only *.tiktoken in dir (or ENC.tiktoken), else NULL */
static char *
find_ranks(const char *dir, const char *encoding, struct emb_err *e,
    int *many)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *found = NULL;

	*many = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l <= 9 || strcmp(de->d_name + l - 9, ".tiktoken") != 0)
			continue;
		if (encoding != NULL && strncmp(de->d_name, encoding, l - 9) == 0 &&
		    strlen(encoding) == l - 9) {
			free(found);
			found = join(dir, de->d_name);
			*many = 0;
			break;
		}
		if (found != NULL)
			*many = 1;
		else
			found = join(dir, de->d_name);
	}
	closedir(d);
	if (*many) {
		err_set(e, dir, 0, "several .tiktoken files: name one, or give "
		    "--encoding");
		free(found);
		return NULL;
	}
	return found;
}

static const char *const hfnames[] = { "tokenizer.json", NULL };
static const char *const vocabnames[] = { "encoder.json", "vocab.json", NULL };
static const char *const mergenames[] = { "vocab.bpe", "merges.txt", NULL };

/* the tokenizer file in dir, or NULL with e filled */
static char *
from_dir(const char *dir, const char *encoding, struct emb_err *e)
{
	char *p;
	int many;

	if ((p = find_in(dir, hfnames)) != NULL)
		return p;
	if ((p = find_ranks(dir, encoding, e, &many)) != NULL || many)
		return p;
	if ((p = find_in(dir, vocabnames)) != NULL)
		return p;
	err_set(e, dir, 0, "no tokenizer here (tokenizer.json, *.tiktoken, "
	    "encoder.json or vocab.json)");
	return NULL;
}

/* the file spec names: a path, or a name under the data directories */
static char *
resolve(const char *spec, const char *encoding, struct emb_err *e)
{
	char *dirs[3], *p = NULL;
	size_t nd, i;
	const char *name = spec;
	const struct tiktoken_enc *enc;

	if (isdir(spec))
		return from_dir(spec, encoding, e);
	if (isfile(spec))
		return xstrdup(spec);
	if (strchr(spec, '/') != NULL || spec[0] == '\0' || spec[0] == '.') {
		errno = ENOENT;
		err_sys(e, spec);
		return NULL;
	}
	/* a name: p50k_edit is p50k_base's ranks */
	if ((enc = tiktoken_encoding(spec)) != NULL &&
	    strcmp(enc->name, "p50k_edit") == 0)
		name = "p50k_base";
	nd = datadirs(dirs);
	for (i = 0; i < nd && p == NULL; i++) {
		char *cand = join(dirs[i], name);
		char *tk = xmalloc(strlen(cand) + 10);

		sprintf(tk, "%s.tiktoken", cand);
		if (isdir(cand))
			p = from_dir(cand, encoding, e);
		else if (isfile(cand))
			p = xstrdup(cand);
		else if (isfile(tk))
			p = xstrdup(tk);
		free(cand);
		free(tk);
	}
	for (i = 0; i < nd; i++)
		free(dirs[i]);
	if (p == NULL)
		err_set(e, NULL, 0, "%s: no such tokenizer file, directory or "
		    "name (names: %s)", spec, tiktoken_names());
	return p;
}

/* add an encoding's special tokens; the IDs must be free */
static int
add_specials(struct tokenizer *t, const struct tiktoken_enc *enc,
    const char *path, struct emb_err *e)
{
	size_t i, l;

	for (i = 0; i < enc->nspecial; i++) {
		uint32_t id = enc->special[i].id;

		if (bpe_token(t->bpe, id, &l) != NULL) {
			err_set(e, path, 0, "rank %lu is %s's special token %s, "
			    "not an ordinary token: not a %s rank file",
			    (unsigned long)id, enc->name, enc->special[i].text,
			    enc->name);
			return -1;
		}
		tok_add_token(t, enc->special[i].text, strlen(enc->special[i].text),
		    id, TOK_SPECIAL);
	}
	if (enc->nvocab > t->size)
		t->size = enc->nvocab;
	return 0;
}

/*
 * GPT-2's pair, from either file: the vocabulary (encoder.json,
 * vocab.json) and the merges (vocab.bpe, merges.txt) beside it.
 */
static struct tokenizer *
open_gpt2(const char *path, int isvocab, struct emb_err *e)
{
	struct tokenizer *t = NULL;
	char *dir = dirname_of(path), *other;
	const struct tiktoken_enc *enc = tiktoken_encoding("gpt2");
	size_t i, l;
	const unsigned char *tok;

	other = find_in(dir, isvocab ? mergenames : vocabnames);
	if (other == NULL) {
		err_set(e, path, 0, "no %s beside it", isvocab ?
		    "vocab.bpe or merges.txt" : "encoder.json or vocab.json");
		goto done;
	}
	t = xcalloc(1, sizeof(*t));
	t->kind = TOK_GPT2;
	t->bos = t->eos = 1;
	t->name = xstrdup("gpt2");
	if ((t->bpe = gpt2_load(isvocab ? path : other, isvocab ? other : path,
	    e)) == NULL) {
		tokenizer_free(t);
		t = NULL;
		goto done;
	}
	t->pre = pretok_known(PRETOK_GPT2);
	/* <|endoftext|> is in the vocabulary: mark it special */
	for (i = 0; i < enc->nspecial; i++) {
		const char *sp = enc->special[i].text;

		tok = bpe_token(t->bpe, enc->special[i].id, &l);
		if (tok != NULL && l == strlen(sp) && memcmp(tok, sp, l) == 0)
			tok_add_token(t, sp, l, enc->special[i].id, TOK_SPECIAL);
	}
	tok_finish(t);
done:
	free(dir);
	free(other);
	return t;
}

static struct tokenizer *
open_hf(const char *path, struct emb_err *e)
{
	struct tokenizer *t = xcalloc(1, sizeof(*t));

	t->kind = TOK_HF;
	t->bos = t->eos = 1;
	t->name = xstrdup(path);
	if (hf_load(t, path, e) < 0) {
		tokenizer_free(t);
		return NULL;
	}
	tok_finish(t);
	return t;
}

static struct tokenizer *
open_ranks(const char *path, const char *encoding, struct emb_err *e)
{
	struct tokenizer *t = xcalloc(1, sizeof(*t));
	const struct tiktoken_enc *enc;

	t->kind = TOK_TIKTOKEN;
	t->bos = t->eos = 1;
	if ((t->bpe = tiktoken_load(path, e)) == NULL)
		goto fail;
	enc = encoding != NULL ? tiktoken_encoding(encoding) :
	    tiktoken_guess(path, t->bpe);
	if (enc == NULL && encoding != NULL) {
		err_set(e, NULL, 0, "unknown encoding \"%s\" (known: %s)",
		    encoding, tiktoken_names());
		goto fail;
	}
	if (enc == NULL) {
		err_set(e, path, 0, "cannot tell the encoding of this rank "
		    "file: give --encoding (%s)", tiktoken_names());
		goto fail;
	}
	t->name = xstrdup(enc->name);
	t->pre = pretok_known(enc->pattern);
	if (add_specials(t, enc, path, e) < 0)
		goto fail;
	tok_finish(t);
	return t;
fail:
	tokenizer_free(t);
	return NULL;
}

struct tokenizer *
tokenizer_open(const char *spec, const char *encoding, struct emb_err *e)
{
	struct tokenizer *t = NULL;
	char *path;

	if (encoding != NULL && tiktoken_encoding(encoding) == NULL) {
		err_set(e, NULL, 0, "unknown encoding \"%s\" (known: %s)",
		    encoding, tiktoken_names());
		return NULL;
	}
	if (spec == NULL)
		spec = encoding;
	if (spec == NULL) {
		err_set(e, NULL, 0, "no tokenizer given");
		return NULL;
	}
	if ((path = resolve(spec, encoding, e)) == NULL)
		return NULL;
	switch (sniff(path)) {
	case F_RANKS:
		t = open_ranks(path, encoding != NULL ? encoding :
		    tiktoken_encoding(spec) != NULL ? spec : NULL, e);
		break;
	case F_HFJSON:
		t = open_hf(path, e);
		break;
	case F_VOCABJSON:
	case F_MERGES:
		t = open_gpt2(path, sniff(path) == F_VOCABJSON, e);
		break;
	default:
		err_set(e, path, 0, "not a tokenizer file (tokenizer.json, "
		    "tiktoken ranks, encoder.json/vocab.json or vocab.bpe/"
		    "merges.txt)");
	}
	free(path);
	return t;
}
