/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "dtype.h"

const char *
dtype_name(enum dtype t)
{
	switch (t) {
	case DT_F16:
		return "F16";
	case DT_BF16:
		return "BF16";
	default:
		return "F32";
	}
}

int
dtype_byname(const char *s, enum dtype *t)
{
	if (strcmp(s, "F32") == 0 || strcmp(s, "f32") == 0)
		*t = DT_F32;
	else if (strcmp(s, "F16") == 0 || strcmp(s, "f16") == 0)
		*t = DT_F16;
	else if (strcmp(s, "BF16") == 0 || strcmp(s, "bf16") == 0)
		*t = DT_BF16;
	else
		return -1;
	return 0;
}

size_t
dtype_size(enum dtype t)
{
	return t == DT_F32 ? 4 : 2;
}

static float
bits_f32(uint32_t u)
{
	float f;

	memcpy(&f, &u, 4);
	return f;
}

static uint32_t
f32_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

float
f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16;
	uint32_t exp = (h >> 10) & 0x1f, man = h & 0x3ff;

	if (exp == 0x1f)	/* inf, nan */
		return bits_f32(sign | 0x7f800000 | (man << 13));
	if (exp == 0) {
		float f;

		if (man == 0)
			return bits_f32(sign);
		f = (float)man * 0x1p-24f;	/* subnormal: exact */
		return sign ? -f : f;
	}
	return bits_f32(sign | ((exp + 112) << 23) | (man << 13));
}

uint16_t
f32_to_f16(float f)
{
	uint32_t u = f32_bits(f);
	uint32_t sign = (u >> 16) & 0x8000;
	uint32_t absu = u & 0x7fffffff;

	if (absu >= 0x7f800000)	/* inf or nan (keep nan quiet) */
		return (uint16_t)(sign | 0x7c00 |
		    (absu > 0x7f800000 ? 0x200 | ((absu >> 13) & 0x3ff) : 0));
	if (absu >= 0x477ff000)	/* rounds to >= 65520: overflow */
		return (uint16_t)(sign | 0x7c00);
	if (absu < 0x38800000) {	/* subnormal or zero in f16 */
		/* value / 2^-24, rounded to nearest even */
		float a = bits_f32(absu) * 0x1p24f;
		uint32_t m = (uint32_t)a;
		float rem = a - (float)m;

		if (rem > 0.5f || (rem == 0.5f && (m & 1)))
			m++;
		return (uint16_t)(sign | m);
	}
	{
		uint32_t r = absu - 0x38000000;	/* rebias 127 -> 15 */
		uint32_t lsb = (r >> 13) & 1;

		r += 0xfff + lsb;
		return (uint16_t)(sign | (r >> 13));
	}
}

float
bf16_to_f32(uint16_t h)
{
	return bits_f32((uint32_t)h << 16);
}

uint16_t
f32_to_bf16(float f)
{
	uint32_t u = f32_bits(f);

	if ((u & 0x7fffffff) > 0x7f800000)
		return (uint16_t)((u >> 16) | 0x40);	/* quiet nan */
	u += 0x7fff + ((u >> 16) & 1);
	return (uint16_t)(u >> 16);
}

void
dtype_to_f32(enum dtype t, const void *src, float *dst, size_t n)
{
	const unsigned char *p = src;
	size_t i;
	uint16_t h;

	switch (t) {
	case DT_F32:
		memcpy(dst, src, n * 4);
		break;
	case DT_F16:
		for (i = 0; i < n; i++) {
			memcpy(&h, p + 2 * i, 2);
			dst[i] = f16_to_f32(h);
		}
		break;
	case DT_BF16:
		for (i = 0; i < n; i++) {
			memcpy(&h, p + 2 * i, 2);
			dst[i] = bf16_to_f32(h);
		}
		break;
	}
}

void
dtype_from_f32(enum dtype t, const float *src, void *dst, size_t n)
{
	unsigned char *p = dst;
	size_t i;
	uint16_t h;

	switch (t) {
	case DT_F32:
		memcpy(dst, src, n * 4);
		break;
	case DT_F16:
		for (i = 0; i < n; i++) {
			h = f32_to_f16(src[i]);
			memcpy(p + 2 * i, &h, 2);
		}
		break;
	case DT_BF16:
		for (i = 0; i < n; i++) {
			h = f32_to_bf16(src[i]);
			memcpy(p + 2 * i, &h, 2);
		}
		break;
	}
}

int
f32_finite(const float *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}
