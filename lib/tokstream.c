/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "par.h"
#include "tokstream.h"
#include "unicode.h"
#include "util.h"

#define BLOCK ((size_t)1 << 20)	/* bytes of lines per thread and round */

/* one thread's share of a block: lines [a, b) */
struct job {
	const struct tokenizer *t;
	const struct tokstream_opts *o;
	const char *text;
	const size_t *ls;	/* line starts; ls[i + 1] - 1 is line i's '\n' */
	size_t a, b;
	int lastnl;		/* the block's last line ends with '\n' */
	struct tokenizer_seq seq;
	char *out;
	size_t olen, ocap;
	size_t bad;		/* index of the failing line, or SIZE_MAX */
	size_t okout;		/* output bytes before it */
	struct emb_err err;
};

static void
append(struct job *j, const void *p, size_t n)
{
	if (n == 0)	/* p may be NULL then (an empty token) */
		return;
	if (j->olen + n > j->ocap) {
		j->ocap = (j->olen + n) * 2 + 4096;
		j->out = xreallocarray(j->out, j->ocap, 1);
	}
	memcpy(j->out + j->olen, p, n);
	j->olen += n;
}

/* the decimal digits of v at p (room for 10): how many */
static inline size_t
utoa32(char *p, uint32_t v)
{
	static const char two[] =
	    "00010203040506070809101112131415161718192021222324252627282930"
	    "31323334353637383940414243444546474849505152535455565758596061"
	    "62636465666768697071727374757677787980818283848586878889909192"
	    "93949596979899";
	size_t n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 :
	    v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 :
	    v < 100000000 ? 8 : v < 1000000000 ? 9 : 10, i = n;

	while (v >= 100) {
		uint32_t r = v % 100;

		v /= 100;
		p[--i] = two[2 * r + 1];
		p[--i] = two[2 * r];
	}
	if (v >= 10) {
		p[--i] = two[2 * v + 1];
		p[--i] = two[2 * v];
	} else
		p[--i] = (char)('0' + v);
	return n;
}

