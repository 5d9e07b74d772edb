/* See LICENSE file for copyright and license details. */
#ifndef EMB_VSTREAM_H
#define EMB_VSTREAM_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "src.h"

/*
 * Vector streams, the way vectors travel through pipes.
 *
 * Text: "[label] x1 ... xd" per line, fields separated by spaces or tabs,
 * optionally preceded by a word2vec-style "N d" header line.  The LAST d
 * fields are the numbers and everything before them (spaces included) is
 * the label, so tokens with spaces survive.
 *
 * Binary: the 12-byte header "EMBV", version (1), flags (bit 0: rows are
 * labelled; bit 1: rows come in sequences), 2 reserved zero bytes, d as
 * uint32 LE; then per row, when labelled, the label length as uint32 LE
 * and the label bytes, then d float32 LE.  With sequences, each sequence
 * (a line of input: T tokens, T >= 0) is its row count T as uint32 LE
 * followed by its T rows, so a reader can rebuild the T x d matrices.
 */
#define VSTREAM_MAGIC "EMBV"
#define VSTREAM_LABELLED 1
#define VSTREAM_SEQUENCES 2

/*
 * write one vector as text, label (NULL for none) then the values, each
 * as vstream_fmt_float prints it; blanks between fields, no trailing one
 */
int vstream_write_text(FILE *f, const char *label, size_t len,
    const float *v, size_t d);
/* the d values, each after sep (the first only when lead), then '\n' */
int vstream_write_values(FILE *f, const float *v, size_t d, int sep,
    int lead);
/* flags: VSTREAM_LABELLED | VSTREAM_SEQUENCES */
int vstream_write_header(FILE *f, size_t d, int flags);
int vstream_write_bin(FILE *f, const char *label, size_t len,
    const float *v, size_t d);
/* with VSTREAM_SEQUENCES: the row count of the sequence that follows */
int vstream_write_seq(FILE *f, size_t n);
/*
 * format one float into buf (at least 32 bytes) as the first of %.6g,
 * %.7g, %.8g and %.9g that reads back as the same float32 (0.1f is
 * "0.1", 1/3.0f "0.33333334"); returns the length
 */
int vstream_fmt_float(char *buf, float x);

/*
 * A writer of labelled or unlabelled rows, text or binary, that keeps
 * labels readable as labels (textvec.h): text labels a text row cannot
 * carry are refused, an empty label is written as none, and when the
 * rows are labelled but the first label looks like a number (or is
 * empty), an "N d" header line goes first, so that readers know d.  N must then be
 * known: given (nrows >= 0), or else the rows wait in a temporary file
 * until vwriter_close.
 */
struct vwriter {
	FILE *f;
	size_t d;
	int binary;
	int labelled;		/* rows have labels (some may be empty) */
	long long nrows;	/* rows to come, -1 if not known */
	FILE *spool;		/* rows held back until N is known */
	size_t n;		/* rows written */
	char *buf;		/* spool copy buffer */
};
/*
 * flags: VSTREAM_LABELLED (rows have labels) and, binary only,
 * VSTREAM_SEQUENCES (the caller writes each sequence's row count with
 * vstream_write_seq); a binary stream's header is written now
 */
int vwriter_open(struct vwriter *w, FILE *f, size_t d, int binary,
    int flags, long long nrows);
/*
 * One row (label NULL: none).  0; -1 on a write error (errno set);
 * -2 when the label cannot be written as text (*why says why).
 */
int vwriter_row(struct vwriter *w, const char *label, size_t len,
    const float *v, const char **why);
/* write what is held back; 0 or -1 on a write error */
int vwriter_close(struct vwriter *w);

struct vstream {
	struct src src;
	int binary;
	int labelled;		/* binary: from the header; text: per row */
	int sequences;		/* binary: rows come in sequences */
	size_t d;		/* 0 until known */
	size_t row;		/* rows read */
	size_t seq;		/* sequences: the last row's, from 0 */
	size_t pos;		/* sequences: its position in that sequence */
	size_t left;		/* sequences: rows of it still to come */
	size_t nseq;		/* sequences: row counts read */
	int hdr;		/* text: an "N d" header line was read */
	int unl;		/* text: d came from a first row of numbers */
	size_t dline;		/* text: the line d came from */
	char *first;		/* text: a copy of the line d came from */
	char *label;		/* label of the last row (NUL-terminated) */
	size_t labellen;
	float *vec;		/* the last row, d floats */
	size_t cap;
	size_t lcap;
};

/*
 * Open a stream (path "-" or NULL = stdin); d is the expected dimension,
 * or 0 to learn it from the first row (a first row of only numbers is
 * then unlabelled).  Binary is recognised by its magic.
 */
int vstream_open(struct vstream *s, const char *path, size_t d,
    struct emb_err *e);
/* the same over n bytes at p (kept until vstream_close), called name */
int vstream_open_mem(struct vstream *s, const void *p, size_t n,
    const char *name, size_t d, struct emb_err *e);
/*
 * Before the first row of a text stream, guess whether it holds vectors
 * or words (tokens, IDs): look at the first line that is not blank,
 * without consuming it.  Vectors: its last fields are at least two
 * numbers (one when d is 1), or it is the first line and holds just two
 * unsigned integers with d != 2, a word2vec "N d" header, which is then
 * consumed.  Only the last 511 bytes of a long line are looked at; a
 * number is what strtof(3) reads whole (nan, inf and hex included).
 * Returns 1 (vectors) or 0 (words).
 */
int vstream_sniff(struct vstream *s, size_t d, struct emb_err *e);
/*
 * next row: 0 ok, -1 at end, -2 error (file:line or "after row N").  A
 * stream with sequences gives its rows one by one as any other, with
 * seq and pos set; its empty sequences are passed over (seq counts them).
 */
int vstream_next(struct vstream *s, struct emb_err *e);
void vstream_close(struct vstream *s);

#endif
