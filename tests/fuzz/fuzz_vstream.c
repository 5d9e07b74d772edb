/* See LICENSE file for copyright and license details. */
/*
 * Text and binary vector streams: the first byte picks the expected
 * dimension (0 = learn it), the rest is the stream.
 */
#include "fuzz.h"

#include <math.h>

#include "vstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vstream s;
	struct emb_err e;
	size_t d, rows = 0;
	int r;

	if (size < 1)
		return 0;
	d = data[0] % 8;
	if (vstream_open_mem(&s, data + 1, size - 1, "<fuzz>", d, &e) < 0)
		return 0;
	while ((r = vstream_next(&s, &e)) == 0) {
		size_t i;

		if (s.d == 0 || s.vec == NULL)
			abort();
		for (i = 0; i < s.d; i++)
			if (!isfinite(s.vec[i]))
				abort();	/* the stream must reject these */
		if (s.label != NULL && strlen(s.label) > s.labellen)
			abort();
		if (++rows > 100000)
			break;
	}
	if (r != 0 && r != -1 && r != -2)
		abort();
	vstream_close(&s);
	return 0;
}
