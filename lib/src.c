/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "src.h"
#include "util.h"

#define SRC_BUFSIZE ((size_t)1 << 20)

int
src_open(struct src *s, const char *path, struct emb_err *e)
{
	memset(s, 0, sizeof(*s));
	s->maxline = SRC_MAXLINE;
	if (path == NULL || strcmp(path, "-") == 0) {
		s->name = "<stdin>";
		s->fd = dup(0);
	} else {
		s->name = path;
		s->fd = open(path, O_RDONLY);
	}
	if (s->fd < 0) {
		err_sys(e, s->name);
		return -1;
	}
	/* gzread passes plain files through unchanged */
	s->gz = gzdopen(s->fd, "rb");
	if (s->gz == NULL) {
		close(s->fd);
		err_set(e, s->name, 0, "out of memory");
		return -1;
	}
	gzbuffer(s->gz, 256 * 1024);
	s->cap = SRC_BUFSIZE;
	s->buf = xmalloc(s->cap + 1);
	return 0;
}

void
src_close(struct src *s)
{
	if (s->gz != NULL)
		gzclose(s->gz);	/* closes fd */
	free(s->buf);
	free(s->lbuf);
	memset(s, 0, sizeof(*s));
}

/*
 * Move unread bytes to the front and read more.  Returns the bytes added,
 * 0 at end of input, -1 on error.
 */
/* zlib prefixes its messages with "<fd:N>: "; we name the file ourselves */
static const char *
gzmsg(const char *msg)
{
	const char *p = strstr(msg, ">: ");

	return msg[0] == '<' && p != NULL ? p + 3 : msg;
}

static long
fill(struct src *s, struct emb_err *e)
{
	int n;
	size_t room;

	if (s->eof)
		return 0;
	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->len == s->cap) {
		if (s->cap >= s->maxline + 1) {
			err_set(e, s->name, s->line + 1, "line longer than "
			    "%zu bytes", s->maxline);
			s->err = 1;	/* src_peek callers test this */
			return -1;
		}
		s->cap *= 2;
		s->buf = xreallocarray(s->buf, s->cap + 1, 1);
	}
	room = s->cap - s->len;
	if (room > (size_t)1 << 30)
		room = (size_t)1 << 30;
	n = gzread(s->gz, s->buf + s->len, (unsigned)room);
	if (n < 0) {
		int zerr;
		const char *msg = gzerror(s->gz, &zerr);

		if (zerr == Z_ERRNO)
			err_sys(e, s->name);
		else
			err_set(e, s->name, 0, "corrupt gzip data: %s", gzmsg(msg));
		s->err = 1;
		return -1;
	}
	if (n == 0) {
		int zerr;
		const char *msg = gzerror(s->gz, &zerr);

		if (zerr != Z_OK && zerr != Z_STREAM_END) {
			err_set(e, s->name, 0, "corrupt gzip data: %s", gzmsg(msg));
			s->err = 1;
			return -1;
		}
		s->eof = 1;
		return 0;
	}
	s->len += (size_t)n;
	return n;
}

ssize_t
src_getline(struct src *s, char **line, struct emb_err *e)
{
	size_t scan = s->pos;
	char *nl;
	size_t n;

	for (;;) {
		nl = memchr(s->buf + scan, '\n', s->len - scan);
		if (nl != NULL)
			break;
		scan = s->len;
		if (s->len - s->pos > s->maxline) {
			err_set(e, s->name, s->line + 1, "line longer than "
			    "%zu bytes", s->maxline);
			return -2;
		}
		{
			size_t before = s->pos;
			long r = fill(s, e);

			scan -= before - s->pos;
			if (r < 0)
				return -2;
			if (r == 0)
				break;
		}
	}
	if (nl == NULL) {
		if (s->pos == s->len)
			return -1;
		nl = s->buf + s->len;	/* last line without '\n' */
	}
	*line = s->buf + s->pos;
	n = (size_t)(nl - *line);
	s->offset += n + (nl < s->buf + s->len);
	s->pos += n + (nl < s->buf + s->len);
	if (n > s->maxline) {
		err_set(e, s->name, s->line + 1, "line longer than %zu bytes",
		    s->maxline);
		return -2;
	}
	if (n > 0 && (*line)[n - 1] == '\r')
		n--;
	(*line)[n] = '\0';
	s->line++;
	return (ssize_t)n;
}

static int
isspc(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

ssize_t
src_getword(struct src *s, char **word, int *nl, struct emb_err *e)
{
	size_t i;
	long r;

	*nl = s->nlpend;
	if (s->nlpend)
		s->line++;
	s->nlpend = 0;
	if (s->line == 0)
		s->line = 1;
	/* skip white space, noting newlines */
	for (;;) {
		while (s->pos < s->len && isspc((unsigned char)s->buf[s->pos])) {
			if (s->buf[s->pos] == '\n') {
				*nl = 1;
				s->line++;
			}
			s->pos++;
			s->offset++;
		}
		if (s->pos < s->len)
			break;
		if ((r = fill(s, e)) < 0)
			return -2;
		if (r == 0)
			return -1;
	}
	i = s->pos;
	for (;;) {
		while (i < s->len && !isspc((unsigned char)s->buf[i]))
			i++;
		if (i < s->len)
			break;
		if (i - s->pos > s->maxline) {
			err_set(e, s->name, s->line, "word longer than %zu "
			    "bytes", s->maxline);
			return -2;
		}
		{
			size_t before = s->pos;

			if ((r = fill(s, e)) < 0)
				return -2;
			i -= before - s->pos;
			if (r == 0)
				break;
		}
	}
	*word = s->buf + s->pos;
	r = (long)(i - s->pos);
	if (i < s->len) {
		/* consume the separator; a newline counts for the next word */
		if (s->buf[i] == '\n')
			s->nlpend = 1;
		i++;
	}
	/* buf has one spare byte past cap for this NUL */
	(*word)[r] = '\0';
	s->offset += i - s->pos;
	s->pos = i;
	return (ssize_t)r;
}

int
src_read(struct src *s, void *out, size_t n, struct emb_err *e)
{
	unsigned char *o = out;
	size_t got = 0;

	while (got < n) {
		size_t avail = s->len - s->pos;
		long r;

		if (avail > 0) {
			size_t take = avail < n - got ? avail : n - got;

			memcpy(o + got, s->buf + s->pos, take);
			s->pos += take;
			got += take;
			continue;
		}
		s->pos = s->len = 0;
		if ((r = fill(s, e)) < 0)
			return -2;
		if (r == 0)
			break;
	}
	s->offset += got;
	if (got == n)
		return 0;
	if (got == 0)
		return -1;
	err_set(e, s->name, 0, "unexpected end of file");
	return -2;
}

size_t
src_peek(struct src *s, const unsigned char **p, size_t n, struct emb_err *e)
{
	while (s->len - s->pos < n) {
		long r = fill(s, e);

		if (r <= 0)
			break;
	}
	*p = (const unsigned char *)s->buf + s->pos;
	return s->len - s->pos < n ? s->len - s->pos : n;
}

int
src_getc(struct src *s, struct emb_err *e)
{
	if (s->pos == s->len) {
		long r;

		s->pos = s->len = 0;
		if ((r = fill(s, e)) < 0)
			return -2;
		if (r == 0)
			return -1;
	}
	s->offset++;
	return (unsigned char)s->buf[s->pos++];
}
