/* See LICENSE file for copyright and license details. */
/*
 * num_float must be bit-identical to strtof and stop at the same byte,
 * except that it skips no leading white space (no number there: 0, end at
 * the start);
 * num_long and num_double must agree with their own contract.
 */
#include "fuzz.h"

#include <errno.h>
#include <math.h>

#include "num.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *e1, *e2;
	float a, b;
	uint32_t ba, bb;
	const char *why;
	long l;
	double x;

	memcpy(s, data, size);
	s[size] = '\0';
	a = num_float(s, &e1);
	if (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
		if (e1 != s || a != 0.0f)
			abort();
		free(s);
		return 0;
	}
	b = strtof(s, &e2);
	memcpy(&ba, &a, 4);
	memcpy(&bb, &b, 4);
	if (e1 != e2 || (ba != bb && !(isnan(a) && isnan(b)))) {
		fprintf(stderr, "num_float(\"%s\") = %a (end +%td), strtof = %a "
		    "(end +%td)\n", s, (double)a, e1 - s, (double)b, e2 - s);
		abort();
	}
	if (num_long(s, -1000, 1000, &l, &why) == 0 && (l < -1000 || l > 1000))
		abort();
	if (num_double(s, -1.0, 1.0, &x, &why) == 0 &&
	    (!isfinite(x) || x < -1.0 || x > 1.0))
		abort();
	free(s);
	return 0;
}
