/* See LICENSE file for copyright and license details. */
/* vocab_read (lines, optional counts) and vocab_read_json (vocab.json) */
#include "fuzz.h"

#include "vocab.h"
#include "vocabio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
use(struct vocab *v)
{
	size_t i, len;

	/* every token must be found again at its own id */
	for (i = 0; i < v->n && i < 1000; i++) {
		const char *t = vocab_token(v, i, &len);
		long id = vocab_find(v, t, len);

		if (id < 0 || vocab_token(v, (size_t)id, &len) == NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emb_err e;
	struct vocab v;
	struct src s;

	vocab_init(&v);
	if (src_open_mem(&s, data, size, "<fuzz>", &e) == 0) {
		if (vocab_read(&v, &s, &e) == 0) {
			use(&v);
			if (vocab_first_duplicate(&v) >= 0)
				abort();	/* vocab_read rejects duplicates */
		}
		src_close(&s);
	}
	vocab_free(&v);
	vocab_init(&v);
	if (src_open_mem(&s, data, size, "<fuzz>", &e) == 0) {
		if (vocab_read_json(&v, &s, &e) == 0)
			use(&v);
		src_close(&s);
	}
	vocab_free(&v);
	return 0;
}
