/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "src.h"
#include "util.h"

#define SRC_BUFSIZE ((size_t)1 << 20)
/*
 * The first read is small: it tells gzip from anything else and the
 * format from its first bytes (fmt_sniff), and a native model is then
 * mapped, not read; a big first read would fault in fresh buffer pages
 * and make the kernel read ahead four times as much of the file.
 */
#define SRC_FIRST ((size_t)4096)

/*
 * Plain input is read with read(2), which returns what is there: a
 * terminal or a slow pipe gets its answer line by line.  gzip input
 * (recognised by its magic bytes) goes through inflate(), member after
 * member, as gunzip does.
 */
struct gzin {
	z_stream zs;
	unsigned char *raw;	/* compressed bytes */
	size_t cap;
	int eof;		/* no more compressed bytes */
};

static ssize_t
xread(int fd, void *p, size_t n)
{
	ssize_t r;

	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r;
}

/* raw (possibly compressed) bytes from the file or the memory block */
static ssize_t
raw_read(struct src *s, void *p, size_t n)
{
	size_t take;

	if (!s->ismem)
		return xread(s->fd, p, n);
	take = s->memlen - s->mempos < n ? s->memlen - s->mempos : n;
	if (take > 0)
		memcpy(p, s->mem + s->mempos, take);
	s->mempos += take;
	return (ssize_t)take;
}

/* the first bytes: gzip or not */
static int
start(struct src *s, struct emb_err *e)
{
	struct stat st;
	size_t have = 0;
	ssize_t r;

	s->maxline = SRC_MAXLINE;
	s->bom = 1;
	s->cap = SRC_BUFSIZE;
	if (s->ismem && s->memlen < SRC_BUFSIZE)
		s->cap = s->memlen < 64 ? 64 : s->memlen + 1;
	s->buf = xmalloc(s->cap + 1);
	/* a big file read past its first bytes: see fill */
	s->big = !s->ismem && s->fd >= 0 && fstat(s->fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size >= (off_t)(8 * SRC_BUFSIZE);
	/* two bytes tell gzip from anything else */
	while (have < 2) {
		if ((r = raw_read(s, s->buf + have, (s->cap < SRC_FIRST ?
		    s->cap : SRC_FIRST) - have)) < 0) {
			err_sys(e, s->name);
			src_close(s);
			return -1;
		}
		if (r == 0) {
			s->eof = 1;
			break;
		}
		have += (size_t)r;
	}
	if (have >= 2 && (unsigned char)s->buf[0] == 0x1f &&
	    (unsigned char)s->buf[1] == 0x8b) {
		struct gzin *g = xcalloc(1, sizeof(*g));

		g->cap = SRC_BUFSIZE;
		g->raw = xmalloc(g->cap);
		memcpy(g->raw, s->buf, have);
		g->eof = s->eof;
		s->eof = 0;
		if (inflateInit2(&g->zs, 15 + 16) != Z_OK) {
			err_set(e, s->name, 0, "out of memory");
			free(g->raw);
			free(g);
			src_close(s);
			return -1;
		}
		g->zs.next_in = g->raw;
		g->zs.avail_in = (uInt)have;
		s->gz = g;
	} else
		s->len = have;
	return 0;
}

int
src_open(struct src *s, const char *path, struct emb_err *e)
{
	memset(s, 0, sizeof(*s));
	if (path == NULL || strcmp(path, "-") == 0) {
		s->name = "<stdin>";
		s->fd = dup(0);
	} else {
		s->name = path;
		s->fd = open(path, O_RDONLY);
	}
	if (s->fd < 0) {
		err_sys(e, s->name);
		s->fd = -1;
		return -1;
	}
	/* stdin may start past the beginning of a file (mapping must know) */
	s->start = (long long)lseek(s->fd, 0, SEEK_CUR);
	return start(s, e);
}

int
src_open_mem(struct src *s, const void *p, size_t n, const char *name,
    struct emb_err *e)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->fd = -1;
	s->ismem = 1;
	s->mem = p;
	s->memlen = n;
	return start(s, e);
}

