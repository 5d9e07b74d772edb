/* See LICENSE file for copyright and license details. */
/* word-similarity sets ("w1 w2 score" lines) */
#include "fuzz.h"

#include <math.h>

#include "simeval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct simeval_set s;
	struct emb_err e;
	struct src in;
	size_t i;

	if (src_open_mem(&in, data, size, "<fuzz>", &e) < 0)
		return 0;
	if (simeval_read(&s, &in, &e) == 0) {
		if (s.n == 0)
			abort();
		for (i = 0; i < s.n; i++)
			if (!isfinite(s.p[i].gold) || *s.p[i].a == '\0' ||
			    *s.p[i].b == '\0')
				abort();
	}
	simeval_set_free(&s);
	src_close(&in);
	return 0;
}
