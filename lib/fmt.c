/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "csvio.h"
#include "fmt.h"
#include "npy.h"
#include "num.h"
#include "safetensors.h"
#include "src.h"
#include "util.h"
#include "vocab.h"
#include "w2v.h"

static const char *const fmt_names[] = {
	NULL, "safetensors", "word2vec-bin", "word2vec-text", "glove", "vec",
	"npy", "csv"
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

static int
isblk(int c)
{
	return c == ' ' || c == '\t';
}

/* is [p, e) one finite number, blanks around allowed? */
static int
is_num(const char *p, const char *e)
{
	char buf[64], *end;
	float x;

	while (p < e && isblk(*p))
		p++;
	while (e > p && (isblk(e[-1]) || e[-1] == '\r'))
		e--;
	if (p == e || (size_t)(e - p) >= sizeof(buf))
		return 0;
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	x = num_float(buf, &end);
	return *end == '\0' && isfinite(x);
}

/* trailing blank-separated numbers of a line, at most fields - 1 */
static size_t
trailing_nums(const char *p, const char *e, size_t *nfields)
{
	const char *i;
	size_t nf = 0, m = 0;

	while (e > p && (isblk(e[-1]) || e[-1] == '\r'))
		e--;
	for (i = p; i < e;) {
		while (i < e && isblk(*i))
			i++;
		if (i == e)
			break;
		nf++;
		while (i < e && !isblk(*i))
			i++;
	}
	*nfields = nf;
	i = e;
	while (i > p && m + 1 < nf) {
		const char *fe = i;

		while (i > p && !isblk(i[-1]))
			i--;
		if (!is_num(i, fe))
			break;
		m++;
		while (i > p && isblk(i[-1]))
			i--;
	}
	return m;
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
	size_t i, nf;

	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r') || p[i] == 0x7f)
			return 0;
	nl = memchr(p, '\n', n);
	if (nl == NULL)
		return 1;	/* a long row of text */
	return trailing_nums((const char *)p, (const char *)nl, &nf) >= d;
}

enum fmt
fmt_detect(const unsigned char *p, size_t n)
{
	const char *s = (const char *)p, *nl, *l2, *nl2;
	size_t V, d, nf, len;

	if (n >= 6 && memcmp(p, "\x93NUMPY", 6) == 0)
		return FMT_NPY;
	if (n >= 9 && p[8] == '{') {
		uint64_t hl = 0;
		int i;

		for (i = 7; i >= 0; i--)
			hl = (hl << 8) | p[i];
		if (hl >= 2 && hl < ((uint64_t)100 << 20))
			return FMT_SAFETENSORS;
	}
	if (n == 0)
		return FMT_NONE;
	nl = memchr(s, '\n', n);
	len = nl != NULL ? (size_t)(nl - s) : n;
	if (w2v_parse_header(s, len, &V, &d) == 0) {
		if (nl == NULL || (size_t)(nl + 1 - s) == n)
			return FMT_W2V_TEXT;	/* a header and no rows */
		return text_after_header(p + len + 1, n - len - 1, d) ?
		    FMT_W2V_TEXT : FMT_W2V_BIN;
	}
	if (memchr(s, '\0', n) != NULL)
		return FMT_NONE;
	if (csv_line(s, s + len))
		return FMT_CSV;
	if (trailing_nums(s, s + len, &nf) > 0)
		return FMT_GLOVE;
	/* a CSV header row? */
	if (nl != NULL && memchr(s, ',', len) != NULL) {
		l2 = nl + 1;
		nl2 = memchr(l2, '\n', n - (size_t)(l2 - s));
		if (nl2 != NULL && csv_line(l2, nl2))
			return FMT_CSV;
	}
	return FMT_NONE;
}

/* label an unlabelled table with a vocabulary file */
static int
label_rows(struct table *t, const char *vpath, size_t limit,
    struct emb_err *e)
{
	struct vocab v;
	const char *dot = strrchr(vpath, '.');
	size_t i;
	int r;

	vocab_init(&v);
	if (dot != NULL && strcmp(dot, ".json") == 0)
		r = vocab_load_json(&v, vpath, e);
	else
		r = vocab_load(&v, vpath, e);
	if (r < 0)
		goto fail;
	/* a table padded past the vocabulary keeps its extra rows unnamed */
	if (vocab_fits(v.n, t->V) < 0 && !(limit > 0 && v.n > t->V)) {
		err_set(e, vpath, 0, "the vocabulary has %zu tokens, the table "
		    "has %zu rows", v.n, t->V);
		goto fail;
	}
	vocab_free(&t->vocab);
	vocab_init(&t->vocab);
	for (i = 0; i < t->V; i++) {
		size_t len = 0;
		const char *tok = i < v.n ? vocab_token(&v, i, &len) : "";

		vocab_add(&t->vocab, tok, len);
	}
	if (v.count != NULL) {
		vocab_ensure_counts(&t->vocab);
		memcpy(t->vocab.count, v.count, (v.n < t->V ? v.n : t->V) *
		    sizeof(*v.count));
	}
	vocab_free(&v);
	return 0;
fail:
	vocab_free(&v);
	return -1;
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

/* is the source a named file that is not compressed (mappable)? */
static int
is_plain(const struct src *s, const char *path)
{
	unsigned char m[2];

	if (path == NULL || strcmp(path, "-") == 0)
		return 0;
	return !(pread(s->fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b);
}

/*
 * safetensors is mapped, so stdin and gzip input go through a temporary
 * file first; the rows must be finite.
 */
static int
read_st(struct table *t, struct src *s, const char *path,
    const struct fmt_opts *o, struct emb_err *e)
{
	char tmp[4096], buf[65536];
	const char *dir = getenv("TMPDIR");
	const char *name = path;
	long bad;
	int fd = -1, r;

	if (!is_plain(s, path)) {
		if (dir == NULL || *dir == '\0')
			dir = "/tmp";
		snprintf(tmp, sizeof(tmp), "%s/emb-st.XXXXXX", dir);
		if ((fd = mkstemp(tmp)) < 0) {
			err_sys(e, tmp);
			return -1;
		}
		for (;;) {
			const unsigned char *p;
			size_t n = src_peek(s, &p, sizeof(buf), e);

			if (s->err)
				goto fail;
			if (n == 0)
				break;
			if (write(fd, p, n) != (ssize_t)n) {
				err_sys(e, tmp);
				goto fail;
			}
			s->pos += n;
			s->offset += n;
		}
		close(fd);
		fd = -1;
		name = tmp;
	}
	r = st_read_table(t, name, o->tensor, e);
	if (name != path)
		unlink(tmp);
	if (r < 0) {
		/* name the input, not the temporary file */
		if (name != path && strncmp(e->msg, tmp, strlen(tmp)) == 0) {
			struct emb_err e2;

			err_set(&e2, s->name, 0, "%s", e->msg + strlen(tmp) + 2);
			*e = e2;
		}
		return -1;
	}
	truncate_rows(t, o->limit);
	if ((bad = table_first_nonfinite(t)) >= 0) {
		err_set(e, s->name, 0, "row %ld: NaN or infinite value",
		    bad + 1);
		return -1;
	}
	return 0;
fail:
	close(fd);
	unlink(tmp);
	return -1;
}

int
fmt_read(struct table *t, const char *path, enum fmt f,
    const struct fmt_opts *o, struct emb_err *e)
{
	struct fmt_opts def;
	struct src s;
	const unsigned char *p;
	size_t n;
	int r;

	if (o == NULL) {
		fmt_opts_init(&def);
		o = &def;
	}
	if (src_open(&s, path, e) < 0)
		return -1;
	if (f == FMT_NONE) {
		n = src_peek(&s, &p, 4096, e);
		if (s.err) {
			src_close(&s);
			return -1;
		}
		if (n == 0) {
			err_set(e, s.name, 0, "empty file");
			src_close(&s);
			return -1;
		}
		if ((f = fmt_detect(p, n)) == FMT_NONE) {
			err_set(e, s.name, 0, "unknown format (use --format)");
			src_close(&s);
			return -1;
		}
	}
	switch (f) {
	case FMT_SAFETENSORS:
		r = read_st(t, &s, path, o, e);
		break;
	case FMT_W2V_BIN:
		r = w2v_read_bin(t, &s, o->limit, e);
		break;
	case FMT_W2V_TEXT:
	case FMT_VEC:
		r = w2v_read_text(t, &s, W2V_HEADER_REQUIRED, o->limit, e);
		break;
	case FMT_GLOVE:
		r = w2v_read_text(t, &s, W2V_HEADER_AUTO, o->limit, e);
		break;
	case FMT_NPY:
		r = npy_read(t, &s, o->limit, e);
		break;
	case FMT_CSV:
		r = csvio_read_src(t, &s, o->csv_header, e);
		if (r == 0)
			truncate_rows(t, o->limit);
		break;
	default:
		err_set(e, s.name, 0, "unknown format");
		r = -1;
		break;
	}
	src_close(&s);
	if (r == 0 && o->vocab != NULL && t->vocab.n == 0)
		r = label_rows(t, o->vocab, o->limit, e);
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