void
src_close(struct src *s)
{
	struct gzin *g = s->gz;

	if (g != NULL) {
		inflateEnd(&g->zs);
		free(g->raw);
		free(g);
	}
	if (s->fd >= 0 && s->buf != NULL)
		close(s->fd);
	if (s->map != NULL)
		munmap(s->map, s->maplen);
	free(s->whole);
	free(s->buf);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* inflate into out[0..room): bytes made, 0 at the end, -1 on error */
static long
gz_fill(struct src *s, unsigned char *out, size_t room, struct emb_err *e)
{
	struct gzin *g = s->gz;
	int ret;

	for (;;) {
		if (g->zs.avail_in == 0 && !g->eof) {
			ssize_t r = raw_read(s, g->raw, g->cap);

			if (r < 0) {
				err_sys(e, s->name);
				return -1;
			}
			if (r == 0)
				g->eof = 1;
			g->zs.next_in = g->raw;
			g->zs.avail_in = (uInt)r;
		}
		g->zs.next_out = out;
		g->zs.avail_out = (uInt)room;
		ret = inflate(&g->zs, Z_NO_FLUSH);
		if (ret == Z_STREAM_END) {
			/* another member may follow, as gzip -c a b makes */
			if (g->zs.avail_in == 0 && !g->eof) {
				ssize_t r = raw_read(s, g->raw, g->cap);

				if (r < 0) {
					err_sys(e, s->name);
					return -1;
				}
				g->eof = r == 0;
				g->zs.next_in = g->raw;
				g->zs.avail_in = (uInt)r;
			}
			if (g->zs.avail_in == 0 && g->eof)
				s->eof = 1;
			else if (inflateReset(&g->zs) != Z_OK)
				goto corrupt;
		} else if (ret == Z_BUF_ERROR && g->zs.avail_in == 0 && g->eof) {
			err_set(e, s->name, 0, "corrupt gzip data: unexpected "
			    "end of file");
			return -1;
		} else if (ret != Z_OK && ret != Z_BUF_ERROR)
			goto corrupt;
		if (room - g->zs.avail_out > 0)
			return (long)(room - g->zs.avail_out);
		if (s->eof)
			return 0;
	}
corrupt:
	err_set(e, s->name, 0, "corrupt gzip data: %s",
	    g->zs.msg != NULL ? g->zs.msg : "invalid stream");
	return -1;
}

/*
 * Move unread bytes to the front and read more.  Returns the bytes added,
 * 0 at end of input, -1 on error.
 */
static long
fill(struct src *s, struct emb_err *e)
{
	size_t room;
	long n;

	if (s->eof)
		return 0;
	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->big) {
		/* it is read through: the buffer moves to 2 MiB pages
		 * (xaligned), 1 fault where 256 cost a tenth of an import;
		 * not before, as opening a model reads only its first page */
		char *nb = xaligned(s->cap + 1);

		memcpy(nb, s->buf, s->len);
		free(s->buf);
		s->buf = nb;
		s->big = 0;
	}
	if (s->len == s->cap) {
		if (s->cap >= s->maxline + 1) {
			err_set(e, s->name, s->line + 1, "line longer than "
			    "%zu bytes", s->maxline);
			s->err = 1;
			return -1;
		}
		s->cap *= 2;
		s->buf = xreallocarray(s->buf, s->cap + 1, 1);
	}
	room = s->cap - s->len;
	if (room > (size_t)1 << 30)
		room = (size_t)1 << 30;
	if (s->gz != NULL)
		n = gz_fill(s, (unsigned char *)s->buf + s->len, room, e);
	else {
		ssize_t r = raw_read(s, s->buf + s->len, room);

		if (r < 0)
			err_sys(e, s->name);
		n = r < 0 ? -1 : (long)r;
	}
	if (n < 0) {
		s->err = 1;
		return -1;
	}
	if (n == 0) {
		s->eof = 1;
		return 0;
	}
	s->len += (size_t)n;
	return n;
}

/*
 * Skip a UTF-8 byte-order mark at the start of the input.  Waits for a
 * third byte only while the bytes so far could begin one, so a terminal
 * or a slow pipe is never kept waiting for a line it already sent.
 */
static int
bom_check(struct src *s, struct emb_err *e)
{
	static const char bom[3] = { '\xef', '\xbb', '\xbf' };

	s->bom = 0;
	for (;;) {
		size_t have = s->len - s->pos;
		long r;

		if (memcmp(s->buf + s->pos, bom, have < 3 ? have : 3) != 0)
			return 0;
		if (have >= 3) {
			s->pos += 3;
			s->offset += 3;
			return 0;
		}
		if ((r = fill(s, e)) < 0)
			return -1;
		if (r == 0)
			return 0;
	}
}

#define BOM_CHECK(s, e, fail) \
	do { \
		if ((s)->bom && bom_check((s), (e)) < 0) \
			return (fail); \
	} while (0)

