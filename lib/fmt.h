/* See LICENSE file for copyright and license details. */
#ifndef EMB_FMT_H
#define EMB_FMT_H

#include <stddef.h>

#include "dtype.h"
#include "err.h"
#include "src.h"
#include "table.h"

/* the format names are the same for --format and -O everywhere */
enum fmt {
	FMT_NONE = 0,
	FMT_SAFETENSORS,
	FMT_W2V_BIN,
	FMT_W2V_TEXT,
	FMT_GLOVE,
	FMT_VEC,
	FMT_NPY,
	FMT_CSV,
	FMT_FASTTEXT_BIN
};

struct fmt_opts {
	const char *tensor;	/* safetensors: tensor name, NULL = auto */
	const char *vocab;	/* npy/safetensors: vocab file (lines or .json) */
	const struct vocab *names;	/* or these tokens (vocab names them
				 * in messages) */
	int csv_header;		/* csv: first row is a header */
	size_t limit;		/* import at most this many rows, 0 = all */
	int w2v_newline;	/* word2vec-bin output: '\n' after each row */
};

/* the names fmt_byname knows, for messages */
#define FMT_NAMES "safetensors, word2vec-bin, word2vec-text, glove, vec, " \
    "npy, csv, fasttext-bin"

void fmt_opts_init(struct fmt_opts *o);
const char *fmt_name(enum fmt f);
enum fmt fmt_byname(const char *name);		/* FMT_NONE if unknown */
/* every name, "safetensors, word2vec-bin, ...", for messages */
const char *fmt_list(void);
enum fmt fmt_byext(const char *path);		/* FMT_NONE if unknown */
/* detect from the first bytes of a file (up to 4096 are looked at) */
enum fmt fmt_detect(const unsigned char *p, size_t n);
/*
 * What a file that is no table looks like, from its first bytes, for
 * messages ("an HTML page (a failed download?)"); NULL if nothing known.
 */
const char *fmt_describe(const unsigned char *p, size_t n);

/*
 * Detect the format of s from its first bytes (s opened with src_raw,
 * nothing consumed): 0, or -1 naming the file ("empty file", "unknown
 * format", or what the file looks like instead).
 */
int fmt_sniff(struct src *s, enum fmt *f, struct emb_err *e);
/* read path (any format; f == FMT_NONE detects) into t (initialised) */
int fmt_read(struct table *t, const char *path, enum fmt f,
    const struct fmt_opts *o, struct emb_err *e);
/* the same from an open source (opened with src_raw, nothing consumed) */
int fmt_read_src(struct table *t, struct src *s, enum fmt f,
    const struct fmt_opts *o, struct emb_err *e);
/* write t atomically; dt applies to safetensors only */
int fmt_write(const struct table *t, const char *path, enum fmt f,
    enum dtype dt, const struct fmt_opts *o, struct emb_err *e);

#endif
