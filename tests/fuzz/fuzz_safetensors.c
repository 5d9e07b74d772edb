/* See LICENSE file for copyright and license details. */
/* st_open (header, tensor table, offsets) and what model_open does next */
#include "fuzz.h"

#include "safetensors.h"
#include "table.h"
#include "vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = "<fuzz>";
	const struct st_tensor *m, *voc, *cnt, *out;
	struct st_file f;
	struct emb_err e;
	struct table t;
	volatile unsigned sum = 0;
	size_t i, V, d;

	if (st_open_mem(&f, data, size, path, &e) < 0)
		return 0;
	/* every tensor's bytes must be inside the map */
	for (i = 0; i < f.ntensors; i++) {
		const struct st_tensor *x = &f.tensors[i];
		size_t j;

		for (j = 0; j < x->end - x->begin; j++)
			sum += x->data[j];
	}
	if ((m = st_matrix(&f, NULL, path, &e)) != NULL) {
		V = (size_t)m->shape[0];
		d = (size_t)m->shape[1];
		if (st_companions(&f, V, d, &voc, &cnt, &out, path, &e) == 0 &&
		    voc != NULL) {
			struct vocab v;

			vocab_init(&v);
			if (vocab_from_block(&v, (const char *)voc->data,
			    voc->end - voc->begin, V, path, &e) == 0 && V > 0)
				(void)vocab_find(&v, "a", 1);
			vocab_free(&v);
		}
	}
	/* the whole import path (a float32 copy of the matrix) */
	table_init(&t);
	(void)st_to_table(&t, &f, NULL, &e);
	table_free(&t);
	st_close(&f);
	return 0;
}
