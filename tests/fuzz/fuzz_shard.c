/* See LICENSE file for copyright and license details. */
/*
 * shard_merge over two partial lists (the input split at its first NUL,
 * or used twice) and shard_parse on the first line; first byte: k, order,
 * CSV.
 */
#include "fuzz.h"

#include "shard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path2[64];
static int fd2 = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	const uint8_t *cut;
	char *paths[2], spec[32];
	struct emb_err e;
	size_t i, n, k, a, b;
	int asc;

	if (size < 1)
		return 0;
	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
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
	if (fd2 < 0) {
		snprintf(path2, sizeof(path2), "/tmp/emb-fuzz2.XXXXXX");
		if ((fd2 = mkstemp(path2)) < 0)
			abort();
	}
	if (ftruncate(fd2, 0) != 0 ||
	    pwrite(fd2, cut != NULL ? cut + 1 : data,
	    cut != NULL ? size - i - 1 : size, 0) < 0)
		abort();
	paths[0] = (char *)fuzz_file(data, i);
	paths[1] = path2;
	(void)shard_merge(paths, 2, k, asc, 0, devnull, &e);
	(void)shard_merge(paths, 1, k, 0, 1, devnull, &e);
	return 0;
}
