/* See LICENSE file for copyright and license details. */
/*
 * The fastText .bin reader: any input either reads as a table whose
 * shapes agree (vocabulary, word rows, n-gram rows, output, finite
 * values) or fails with a message; what reads is written back (to
 * memory) and must read again to the same vectors.  Opened as a model,
 * an unseen word's vector comes from its n-grams.
 */
#include "fuzz.h"

#include <math.h>

#include "fasttext.h"
#include "fmt.h"
#include "model.h"
#include "src.h"
#include "subword.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* t read back from the .bin ft_write_bin makes of it: the same vectors */
static void
round_trip(const struct table *t)
{
	struct emb_err e;
	struct table u;
	struct src s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	if (ft_write_bin(t, f, "<fuzz out>", &e) < 0 || fclose(f) != 0)
		abort();
	table_init(&u);
	if (src_open_mem(&s, buf, len, "<fuzz out>", &e) < 0)
		abort();
	src_raw(&s);
	if (ft_read_bin(&u, &s, &e) < 0 || u.V != t->V || u.d != t->d ||
	    memcmp(u.vec, t->vec, t->V * t->d * sizeof(float)) != 0)
		abort();
	src_close(&s);
	table_free(&u);
	free(buf);
}

/*
 * The model over the same bytes: an unseen word's vector is its n-gram
 * mean, finite, or an error with a message (rows that overflow when
 * summed); without subwords the word is unknown
 */
static void
unseen(const uint8_t *data, size_t size, int sub)
{
	struct emb_err e;
	struct model m;
	float *v;
	long r;
	size_t i;

	if (model_open_mem(&m, data, size, "<fuzz>", FMT_FASTTEXT_BIN, &e) < 0)
		abort();
	v = malloc(m.d * sizeof(float));
	e.msg[0] = '\0';
	r = model_vector(&m, "unseen\xff\xfe", 8, v, &e);
	if (r == -3 ? e.msg[0] == '\0' : r == -1 ? sub : r == -2 && !sub)
		abort();
	if (r == -2)
		for (i = 0; i < m.d; i++)
			if (!isfinite(v[i]))
				abort();
	free(v);
	model_close(&m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emb_err e;
	struct table t;
	struct subword sw;
	struct src s;

	if (src_open_mem(&s, data, size, "<fuzz>", &e) < 0)
		return 0;
	src_raw(&s);	/* binary: a leading BOM is data, as fmt_read has it */
	table_init(&t);
	e.msg[0] = '\0';
	if (ft_read_bin(&t, &s, &e) < 0) {
		if (e.msg[0] == '\0')
			abort();
		src_close(&s);
		table_free(&t);
		return 0;
	}
	src_close(&s);
	if (t.vocab.n != t.V || t.V == 0 || t.d == 0 || t.out == NULL ||
	    table_first_nonfinite(&t) >= 0)
		abort();
	table_subword(&t, &sw);
	if (subword_on(&sw) && (t.words == NULL || t.ngrams == NULL ||
	    sw.maxn > SUBWORD_MAXN))
		abort();
	unseen(data, size, subword_on(&sw));
	round_trip(&t);
	table_free(&t);
	return 0;
}
