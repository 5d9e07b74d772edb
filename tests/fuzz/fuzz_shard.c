/* See LICENSE file for copyright and license details. */
/*
 * shard_merge over two partial lists (the input split at its first NUL,
 * or used twice) and shard_parse on the first line; first byte: k, order,
 * CSV.
 */
#include "fuzz.h"

#include "shard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	const uint8_t *cut;
	const char *bufs[2];
	size_t lens[2];
	char spec[32];
	struct emb_err e;
	size_t i, n, k, a, b;
	int asc;

	if (size < 1)
		return 0;
	if (devnull == NULL) {
		if ((devnull = fopen("/dev/null", "w")) == NULL)
			abort();
		setvbuf(devnull, NULL, _IOFBF, (size_t)1 << 20);
	}
	k = 1 + (data[0] & 7);
	asc = (data[0] >> 3) & 1;
	data++;
	size--;
	/* shard_parse on the first bytes ("i/n") */
	n = size < sizeof(spec) - 1 ? size : sizeof(spec) - 1;
	memcpy(spec, data, n);
	spec[n] = '\0';
	if (shard_parse(spec, &a, &b) == 0) {
		size_t beg, end;

		if (a < 1 || a > b)
			abort();
		shard_range(1000, a, b, &beg, &end);
		if (beg > end || end > 1000)
			abort();
	}
	cut = memchr(data, '\0', size);
	i = cut != NULL ? (size_t)(cut - data) : size;
	bufs[0] = (const char *)data;
	lens[0] = i;
	bufs[1] = (const char *)(cut != NULL ? cut + 1 : data);
	lens[1] = cut != NULL ? size - i - 1 : size;
	(void)shard_merge_mem(bufs, lens, 2, k, asc, 0, devnull, &e);
	(void)shard_merge_mem(bufs, lens, 1, k, 0, 1, devnull, &e);
	return 0;
}
