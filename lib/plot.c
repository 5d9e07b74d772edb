/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "src.h"
#include "util.h"

#define PLOT_MARGIN 10.0
#define PLOT_CHAR 0.6		/* mean glyph width, in font sizes */
#define PLOT_NCOLOUR 8

/* Okabe and Ito's palette, most distinct first; past 8 groups the
 * markers change shape */
static const char *const palette[PLOT_NCOLOUR] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00",
	"#CC79A7", "#56B4E9", "#F0E442", "#000000"
};
#define PLOT_GREY "#999999"

struct rect {
	double x0, y0, x1, y1;
};

/* a uniform grid of cells listing the rectangles that touch them */
struct grid {
	double cell;
	size_t nx, ny;
	size_t **ids, *cnt, *cap;
	struct rect *r;
	size_t nr, rcap;
	unsigned *stamp, now;
};

void
plot_defaults(struct plot_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->width = 800;
	o->height = 600;
	o->font = 11;
	o->radius = 4;
	o->labels = 1;
}

static size_t
group_id(struct plot_groups *g, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strlen(g->name[i]) == len &&
		    memcmp(g->name[i], name, len) == 0)
			return i;
	g->name = xreallocarray(g->name, g->n + 1, sizeof(char *));
	g->name[g->n] = xmemdup(name, len);
	return g->n++;
}

int
plot_groups_inline(struct points *p, struct plot_groups *g,
    const char *name, struct emb_err *e)
{
	struct points q;
	size_t i, len, cut;

	memset(g, 0, sizeof(*g));
	g->of = xmalloc((p->n + 1) * sizeof(size_t));
	points_init(&q, p->d);
	for (i = 0; i < p->n; i++) {
		const char *l = points_label(p, i, &len);
		size_t end = len;

		cut = len;
		while (cut > 0 && l[cut - 1] != ' ' && l[cut - 1] != '\t')
			cut--;
		if (cut == 0 || cut == len) {
			err_set(e, name, 0, "row %zu: label \"%.*s\" has no "
			    "group (expected \"token group x y\")", i + 1,
			    (int)(len > 200 ? 200 : len), l);
			points_free(&q);
			plot_groups_free(g);
			return -1;
		}
		g->of[i] = group_id(g, l + cut, end - cut);
		while (cut > 0 && (l[cut - 1] == ' ' || l[cut - 1] == '\t'))
			cut--;
		points_add(&q, l, cut, p->x + i * p->d);
	}
	points_free(p);
	*p = q;
	return 0;
}

struct entry {
	const char *tok;
	size_t off, len, group;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->tok, y->tok, n);

	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

int
plot_groups_file(const struct points *p, struct plot_groups *g,
    const char *path, struct emb_err *e)
{
	struct src s;
	int r;

	memset(g, 0, sizeof(*g));
	if (src_open(&s, path, e) < 0)
		return -1;
	r = plot_groups_read(p, g, &s, e);
	src_close(&s);
	return r;
}

int
plot_groups_read(const struct points *p, struct plot_groups *g,
    struct src *s, struct emb_err *e)
{
	struct entry *ent = NULL, key, *hit;
	char *line, *toks = NULL, *tab;
	size_t n = 0, cap = 0, tlen = 0, tcap = 0, i;
	ssize_t len;

	memset(g, 0, sizeof(*g));
	while ((len = src_getline(s, &line, e)) >= 0) {
		if (len == 0)
			continue;
		if ((tab = memchr(line, '\t', (size_t)len)) == NULL ||
		    tab == line || tab + 1 == line + len) {
			err_set(e, s->name, s->line, "expected token<TAB>group");
			goto fail;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			ent = xreallocarray(ent, cap, sizeof(*ent));
		}
		if (tlen + (size_t)len + 1 > tcap) {
			tcap = 2 * (tlen + (size_t)len + 1);
			toks = xreallocarray(toks, tcap, 1);
		}
		memcpy(toks + tlen, line, (size_t)(tab - line));
		ent[n].off = tlen;
		ent[n].len = (size_t)(tab - line);
		tlen += ent[n].len;
		ent[n].group = group_id(g, tab + 1,
		    (size_t)(line + len - tab - 1));
		n++;
	}
	if (len == -2)
		goto fail;
	for (i = 0; i < n; i++)
		ent[i].tok = toks + ent[i].off;
	if (n > 0)	/* qsort's base must not be NULL, even for 0 items */
		qsort(ent, n, sizeof(*ent), entry_cmp);
	g->of = xmalloc((p->n + 1) * sizeof(size_t));
	for (i = 0; i < p->n; i++) {
		key.tok = points_label(p, i, &key.len);
		hit = n ? bsearch(&key, ent, n, sizeof(*ent), entry_cmp) : NULL;
		g->of[i] = hit ? hit->group : PLOT_NONE;
	}
	free(ent);
	free(toks);
	return 0;
fail:
	free(ent);
	free(toks);
	plot_groups_free(g);
	return -1;
}