static size_t
utoa(char *p, size_t v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

void
tokstream_escape(char **buf, size_t *len, size_t *cap, const char *s,
    size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, v;
	char tmp[8];

	if (*len + 4 * n + 1 > *cap) {
		*cap = (*len + 4 * n + 1) * 2;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	while (i < n) {
		unsigned c = u[i];
		const char *esc = NULL;

		if (c >= 0x80 && (v = uni_valid(u + i, n - i)) > 0) {
			/* the valid characters up to the next bad byte */
			size_t k = i + 1;

			while (k < i + v && (u[k] & 0xC0) == 0x80)
				k++;
			memcpy(*buf + *len, u + i, k - i);
			*len += k - i;
			i = k;
			continue;
		}
		if (c == '\\')
			esc = "\\\\";
		else if (c == '\t')
			esc = "\\t";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		if (esc != NULL) {
			memcpy(*buf + *len, esc, 2);
			*len += 2;
		} else if (c < 0x20 || c == 0x7F || c >= 0x80) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			memcpy(*buf + *len, tmp, 4);
			*len += 4;
		} else
			(*buf)[(*len)++] = (char)c;
		i++;
	}
}

/* one sequence's output line */
static void
format(struct job *j, const struct tokenizer_seq *q)
{
	const struct tokstream_opts *o = j->o;
	char num[64];
	size_t i, n;

	if (o->count) {
		n = utoa(num, q->n);
		num[n++] = '\n';
		append(j, num, n);
		return;
	}
	if (o->print == TOKSTREAM_IDS) {
		/* the common case: room for every ID once, then no checks */
		char *p;

		if (j->olen + 11 * q->n + 1 > j->ocap) {
			j->ocap = (j->olen + 11 * q->n + 1) * 2 + 4096;
			j->out = xreallocarray(j->out, j->ocap, 1);
		}
		p = j->out + j->olen;
		for (i = 0; i < q->n; i++) {
			if (i > 0)
				*p++ = ' ';
			p += utoa32(p, q->ids[i]);
		}
		*p++ = '\n';
		j->olen = (size_t)(p - j->out);
		return;
	}
	for (i = 0; i < q->n; i++) {
		const char *p;
		size_t l;

		n = 0;
		if (i > 0)
			num[n++] = o->print == TOKSTREAM_TOKENS ||
			    o->print == TOKSTREAM_BOTH ? '\t' : ' ';
		if (o->print != TOKSTREAM_TOKENS)
			n += utoa(num + n, q->ids[i]);
		if (o->print == TOKSTREAM_OFFSETS) {
			num[n++] = ':';
			n += utoa(num + n, q->start[i]);
			num[n++] = '-';
			n += utoa(num + n, q->end[i]);
		} else if (o->print == TOKSTREAM_BOTH)
			num[n++] = ':';
		append(j, num, n);
		if (o->print == TOKSTREAM_TOKENS || o->print == TOKSTREAM_BOTH) {
			p = tokenizer_token(j->t, q->ids[i], &l);
			if (p != NULL)
				tokstream_escape(&j->out, &j->olen, &j->ocap, p, l);
		}
	}
	append(j, "\n", 1);
}

static void
run(struct job *j)
{
	size_t i;

	j->olen = 0;
	j->bad = SIZE_MAX;
	for (i = j->a; i < j->b; i++) {
		size_t s = j->ls[i], e = j->ls[i + 1];

		if (i + 1 < j->b || j->lastnl)
			e--;	/* the '\n' */
		if (tokenizer_encode(j->t, &j->seq, j->text + s, e - s,
		    &j->err) < 0) {
			j->bad = i;
			break;
		}
		format(j, &j->seq);
	}
	j->okout = j->olen;
}

/*
 * The next block of whole lines, read into *buf: returns its length (0
 * at the end), -1 on a read error.  A line longer than the block grows
 * it.  Lines end with '\n', the last one perhaps not.
 */
static long
read_block(struct src *in, char **buf, size_t *cap, size_t want,
    struct emb_err *e)
{
	const unsigned char *p;
	size_t k, take;
	const unsigned char *nl;

	for (;;) {
		k = src_peek(in, &p, want, e);
		if (in->err)
			return -1;
		if (k == 0)
			return 0;
		nl = NULL;
		for (take = k; take > 0; take--)
			if (p[take - 1] == '\n') {
				nl = p + take;
				break;
			}
		if (nl != NULL || k < want)
			break;
		want *= 2;	/* one line longer than the block */
	}
	take = nl != NULL && k == want ? (size_t)(nl - p) : k;
	if (take > *cap) {
		*cap = take;
		*buf = xreallocarray(*buf, *cap + 1, 1);
	}
	if (src_read(in, *buf, take, e) != 0)
		return -1;
	return (long)take;
}

static int
flush_job(struct job *j, FILE *out)
{
	if (j->okout == 0)	/* j->out may be NULL */
		return 0;
	return fwrite(j->out, 1, j->okout, out) == j->okout ? 0 :
	    TOKSTREAM_EWRITE;
}

/* the whole input into *buf: its length, or -1 on a read error */
static long
read_all(struct src *in, char **buf, size_t *cap, struct emb_err *e)
{
	const unsigned char *p;
	size_t len = 0, k;

	for (;;) {
		k = src_peek(in, &p, BLOCK, e);
		if (in->err)
			return -1;
		if (k == 0)
			break;
		if (len + k > *cap) {
			*cap = (len + k) * 2;
			*buf = xreallocarray(*buf, *cap + 1, 1);
		}
		if (src_read(in, *buf + len, k, e) != 0)
			return -1;
		len += k;
	}
	return (long)len;
}

/* the first line that starts at or after byte b */
static size_t
line_at(const size_t *ls, size_t nl, size_t b)
{
	size_t lo = 0, hi = nl;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ls[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* jobs [b, e), on one thread (lib/par.h) */
static void
run_jobs(void *arg, size_t b, size_t e)
{
	struct job *jobs = arg;

	for (; b < e; b++)
		run(&jobs[b]);
}

/* lines ls[0..nl] of buf[0..len) into one share per job */
static void
share(struct job *jobs, int nt, const char *buf, size_t len, const size_t *ls,
    size_t nl)
{
	int k;

	for (k = 0; k < nt; k++) {
		jobs[k].text = buf;
		jobs[k].ls = ls;
		jobs[k].a = k == 0 ? 0 : jobs[k - 1].b;
		jobs[k].b = k == nt - 1 ? nl :
		    line_at(ls, nl, len / (size_t)nt * (size_t)(k + 1));
		if (jobs[k].b < jobs[k].a)
			jobs[k].b = jobs[k].a;
		jobs[k].lastnl = len > 0 && buf[len - 1] == '\n';
	}
}

int
tokstream_encode(const struct tokenizer *t, struct src *in, FILE *out,
    const struct tokstream_opts *o, struct emb_err *e)
{
	int nt = o->threads < 1 ? 1 : o->threads, k, rc = 0;
	struct job *jobs = xcalloc((size_t)nt, sizeof(*jobs));
	char *buf = NULL;
	size_t cap = 0, *ls = NULL, lcap = 0, line0 = 0, nl, i;
	long len;

	for (k = 0; k < nt; k++) {
		jobs[k].t = t;
		jobs[k].o = o;
		tokenizer_seq_init(&jobs[k].seq);
		jobs[k].seq.offsets = o->print == TOKSTREAM_OFFSETS;
	}
	for (;;) {
		if (o->whole) {
			/* the input is one line, its newlines encoded */
			size_t whole[2] = { 0, 0 };

			if ((len = read_all(in, &buf, &cap, e)) < 0) {
				rc = -1;
				break;
			}
			whole[1] = (size_t)len;
			share(jobs, 1, buf, (size_t)len, whole, 1);
			jobs[0].lastnl = 0;
			run(&jobs[0]);
			if ((rc = flush_job(&jobs[0], out)) == 0 &&
			    jobs[0].bad != SIZE_MAX) {
				err_set(e, in->name, 0, "%s", jobs[0].err.msg);
				rc = -1;
			}
			break;
		}
		if ((len = read_block(in, &buf, &cap, BLOCK * (size_t)nt, e)) <= 0) {
			rc = len < 0 ? -1 : 0;
			break;
		}
		/* line starts; ls[nl] is the end */
		nl = 0;
		for (i = 0; i < (size_t)len;) {
			const char *p;

			if (nl + 2 > lcap) {
				lcap = lcap ? lcap * 2 : 4096;
				ls = xreallocarray(ls, lcap, sizeof(*ls));
			}
			ls[nl++] = i;
			if ((p = memchr(buf + i, '\n', (size_t)len - i)) == NULL)
				break;
			i = (size_t)(p - buf) + 1;
		}
		ls[nl] = (size_t)len;
		share(jobs, nt, buf, (size_t)len, ls, nl);
		par_run(nt, (size_t)nt, run_jobs, jobs);
		for (k = 0; k < nt && rc == 0; k++) {
			if ((rc = flush_job(&jobs[k], out)) != 0)
				break;
			if (jobs[k].bad != SIZE_MAX) {
				err_set(e, in->name, line0 + jobs[k].bad + 1, "%s",
				    jobs[k].err.msg);
				rc = -1;
			}
		}
		if (rc != 0)
			break;
		line0 += nl;
	}
	for (k = 0; k < nt; k++) {
		tokenizer_seq_free(&jobs[k].seq);
		free(jobs[k].out);
	}
	free(jobs);
	free(buf);
	free(ls);
	return rc;
}

int
tokstream_decode(const struct tokenizer *t, struct src *in, FILE *out,
    int whole, struct emb_err *e)
{
	uint32_t *ids = NULL;
	size_t n, cap = 0, blen = 0, bcap = 0;
	char *line, *bad, *buf = NULL;
	const char *why;
	ssize_t r;
	int rc = 0;

	while ((r = src_getline(in, &line, e)) >= 0) {
		if (ids_parse(line, (size_t)r, tokenizer_vocab_size(t), &ids, &n,
		    &cap, &why, &bad) < 0) {
			if (strcmp(why, "ID out of range") == 0)
				err_set(e, in->name, in->line, "ID %s out of range "
				    "(%s has %lu IDs)", bad, tokenizer_name(t),
				    (unsigned long)tokenizer_vocab_size(t));
			else
				err_set(e, in->name, in->line, "%s: \"%s\"", why,
				    bad);
			rc = -1;
			break;
		}
		blen = 0;
		if (tokenizer_decode(t, ids, n, &buf, &blen, &bcap, e) < 0) {
			struct emb_err e2;

			err_set(&e2, in->name, in->line, "%s", e->msg);
			*e = e2;
			rc = -1;
			break;
		}
		if ((blen > 0 && fwrite(buf, 1, blen, out) != blen) ||
		    (!whole && putc('\n', out) == EOF)) {
			rc = TOKSTREAM_EWRITE;
			break;
		}
	}
	if (r == -2)
		rc = -1;
	free(ids);
	free(buf);
	return rc;
}
