/* See LICENSE file for copyright and license details. */
#ifndef EMB_FMT_H
#define EMB_FMT_H

#include <stddef.h>

#include "dtype.h"
#include "err.h"
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
	FMT_CSV
};

struct fmt_opts {
	const char *tensor;	/* safetensors: tensor name, NULL = auto */
	const char *vocab;	/* npy/safetensors: vocab file (lines or .json) */
	int csv_header;		/* csv: first row is a header */
	size_t limit;		/* import at most this many rows, 0 = all */
	int w2v_newline;	/* word2vec-bin output: '\n' after each row */
};

/* the names fmt_byname knows, for messages */
#define FMT_NAMES "safetensors, word2vec-bin, word2vec-text, glove, vec, " \
    "npy, csv"

void fmt_opts_init(struct fmt_opts *o);
const char *fmt_name(enum fmt f);
enum fmt fmt_byname(const char *name);		/* FMT_NONE if unknown */
enum fmt fmt_byext(const char *path);		/* FMT_NONE if unknown */
/* detect from the first bytes of a file (up to 4096 are looked at) */
enum fmt fmt_detect(const unsigned char *p, size_t n);

/* read path (any format; f == FMT_NONE detects) into t (initialised) */
int fmt_read(struct table *t, const char *path, enum fmt f,
    const struct fmt_opts *o, struct emb_err *e);
/* write t atomically; dt applies to safetensors only */
int fmt_write(const struct table *t, const char *path, enum fmt f,
    enum dtype dt, const struct fmt_opts *o, struct emb_err *e);

#endif
