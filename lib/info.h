/* See LICENSE file for copyright and license details. */
#ifndef EMB_INFO_H
#define EMB_INFO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dtype.h"
#include "err.h"
#include "fmt.h"

/* what a model file holds, for emb-info */
struct info_tensor {
	char *name;
	char dtype[8];
	size_t ndim;
	uint64_t shape[8];
};

struct info {
	char *path;
	enum fmt fmt;
	long long size;		/* bytes on disk */
	size_t V, d;
	enum dtype dt;
	size_t vocab;		/* tokens, 0 = rows unlabelled */
	int has_counts, has_output;
	long long count_total;
	size_t unseen;		/* rows whose count is 0 (with counts) */
	size_t unnamed;		/* rows without a token (a padded table) */
	struct info_tensor *tensors;	/* native files only */
	size_t ntensors;
	char **meta;		/* key, value pairs */
	size_t nmeta;
	/* norm statistics (when asked for) */
	int stats;
	double norm_min, norm_mean, norm_max;
	size_t zero_rows;
	size_t nonfinite;	/* rows holding NaN or Inf (left out above) */
	long first_nonfinite;	/* the lowest of them, or -1 */
	int normalized;		/* every non-zero row has norm 1 +- 1e-4 */
	/* the stored token index: "none", "yes" (its open checks passed),
	 * "checked" (all of it, with the stats), or why it is not used */
	char index[1024];
	int index_damaged;	/* the index is present but not sound */
	struct emb_err index_err;	/* why, when only the full check saw it */
};

/*
 * Gather the facts about path, read as format f (FMT_NONE: detected),
 * opening it once; stats reads the whole matrix (the rest does not).
 */
int info_gather(struct info *in, const char *path, enum fmt f, int stats,
    struct emb_err *e);
void info_free(struct info *in);
int info_write_text(FILE *f, const struct info *in);
int info_write_json(FILE *f, const struct info *in);

#endif
