/* See LICENSE file for copyright and license details. */
/*
 * A mapped native model read on a cold page cache.  Opening it and
 * looking one token up must read the few pages they touch, not the
 * read-ahead around each: the matrix and the token index are mapped
 * MADV_RANDOM ("rr" in /proc/self/smaps) until MODEL_COLD rows or
 * VOCAB_COLD lookups have been read, or a pass over every row begins.
 *
 * usage: coldtest FILE   (a scratch file, written and removed; put it on
 * a disk: on tmpfs the page cache cannot be dropped, and the page count
 * is then left out)
 */
#define _DEFAULT_SOURCE	/* mincore */
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "stwrite.h"
#include "table.h"

#define V 50000
#define D 32

static int fails;

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "coldtest: %s\n", what);
		fails++;
	}
}

/* 1 if the mapping holding p is advised MADV_RANDOM, 0 if not, -1 if no
 * mapping holds it */
static int
rr(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	uintptr_t a, b, at = (uintptr_t)p;
	int in = 0, r = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long la, lb;

		if (sscanf(line, "%lx-%lx ", &la, &lb) == 2) {
			a = (uintptr_t)la;
			b = (uintptr_t)lb;
			in = at >= a && at < b;
		}
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			r = strstr(line, " rr") != NULL;
			break;
		}
	}
	fclose(f);
	return r;
}

/* pages of path in the page cache from byte from on */
static long
resident(const char *path, size_t from)
{
	struct stat st;
	unsigned char *vec;
	size_t ps = (size_t)sysconf(_SC_PAGESIZE), n, i;
	long k = 0;
	void *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	n = ((size_t)st.st_size + ps - 1) / ps;
	vec = malloc(n);
	if (vec == NULL || mincore(p, (size_t)st.st_size, vec) < 0)
		k = -1;
	for (i = from / ps; k >= 0 && i < n; i++)
		k += vec[i] & 1;
	free(vec);
	munmap(p, (size_t)st.st_size);
	return k;
}

static void
drop(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		fsync(fd);
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

static void
open_model(struct model *m, const char *path)
{
	struct emb_err e;

	if (model_open(m, path, FMT_NONE, &e) < 0) {
		fprintf(stderr, "coldtest: %s\n", e.msg);
		exit(1);
	}
}

/* the token of row i */
static size_t
tok(char *buf, size_t i)
{
	return (size_t)sprintf(buf, "w%zu", i);
}

int
main(int argc, char *argv[])
{
	struct table t;
	struct model m;
	struct emb_err e;
	float row[D];
	char buf[32];
	size_t i, j, len;
	long k;

	if (argc != 2) {
		fprintf(stderr, "usage: coldtest file\n");
		return 2;
	}
	table_init(&t);
	if (table_alloc(&t, V, D, &e) < 0)
		return 1;
	for (i = 0; i < V; i++) {
		vocab_add(&t.vocab, buf, tok(buf, i));
		for (j = 0; j < D; j++)
			table_row(&t, i)[j] = (float)i + (float)j / 64;
	}
	if (st_write_table(&t, argv[1], DT_F32, &e) < 0) {
		fprintf(stderr, "coldtest: %s\n", e.msg);
		return 1;
	}

	/* opened: the matrix and the index advised random, the header not */
	open_model(&m, argv[1]);
	check(m.index == 1, "the model has no token index");
	check(rr((const char *)m.emb + V * D * 2) == 1, "matrix not rr");
	check(rr(m.vocab.blk) == 1, "vocab not rr");
	check(rr(m.vocab.moff + 8 * V) == 1, "offsets not rr");
	check(rr(m.vocab.mslot) == 1, "index not rr");
	/* a few lookups keep it; the MODEL_COLD-th row read ends it */
	for (i = 0; i < MODEL_COLD - 1; i++) {
		k = model_find(&m, buf, tok(buf, V - 1 - i * 7));
		check(k == (long)(V - 1 - i * 7), "a token not found");
		model_row(&m, (size_t)k, row);
		check(row[1] == (float)k + 1.0f / 64, "a wrong row");
	}
	check(rr((const char *)m.emb + V * D * 2) == 1,
	    "matrix not rr after MODEL_COLD - 1 rows");
	check(rr(m.vocab.mslot) == 1, "index not rr after VOCAB_COLD - 1");
	/* many rows read: a bulk reader, read-ahead on for all of it */
	model_row(&m, 0, row);
	check(rr((const char *)m.emb + V * D * 2) == 0,
	    "matrix still rr after MODEL_COLD rows");
	check(rr(m.vocab.mslot) == 0, "index still rr after MODEL_COLD rows");
	model_close(&m);
	/* many tokens read: read-ahead on for the index, not the matrix */
	open_model(&m, argv[1]);
	for (i = 0; i < VOCAB_COLD - 1; i++)
		(void)vocab_token(&m.vocab, i * 13, &len);
	check(rr(m.vocab.blk) == 1, "vocab not rr after VOCAB_COLD - 1");
	k = model_find(&m, buf, tok(buf, 7));
	check(k == 7, "token 7 not found");
	check(rr(m.vocab.mslot) == 0, "index still rr after VOCAB_COLD");
	check(rr(m.vocab.blk) == 0, "vocab still rr after VOCAB_COLD");
	check(rr(m.vocab.moff + 8 * V) == 0, "offsets rr after VOCAB_COLD");
	check(rr((const char *)m.emb + V * D * 2) == 1,
	    "matrix not rr after tokens alone");
	model_close(&m);

	/* a pass over every row, and the full index check, end it at once */
	open_model(&m, argv[1]);
	(void)model_norms(&m);
	check(rr((const char *)m.emb + V * D * 2) == 0, "rr after norms");
	check(model_index_check(&m, &e) == 1, "index check failed");
	check(rr(m.vocab.mslot) == 0, "rr after the index check");
	model_close(&m);
	open_model(&m, argv[1]);
	model_populate(&m, 0, V, 1);
	check(rr((const char *)m.emb + V * D * 2) == 0, "rr after populate");
	model_close(&m);

	/*
	 * Cold: the header's first read aside (the first 256 KiB of the
	 * file, read ahead of read(2)), a lookup reads a page or two per
	 * table it touches; read-around would bring dozens per fault.
	 */
	drop(argv[1]);
	if (resident(argv[1], 0) != 0)
		fprintf(stderr, "coldtest: %s stays in the page cache here "
		    "(tmpfs?): page count not checked\n", argv[1]);
	else {
		open_model(&m, argv[1]);
		k = model_find(&m, buf, tok(buf, 31337));
		check(k == 31337, "cold: token not found");
		model_row(&m, (size_t)k, row);
		check(row[0] == 31337.0f, "cold: a wrong row");
		k = resident(argv[1], (size_t)256 << 10);
		if (k < 0 || k > 16) {
			fprintf(stderr, "coldtest: one cold lookup left %ld "
			    "pages of the file in the page cache\n", k);
			fails++;
		}
		model_close(&m);
	}
	unlink(argv[1]);
	table_free(&t);
	return fails > 0;
}
