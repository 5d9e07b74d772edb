/* See LICENSE file for copyright and license details. */
/*
 * word2vec text (header required, auto, none) and binary readers, and the
 * format detection in front of them.  The first byte picks the reader and
 * the row limit.
 */
#include "fuzz.h"

#include <math.h>

#include "fmt.h"
#include "src.h"
#include "table.h"
#include "w2v.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct table *t)
{
	size_t i;

	/* labelled: one token per row; unlabelled rows: no vocabulary */
	if (t->vocab.n != 0 && t->vocab.n != t->V)
		abort();
	for (i = 0; i < t->V * t->d; i++)
		if (!isfinite(t->vec[i]))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[4] = { 0, 1, 2, 1000 };
	struct emb_err e;
	struct table t;
	struct src s;
	size_t limit;
	int how, r;

	if (size < 1)
		return 0;
	how = data[0] & 3;
	limit = limits[(data[0] >> 2) & 3];
	(void)fmt_detect(data + 1, size - 1);
	if (src_open_mem(&s, data + 1, size - 1, "<fuzz>", &e) < 0)
		return 0;
	table_init(&t);
	if (how == 3)
		r = w2v_read_bin(&t, &s, limit, &e);
	else
		r = w2v_read_text(&t, &s, how == 0 ? W2V_HEADER_REQUIRED :
		    how == 1 ? W2V_HEADER_AUTO : W2V_HEADER_NONE, limit, &e);
	if (r == 0)
		check(&t);
	table_free(&t);
	src_close(&s);
	return 0;
}
