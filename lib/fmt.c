/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "csvio.h"
#include "fasttext.h"
#include "fmt.h"
#include "le.h"
#include "npy.h"
#include "num.h"
#include "safetensors.h"
#include "stwrite.h"
#include "src.h"
#include "textvec.h"
#include "util.h"
#include "vocab.h"
#include "vocabio.h"
#include "w2v.h"
#include "w2vwrite.h"

static const char *const fmt_names[] = {
	NULL, "safetensors", "word2vec-bin", "word2vec-text", "glove", "vec",
	"npy", "csv", "fasttext-bin"
};

#define NFMT (sizeof(fmt_names) / sizeof(fmt_names[0]))

void
fmt_opts_init(struct fmt_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->w2v_newline = 1;	/* as word2vec.c writes it */
}

const char *
fmt_name(enum fmt f)
{
	return (size_t)f > 0 && (size_t)f < NFMT ? fmt_names[f] : "unknown";
}

const char *
fmt_list(void)
{
	static char list[256];
	size_t i, used = 0;

	if (list[0] != '\0')
		return list;
	for (i = 1; i < NFMT; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		    "%s%s", i > 1 ? ", " : "", fmt_names[i]);
	return list;
}

enum fmt
fmt_byname(const char *name)
{
	size_t i;

	for (i = 1; i < NFMT; i++)
		if (strcmp(name, fmt_names[i]) == 0)
			return (enum fmt)i;
	return FMT_NONE;
}

enum fmt
fmt_byext(const char *path)
{
	static const struct {
		const char *ext;
		enum fmt f;
	} ext[] = {
		{ ".safetensors", FMT_SAFETENSORS }, { ".bin", FMT_W2V_BIN },
		{ ".txt", FMT_W2V_TEXT }, { ".vec", FMT_VEC },
		{ ".glove", FMT_GLOVE }, { ".npy", FMT_NPY }, { ".csv", FMT_CSV },
	};
	const char *dot, *slash;
	size_t i;

	if (path == NULL)
		return FMT_NONE;
	dot = strrchr(path, '.');
	slash = strrchr(path, '/');
	if (dot == NULL || (slash != NULL && dot < slash))
		return FMT_NONE;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strcmp(dot, ext[i].ext) == 0)
			return ext[i].f;
	return FMT_NONE;
}

/* is [p, e) one finite number, blanks around allowed? */
static int
is_num(const char *p, const char *e)
{
	while (p < e && TEXTVEC_BLANK(*p))
		p++;
	while (e > p && (TEXTVEC_BLANK(e[-1]) || e[-1] == '\r'))
		e--;
	return textvec_is_num(p, e);
}

/* "token,x1,...,xd" with every x a number (the token may be quoted) */
static int
csv_line(const char *p, const char *e)
{
	const char *f;
	size_t n = 0;

	if (p < e && *p == '"') {
		for (p++; p < e; p++)
			if (*p == '"') {
				if (p + 1 < e && p[1] == '"')
					p++;
				else
					break;
			}
		if (p == e)
			return 0;
		p++;
	} else
		while (p < e && *p != ',')
			p++;
	if (p == e || *p != ',')
		return 0;
	for (p++; p <= e; p = f + 1) {
		for (f = p; f < e && *f != ','; f++)
			;
		if (!is_num(p, f))
			return 0;
		n++;
		if (f == e)
			break;
	}
	return n > 0;
}

/* the first row after a "V d" header: text or binary? */
static int
text_after_header(const unsigned char *p, size_t n, size_t d)
{
	const unsigned char *nl;
	size_t i;

	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r') || p[i] == 0x7f)
			return 0;
	nl = memchr(p, '\n', n);
	if (nl == NULL)
		return 1;	/* a long row of text */
	return textvec_tail((const char *)p, (const char *)nl) >= d;
}

static int
starts(const unsigned char *p, size_t n, const char *magic, size_t len)
{
	return n >= len && memcmp(p, magic, len) == 0;
}

/* starts with this word, case folded, after blanks? */
static int
starts_word(const unsigned char *p, size_t n, const char *w)
{
	size_t i = 0, k;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	for (k = 0; w[k] != '\0'; k++, i++)
		if (i == n || (p[i] | 0x20) != (w[k] | 0x20))
			return 0;
	return 1;
}