void
plot_groups_free(struct plot_groups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->name[i]);
	free(g->name);
	free(g->of);
	memset(g, 0, sizeof(*g));
}

/* characters (UTF-8 code points) in s */
static size_t
nchars(const char *s, size_t len)
{
	size_t i, c = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* XML text: markup escaped, control characters and invalid UTF-8
 * replaced (XML 1.0 forbids them) */
static void
put_xml(FILE *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = u[i];
		size_t n = 0, k;

		if (c < 0x80) {
			if (c == '&')
				fputs("&amp;", f);
			else if (c == '<')
				fputs("&lt;", f);
			else if (c == '>')
				fputs("&gt;", f);
			else if (c == '"')
				fputs("&quot;", f);
			else if (c < 0x20 || c == 0x7F)
				fputc('?', f);
			else
				fputc((int)c, f);
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3;
		for (k = 1; n > 0 && k <= n; k++)
			if (i + k >= len || (u[i + k] & 0xC0) != 0x80)
				n = 0;
		if (n == 2 && ((c == 0xE0 && u[i + 1] < 0xA0) ||
		    (c == 0xED && u[i + 1] >= 0xA0)))
			n = 0;
		if (n == 3 && ((c == 0xF0 && u[i + 1] < 0x90) ||
		    (c == 0xF4 && u[i + 1] >= 0x90)))
			n = 0;
		if (n == 0) {
			fputs("\xEF\xBF\xBD", f);	/* U+FFFD */
			i++;
		} else {
			fwrite(u + i, 1, n + 1, f);
			i += n + 1;
		}
	}
}

static double
overlap(const struct rect *a, const struct rect *b)
{
	double w = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
	double h = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);

	return w > 0 && h > 0 ? w * h : 0.0;
}

static void
grid_init(struct grid *g, double w, double h, double cell)
{
	memset(g, 0, sizeof(*g));
	g->cell = cell;
	g->nx = (size_t)(w / cell) + 1;
	g->ny = (size_t)(h / cell) + 1;
	g->ids = xcalloc(g->nx * g->ny, sizeof(size_t *));
	g->cnt = xcalloc(g->nx * g->ny, sizeof(size_t));
	g->cap = xcalloc(g->nx * g->ny, sizeof(size_t));
}

static void
grid_span(const struct grid *g, const struct rect *r, size_t *x0,
    size_t *y0, size_t *x1, size_t *y1)
{
	double a = floor(r->x0 / g->cell), b = floor(r->y0 / g->cell);
	double c = floor(r->x1 / g->cell), d = floor(r->y1 / g->cell);

	*x0 = a < 0 ? 0 : a >= (double)g->nx ? g->nx - 1 : (size_t)a;
	*y0 = b < 0 ? 0 : b >= (double)g->ny ? g->ny - 1 : (size_t)b;
	*x1 = c < 0 ? 0 : c >= (double)g->nx ? g->nx - 1 : (size_t)c;
	*y1 = d < 0 ? 0 : d >= (double)g->ny ? g->ny - 1 : (size_t)d;
}

static void
grid_add(struct grid *g, const struct rect *r)
{
	size_t x0, y0, x1, y1, x, y;

	if (g->nr == g->rcap) {
		g->rcap = g->rcap ? 2 * g->rcap : 256;
		g->r = xreallocarray(g->r, g->rcap, sizeof(*g->r));
		g->stamp = xreallocarray(g->stamp, g->rcap, sizeof(unsigned));
	}
	g->r[g->nr] = *r;
	g->stamp[g->nr] = 0;
	grid_span(g, r, &x0, &y0, &x1, &y1);
	for (y = y0; y <= y1; y++)
		for (x = x0; x <= x1; x++) {
			size_t c = y * g->nx + x;

			if (g->cnt[c] == g->cap[c]) {
				g->cap[c] = g->cap[c] ? 2 * g->cap[c] : 8;
				g->ids[c] = xreallocarray(g->ids[c], g->cap[c],
				    sizeof(size_t));
			}
			g->ids[c][g->cnt[c]++] = g->nr;
		}
	g->nr++;
}

/* total area of r covered by the rectangles in the grid */
static double
grid_cost(struct grid *g, const struct rect *r)
{
	size_t x0, y0, x1, y1, x, y, i;
	double s = 0.0;

	g->now++;
	grid_span(g, r, &x0, &y0, &x1, &y1);
	for (y = y0; y <= y1; y++)
		for (x = x0; x <= x1; x++) {
			size_t c = y * g->nx + x;

			for (i = 0; i < g->cnt[c]; i++) {
				size_t id = g->ids[c][i];

				if (g->stamp[id] == g->now)
					continue;
				g->stamp[id] = g->now;
				s += overlap(r, &g->r[id]);
			}
		}
	return s;
}

