/* See LICENSE file for copyright and license details. */
#ifndef EMB_AFILE_H
#define EMB_AFILE_H

#include <stdio.h>

#include "err.h"

/*
 * Atomic output: write to a temporary file next to the target, fsync,
 * rename over the target on commit.  On failure, abort, SIGINT, SIGTERM
 * or SIGHUP the temporary file is removed, so the target is always either
 * the old file or the complete new one.  "-" writes to stdout directly.
 */
struct afile {
	FILE *f;
	char *path;	/* target */
	char *tmp;	/* temporary name, NULL for stdout */
};

int afile_open(struct afile *a, const char *path, struct emb_err *e);
/* flush, fsync, rename; on error the temp file is removed */
int afile_commit(struct afile *a, struct emb_err *e);
void afile_abort(struct afile *a);

#endif
