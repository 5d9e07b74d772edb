/* See LICENSE file for copyright and license details. */
#ifndef EMB_RNG_H
#define EMB_RNG_H

#include <stdint.h>

/* xoshiro256** with explicit state: reproducible and thread-safe */
struct rng {
	uint64_t s[4];
};

/* seed from (seed, stream): each stream is an independent sequence */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_u64(struct rng *r);
/* uniform in [0, 1) with 53 random bits */
double rng_uniform(struct rng *r);
/* standard normal (Box-Muller, both values used) */
double rng_normal(struct rng *r);
/* uniform in [0, n) without modulo bias, n > 0 */
uint64_t rng_below(struct rng *r, uint64_t n);

#endif
