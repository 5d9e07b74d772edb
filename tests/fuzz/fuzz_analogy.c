/* See LICENSE file for copyright and license details. */
/* Google-style analogy sets, and the query expression parser */
#include "fuzz.h"

#include "analogy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
parse_words(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *w[16], *p;
	const char *tok[16], *why;
	int sign[16];
	size_t n = 0;

	memcpy(buf, data, size);
	buf[size] = '\0';
	for (p = strtok(buf, " \t\n"); p != NULL && n < 16;
	    p = strtok(NULL, " \t\n"))
		w[n++] = p;
	(void)analogy_parse(w, n, tok, sign, &why);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct analogy_set s;
	struct emb_err e;
	struct src in;
	size_t i, j;

	parse_words(data, size);
	if (src_open_mem(&in, data, size, "<fuzz>", &e) < 0)
		return 0;
	if (analogy_read(&s, &in, &e) == 0) {
		if (s.nq == 0)
			abort();
		for (i = 0; i < s.nq; i++)
			for (j = 0; j < 4; j++)
				if (s.q[i][j] >= s.words.n)
					abort();
		for (i = 0; i < s.nsec; i++)
			if (s.sec[i].first + s.sec[i].n > s.nq)
				abort();
		analogy_set_free(&s);
	}
	src_close(&in);
	return 0;
}
