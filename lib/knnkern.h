/* See LICENSE file for copyright and license details. */
#ifndef EMB_KNNKERN_H
#define EMB_KNNKERN_H

#include <stddef.h>
#include <stdint.h>

#include "dtype.h"

/*
 * The SIMD part of knn.c's search, private to it: the micro-kernel of one
 * tile, the packing of a block of rows and the row norms, each in a
 * scalar version and, on x86, AVX2 and AVX-512 ones (cpu.h).  isa is a
 * cpu.h level; a level without a version of its own runs the next lower
 * one.  knn.c describes the layout: queries in panels of KNN_MR, d-major;
 * rows in panels of KNN_NR, d-major.
 */
#define KNN_MR 12		/* queries per panel */
#define KNN_NR 32		/* rows per panel */

/*
 * One tile.  qp: d x KNN_MR packed queries (the first mr used); rp:
 * d x KNN_NR packed rows; sa, ba: KNN_NR epilogue factors.  c receives
 * mr x KNN_NR scores acc * sa[j] + ba[j]; when thr is not NULL, mask[i]
 * gets bit j set when c[i][j] >= thr[i].  Each score is the sum over
 * k = 0..d-1 of q[k] * r[k] in that order, in one accumulator.
 */
void knnkern_tile(int isa, int mr, const float *qp, const float *rp,
    size_t d, const float *sa, const float *ba, const float *thr, float *c,
    uint32_t *mask);

/*
 * Pack rows [r0, r0 + n) of rows (d values of type dt each) into
 * ceil(n / KNN_NR) panels at rp (zero padded) and their squared norms
 * into sq[0..n) (the padding's as 0).  lim: rows past it are not
 * prefetched (the end of the table); row: d floats of scratch.
 */
void knnkern_pack(int isa, const void *rows, enum dtype dt, size_t r0,
    size_t n, size_t d, size_t lim, float *rp, float *sq, float *row);

/* norms[i] = |row i| (summed in double) for i in [b, e) */
void knnkern_norms(int isa, const void *rows, enum dtype dt, size_t d,
    size_t b, size_t e, float *norms);

#endif
