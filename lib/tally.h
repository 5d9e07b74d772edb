/* See LICENSE file for copyright and license details. */
#ifndef EMB_TALLY_H
#define EMB_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "vocab.h"

/*
 * Tokens counted as a corpus is read: each distinct token gets the next
 * id (first seen first) and a count.  The tokens and counts are kept in
 * a vocab (t->v, which has counts; its own index is not built); the
 * index is the tally's: a slot holds a token's length, its first 8 bytes
 * and its id, so a token of up to 8 bytes (most words) is found by
 * reading one slot, where vocab_intern reads the slot, the token's
 * length and pointer, and its bytes (three more dependent loads per word
 * of a corpus).  Open addressing, linear probing, at most half full.
 */
struct tally_slot {
	uint64_t head;		/* the first 8 bytes, zero-padded */
	uint32_t len;
	uint32_t id;		/* id + 1; 0 = empty */
};

struct tally {
	struct vocab v;		/* tokens by id, with counts */
	struct tally_slot *slot;
	size_t mask;		/* slots - 1; slots a power of 2 */
};

void tally_init(struct tally *t);
void tally_free(struct tally *t);

/*
 * Count n more of the token (len bytes, any bytes); returns its id, a
 * new one (t->v.n - 1) when it was not there.  The caller keeps
 * t->v.n below its own limit (ids are size_t here, uint32_t in slots).
 */
size_t tally_add(struct tally *t, const char *tok, size_t len, int64_t n);

/*
 * The same in two steps, for a reader that works one token ahead:
 * tally_key hashes the token into k and asks for its slot's cache line
 * (a prefetch), so that the slot is there by the time tally_add_key
 * counts the token, after the one before it.  The token's bytes must
 * stay in place between the two.
 */
struct tally_key {
	uint64_t head, hash;
};
void tally_key(const struct tally *t, const char *tok, size_t len,
    struct tally_key *k);
size_t tally_add_key(struct tally *t, const char *tok, size_t len,
    const struct tally_key *k, int64_t n);

/* t's vocabulary moved into v (freed first): tokens and counts */
void tally_take(struct tally *t, struct vocab *v);

#endif
