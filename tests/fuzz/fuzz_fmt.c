/* See LICENSE file for copyright and license details. */
/*
 * What model_open does with a file of unknown format: detection, then
 * whichever reader fmt_read picks (safetensors, word2vec text or binary,
 * GloVe, .npy, CSV), then the checks every tool relies on.
 */
#include "fuzz.h"

#include <math.h>

#include "fmt.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emb_err e;
	struct model m;
	size_t i;

	if (model_open_mem(&m, data, size, "<fuzz>", FMT_NONE, &e) < 0)
		return 0;
	if (m.vocab.n != 0 && m.vocab.n != m.V)
		abort();
	if (m.V > 0 && m.d > 0) {
		float *row = malloc(m.d * sizeof(float));
		const float *norms = model_norms(&m);
		long first;
		size_t bad = model_nonfinite(&m, &first);

		/* the count and the first row agree with the rows */
		if (bad == 0 ? first != -1 :
		    first < 0 || (size_t)first >= m.V)
			abort();
		for (i = 0; i < m.V && i < 64; i++) {
			int ok = model_row_finite(&m, i, row, &e) == 0;

			if (!ok && bad == 0)
				abort();
			if ((long)i < first && !ok)
				abort();
			(void)norms[i];
		}
		if (m.vocab.n > 0) {
			size_t len;
			const char *t = vocab_token(&m.vocab, m.V - 1, &len);

			if (model_find(&m, t, len) < 0)
				abort();
		}
		/* a stored token index that passes the full check answers
		 * every token with its own row */
		if (model_index_check(&m, &e) > 0)
			for (i = 0; i < m.V && i < 64; i++) {
				size_t len;
				const char *t = vocab_token(&m.vocab, i, &len);

				if (model_find(&m, t, len) != (long)i)
					abort();
			}
		free(row);
	}
	model_close(&m);
	return 0;
}
