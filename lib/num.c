/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

int
num_long(const char *s, long min, long max, long *out, const char **why)
{
	char *end;
	long v;

	errno = 0;
	if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t') {
		*why = "invalid";
		return -1;
	}
	v = strtol(s, &end, 10);
	if (*end != '\0') {
		*why = "invalid";
		return -1;
	}
	if ((errno == ERANGE && v == LONG_MIN) || v < min) {
		*why = "too small";
		return -1;
	}
	if ((errno == ERANGE && v == LONG_MAX) || v > max) {
		*why = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

int
num_double(const char *s, double min, double max, double *out,
    const char **why)
{
	char *end;
	double v;

	errno = 0;
	if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t') {
		*why = "invalid";
		return -1;
	}
	v = strtod(s, &end);
	if (*end != '\0' || isnan(v)) {
		*why = "invalid";
		return -1;
	}
	if (v < min || (errno == ERANGE && v < 0) || v == -INFINITY) {
		*why = "too small";
		return -1;
	}
	if (v > max || v == INFINITY) {
		*why = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

/* exact powers of ten in double: 10^0 .. 10^22 */
static const double pow10tab[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * The decimal digits at p appended to w, counted in *nd: the end of
 * them, or NULL past 19 digits in all (w would overflow: the slow path)
 */
static const char *
mantissa(const char *p, uint64_t *w, int *nd)
{
	for (; (unsigned)(*p - '0') < 10; p++) {
		if (*nd >= 19)
			return NULL;
		*w = *w * 10 + (uint64_t)(*p - '0');
		(*nd)++;
	}
	return p;
}

/*
 * Clinger's fast path: with w < 2^53 and |q| <= 22 both w and 10^|q| are
 * exact doubles, so one multiply or divide gives the correctly rounded
 * double.  Rounding that double to float is the correctly rounded float
 * unless the double sits exactly halfway between two floats (double
 * rounding); we detect that case and leave it to strtof.
 */
float
num_float(const char *s, char **end)
{
	const char *p = s, *digits, *frac;
	uint64_t w = 0;
	int neg = 0, nd = 0, q = 0, e = 0, eneg = 0, ed = 0;
	double d;
	float f;
	uint64_t bits;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	digits = p;
	while (*p == '0')
		p++;
	if ((p = mantissa(p, &w, &nd)) == NULL)
		goto slow;
	if (*p == '.') {
		p++;
		if (nd == 0)
			while (*p == '0') {
				q--;
				p++;
			}
		frac = p;
		if ((p = mantissa(p, &w, &nd)) == NULL)
			goto slow;
		q -= (int)(p - frac);
	}
	if (p == digits || (p == digits + 1 && *digits == '.'))
		goto slow;	/* no digits: nan, inf, junk */
	if (*p == 'e' || *p == 'E') {
		const char *ep = p + 1;

		if (*ep == '-' || *ep == '+')
			eneg = *ep++ == '-';
		while ((unsigned)(*ep - '0') < 10) {
			if (e < 10000)
				e = e * 10 + (*ep - '0');
			ed++;
			ep++;
		}
		if (ed == 0)
			goto slow;
		p = ep;
		q += eneg ? -e : e;
	}
	if (*p == 'x' || *p == 'X' || *p == 'p' || *p == 'P')
		goto slow;
	if (w == 0) {
		*end = (char *)p;
		return neg ? -0.0f : 0.0f;
	}
	if (w >= (UINT64_C(1) << 53) || q < -22 || q > 22)
		goto slow;
	d = (double)w;
	d = q < 0 ? d / pow10tab[-q] : d * pow10tab[q];
	/* leave subnormal and near-overflow floats to strtof */
	if (d < (double)FLT_MIN * 2 || d > (double)FLT_MAX / 2)
		goto slow;
	memcpy(&bits, &d, sizeof(bits));
	if ((bits & ((UINT64_C(1) << 29) - 1)) == (UINT64_C(1) << 28))
		goto slow;	/* exactly halfway between two floats */
	f = (float)d;
	*end = (char *)p;
	return neg ? -f : f;
slow:
	/* strtof would skip leading white space, '\n' included, and read
	 * past the end of the caller's line: no number there */
	if (*s == ' ' || (unsigned)(*s - '\t') < 5) {
		*end = (char *)s;
		return 0.0f;
	}
	return strtof(s, end);
}
