/* See LICENSE file for copyright and license details. */
#ifndef EMB_LE_H
#define EMB_LE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Little-endian integers in byte buffers, whatever the host's byte
 * order: the headers and index tensors of the formats emb reads and
 * writes store them so (safetensors' 8-byte header length, EMBV vector
 * streams, fastText's .bin, the native model's token index).  Header
 * only, so that hot lookups (the token index's hash slots) stay inline.
 */

/* 2, 4 or 8 bytes at p as an unsigned integer */
static inline uint16_t
le_get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
le_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
le_get64(const unsigned char *p)
{
	return (uint64_t)le_get32(p) | (uint64_t)le_get32(p + 4) << 32;
}

/* the low n bytes (n <= 8) of v into p, least significant first */
static inline void
le_put(unsigned char *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline void
le_put32(unsigned char *p, uint32_t v)
{
	le_put(p, v, 4);
}

static inline void
le_put64(unsigned char *p, uint64_t v)
{
	le_put(p, v, 8);
}

/* is the host little-endian (x86-64, aarch64 as Linux runs it)? */
static inline int
le_host(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 1;
}

/*
 * n float32 values, stored little-endian, to the host's order in place
 * (and back: the swap is its own inverse); nothing to do on a
 * little-endian host
 */
static inline void
le_f32(float *x, size_t n)
{
	unsigned char b[4];
	uint32_t v;
	size_t i;

	if (le_host())
		return;
	for (i = 0; i < n; i++) {
		memcpy(b, &x[i], 4);
		v = le_get32(b);
		memcpy(&x[i], &v, 4);
	}
}

#endif