static void
grid_free(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->nx * g->ny; i++)
		free(g->ids[i]);
	free(g->ids);
	free(g->cnt);
	free(g->cap);
	free(g->r);
	free(g->stamp);
}

static void
put_marker(FILE *f, size_t shape, double x, double y, double r)
{
	if (shape == 0)
		fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\"/>\n",
		    x, y, r);
	else if (shape == 1)
		fprintf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
		    "height=\"%.2f\"/>\n", x - r, y - r, 2 * r, 2 * r);
	else
		fprintf(f, "<path d=\"M%.2f %.2fL%.2f %.2fL%.2f %.2fZ\"/>\n",
		    x, y - 1.2 * r, x + 1.1 * r, y + 0.8 * r, x - 1.1 * r,
		    y + 0.8 * r);
}

/* where things go: the picture, and each point's place in it */
struct layout {
	double W, H, fs, r;	/* size, font size, marker radius */
	double th, lw;		/* title height, legend width */
	double *px, *py;	/* n points */
};

/* the labels, each at the least crowded of 8 places around its point */
static void
put_labels(FILE *f, const struct points *p, const struct layout *l)
{
	static const double dir[8][2] = {
		{ 1, 0 }, { -1, 0 }, { 0, -1 }, { 0, 1 },
		{ 0.7, -0.7 }, { -0.7, -0.7 }, { 0.7, 0.7 }, { -0.7, 0.7 }
	};
	double fs = l->fs, r = l->r;
	struct grid gr;
	size_t i, k, len;
	const char *s;

	grid_init(&gr, l->W, l->H, 2 * fs);
	for (i = 0; i < p->n; i++) {
		struct rect m = { l->px[i] - r, l->py[i] - r, l->px[i] + r,
		    l->py[i] + r };

		grid_add(&gr, &m);
	}
	fprintf(f, "<g font-family=\"sans-serif\" font-size=\"%.2f\" "
	    "fill=\"#222222\">\n", fs);
	for (i = 0; i < p->n; i++) {
		double w, h = fs, best = HUGE_VAL, gap = r + 2;
		struct rect b = { 0, 0, 0, 0 };

		s = points_label(p, i, &len);
		if (len == 0)
			continue;
		w = (double)nchars(s, len) * PLOT_CHAR * fs;
		for (k = 0; k < 8; k++) {
			struct rect q;
			struct rect in = { 0, l->th, l->W - l->lw, l->H };
			double ax = l->px[i] + dir[k][0] * gap;
			double ay = l->py[i] + dir[k][1] * gap;
			double cost, area = w * h;

			q.x0 = dir[k][0] > 0 ? ax : dir[k][0] < 0 ?
			    ax - w : ax - w / 2;
			q.y0 = dir[k][1] > 0 ? ay : dir[k][1] < 0 ?
			    ay - h : ay - h / 2;
			q.x1 = q.x0 + w;
			q.y1 = q.y0 + h;
			cost = grid_cost(&gr, &q) +
			    4 * (area - overlap(&q, &in));
			if (cost < best) {
				best = cost;
				b = q;
			}
		}
		grid_add(&gr, &b);
		fprintf(f, "<text x=\"%.2f\" y=\"%.2f\">", b.x0,
		    b.y1 - 0.22 * fs);
		put_xml(f, s, len);
		fputs("</text>\n", f);
	}
	fputs("</g>\n", f);
	grid_free(&gr);
}

/* the legend: a marker and a name per group, "(other)" last if any */
static void
put_legend(FILE *f, const struct plot_groups *g, const struct layout *l,
    int ungrouped)
{
	double fs = l->fs, r = l->r;
	double lx = l->W - PLOT_MARGIN - l->lw + fs, ly = PLOT_MARGIN + l->th +
	    fs;
	size_t c, ng = g->n;

	fprintf(f, "<g class=\"legend\" font-family=\"sans-serif\" "
	    "font-size=\"%.2f\">\n", fs);
	for (c = 0; c < ng + (size_t)ungrouped; c++) {
		double yy = ly + (double)c * 1.6 * fs;

		fprintf(f, "<g fill=\"%s\">", c < ng ?
		    palette[c % PLOT_NCOLOUR] : PLOT_GREY);
		put_marker(f, c < ng ? c / PLOT_NCOLOUR % 3 : 0, lx, yy, r);
		fprintf(f, "</g><text x=\"%.2f\" y=\"%.2f\" "
		    "fill=\"#222222\">", lx + r + 0.6 * fs, yy + 0.35 * fs);
		if (c < ng)
			put_xml(f, g->name[c], strlen(g->name[c]));
		else
			fputs("(other)", f);
		fputs("</text>\n", f);
	}
	fputs("</g>\n", f);
}

