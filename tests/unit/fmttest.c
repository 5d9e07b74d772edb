/* See LICENSE file for copyright and license details. */
/*
 * vstream_fmt_float must print exactly what the slow, obviously right
 * method prints (the first %.{6..9}g that reads back), for random floats
 * of every magnitude, and always read back as the same float.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "vstream.h"

static int
slow(char *buf, float x)
{
	int p, n = 0;

	if (x == 0)
		return sprintf(buf, signbit(x) ? "-0" : "0");
	for (p = 6; p <= 9; p++) {
		n = snprintf(buf, 32, "%.*g", p, (double)x);
		if (p == 9 || strtof(buf, NULL) == x)
			break;
	}
	return n;
}

int
main(void)
{
	struct rng r;
	char a[64], b[64];
	long i, n = 1000000, bad = 0;
	float fixed[] = { 0.1f, 1e-5f, 1e-4f, 123456.79f, 1e9f, 1e10f,
	    3.4028235e38f, 1.17549435e-38f, 1e-45f, -0.0f, 243.203125f,
	    0.5f, 9.9999999f, 999999.5f, 1e-30f };

	rng_seed(&r, 42, 0);
	for (i = 0; i < n + (long)(sizeof(fixed) / sizeof(fixed[0])); i++) {
		uint32_t u = (uint32_t)rng_u64(&r);
		float f;

		if (i >= n)
			f = fixed[i - n];
		else if (i % 3 == 0) {
			memcpy(&f, &u, 4);
			if (!isfinite(f))
				continue;
		} else if (i % 3 == 1)
			f = (float)((double)(int32_t)u / 2147483648.0);
		else
			f = (float)((double)(int32_t)u / 1e6);
		vstream_fmt_float(a, f);
		slow(b, f);
		if (strcmp(a, b) != 0 || strtof(a, NULL) != f) {
			if (bad++ < 10)
				fprintf(stderr, "fmttest: %.9g: got %s, want %s\n",
				    (double)f, a, b);
		}
	}
	if (bad > 0) {
		fprintf(stderr, "fmttest: %ld of %ld wrong\n", bad, n);
		return 1;
	}
	printf("fmttest: %ld floats formatted as printf would, all read back\n",
	    n);
	return 0;
}
