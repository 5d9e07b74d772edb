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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct plot_groups g;
	struct plot_opts o;
	struct points p;
	struct vstream vs;
	struct emb_err e;
	struct src gs;
	const uint8_t *cut = memchr(data, '\0', size);
	size_t i = cut != NULL ? (size_t)(cut - data) : size;
	int r;

	if (devnull == NULL) {
		if ((devnull = fopen("/dev/null", "w")) == NULL)
			abort();
		setvbuf(devnull, NULL, _IOFBF, (size_t)1 << 20);
	}
	/* points_read_stream initialises p, and frees it when it fails */
	if (vstream_open_mem(&vs, data, i, "<fuzz>", 2, &e) < 0)
		return 0;
	r = points_read_stream(&p, &vs, &e);
	vstream_close(&vs);
	if (r < 0)
		return 0;
	if (p.n > 0) {
		plot_defaults(&o);
		o.title = "t<&>";
		if (src_open_mem(&gs, cut != NULL ? cut + 1 : data,
		    cut != NULL ? size - i - 1 : 0, "<fuzz-groups>", &e) == 0) {
			if (plot_groups_read(&p, &g, &gs, &e) == 0) {
				(void)plot_svg(devnull, &p, &g, &o);
				plot_groups_free(&g);
			}
			src_close(&gs);
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
