/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <string.h>

#include "subword.h"
#include "util.h"

#define FNV_BASIS	2166136261u
#define FNV_PRIME	16777619u

static inline uint32_t
fnv_byte(uint32_t h, unsigned char c)
{
	/* fastText: h ^ uint32_t(int8_t(c)): bytes >= 0x80 sign-extend */
	h ^= (uint32_t)(int32_t)(int8_t)c;
	return h * FNV_PRIME;
}

uint32_t
subword_hash(const char *s, size_t len)
{
	uint32_t h = FNV_BASIS;
	size_t i;

	for (i = 0; i < len; i++)
		h = fnv_byte(h, (unsigned char)s[i]);
	return h;
}

int
subword_check(long minn, long maxn, long long bucket, const char *name,
    struct emb_err *e)
{
	if (minn < 0 || maxn < 0) {
		err_set(e, name, 0, "negative n-gram length (minn %ld, maxn "
		    "%ld)", minn, maxn);
		return -1;
	}
	if (maxn > SUBWORD_MAXN) {
		err_set(e, name, 0, "maxn %ld is over %d", maxn,
		    SUBWORD_MAXN);
		return -1;
	}
	if (maxn > 0 && minn > maxn) {
		err_set(e, name, 0, "minn %ld is greater than maxn %ld", minn,
		    maxn);
		return -1;
	}
	if (bucket < 0 || (unsigned long long)bucket > UINT32_MAX) {
		err_set(e, name, 0, "bucket %lld out of range", bucket);
		return -1;
	}
	if (bucket == 0 && maxn > 0) {
		err_set(e, name, 0, "bucket 0 with n-grams of %ld to %ld "
		    "characters", minn, maxn);
		return -1;
	}
	return 0;
}

int
subword_on(const struct subword *s)
{
	return s != NULL && s->maxn > 0 && s->bucket > 0;
}

static inline int
cont_byte(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

static void
push(uint32_t **ids, size_t *cap, size_t n, uint32_t v)
{
	if (n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*ids = xreallocarray(*ids, *cap, sizeof(**ids));
	}
	(*ids)[n] = v;
}

/*
 * The n-grams of w = "<" tok ">" (wlen bytes, byte i of w is wb(i)): for
 * each start i on a character boundary, extend one character at a time
 * up to maxn characters, hashing as the bytes are added (FNV-1a is a
 * running hash, so the n-gram of n characters costs only its new bytes).
 */
size_t
subword_ngrams(const struct subword *s, const char *tok, size_t len,
    uint32_t **ids, size_t *cap)
{
	size_t wlen = len + 2, i, j, n, k = 0;
	uint32_t h;

#define WB(x) ((x) == 0 ? (unsigned char)'<' : (x) == wlen - 1 ? \
	    (unsigned char)'>' : (unsigned char)tok[(x) - 1])
	if (!subword_on(s) || (len == 4 && memcmp(tok, "</s>", 4) == 0))
		return 0;
	for (i = 0; i < wlen; i++) {
		if (cont_byte(WB(i)))
			continue;
		h = FNV_BASIS;
		for (j = i, n = 1; j < wlen && n <= (size_t)s->maxn; n++) {
			h = fnv_byte(h, WB(j));
			j++;
			while (j < wlen && cont_byte(WB(j))) {
				h = fnv_byte(h, WB(j));
				j++;
			}
			if (n >= (size_t)s->minn &&
			    !(n == 1 && (i == 0 || j == wlen)))
				push(ids, cap, k++, (uint32_t)(h % s->bucket));
		}
	}
#undef WB
	return k;
}

size_t
subword_vector(const struct subword *s, const float *word,
    const char *tok, size_t len, float *out, uint32_t **ids, size_t *cap)
{
	size_t n = subword_ngrams(s, tok, len, ids, cap), i, j, cnt;
	float a;

	memset(out, 0, s->d * sizeof(float));
	if (word != NULL)
		for (j = 0; j < s->d; j++)
			out[j] += word[j];
	for (i = 0; i < n; i++) {
		const float *r = s->ngrams + (size_t)(*ids)[i] * s->d;

		for (j = 0; j < s->d; j++)
			out[j] += r[j];
	}
	cnt = n + (word != NULL);
	if (cnt == 0)
		return 0;
	a = (float)(1.0 / (double)cnt);
	for (j = 0; j < s->d; j++)
		out[j] *= a;
	return cnt;
}
