/* See LICENSE file for copyright and license details. */
#include <stdint.h>
#include <stdlib.h>

#include "ids.h"
#include "util.h"

int
ids_parse(char *line, size_t len, uint64_t limit, uint32_t **ids, size_t *n,
    size_t *cap, const char **why, char **bad)
{
	size_t i = 0;

	*n = 0;
	while (i < len) {
		uint64_t v = 0;
		size_t start;
		int over = 0;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t') {
			unsigned c = (unsigned char)line[i] - '0';

			if (c > 9) {
				while (i < len && line[i] != ' ' &&
				    line[i] != '\t')
					i++;
				line[i] = '\0';
				*bad = line + start;
				*why = "not an ID";
				return -1;
			}
			if (v > (UINT64_MAX - c) / 10)
				over = 1;
			else
				v = v * 10 + c;
			i++;
		}
		if (over || v >= limit || v > UINT32_MAX) {
			line[i] = '\0';
			*bad = line + start;
			*why = "ID out of range";
			return -1;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			*ids = xreallocarray(*ids, *cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = (uint32_t)v;
	}
	return 0;
}
