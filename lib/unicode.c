/* See LICENSE file for copyright and license details. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"
#include "unitab.h"
#include "util.h"

const uint16_t *uni_classes;
static pthread_once_t once = PTHREAD_ONCE_INIT;

const char *
uni_version(void)
{
	return UNITAB_VERSION;
}

/* class bits of a table value (gc | 32 White_Space | 64 Alphabetic) */
static unsigned
classof(unsigned v)
{
	unsigned gc = v & 31, c = gc << UNI_GC_SHIFT;

	if (gc <= UNI_LO)
		c |= UNI_C_L;
	if (gc >= UNI_MN && gc <= UNI_ME)
		c |= UNI_C_M;
	if (gc >= UNI_ND && gc <= UNI_NO)
		c |= UNI_C_N;
	if (gc == UNI_ND)
		c |= UNI_C_ND;
	if (gc >= UNI_PC && gc <= UNI_PO)
		c |= UNI_C_P;
	if (gc >= UNI_SM && gc <= UNI_SO)
		c |= UNI_C_S;
	if (gc == UNI_LU || gc == UNI_LT || gc == UNI_LM || gc == UNI_LO ||
	    (c & UNI_C_M))
		c |= UNI_C_UP;
	if (gc == UNI_LL || gc == UNI_LM || gc == UNI_LO || (c & UNI_C_M))
		c |= UNI_C_LO;
	if (gc == UNI_CC || gc == UNI_CF || gc == UNI_CO)
		c |= UNI_C_CTRL;
	if (v & 32)
		c |= UNI_C_WS;
	if (v & 64)
		c |= UNI_C_ALPHA;
	return c;
}

static void
build(void)
{
	size_t nr = sizeof(unitab_runs) / sizeof(unitab_runs[0]), i;
	uint16_t *t = xmalloc((UNI_MAX + 1) * sizeof(*t));

	for (i = 0; i < nr; i++) {
		uint32_t lo = unitab_runs[i] >> 7;
		uint32_t hi = i + 1 < nr ? unitab_runs[i + 1] >> 7 : UNI_MAX + 1;
		uint16_t c = (uint16_t)classof(unitab_runs[i] & 127);
		uint32_t cp;

		for (cp = lo; cp < hi; cp++)
			t[cp] = c;
	}
	uni_classes = t;
}

void
uni_init(void)
{
	pthread_once(&once, build);
}

enum uni_gc
uni_gc(uint32_t cp)
{
	if (cp > UNI_MAX)
		return UNI_CN;
	uni_init();
	return (enum uni_gc)(uni_classes[cp] >> UNI_GC_SHIFT);
}

unsigned
uni_class(uint32_t cp)
{
	if (cp > UNI_MAX)
		return classof(UNI_CN);
	uni_init();
	return uni_classes[cp];
}

unsigned
uni_class8(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(unitab_v8) / sizeof(unitab_v8[0]);

	/* the last run starting at or before cp */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if ((unitab_v8[mid] >> 3) <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return unitab_v8[lo] & 7;
}

size_t
uni_lower(uint32_t cp, uint32_t out[2])
{
	size_t lo = 0, hi = sizeof(unitab_lower) / sizeof(unitab_lower[0]) / 2;

	if (cp < 0x80) {
		out[0] = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
		return 1;
	}
	if (cp == unitab_lower_multi[0]) {
		out[0] = unitab_lower_multi[1];
		out[1] = unitab_lower_multi[2];
		return 2;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (unitab_lower[2 * mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	out[0] = lo < sizeof(unitab_lower) / sizeof(unitab_lower[0]) / 2 &&
	    unitab_lower[2 * lo] == cp ? unitab_lower[2 * lo + 1] : cp;
	return 1;
}

size_t
uni_encode(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * How many bytes at s (n > 0) begin a well-formed character: all of it
 * (*len, its length by the lead byte) when valid, fewer when not, 0 for
 * a byte that begins none.  The second byte's range depends on the first
 * (Unicode table 3-7).
 */
static size_t
char_prefix(const unsigned char *s, size_t n, size_t *len)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t i;

	*len = 1;
	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	*len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	for (i = 1; i < *len && i < n; i++)
		if (i == 1 ? s[i] < lo || s[i] > hi : (s[i] & 0xC0) != 0x80)
			break;
	return i;
}

size_t
uni_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, l;

	while (i < n) {
		if (n - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (char_prefix(s + i, n - i, &l) != l)
			return i;
		i += l;
	}
	return n;
}

size_t
uni_bad_len(const unsigned char *s, size_t n)
{
	size_t len, i = char_prefix(s, n, &len);

	/* the lead byte and every continuation byte that still fits */
	return i > 0 ? i : 1;
}
