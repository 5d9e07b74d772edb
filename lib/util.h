/* See LICENSE file for copyright and license details. */
#ifndef EMB_UTIL_H
#define EMB_UTIL_H

#include <stddef.h>

/* exit statuses (not EXIT_*: E + capital is reserved by <errno.h>) */
enum { STATUS_OK = 0, STATUS_FAIL = 1, STATUS_USAGE = 2 };

#define EMB_VERSION "0.1.0"

/*
 * allocators that print "prog: out of memory" and exit 1 on failure;
 * xalloc_prog names the program (cli_init does)
 */
void xalloc_prog(const char *prog);
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xmemdup(const void *p, size_t len);	/* adds a NUL */
/*
 * 64-byte aligned, for SIMD rows and big arrays about to be filled; free
 * with free().  From XALIGNED_HUGE up the block is 2 MiB aligned,
 * rounded up to whole 2 MiB and offered to the kernel's transparent huge
 * pages (Linux madvise MADV_HUGEPAGE).
 */
#define XALIGNED_HUGE ((size_t)512 << 10)
void *xaligned(size_t size);
/*
 * An array grown to nmemb x size bytes, its first old bytes kept: as
 * xreallocarray, but from XALIGNED_HUGE up in xaligned memory (a block
 * of pages a vocabulary of 100,000 tokens fills cost 2,000 page faults,
 * a third of an import, on 4 KiB pages).  p from xmalloc, xaligned or
 * this; free with free().
 */
void *xgrow(void *p, size_t old, size_t nmemb, size_t size);
/*
 * Advise the kernel how the n bytes at p, part of a file mapping, will
 * be read: posix_madvise over the pages that hold them (the range is
 * widened to whole pages), POSIX_MADV_RANDOM (a page fault reads that
 * page only) or POSIX_MADV_NORMAL (it reads the pages around it too, as
 * many as the device's read-ahead: 128 KB by default, megabytes on some
 * virtual disks).  A hint: errors are ignored.
 */
void mem_advise(const void *p, size_t n, int advice);

/* overflow-checked size arithmetic: 0 on success, -1 on overflow */
int size_mul(size_t a, size_t b, size_t *out);
int size_add(size_t a, size_t b, size_t *out);

/* number of online cores, at least 1 */
int ncores(void);

#endif
