/* See LICENSE file for copyright and license details. */
#ifndef EMB_STWRITE_H
#define EMB_STWRITE_H

#include "dtype.h"
#include "err.h"
#include "table.h"

/*
 * Write t as an emb native model (safetensors, man emb-formats(5)):
 * embeddings as dt, and as F32 the output, fastText's input and ngrams
 * rows when t has them; counts I64; the vocab block and its token index
 * (safetensors.h: ST_INDEX_*); metadata.  Tensors by decreasing element
 * size, data 64-byte aligned.  Atomic (afile.h): on error (-1, e naming
 * path) no file is left.
 */
int st_write_table(const struct table *t, const char *path, enum dtype dt,
    struct emb_err *e);

#endif
