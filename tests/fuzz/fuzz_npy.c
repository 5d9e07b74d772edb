/* See LICENSE file for copyright and license details. */
/* the .npy reader: the first byte picks the row limit */
#include "fuzz.h"

#include <math.h>

#include "npy.h"
#include "src.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[4] = { 0, 1, 2, 1000 };
	struct emb_err e;
	struct table t;
	struct src s;
	size_t i;

	if (size < 1)
		return 0;
	if (src_open_mem(&s, data + 1, size - 1, "<fuzz>", &e) < 0)
		return 0;
	src_raw(&s);
	table_init(&t);
	if (npy_read(&t, &s, limits[data[0] & 3], &e) == 0)
		for (i = 0; i < t.V * t.d; i++)
			if (!isfinite(t.vec[i]))
				abort();
	table_free(&t);
	src_close(&s);
	return 0;
}