const char *
fmt_describe(const unsigned char *p, size_t n)
{
	size_t i;

	if (starts(p, n, "\xef\xbb\xbf", 3)) {
		p += 3;
		n -= 3;
	}
	if (starts(p, n, "PK\x03\x04", 4) || starts(p, n, "PK\x05\x06", 4))
		return "a zip archive (PyTorch .pt and NumPy .npz files are "
		    "zip archives too)";
	if (starts(p, n, "\x1f\x8b", 2))
		return "gzip data inside gzip data";
	if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return "a tar archive";
	if (starts(p, n, "\x7f" "ELF", 4))
		return "an ELF executable";
	if (n >= 2 && p[0] == 0x80 && p[1] >= 2 && p[1] <= 5)
		return "a Python pickle (a gensim .model, or a PyTorch "
		    "checkpoint?)";
	if (starts(p, n, "\xba\x16\x4f\x2f", 4))
		return "a fastText model (.bin)";
	if (starts(p, n, "%PDF-", 5))
		return "a PDF document";
	if (starts(p, n, "\x89HDF\r\n\x1a\n", 8))
		return "an HDF5 file (a Keras model?)";
	if (starts(p, n, "BZh", 3) || starts(p, n, "\xfd" "7zXZ", 5) ||
	    starts(p, n, "\x28\xb5\x2f\xfd", 4))
		return "bzip2, xz or zstd data (emb reads gzip; decompress it "
		    "first)";
	if (starts(p, n, "\xff\xfe", 2) || starts(p, n, "\xfe\xff", 2))
		return "UTF-16 text (convert it to UTF-8)";
	if (starts_word(p, n, "<!doctype html") || starts_word(p, n, "<html") ||
	    starts_word(p, n, "<head") || starts_word(p, n, "<!--"))
		return "an HTML page (a failed download?)";
	if (starts_word(p, n, "<?xml"))
		return "an XML document";
	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'); i++)
		;
	if (i < n && p[i] == '{') {
		for (i++; i < n && (p[i] == ' ' || p[i] == '\t' ||
		    p[i] == '\r' || p[i] == '\n'); i++)
			;
		if (i < n && (p[i] == '"' || p[i] == '}'))
			return "a JSON document (a tokenizer or a config?)";
	}
	return NULL;
}

enum fmt
fmt_detect(const unsigned char *p, size_t n)
{
	const char *s, *nl, *l2 = NULL, *l2e = NULL;
	size_t V, d, len;
	int unl;

	if (n >= 6 && memcmp(p, "\x93NUMPY", 6) == 0)
		return FMT_NPY;
	if (ft_detect(p, n))
		return FMT_FASTTEXT_BIN;
	if (n >= 9 && p[8] == '{') {
		uint64_t hl = le_get64(p);

		if (hl >= 2 && hl < ((uint64_t)100 << 20))
			return FMT_SAFETENSORS;
	}
	/* text from here on: a byte-order mark is not part of it */
	if (starts(p, n, "\xef\xbb\xbf", 3)) {
		p += 3;
		n -= 3;
	}
	if (n == 0)
		return FMT_NONE;
	s = (const char *)p;
	nl = memchr(s, '\n', n);
	len = nl != NULL ? (size_t)(nl - s) : n;
	if (nl != NULL && nl + 1 < s + n) {
		l2 = nl + 1;
		if ((l2e = memchr(l2, '\n', (size_t)(s + n - l2))) == NULL)
			l2e = s + n;
	}
	switch (textvec_header(s, s + len, l2, l2e, &V, &d)) {
	case TEXTVEC_HEADER:
		if (l2 == NULL)
			return FMT_W2V_TEXT;	/* a header and no rows */
		return text_after_header(p + len + 1, n - len - 1, d) ?
		    FMT_W2V_TEXT : FMT_W2V_BIN;
	case TEXTVEC_BAD_HEADER:
		return FMT_W2V_TEXT;	/* its reader says what is wrong */
	default:
		break;
	}
	if (memchr(s, '\0', n) != NULL)
		return FMT_NONE;
	if (csv_line(s, s + len))
		return FMT_CSV;
	if (textvec_first_dim(s, s + len, &unl) > 0)
		return FMT_GLOVE;
	/* a CSV header row? */
	if (l2 != NULL && memchr(s, ',', len) != NULL && csv_line(l2, l2e))
		return FMT_CSV;
	return FMT_NONE;
}

