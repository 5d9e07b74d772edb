/* See LICENSE file for copyright and license details. */
/*
 * Shared by the libFuzzer targets: the parsers under test read files, so
 * each input is written to one temporary file per process, reused (and
 * truncated) for every run.  The file is removed at exit.
 */
#ifndef EMB_FUZZ_H
#define EMB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_path[64];
static int fuzz_fd = -1;

static void
fuzz_cleanup(void)
{
	if (fuzz_fd >= 0)
		unlink(fuzz_path);
}

/* the input as a file; returns its path */
static const char *
fuzz_file(const uint8_t *data, size_t size)
{
	size_t off = 0;

	if (fuzz_fd < 0) {
		const char *dir = getenv("TMPDIR");

		snprintf(fuzz_path, sizeof(fuzz_path), "%s/emb-fuzz.XXXXXX",
		    dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
		if ((fuzz_fd = mkstemp(fuzz_path)) < 0)
			abort();
		atexit(fuzz_cleanup);
	}
	if (ftruncate(fuzz_fd, 0) != 0)
		abort();
	while (off < size) {
		ssize_t w = pwrite(fuzz_fd, data + off, size - off,
		    (off_t)off);

		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	return fuzz_path;
}

#endif
