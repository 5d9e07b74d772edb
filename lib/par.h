/* See LICENSE file for copyright and license details. */
#ifndef EMB_PAR_H
#define EMB_PAR_H

#include <stddef.h>

/*
 * Fork/join over threads: the one loop that starts workers, runs one in
 * the calling thread and joins the rest.  A thread that cannot be
 * started costs nothing but time: its share runs in the caller.
 */

/* the number of threads a --threads value means: n, or all cores for 0 */
int par_threads(int n);

/*
 * Run fn(ctx, b, e) over [0, n) cut into nt contiguous ranges (range t is
 * [n t / nt, n (t + 1) / nt)), one per thread, and return when all are
 * done.  nt <= 0 means all cores; nt is cut to n (at least 1) and 64.
 * fn(ctx, t, t + 1) with n == nt gives one call per thread index.
 */
void par_run(int nt, size_t n, void (*fn)(void *ctx, size_t b, size_t e),
    void *ctx);

#endif