/*
 * label an unlabelled table with the tokens of v (its counts too), read
 * from vpath; a table padded past the vocabulary keeps its extra rows
 * unnamed
 */
static int
label_rows(struct table *t, const struct vocab *v, const char *vpath,
    size_t limit, struct emb_err *e)
{
	size_t i;

	if (vocab_fits(v->n, t->V) < 0 && !(limit > 0 && v->n > t->V)) {
		err_set(e, vpath, 0, "the vocabulary has %zu tokens, the table "
		    "has %zu rows", v->n, t->V);
		return -1;
	}
	vocab_free(&t->vocab);
	vocab_init(&t->vocab);
	for (i = 0; i < t->V; i++) {
		size_t len = 0;
		const char *tok = i < v->n ? vocab_token(v, i, &len) : "";

		vocab_add(&t->vocab, tok, len);
	}
	if (v->count != NULL) {
		vocab_ensure_counts(&t->vocab);
		memcpy(t->vocab.count, v->count, (v->n < t->V ? v->n : t->V) *
		    sizeof(*v->count));
	}
	return 0;
}

/* the same with the vocabulary file vpath (lines, or a vocab.json) */
static int
label_rows_file(struct table *t, const char *vpath, size_t limit,
    struct emb_err *e)
{
	struct vocab v;
	const char *dot = strrchr(vpath, '.');
	int r;

	vocab_init(&v);
	if (dot != NULL && strcmp(dot, ".json") == 0)
		r = vocab_load_json(&v, vpath, e);
	else
		r = vocab_load(&v, vpath, e);
	if (r == 0)
		r = label_rows(t, &v, vpath, limit, e);
	vocab_free(&v);
	return r;
}

/* keep the first n rows */
static void
truncate_rows(struct table *t, size_t n)
{
	if (n == 0 || n >= t->V)
		return;
	if (t->vocab.n > n) {
		size_t *perm = xreallocarray(NULL, n, sizeof(*perm)), i;

		for (i = 0; i < n; i++)
			perm[i] = i;
		vocab_permute(&t->vocab, perm, n);
		free(perm);
	}
	t->V = n;
}

/*
 * safetensors is read in place: a plain file through its mapping, stdin
 * and gzip input from memory; the rows must be finite.
 */
static int
read_st(struct table *t, struct src *s, const struct fmt_opts *o,
    struct emb_err *e)
{
	struct st_file f;
	const char *p;
	size_t n;
	long bad;
	int r;

	if ((p = src_slurp(s, &n, e)) == NULL)
		return -1;
	if (st_open_mem(&f, p, n, s->name, e) < 0)
		return -1;
	r = st_to_table(t, &f, o->tensor, e);
	st_close(&f);
	if (r < 0)
		return -1;
	truncate_rows(t, o->limit);
	if ((bad = table_first_nonfinite(t)) >= 0) {
		err_set(e, s->name, 0, "row %ld: NaN or infinite value",
		    bad + 1);
		return -1;
	}
	return 0;
}

int
fmt_sniff(struct src *s, enum fmt *f, struct emb_err *e)
{
	const unsigned char *p;
	size_t n;

	n = src_peek(s, &p, 4096, e);
	if (s->err)
		return -1;
	if (n == 0 || (n == 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)) {
		err_set(e, s->name, 0, "empty file");
		return -1;
	}
	if ((*f = fmt_detect(p, n)) == FMT_NONE) {
		const char *what = fmt_describe(p, n);

		if (what != NULL)
			err_set(e, s->name, 0, "%s%s, not an embedding table",
			    what, src_gzip(s) ? " (compressed with gzip)" : "");
		else if (src_gzip(s))
			err_set(e, s->name, 0, "gzip-compressed, but not an "
			    "embedding table inside (use --format if it is one)");
		else
			err_set(e, s->name, 0, "unknown format (use --format)");
		return -1;
	}
	return 0;
}

