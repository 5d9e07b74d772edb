/* See LICENSE file for copyright and license details. */
#include <stdio.h>

#include "csvio.h"
#include "hits.h"

static int
put_field(FILE *f, int csv, const char *s, size_t len)
{
	if (csv) {
		if (csvio_write_field(f, s, len) < 0)
			return -1;
	} else if (fwrite(s, 1, len, f) != len)
		return -1;
	return putc(csv ? ',' : '\t', f) == EOF ? -1 : 0;
}

int
hits_write(FILE *f, int csv, const char *query, size_t qlen,
    const char *tok, size_t toklen, double score)
{
	if (put_field(f, csv, query, qlen) < 0 ||
	    put_field(f, csv, tok, toklen) < 0 ||
	    fprintf(f, "%.6f\n", score) < 0)
		return -1;
	return 0;
}
