/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "tally.h"
#include "util.h"
#include "vocab.h"

#define TALLY_MIN ((size_t)1 << 12)	/* slots at first */
#define GOLD UINT64_C(0x9e3779b97f4a7c15)

void
tally_init(struct tally *t)
{
	memset(t, 0, sizeof(*t));
	vocab_init(&t->v);
}

void
tally_free(struct tally *t)
{
	vocab_free(&t->v);
	free(t->slot);
	tally_init(t);
}

/*
 * The first 8 bytes of the token, zero-padded, as a little-endian
 * number: two overlapping loads for 4 to 7 bytes, three bytes for 1 to
 * 3, so nothing past the token is read
 */
static uint64_t
head(const unsigned char *p, size_t len)
{
	if (len >= 8)
		return le_get64(p);
	if (len >= 4)
		return (uint64_t)le_get32(p) |
		    (uint64_t)le_get32(p + len - 4) << (8 * (len - 4));
	if (len == 0)
		return 0;
	return (uint64_t)p[0] | (uint64_t)p[len / 2] << (8 * (len / 2)) |
	    (uint64_t)p[len - 1] << (8 * (len - 1));
}

/* the slot hash: head and length, then the rest 8 bytes at a time */
static uint64_t
hash(const unsigned char *p, size_t len, uint64_t h8)
{
	uint64_t h = h8 * GOLD + len;
	size_t i;

	for (i = 8; i < len; i += 8) {
		/* the last 8 bytes overlap the ones before: no overread */
		h = (h ^ le_get64(p + (len - i < 8 ? len - 8 : i))) * GOLD;
		h ^= h >> 29;
	}
	h ^= h >> 32;
	h *= UINT64_C(0xd6e8feb86659fd93);
	h ^= h >> 32;
	return h;
}

/* the slots made anew at twice the size (the first time: TALLY_MIN) */
static void
grow(struct tally *t)
{
	size_t n = t->slot == NULL ? TALLY_MIN : 2 * (t->mask + 1), i;
	struct tally_slot *s = xaligned(n * sizeof(*s));

	memset(s, 0, n * sizeof(*s));
	for (i = 0; i < t->v.n; i++) {
		size_t len;
		const unsigned char *p = (const unsigned char *)vocab_token(
		    &t->v, i, &len);
		uint64_t h8 = head(p, len);
		size_t k = (size_t)hash(p, len, h8) & (n - 1);

		while (s[k].id != 0)
			k = (k + 1) & (n - 1);
		s[k].head = h8;
		s[k].len = (uint32_t)len;
		s[k].id = (uint32_t)(i + 1);
	}
	free(t->slot);
	t->slot = s;
	t->mask = n - 1;
}

void
tally_key(const struct tally *t, const char *tok, size_t len,
    struct tally_key *k)
{
	const unsigned char *p = (const unsigned char *)tok;

	k->head = head(p, len);
	k->hash = hash(p, len, k->head);
	if (t->slot != NULL)
		__builtin_prefetch(&t->slot[k->hash & t->mask]);
}

size_t
tally_add_key(struct tally *t, const char *tok, size_t len,
    const struct tally_key *k, int64_t n)
{
	struct tally_slot *s;
	size_t i, id;

	if (t->slot == NULL || 2 * (t->v.n + 1) > t->mask + 1)
		grow(t);
	for (i = (size_t)k->hash & t->mask;; i = (i + 1) & t->mask) {
		s = &t->slot[i];
		if (s->id == 0)
			break;
		if (s->head != k->head || s->len != len)
			continue;
		id = s->id - 1;
		/* a longer token: the bytes past the head */
		if (len > 8 && memcmp(t->v.tok[id] + 8, tok + 8, len - 8) != 0)
			continue;
		t->v.count[id] += n;
		return id;
	}
	vocab_ensure_counts(&t->v);
	id = vocab_add(&t->v, tok, len);
	t->v.count[id] = n;
	s->head = k->head;
	s->len = (uint32_t)len;
	s->id = (uint32_t)(id + 1);
	return id;
}

size_t
tally_add(struct tally *t, const char *tok, size_t len, int64_t n)
{
	struct tally_key k;

	tally_key(t, tok, len, &k);
	return tally_add_key(t, tok, len, &k, n);
}

void
tally_take(struct tally *t, struct vocab *v)
{
	vocab_free(v);
	*v = t->v;
	vocab_init(&t->v);
	free(t->slot);
	t->slot = NULL;
	t->mask = 0;
}
