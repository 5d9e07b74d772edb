/* See LICENSE file for copyright and license details. */
/* CSV tables through libcsv: the first byte says whether row 1 is a header */
#include "fuzz.h"

#include <math.h>

#include "csvio.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emb_err e;
	struct table t;
	struct src s;
	size_t i;

	if (size < 1)
		return 0;
	if (src_open_mem(&s, data + 1, size - 1, "<fuzz>", &e) < 0)
		return 0;
	table_init(&t);
	if (csvio_read_src(&t, &s, data[0] & 1, &e) == 0) {
		if (t.vocab.n != 0 && t.vocab.n != t.V)
			abort();
		for (i = 0; i < t.V * t.d; i++)
			if (!isfinite(t.vec[i]))
				abort();
	}
	table_free(&t);
	src_close(&s);
	return 0;
}
