/* See LICENSE file for copyright and license details. */
/*
 * emb-plot's input: points (a vector stream of 2-D rows), groups inline
 * or from a "token<TAB>group" file (the input after its first NUL), and
 * the SVG writer on them.
 */
#include "fuzz.h"

#include "plot.h"
#include "points.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char gpath[64];
static int gfd = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct plot_groups g;
	struct plot_opts o;
	struct points p;
	struct emb_err e;
	const uint8_t *cut = memchr(data, '\0', size);
	size_t i = cut != NULL ? (size_t)(cut - data) : size;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	if (gfd < 0) {
		snprintf(gpath, sizeof(gpath), "/tmp/emb-fuzzg.XXXXXX");
		if ((gfd = mkstemp(gpath)) < 0)
			abort();
	}
	if (ftruncate(gfd, 0) != 0 || (cut != NULL &&
	    pwrite(gfd, cut + 1, size - i - 1, 0) < 0))
		abort();
	/* points_read initialises p, and frees it when it fails */
	if (points_read(&p, fuzz_file(data, i), 2, &e) < 0)
		return 0;
	if (p.n > 0) {
		plot_defaults(&o);
		o.title = "t<&>";
		if (plot_groups_file(&p, &g, gpath, &e) == 0) {
			(void)plot_svg(devnull, &p, &g, &o);
			plot_groups_free(&g);
		}
		if (plot_groups_inline(&p, &g, "x", &e) == 0) {
			(void)plot_svg(devnull, &p, &g, &o);
			plot_groups_free(&g);
		}
		(void)plot_svg(devnull, &p, NULL, &o);
	}
	points_free(&p);
	return 0;
}
