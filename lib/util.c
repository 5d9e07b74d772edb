/* See LICENSE file for copyright and license details. */
#define _DEFAULT_SOURCE	/* madvise(MADV_HUGEPAGE) */
#include <sys/mman.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const char *oomprog = "emb";

void
xalloc_prog(const char *prog)
{
	oomprog = prog;
}

void
mem_advise(const void *p, size_t n, int advice)
{
	long ps = sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)p, b;

	if (n == 0 || ps <= 0 || a > UINTPTR_MAX - n)
		return;
	b = a + n;
	a -= a % (uintptr_t)ps;
	(void)posix_madvise((void *)a, b - a, advice);
}

static void
oom(void)
{
	fprintf(stderr, "%s: out of memory\n", oomprog);
	exit(STATUS_FAIL);
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	size_t n;

	if (size_mul(nmemb, size, &n) < 0)
		oom();
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

char *
xmemdup(const void *p, size_t len)
{
	char *s;

	if (len == SIZE_MAX)
		oom();
	s = xmalloc(len + 1);
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

void *
xaligned(size_t size)
{
	size_t huge = (size_t)2 << 20;
	void *p = NULL;

	/*
	 * A table is read at random (lookups, training) or touched once
	 * page by page as it is filled: 2 MiB pages cost one fault and one
	 * TLB entry where 4 KiB pages cost 512.  On a virtual machine a
	 * fault can cost 20 us, so from XALIGNED_HUGE up a block takes
	 * whole 2 MiB pages even if it leaves part of the last one unused.
	 */
	if (size >= XALIGNED_HUGE) {
		if (size > SIZE_MAX - huge)
			oom();
		size = (size + huge - 1) / huge * huge;
		if (posix_memalign(&p, huge, size) != 0)
			oom();
#ifdef MADV_HUGEPAGE
		madvise(p, size, MADV_HUGEPAGE);
#endif
		return p;
	}
	size = (size + 63) & ~(size_t)63;
	if (size == 0)
		size = 64;
	if (posix_memalign(&p, 64, size) != 0)
		oom();
	return p;
}

void *
xgrow(void *p, size_t old, size_t nmemb, size_t size)
{
	size_t bytes;
	void *q;

	if (size_mul(nmemb, size, &bytes) < 0)
		oom();
	if (bytes < XALIGNED_HUGE)
		return xreallocarray(p, nmemb, size);
	q = xaligned(bytes);
	if (old > 0)
		memcpy(q, p, old < bytes ? old : bytes);
	free(p);
	return q;
}

int
size_mul(size_t a, size_t b, size_t *out)
{
	if (b != 0 && a > SIZE_MAX / b)
		return -1;
	*out = a * b;
	return 0;
}

int
size_add(size_t a, size_t b, size_t *out)
{
	if (a > SIZE_MAX - b)
		return -1;
	*out = a + b;
	return 0;
}

int
ncores(void)
{
	static int cached;	/* asked once: sysconf reads /sys each time */
	long n;

	if (cached > 0)
		return cached;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	cached = n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
	return cached;
}
