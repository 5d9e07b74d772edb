/* See LICENSE file for copyright and license details. */
#ifndef EMB_CSVIO_H
#define EMB_CSVIO_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "src.h"
#include "table.h"

/*
 * CSV through libcsv: the only module that includes <csv.h>.  A table row
 * is "token,x1,...,xd", or "x1,...,xd" for unlabelled rows; tokens with
 * commas, quotes or newlines are quoted on output and read back
 * unchanged.  The rule for labels is the text rows' (textvec.h), with
 * quotes as the marker: a first field that is an unquoted number on
 * every row means unlabelled rows (d = all fields); a quoted first field
 * is a token, whatever it holds, so writers quote tokens that read as
 * numbers.  Errors name file:line.
 */

/* read a whole CSV table (header: skip the first record) */
int csvio_read_table(struct table *t, const char *path, int header,
    struct emb_err *e);
/* the same from an open source */
int csvio_read_src(struct table *t, struct src *s, int header,
    struct emb_err *e);
/* write a table (rows labelled by token; unlabelled rows numbers only) */
int csvio_write_table(const struct table *t, FILE *f);

/* one row: label (quoted as needed, and when it reads as a number; NULL
 * for none), then d numbers */
int csvio_write_vec(FILE *f, const char *label, size_t len, const float *v,
    size_t d);
/* one field, quoted as needed, without separator or newline */
int csvio_write_field(FILE *f, const char *s, size_t len);
/* would this label, unquoted, read as a number (blanks around allowed)? */
int csvio_label_is_num(const char *s, size_t len);

#endif
