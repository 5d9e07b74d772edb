/* See LICENSE file for copyright and license details. */
#ifndef EMB_PLOT_H
#define EMB_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "points.h"
#include "src.h"

/*
 * Scatter plots of labelled 2-D points as standalone SVG: one colour per
 * group from a colour-blind-safe palette (Okabe and Ito), a legend, a
 * title, and labels placed greedily where they overlap least.
 */
#define PLOT_NONE ((size_t)-1)	/* a point outside every group */

struct plot_opts {
	double width, height;	/* the picture, px (800 x 600) */
	double font;		/* label font size, px (11) */
	double radius;		/* point radius, px (4) */
	const char *title;	/* or NULL */
	int labels;		/* draw the labels (1) */
};

struct plot_groups {
	size_t n;		/* groups */
	char **name;		/* n names, legend order */
	size_t *of;		/* per point: its group or PLOT_NONE */
};

void plot_defaults(struct plot_opts *o);
/*
 * Groups from the labels: each label "token group" loses its last word,
 * which names the group (in order of first appearance).  -1 with e
 * naming the row when a label has a single word.
 */
int plot_groups_inline(struct points *p, struct plot_groups *g,
    const char *name, struct emb_err *e);
/*
 * Groups from a file of "token<TAB>group" lines: a point whose label is
 * listed gets that group, others none; groups keep the file's order.
 */
int plot_groups_file(const struct points *p, struct plot_groups *g,
    const char *path, struct emb_err *e);
/* the same from an open source */
int plot_groups_read(const struct points *p, struct plot_groups *g,
    struct src *s, struct emb_err *e);
void plot_groups_free(struct plot_groups *g);
/* write the SVG; g may be NULL; -1 on a write error */
int plot_svg(FILE *f, const struct points *p, const struct plot_groups *g,
    const struct plot_opts *o);

#endif
