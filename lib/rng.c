/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>

#include "rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * UINT64_C(0xd1342543de82ef95));
	int i;

	splitmix64(&x);
	x ^= stream;
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_u64(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double
rng_uniform(struct rng *r)
{
	return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

double
rng_normal(struct rng *r)
{
	double u, v;

	/* one value per call keeps the stream position simple to reason about */
	do
		u = rng_uniform(r);
	while (u <= 0.0);
	v = rng_uniform(r);
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586476925 * v);
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	uint64_t x, lim = UINT64_MAX - UINT64_MAX % n;

	do
		x = rng_u64(r);
	while (x >= lim);
	return x % n;
}
