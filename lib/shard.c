/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hits.h"
#include "ids.h"
#include "knn.h"
#include "num.h"
#include "shard.h"
#include "src.h"
#include "util.h"

int
shard_parse(const char *s, size_t *i, size_t *n)
{
	char *end;
	unsigned long a, b;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end != '\0' || errno != 0 || a < 1 || b < 1 || a > b ||
	    b > 1000000)
		return -1;
	*i = a;
	*n = b;
	return 0;
}

void
shard_range(size_t V, size_t i, size_t n, size_t *begin, size_t *end)
{
	/* 128-bit free: V * i fits when V < 2^44 and n <= 10^6 */
	*begin = (size_t)((uint64_t)V * (i - 1) / n);
	*end = (size_t)((uint64_t)V * i / n);
}

int
shard_write_hit(FILE *f, uint64_t qno, const char *query, size_t qlen,
    const char *tok, size_t toklen, float score, uint32_t row)
{
	if (fprintf(f, "%" PRIu64 "\t", qno) < 0 ||
	    fwrite(query, 1, qlen, f) != qlen || putc('\t', f) == EOF ||
	    fwrite(tok, 1, toklen, f) != toklen ||
	    fprintf(f, "\t%.9g\t%" PRIu32 "\n", (double)score, row) < 0)
		return -1;
	return 0;
}

struct hit {
	struct knn_hit h;	/* first: sorted as a knn_hit (lib/knn.h) */
	uint64_t qno;
	char *query, *tok;	/* NUL-terminated copies */
	size_t qlen, toklen;
};

struct part {
	struct src src;
	struct hit next;	/* the line read ahead */
	int have;		/* next holds a line */
	uint64_t last;		/* query number of the last line */
};

static void
hit_free(struct hit *h)
{
	free(h->query);
	free(h->tok);
	h->query = h->tok = NULL;
}

/* split "qno\tquery\ttok\tscore\trow": 0 ok, -1 end, -2 error */
static int
part_read(struct part *p, struct emb_err *e)
{
	char *line, *f[5], *end;
	ssize_t n;
	size_t i;
	long long q;
	uint32_t row;

	p->have = 0;
	if ((n = src_getline(&p->src, &line, e)) < 0)
		return (int)n;
	f[0] = line;
	for (i = 1; i < 5; i++) {
		f[i] = strchr(f[i - 1], '\t');
		if (f[i] == NULL)
			goto bad;
		*f[i]++ = '\0';
	}
	if (strchr(f[4], '\t') != NULL)
		goto bad;	/* a label with a tab cannot be split back */
	errno = 0;
	q = strtoll(f[0], &end, 10);
	if (*end != '\0' || q < 0 || errno != 0)
		goto bad;
	p->next.h.score = num_float(f[3], &end);
	if (*end != '\0' || end == f[3])
		goto bad;
	if (ids_one(f[4], strlen(f[4]), UINT64_MAX, &row) < 0)
		goto bad;
	if (p->src.line > 1 && (uint64_t)q < p->last) {
		err_set(e, p->src.name, p->src.line, "query %lld after query "
		    "%llu: partial lists must keep the queries' order", q,
		    (unsigned long long)p->last);
		return -2;
	}
	p->last = (uint64_t)q;
	p->next.qno = (uint64_t)q;
	p->next.qlen = strlen(f[1]);
	p->next.query = xmemdup(f[1], p->next.qlen);
	p->next.toklen = strlen(f[2]);
	p->next.tok = xmemdup(f[2], p->next.toklen);
	p->next.h.id = row;
	p->have = 1;
	return 0;
bad:
	err_set(e, p->src.name, p->src.line, "not a partial list line "
	    "(query number, query, neighbour, score, row)");
	return -2;
}

/*
 * Merge the parts whose sources are open (opened says how many; fewer
 * than npaths: an open failed, e says why); closes and frees them.
 */
static int
merge(struct part *p, size_t npaths, size_t opened, size_t k, int ascending,
    int csv, FILE *out, struct emb_err *e)
{
	struct hit *buf = NULL;
	size_t i, nbuf = 0, cap = 0;
	int status = 0;

	if (opened < npaths) {
		status = -1;
		goto done;
	}
	for (i = 0; i < npaths; i++)
		if (part_read(&p[i], e) == -2) {
			status = -1;
			goto done;
		}
	for (;;) {
		uint64_t q = UINT64_MAX;
		const struct hit *first = NULL;
		const char *fq;
		size_t fqlen;

		/* the lowest query number still pending is the next one */
		for (i = 0; i < npaths; i++)
			if (p[i].have && p[i].next.qno < q) {
				q = p[i].next.qno;
				first = &p[i].next;
			}
		if (first == NULL)
			break;
		/*
		 * first points into a part that moves on as its hits are
		 * taken: keep its query (the string moves to buf, alive until
		 * the lines are printed)
		 */
		fq = first->query;
		fqlen = first->qlen;
		nbuf = 0;
		for (i = 0; i < npaths; i++)
			while (p[i].have && p[i].next.qno == q) {
				if (p[i].next.qlen != fqlen ||
				    memcmp(p[i].next.query, fq, fqlen) != 0) {
					err_set(e, p[i].src.name, p[i].src.line,
					    "query %llu is \"%.40s\" here but "
					    "\"%.40s\" in another list",
					    (unsigned long long)q, p[i].next.query,
					    fq);
					status = -1;
					goto done;
				}
				if (nbuf == cap) {
					cap = cap ? cap * 2 : 64;
					buf = xreallocarray(buf, cap, sizeof(*buf));
				}
				buf[nbuf++] = p[i].next;
				p[i].next.query = p[i].next.tok = NULL;
				if (part_read(&p[i], e) == -2) {
					status = -1;
					goto done;
				}
			}
		qsort(buf, nbuf, sizeof(*buf), ascending ? knn_hit_cmp_asc :
		    knn_hit_cmp);
		for (i = 0; i < nbuf && i < k; i++)
			if (hits_write(out, csv, buf[i].query, buf[i].qlen,
			    buf[i].tok, buf[i].toklen, buf[i].h.score) < 0) {
				err_set(e, "<stdout>", 0, "%s", strerror(errno));
				status = -2;
				goto done;
			}
		for (i = 0; i < nbuf; i++)
			hit_free(&buf[i]);
		nbuf = 0;
	}
done:
	for (i = 0; i < nbuf; i++)
		hit_free(&buf[i]);
	free(buf);
	for (i = 0; i < npaths; i++) {
		hit_free(&p[i].next);
		if (i < opened)
			src_close(&p[i].src);
	}
	free(p);
	return status;
}

int
shard_merge(char *const *paths, size_t npaths, size_t k, int ascending,
    int csv, FILE *out, struct emb_err *e)
{
	struct part *p = xcalloc(npaths, sizeof(*p));
	size_t i;

	for (i = 0; i < npaths; i++)
		if (src_open(&p[i].src, paths[i], e) < 0)
			break;
	return merge(p, npaths, i, k, ascending, csv, out, e);
}

int
shard_merge_mem(const char *const *bufs, const size_t *lens, size_t n,
    size_t k, int ascending, int csv, FILE *out, struct emb_err *e)
{
	struct part *p = xcalloc(n, sizeof(*p));
	size_t i;

	for (i = 0; i < n; i++)
		if (src_open_mem(&p[i].src, bufs[i], lens[i], "<memory>", e) < 0)
			break;
	return merge(p, n, i, k, ascending, csv, out, e);
}
