/* See LICENSE file for copyright and license details. */
/*
 * emb-train's corpus reader: words or token IDs (first byte: IDs or not,
 * min_count and max_vocab), then the invariants the trainer relies on.
 */
#include "fuzz.h"

#include "corpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct corpus_opts o;
	struct corpus c;
	struct emb_err e;
	struct src s, *sp = &s;
	size_t i;

	if (size < 1)
		return 0;
	corpus_opts_init(&o);
	o.ids = data[0] & 1;
	o.nids = 50;
	o.min_count = (data[0] >> 1) & 3;
	o.max_vocab = (data[0] >> 3) & 7;
	if (src_open_mem(&s, data + 1, size - 1, "<fuzz>", &e) < 0)
		return 0;
	corpus_init(&c);
	if (corpus_read_srcs(&c, &sp, 1, &o, &e) == 0) {
		for (i = 0; i < c.n; i++)
			if (c.ids[i] != CORPUS_EOS && c.ids[i] >= c.vocab.n)
				abort();
		if (c.nwords > c.ntokens)
			abort();
		if (!o.ids && o.max_vocab > 0 && c.vocab.n > o.max_vocab)
			abort();
	}
	corpus_free(&c);
	src_close(&s);
	return 0;
}
