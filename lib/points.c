/* See LICENSE file for copyright and license details. */
#include <stdlib.h>
#include <string.h>

#include "points.h"
#include "textvec.h"
#include "util.h"
#include "vstream.h"

void
points_init(struct points *p, size_t d)
{
	memset(p, 0, sizeof(*p));
	p->d = d;
	p->loff = xcalloc(1, sizeof(size_t));
}

/* amortised O(d + len) */
void
points_add(struct points *p, const char *label, size_t len,
    const float *v)
{
	size_t need;

	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->x = xreallocarray(p->x, p->cap, p->d * sizeof(float));
		p->loff = xreallocarray(p->loff, p->cap + 1, sizeof(size_t));
	}
	memcpy(p->x + p->n * p->d, v, p->d * sizeof(float));
	if (label == NULL)
		len = 0;
	if (size_add(p->loff[p->n], len + 1, &need) < 0)
		need = (size_t)-1;
	if (need > p->labcap) {
		p->labcap = need > 2 * p->labcap ? need : 2 * p->labcap;
		p->lab = xreallocarray(p->lab, p->labcap, 1);
	}
	if (len > 0) {
		memcpy(p->lab + p->loff[p->n], label, len);
		p->labelled = 1;
	}
	p->lab[p->loff[p->n] + len] = '\0';
	p->loff[p->n + 1] = need;
	p->n++;
}

void
points_clear(struct points *p)
{
	p->n = 0;
	p->labelled = 0;
}

const char *
points_label(const struct points *p, size_t i, size_t *len)
{
	*len = p->loff[i + 1] - p->loff[i] - 1;
	return p->lab + p->loff[i];
}

int
points_read(struct points *p, const char *path, size_t d,
    struct emb_err *e)
{
	struct vstream s;
	int r;

	if (vstream_open(&s, path, d, e) < 0)
		return -1;
	r = points_read_stream(p, &s, e);
	vstream_close(&s);
	return r;
}

int
points_read_stream(struct points *p, struct vstream *s, struct emb_err *e)
{
	int r;

	points_init(p, s->d);
	while ((r = vstream_next(s, e)) == 0) {
		if (p->n == 0)
			p->d = s->d;
		points_add(p, s->label, s->labellen, s->vec);
	}
	if (r == -2) {
		points_free(p);
		return -1;
	}
	return 0;
}

int
points_write(const struct points *p, const float *y, size_t k, FILE *f,
    int binary, struct emb_err *e)
{
	struct vwriter w;
	size_t i, len = 0;
	const char *lab, *why;
	char show[48];
	int r;

	if (vwriter_open(&w, f, k, binary, p->labelled ?
	    VSTREAM_LABELLED : 0, (long long)p->n) < 0)
		return -1;
	for (i = 0; i < p->n; i++) {
		lab = p->labelled ? points_label(p, i, &len) : NULL;
		if (lab != NULL && len == 0 && !binary)
			lab = NULL;	/* text: an unlabelled row among labelled */
		if ((r = vwriter_row(&w, lab, len, y + i * k, &why)) == -2) {
			err_set(e, NULL, 0, "row %zu: label \"%s\" %s: a text "
			    "vector stream cannot hold it (-b can)", i + 1,
			    textvec_show(lab, len, show, 32), why);
			return -2;
		}
		if (r < 0)
			return -1;
	}
	return vwriter_close(&w);
}

void
points_free(struct points *p)
{
	free(p->x);
	free(p->lab);
	free(p->loff);
	memset(p, 0, sizeof(*p));
}
