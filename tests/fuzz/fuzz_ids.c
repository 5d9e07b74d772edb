/* See LICENSE file for copyright and license details. */
/* ids_parse on one NUL-terminated line; the first byte picks the limit */
#include "fuzz.h"

#include "ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t limits[4] = { 0, 10, 4294967296ULL, UINT64_MAX };
	uint32_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	const char *why = NULL;
	char *line, *bad = NULL;
	uint64_t limit;

	if (size < 1)
		return 0;
	limit = limits[data[0] % 4];
	/* exactly len + 1 bytes, as src_getline hands out */
	line = malloc(size);
	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';
	if (ids_parse(line, size - 1, limit, &ids, &n, &cap, &why, &bad) == 0) {
		for (i = 0; i < n; i++)
			if ((uint64_t)ids[i] >= limit)
				abort();
	} else if (why == NULL || bad == NULL || bad < line ||
	    bad > line + size - 1)
		abort();
	free(ids);
	free(line);
	return 0;
}