void
src_raw(struct src *s)
{
	s->bom = 0;
}

int
src_skip_bom(struct src *s, struct emb_err *e)
{
	if (s->offset != 0)
		return 0;
	return bom_check(s, e);
}

ssize_t
src_getline(struct src *s, char **line, struct emb_err *e)
{
	size_t scan;
	char *nl;
	size_t n;

	BOM_CHECK(s, e, -2);
	scan = s->pos;
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

	BOM_CHECK(s, e, -2);
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

	BOM_CHECK(s, e, -2);
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
	if (s->bom && bom_check(s, e) < 0) {
		*p = (const unsigned char *)s->buf + s->pos;
		return 0;
	}
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
	BOM_CHECK(s, e, -2);
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

void
src_consume(struct src *s, size_t k)
{
	if (k > s->len - s->pos)
		k = s->len - s->pos;
	s->pos += k;
	s->offset += k;
}

const char *
src_map(struct src *s, size_t *len)
{
	struct emb_err e;
	struct stat st;
	void *p;

	if (s->bom && bom_check(s, &e) < 0)
		return NULL;
	if (s->gz != NULL)
		return NULL;
	if (s->ismem) {
		*len = s->memlen - (size_t)s->offset;
		return s->memlen > 0 ? (const char *)s->mem + s->offset : "";
	}
	if (s->map == NULL) {
		if (s->fd < 0 || s->start < 0 || fstat(s->fd, &st) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_size <= 0 ||
		    (uintmax_t)st.st_size > SIZE_MAX)
			return NULL;
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		    s->fd, 0);
		if (p == MAP_FAILED)
			return NULL;
		s->map = p;
		s->maplen = (size_t)st.st_size;
	}
	if ((unsigned long long)s->start + s->offset > s->maplen)
		return NULL;
	*len = s->maplen - (size_t)s->start - (size_t)s->offset;
	return (const char *)s->map + s->start + s->offset;
}

const char *
src_slurp(struct src *s, size_t *len, struct emb_err *e)
{
	const char *m = src_map(s, len);
	const unsigned char *p;
	size_t n = 0, cap = 0, k;

	if (m != NULL)
		return m;
	free(s->whole);
	s->whole = NULL;
	for (;;) {
		k = src_peek(s, &p, (size_t)1 << 20, e);
		if (s->err)
			return NULL;
		if (k == 0)
			break;
		if (cap - n < k) {
			cap = cap ? cap : (size_t)1 << 20;
			while (cap - n < k)
				cap *= 2;
			s->whole = xreallocarray(s->whole, cap, 1);
		}
		memcpy(s->whole + n, p, k);
		n += k;
		src_consume(s, k);
	}
	if (s->whole == NULL)
		s->whole = xmalloc(1);
	*len = n;
	return s->whole;
}

int
src_size(struct src *s, size_t *left)
{
	struct stat st;

	if (s->gz != NULL)
		return -1;
	if (s->ismem) {
		*left = s->memlen - (size_t)s->offset;
		return 0;
	}
	if (s->fd < 0 || s->start < 0 || fstat(s->fd, &st) != 0 ||
	    !S_ISREG(st.st_mode) ||
	    (unsigned long long)s->start + s->offset >
	    (unsigned long long)st.st_size)
		return -1;
	*left = (size_t)((unsigned long long)st.st_size -
	    (unsigned long long)s->start - s->offset);
	return 0;
}

int
src_gzip(const struct src *s)
{
	return s->gz != NULL;
}

void
src_split(char *line, char ***w, size_t *n, size_t *cap)
{
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return;
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 8;
			*w = xreallocarray(*w, *cap, sizeof(**w));
		}
		(*w)[(*n)++] = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
	}
}

void
src_split_tabs(char *line, char ***w, size_t *n, size_t *cap)
{
	char *p = line, *t;

	for (;;) {
		if ((t = strchr(p, '\t')) != NULL)
			*t = '\0';
		if (*p != '\0') {
			if (*n == *cap) {
				*cap = *cap ? 2 * *cap : 8;
				*w = xreallocarray(*w, *cap, sizeof(**w));
			}
			(*w)[(*n)++] = p;
		}
		if (t == NULL)
			return;
		p = t + 1;
	}
}

const char *
src_word(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *w;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end) {
		*p = s;
		return NULL;
	}
	w = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	*len = (size_t)(s - w);
	*p = s;
	return w;
}
