/* See LICENSE file for copyright and license details. */
/*
 * num_float must give the same bits as strtof and stop at the same place,
 * for every input.  Checked here over a few million strings: random
 * floats printed in the ways vector files print them, random digit
 * strings, exact halfway points between neighbouring floats and edge
 * cases (subnormals, overflow, -0, long digit strings, junk).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "rng.h"

static unsigned long nchecked, nfailed;

static uint32_t
bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static float
from_bits(uint32_t u)
{
	float f;

	memcpy(&f, &u, 4);
	return f;
}

static void
check(const char *s)
{
	char *e1, *e2;
	float a = num_float(s, &e1);
	float b = strtof(s, &e2);

	nchecked++;
	if (bits(a) != bits(b) || e1 != e2) {
		if (nfailed++ < 20)
			fprintf(stderr, "numtest: \"%s\": num_float %.9g (0x%08lx, "
			    "+%ld) strtof %.9g (0x%08lx, +%ld)\n", s, (double)a,
			    (unsigned long)bits(a), (long)(e1 - s), (double)b,
			    (unsigned long)bits(b), (long)(e2 - s));
	}
}

/* a random finite float: all bit patterns, or the usual N(0, s) values */
static float
random_float(struct rng *r)
{
	uint32_t u;

	switch (rng_below(r, 4)) {
	case 0:
		do
			u = (uint32_t)rng_u64(r);
		while ((u & 0x7f800000) == 0x7f800000);
		return from_bits(u);
	case 1:
		return (float)rng_normal(r);
	case 2:
		return (float)(rng_normal(r) * 0.01);
	default:
		return (float)((rng_uniform(r) - 0.5) * 1e4);
	}
}

static void
printed_floats(struct rng *r, long n)
{
	char buf[512];
	long i;

	for (i = 0; i < n; i++) {
		double f = (double)random_float(r);

		/* literal formats: -Wformat=2 checks them */
		snprintf(buf, sizeof(buf), "%.9g", f);
		check(buf);
		snprintf(buf, sizeof(buf), "%.6g", f);
		check(buf);
		snprintf(buf, sizeof(buf), "%g", f);
		check(buf);
		snprintf(buf, sizeof(buf), "%.3f", f);
		check(buf);
		snprintf(buf, sizeof(buf), "%e", f);
		check(buf);
		snprintf(buf, sizeof(buf), "%.8e", f);
		check(buf);
		snprintf(buf, sizeof(buf), "%.17g", f);
		check(buf);
		snprintf(buf, sizeof(buf), "%.1f", f);
		check(buf);
		snprintf(buf, sizeof(buf), "%.12g", f);
		check(buf);
	}
}

static void
digit_strings(struct rng *r, long n)
{
	char buf[128];
	long i;

	for (i = 0; i < n; i++) {
		size_t len = 0, nd = 1 + rng_below(r, 25), dot, k;

		if (rng_below(r, 2))
			buf[len++] = "-+"[rng_below(r, 2)];
		dot = rng_below(r, nd + 2);
		for (k = 0; k < nd; k++) {
			if (k == dot)
				buf[len++] = '.';
			buf[len++] = (char)('0' + rng_below(r, 10));
		}
		if (rng_below(r, 3) == 0)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "%c%s%d", "eE"[rng_below(r, 2)],
			    rng_below(r, 2) ? "-" : "", (int)rng_below(r, 50));
		buf[len] = '\0';
		check(buf);
	}
}

/* decimal expansions at and next to the midpoint of two floats */
static void
halfway(struct rng *r, long n)
{
	char buf[512];
	long i;

	for (i = 0; i < n; i++) {
		float f = fabsf(random_float(r));
		float g = nextafterf(f, INFINITY);
		double mid = ((double)f + (double)g) / 2;

		if (!isfinite(g))
			continue;
		snprintf(buf, sizeof(buf), "%.60g", mid);
		check(buf);
		snprintf(buf, sizeof(buf), "%.60g", nextafter(mid, 0));
		check(buf);
		snprintf(buf, sizeof(buf), "%.60g", nextafter(mid, INFINITY));
		check(buf);
		snprintf(buf, sizeof(buf), "%.17g", mid);
		check(buf);
		snprintf(buf, sizeof(buf), "%.9g", mid);
		check(buf);
	}
}

int
main(void)
{
	static const char *const edge[] = {
		"0", "-0", "+0", "0.0", "-0.0", "0e0", "0e-999", "00000.00000",
		"1", "-1", "1.5", "0.1", "0.2", "0.3", "1e10", "1e22", "1e23",
		"1e-22", "1e-23", "3.4028235e38", "3.4028236e38", "3.40282357e38",
		"1e38", "1e39", "-1e39", "1e-38", "1e-39", "1e-45", "1.4e-45",
		"7e-46", "7.1e-46", "1e-46", "1e-50", "1.17549435e-38",
		"1.1754942e-38", "1.17549421e-38", "2.3509886e-38",
		"9007199254740993", "9007199254740992", "18446744073709551616",
		"1.00000000000000000000000001", "0.99999999999999999999999999",
		"123456789012345678901234567890", "0.000000000000000000000000001",
		"16777217", "16777216.5", "16777217.000000001", "33554435",
		"0.100000001490116119384765625", "0.1000000014901161193847656251",
		"0.1000000014901161193847656249", "4.5e15", "4.5e-15",
		"1e", "1e+", "1e-", "1.e5", ".5", "5.", ".", "-", "+", "-.",
		"+.e1", "e5", "nan", "-nan", "NaN", "inf", "-inf", "Infinity",
		"infinity", "0x1p3", "0x1.8p-1", "1x", "1.5.5", "1e5e5", "--1",
		"1,5", "1 5", "12abc", "1e0000000000000000000000000010", "",
		"0.0000000000000000000000000000000000000000000001e46",
		"100000000000000000000000000000000000000000000000e-48",
	};
	struct rng r;
	size_t i;

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		check(edge[i]);
	rng_seed(&r, 20261123, 0);
	printed_floats(&r, 150000);
	digit_strings(&r, 600000);
	halfway(&r, 60000);
	/* every subnormal exponent and the smallest normals */
	for (i = 0; i < 20000; i++) {
		char buf[128];
		uint32_t u = (uint32_t)rng_below(&r, 0x01000000);

		snprintf(buf, sizeof(buf), "%.9g", (double)from_bits(u));
		check(buf);
		snprintf(buf, sizeof(buf), "%.40g", (double)from_bits(u));
		check(buf);
	}
	if (nfailed > 0) {
		fprintf(stderr, "numtest: %lu of %lu strings differ from "
		    "strtof\n", nfailed, nchecked);
		return 1;
	}
	printf("numtest: %lu strings, num_float == strtof on all\n", nchecked);
	return 0;
}