/* scale the points equally in x and y into [x0, x1] x [y0, y1], y up */
static void
place(const struct points *p, struct layout *l, double x0, double y0,
    double x1, double y1)
{
	double lo[2] = { 0, 0 }, hi[2] = { 0, 0 }, sc, cx, cy;
	size_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < 2; j++) {
			double v = p->x[i * p->d + j];

			if (i == 0 || v < lo[j])
				lo[j] = v;
			if (i == 0 || v > hi[j])
				hi[j] = v;
		}
	sc = fmin((x1 - x0) / fmax(hi[0] - lo[0], 1e-30),
	    (y1 - y0) / fmax(hi[1] - lo[1], 1e-30));
	cx = (x0 + x1) / 2 - sc * (lo[0] + hi[0]) / 2;
	cy = (y0 + y1) / 2 + sc * (lo[1] + hi[1]) / 2;
	l->px = xmalloc((p->n + 1) * sizeof(double));
	l->py = xmalloc((p->n + 1) * sizeof(double));
	for (i = 0; i < p->n; i++) {
		l->px[i] = cx + sc * p->x[i * p->d];
		l->py[i] = cy - sc * p->x[i * p->d + 1];
	}
}

/*
 * Layout: title on top, legend on the right, the points scaled equally
 * in x and y (distances keep their meaning) into what is left, y up.
 * Labels go to the first of 8 places around their point (E, W, N, S,
 * NE, NW, SE, SW) with the least area over other labels and markers, or
 * outside the plot (counted 4 times).  O(n) grid lookups per label.
 */
int
plot_svg(FILE *f, const struct points *p, const struct plot_groups *g,
    const struct plot_opts *o)
{
	struct layout l;
	double x0, y0, x1, y1, pad;
	size_t i, c, ng = g ? g->n : 0;
	int ungrouped = 0;

	l.W = o->width;
	l.H = o->height;
	l.fs = o->font;
	l.r = o->radius;
	l.th = o->title ? 1.8 * l.fs + 6 : 0;
	l.lw = 0;
	for (c = 0; c < ng; c++) {
		double w = (double)nchars(g->name[c], strlen(g->name[c])) *
		    PLOT_CHAR * l.fs + 3 * l.fs;

		if (w > l.lw)
			l.lw = w;
	}
	if (g != NULL)
		for (i = 0; i < p->n; i++)
			if (g->of[i] == PLOT_NONE)
				ungrouped = 1;
	pad = p->labelled && o->labels ? 2 * l.fs : l.r + 2;
	x0 = PLOT_MARGIN + pad;
	y0 = PLOT_MARGIN + l.th + pad;
	x1 = l.W - PLOT_MARGIN - l.lw - pad;
	y1 = l.H - PLOT_MARGIN - pad;
	if (x1 < x0 + 1)
		x1 = x0 + 1;
	if (y1 < y0 + 1)
		y1 = y0 + 1;
	place(p, &l, x0, y0, x1, y1);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#FFFFFF\"/>\n",
	    l.W, l.H, l.W, l.H);
	if (o->title) {
		fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" font-family=\"sans-serif\" "
		    "font-size=\"%.2f\" font-weight=\"bold\" text-anchor=\"middle\">",
		    l.W / 2, PLOT_MARGIN + 1.3 * l.fs, 1.3 * l.fs);
		put_xml(f, o->title, strlen(o->title));
		fputs("</text>\n", f);
	}

	/* markers, one group per <g> */
	for (c = 0; c < ng + 1; c++) {
		size_t k = c < ng ? c : PLOT_NONE;

		if (c == ng && g != NULL && !ungrouped)
			break;
		fprintf(f, "<g class=\"group\" id=\"g%zu\" fill=\"%s\" "
		    "stroke=\"#FFFFFF\" stroke-width=\"0.5\">\n", c,
		    c < ng ? palette[c % PLOT_NCOLOUR] :
		    g != NULL ? PLOT_GREY : palette[0]);
		for (i = 0; i < p->n; i++)
			if ((g ? g->of[i] : PLOT_NONE) == k)
				put_marker(f, c < ng ? c / PLOT_NCOLOUR % 3 : 0,
				    l.px[i], l.py[i], l.r);
		fputs("</g>\n", f);
	}
	if (p->labelled && o->labels)
		put_labels(f, p, &l);
	if (ng > 0)
		put_legend(f, g, &l, ungrouped);
	fputs("</svg>\n", f);
	free(l.px);
	free(l.py);
	return ferror(f) ? -1 : 0;
}
