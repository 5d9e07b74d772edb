/* See LICENSE file for copyright and license details. */
#ifndef EMB_SRC_H
#define EMB_SRC_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/*
 * An input source: a file, stdin ("-" or NULL, named "<stdin>" in
 * messages) or a block of memory, any of them possibly gzip-compressed
 * (recognised by its magic bytes, 0x1f 0x8b, not by a name).  Keeps the
 * line number for messages.  Only this module includes zlib.
 *
 * Sources are text by default: a UTF-8 byte-order mark (EF BB BF) at the
 * start of the (decompressed) input is skipped, as Windows editors write
 * one.  A reader of binary formats calls src_raw before reading anything,
 * and src_skip_bom once it knows the input is text after all.
 *
 * Callers read name, line and err; every other member is private.
 */
struct src {
	const char *name;	/* for messages (not copied) */
	size_t line;		/* number of the line last returned */
	int err;		/* a read error was reported */
	/* private */
	int fd;			/* -1 for a memory source or when closed */
	const unsigned char *mem;	/* memory source: its bytes */
	size_t memlen, mempos;
	int ismem;
	void *gz;		/* inflate state for gzip input, else NULL */
	char *buf;		/* read buffer (one spare byte past cap) */
	size_t pos, len, cap;
	size_t maxline;		/* lines longer than this are an error */
	int eof;
	int nlpend;		/* a newline ended the last word */
	int bom;		/* a byte-order mark may still be skipped */
	unsigned long long offset;	/* bytes consumed by the caller */
	long long start;	/* the file offset the input starts at */
	void *map;		/* src_map's mapping, or NULL */
	size_t maplen;
	char *whole;		/* src_slurp's copy, or NULL */
	int big;		/* a big plain file, buffer not yet moved */
};

#define SRC_MAXLINE ((size_t)256 << 20)

int src_open(struct src *s, const char *path, struct emb_err *e);
/*
 * A source over n bytes at p, named name in messages.  Nothing is copied
 * up front: p and name must stay valid until src_close.  Fails only on a
 * corrupt gzip start (and never for n == 0).
 */
int src_open_mem(struct src *s, const void *p, size_t n, const char *name,
    struct emb_err *e);
/* close s; a closed, failed or zero-filled source is left as it is */
void src_close(struct src *s);

/* binary input: keep a leading byte-order mark (call before any read) */
void src_raw(struct src *s);
/* text after all: skip a byte-order mark at the start (nothing read yet) */
int src_skip_bom(struct src *s, struct emb_err *e);

/*
 * Next line without its '\n' (and without a '\r' before it), NUL-terminated
 * in a buffer owned by s.  Returns its length, -1 at end of input, -2 on
 * error (e filled: read error, corrupt gzip, or a line over maxline).
 */
ssize_t src_getline(struct src *s, char **line, struct emb_err *e);

/*
 * Next whitespace-separated word (' ', '\t', '\r', '\v', '\f', '\n');
 * *nl is set when a newline ended the previous sentence before this word
 * (the first word of a line).  Returns its length, -1 at end, -2 on error.
 * Words longer than maxline are an error.
 */
ssize_t src_getword(struct src *s, char **word, int *nl, struct emb_err *e);

/* read exactly n bytes: 0 ok, -1 at clean end (nothing read), -2 error */
int src_read(struct src *s, void *out, size_t n, struct emb_err *e);
/*
 * Look at up to n bytes ahead without consuming them; returns the count
 * (less than n only at the end of input or on an error: check s->err).
 * src_consume then takes k <= that count of them.
 */
size_t src_peek(struct src *s, const unsigned char **p, size_t n,
    struct emb_err *e);
void src_consume(struct src *s, size_t k);
/* read one byte: the byte, -1 at end, -2 on error */
int src_getc(struct src *s, struct emb_err *e);

/*
 * The rest of the input as one read-only block, without reading it:
 * a plain regular file is mapped, a memory source is returned as it is.
 * NULL for pipes, terminals and gzip input (read those with src_peek).
 * The block stays valid until src_close; a caller that parses it reads
 * nothing more through s.
 */
const char *src_map(struct src *s, size_t *len);
/*
 * The rest of the input as one block in any case: src_map, else the
 * input read to its end into memory owned by s.  NULL on a read error.
 */
const char *src_slurp(struct src *s, size_t *len, struct emb_err *e);
/* bytes of input left, when known without reading (as for src_map): 0 */
int src_size(struct src *s, size_t *left);
/* is the input gzip-compressed? */
int src_gzip(const struct src *s);
/*
 * The words of a line, separated by blanks (' ', '\t'): the one rule for
 * every line of words emb reads (queries, pairs, IDs, question sets).
 * src_split appends the words of the NUL-terminated line to (*w)[*n..]
 * (grown through *cap), ending each with a NUL written in place.
 * src_word returns the next word of [*p, end) with its length in *len,
 * moving *p past it, or NULL when only blanks are left; nothing is
 * written.
 */
void src_split(char *line, char ***w, size_t *n, size_t *cap);
/*
 * The same for fields that may hold blanks (words and phrases of text for
 * a tokenizer, " Paris"): separated by tabs only, empty fields left out.
 */
void src_split_tabs(char *line, char ***w, size_t *n, size_t *cap);
const char *src_word(const char **p, const char *end, size_t *len);

#endif