int
fmt_read_src(struct table *t, struct src *s, enum fmt f,
    const struct fmt_opts *o, struct emb_err *e)
{
	struct fmt_opts def;
	int r;

	if (o == NULL) {
		fmt_opts_init(&def);
		o = &def;
	}
	if (f == FMT_NONE && fmt_sniff(s, &f, e) < 0)
		return -1;
	if (f != FMT_SAFETENSORS && f != FMT_NPY && f != FMT_FASTTEXT_BIN &&
	    src_skip_bom(s, e) < 0)
		return -1;
	switch (f) {
	case FMT_SAFETENSORS:
		r = read_st(t, s, o, e);
		break;
	case FMT_W2V_BIN:
		r = w2v_read_bin(t, s, o->limit, e);
		break;
	case FMT_W2V_TEXT:
	case FMT_VEC:
		r = w2v_read_text(t, s, W2V_HEADER_REQUIRED, o->limit, e);
		break;
	case FMT_GLOVE:
		r = w2v_read_text(t, s, W2V_HEADER_AUTO, o->limit, e);
		break;
	case FMT_NPY:
		r = npy_read(t, s, o->limit, e);
		break;
	case FMT_CSV:
		r = csvio_read_src(t, s, o->csv_header, e);
		if (r == 0)
			truncate_rows(t, o->limit);
		break;
	case FMT_FASTTEXT_BIN:
		r = ft_read_bin(t, s, e);
		if (r == 0)
			truncate_rows(t, o->limit);
		break;
	default:
		err_set(e, s->name, 0, "unknown format");
		r = -1;
		break;
	}
	if (r == 0 && o->names != NULL && t->vocab.n == 0)
		r = label_rows(t, o->names, o->vocab, o->limit, e);
	else if (r == 0 && o->vocab != NULL && t->vocab.n == 0)
		r = label_rows_file(t, o->vocab, o->limit, e);
	return r;
}

int
fmt_read(struct table *t, const char *path, enum fmt f,
    const struct fmt_opts *o, struct emb_err *e)
{
	struct src s;
	int r;

	if (src_open(&s, path, e) < 0)
		return -1;
	src_raw(&s);
	r = fmt_read_src(t, &s, f, o, e);
	src_close(&s);
	return r;
}

int
fmt_write(const struct table *t, const char *path, enum fmt f,
    enum dtype dt, const struct fmt_opts *o, struct emb_err *e)
{
	struct fmt_opts def;
	struct afile a;
	const char *name = strcmp(path, "-") == 0 ? "<stdout>" : path;
	int r;

	if (o == NULL) {
		fmt_opts_init(&def);
		o = &def;
	}
	if (t->vocab.n == t->V) {
		size_t i, len;

		/* the native vocab and every text format end tokens with '\n' */
		for (i = 0; i < t->V; i++) {
			const char *tok = vocab_token(&t->vocab, i, &len);

			if (memchr(tok, '\n', len) != NULL) {
				err_set(e, name, 0, "row %zu: a token holds a line "
				    "break, which %s cannot store", i + 1,
				    fmt_name(f));
				return -1;
			}
		}
	}
	if (t->V == 0 && (f == FMT_GLOVE || f == FMT_CSV)) {
		/* an empty file: nothing would say d */
		err_set(e, name, 0, "a table of 0 rows cannot be written as %s, "
		    "which has no header to give d (word2vec-text can)",
		    fmt_name(f));
		return -1;
	}
	if (f == FMT_SAFETENSORS)
		return st_write_table(t, path, dt, e);
	if (afile_open(&a, path, e) < 0)
		return -1;
	switch (f) {
	case FMT_W2V_BIN:
		r = w2v_write_bin(t, a.f, o->w2v_newline, name, e);
		break;
	case FMT_W2V_TEXT:
	case FMT_VEC:
		r = w2v_write_text(t, a.f, 1, name, e);
		break;
	case FMT_GLOVE:
		r = w2v_write_text(t, a.f, 0, name, e);
		break;
	case FMT_NPY:
		r = npy_write(t, a.f, name, e);
		break;
	case FMT_CSV:
		if ((r = csvio_write_table(t, a.f)) < 0)
			err_sys(e, name);
		break;
	case FMT_FASTTEXT_BIN:
		r = ft_write_bin(t, a.f, name, e);
		break;
	default:
		err_set(e, name, 0, "cannot write format %s", fmt_name(f));
		r = -1;
		break;
	}
	if (r < 0) {
		afile_abort(&a);
		return -1;
	}
	return afile_commit(&a, e);
}
