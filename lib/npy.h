/* See LICENSE file for copyright and license details. */
#ifndef EMB_NPY_H
#define EMB_NPY_H

#include <stdio.h>

#include "err.h"
#include "src.h"
#include "table.h"

/*
 * NumPy .npy: "\x93NUMPY", version (1.0, 2.0 or 3.0), a header length
 * (uint16 LE for 1.0, uint32 LE after), a Python dict literal
 * {'descr': '<f4', 'fortran_order': False, 'shape': (V, d), } padded with
 * spaces and ended by '\n', then the data.  Read: 2-D arrays of
 * '<f4', '<f2' or '<f8' (and their '>' forms), C or Fortran order,
 * converted to float32; the rows are unlabelled.  Write: '<f4', C order,
 * version 1.0, header padded so the data starts 64-byte aligned.
 */
int npy_read(struct table *t, struct src *s, size_t limit,
    struct emb_err *e);
int npy_write(const struct table *t, FILE *f, const char *path,
    struct emb_err *e);

#endif
