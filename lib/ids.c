/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdlib.h>

#include "ids.h"
#include "src.h"
#include "util.h"

int
ids_one(const char *s, size_t len, uint64_t limit, uint32_t *id)
{
	uint64_t v = 0;
	size_t i;
	int over = 0;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned c = (unsigned char)s[i] - '0';

		if (c > 9)
			return -1;
		if (v > (UINT64_MAX - c) / 10)
			over = 1;
		else
			v = v * 10 + c;
	}
	if (over || v >= limit || v > UINT32_MAX)
		return -2;
	*id = (uint32_t)v;
	return 0;
}

int
ids_parse(char *line, size_t len, uint64_t limit, uint32_t **ids, size_t *n,
    size_t *cap, const char **why, char **bad)
{
	const char *p = line, *w;
	size_t wlen;

	*n = 0;
	while ((w = src_word(&p, line + len, &wlen)) != NULL) {
		uint32_t id;
		int r;

		if ((r = ids_one(w, wlen, limit, &id)) < 0) {
			line[w - line + wlen] = '\0';
			*bad = line + (w - line);
			*why = r == -1 ? "not an ID" : "ID out of range";
			return -1;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			*ids = xreallocarray(*ids, *cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = id;
	}
	return 0;
}
