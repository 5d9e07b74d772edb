/* See LICENSE file for copyright and license details. */
#ifndef EMB_SRC_H
#define EMB_SRC_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/*
 * An input source: a file, a .gz file (detected by its magic bytes, not
 * the name) or stdin ("-" or NULL, named "<stdin>" in messages).  Keeps
 * the line number for messages.  Only this module includes zlib.
 */
struct src {
	const char *name;	/* for messages */
	size_t line;		/* number of the line last returned */
	void *gz;		/* inflate state for gzip input, else NULL */
	int fd;			/* -1 when closed */
	char *buf;		/* read buffer */
	size_t pos, len, cap;
	char *lbuf;		/* line buffer */
	size_t lcap;
	size_t maxline;		/* lines longer than this are an error */
	int eof, err;
	int nlpend;		/* a newline ended the last word */
	unsigned long long offset;	/* bytes consumed by the caller */
};

#define SRC_MAXLINE ((size_t)256 << 20)

int src_open(struct src *s, const char *path, struct emb_err *e);
void src_close(struct src *s);

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
/* look at up to n bytes ahead without consuming them; returns count */
size_t src_peek(struct src *s, const unsigned char **p, size_t n,
    struct emb_err *e);
/* read one byte: the byte, -1 at end, -2 on error */
int src_getc(struct src *s, struct emb_err *e);

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
const char *src_word(const char **p, const char *end, size_t *len);

#endif
