/* See LICENSE file for copyright and license details. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "info.h"
#include "model.h"
#include "safetensors.h"
#include "util.h"

/* the token index's state; with stats, all of it is checked */
static void
info_index(struct info *in, struct model *m, int stats)
{
	struct emb_err w;
	const char *why;
	size_t n;
	int r = m->index;

	if (r > 0 && stats) {
		r = model_index_check(m, &w) < 0 ? -1 : 2;
		if (r < 0)
			in->index_err = w;
	} else if (r < 0)
		w = m->index_why;
	in->index_damaged = r < 0;
	if (r >= 0) {
		snprintf(in->index, sizeof(in->index), "%s",
		    r == 0 ? "none" : r == 1 ? "yes" : "checked");
		return;
	}
	/* the message without the file's name */
	why = w.msg;
	n = strlen(m->path);
	if (strncmp(why, m->path, n) == 0 && strncmp(why + n, ": ", 2) == 0)
		why += n + 2;
	if (strncmp(why, "token index: ", 13) == 0)
		why += 13;
	snprintf(in->index, sizeof(in->index), "not used: %.1000s", why);
}

int
info_gather(struct info *in, const char *path, enum fmt f, int stats,
    struct emb_err *e)
{
	const struct st_file *st;
	struct model m;
	struct stat sb;
	size_t i;

	memset(in, 0, sizeof(*in));
	in->path = xstrdup(path);
	if (stat(path, &sb) < 0) {
		err_sys(e, path);
		return -1;
	}
	in->size = (long long)sb.st_size;
	if (model_open(&m, path, f, e) < 0)
		return -1;
	in->fmt = m.fmt;
	in->V = m.V;
	in->d = m.d;
	in->dt = m.dt;
	in->vocab = m.vocab.n;
	in->has_counts = m.vocab.count != NULL;
	in->has_output = m.out != NULL;
	for (i = 0; in->has_counts && i < m.V; i++) {
		in->count_total += m.vocab.count[i];
		in->unseen += m.vocab.count[i] == 0;
	}
	if ((st = model_container(&m)) != NULL) {
		in->ntensors = st->ntensors;
		in->tensors = xcalloc(st->ntensors ? st->ntensors : 1,
		    sizeof(*in->tensors));
		for (i = 0; i < st->ntensors; i++) {
			in->tensors[i].name = xstrdup(st->tensors[i].name);
			memcpy(in->tensors[i].dtype, st->tensors[i].dtype,
			    sizeof(in->tensors[i].dtype));
			in->tensors[i].ndim = st->tensors[i].ndim;
			memcpy(in->tensors[i].shape, st->tensors[i].shape,
			    sizeof(in->tensors[i].shape));
		}
		if (st->meta != NULL)
			st_meta_pairs(st->meta, &in->meta, &in->nmeta);
	}
	/* first: reading tokens (vocab_unnamed) would drop a damaged
	 * index in use before the full check could say what is wrong;
	 * with offsets that frame no token, no token is counted */
	info_index(in, &m, stats);
	if (m.vocab.n > 0 && !in->index_damaged) {
		long first;

		in->unnamed = vocab_unnamed(&m.vocab, &first);
	}
	if (stats && m.V > 0) {
		const float *norm = model_norms(&m);
		double sum = 0;
		size_t nz = 0;

		in->nonfinite = model_nonfinite(&m, &in->first_nonfinite);
		in->stats = 1;
		in->normalized = 1;
		in->norm_min = INFINITY;
		in->norm_max = 0;
		for (i = 0; i < m.V; i++) {
			double x = norm[i];

			if (!isfinite(x))
				continue;
			if (x == 0) {
				in->zero_rows++;
				continue;
			}
			nz++;
			sum += x;
			if (x < in->norm_min)
				in->norm_min = x;
			if (x > in->norm_max)
				in->norm_max = x;
			if (fabs(x - 1) > 1e-4)
				in->normalized = 0;
		}
		if (nz == 0) {
			in->norm_min = 0;
			in->normalized = 0;
		}
		in->norm_mean = nz ? sum / (double)nz : 0;
	}
	model_close(&m);
	return 0;
}

void
info_free(struct info *in)
{
	size_t i;

	for (i = 0; i < in->ntensors; i++)
		free(in->tensors[i].name);
	free(in->tensors);
	for (i = 0; i < 2 * in->nmeta; i++)
		free(in->meta[i]);
	free(in->meta);
	free(in->path);
	memset(in, 0, sizeof(*in));
}

static void
put_shape(FILE *f, const struct info_tensor *t)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < t->ndim; i++)
		fprintf(f, i ? ", %llu" : "%llu",
		    (unsigned long long)t->shape[i]);
	fputc(']', f);
}

int
info_write_text(FILE *f, const struct info *in)
{
	size_t i;

	fprintf(f, "file\t%s\n", in->path);
	fprintf(f, "format\t%s\n", fmt_name(in->fmt));
	fprintf(f, "size\t%lld\n", in->size);
	fprintf(f, "rows\t%zu\n", in->V);
	fprintf(f, "dim\t%zu\n", in->d);
	fprintf(f, "dtype\t%s\n", dtype_name(in->dt));
	fprintf(f, "vocab\t%zu\n", in->vocab);
	if (in->has_counts)
		fprintf(f, "counts\t%lld\n", in->count_total);
	else
		fprintf(f, "counts\tnone\n");
	fprintf(f, "output\t%s\n", in->has_output ? "yes" : "no");
	fprintf(f, "index\t%s\n", in->index);
	if (in->has_counts)
		fprintf(f, "unseen-rows\t%zu\n", in->unseen);
	if (in->unnamed > 0)
		fprintf(f, "unnamed-rows\t%zu\n", in->unnamed);
	if (in->stats) {
		fprintf(f, "norm-min\t%.6g\n", in->norm_min);
		fprintf(f, "norm-mean\t%.6g\n", in->norm_mean);
		fprintf(f, "norm-max\t%.6g\n", in->norm_max);
		fprintf(f, "zero-rows\t%zu\n", in->zero_rows);
		fprintf(f, "nonfinite-rows\t%zu\n", in->nonfinite);
		fprintf(f, "normalized\t%s\n", in->normalized ? "yes" : "no");
	}
	for (i = 0; i < in->ntensors; i++) {
		fprintf(f, "tensor\t%s %s ", in->tensors[i].name,
		    in->tensors[i].dtype);
		put_shape(f, &in->tensors[i]);
		fputc('\n', f);
	}
	for (i = 0; i < in->nmeta; i++)
		fprintf(f, "meta\t%s=%s\n", in->meta[2 * i], in->meta[2 * i + 1]);
	return ferror(f) ? -1 : 0;
}

/* a JSON string: quotes, backslashes and control bytes escaped */
static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

int
info_write_json(FILE *f, const struct info *in)
{
	size_t i;

	fputs("{\"file\": ", f);
	json_str(f, in->path);
	fprintf(f, ", \"format\": \"%s\", \"size\": %lld, \"rows\": %zu, "
	    "\"dim\": %zu, \"dtype\": \"%s\", \"vocab\": %zu",
	    fmt_name(in->fmt), in->size, in->V, in->d, dtype_name(in->dt),
	    in->vocab);
	if (in->has_counts)
		fprintf(f, ", \"counts\": %lld", in->count_total);
	else
		fputs(", \"counts\": null", f);
	fprintf(f, ", \"output\": %s, \"index\": ",
	    in->has_output ? "true" : "false");
	json_str(f, in->index);
	if (in->has_counts)
		fprintf(f, ", \"unseen_rows\": %zu", in->unseen);
	fprintf(f, ", \"unnamed_rows\": %zu", in->unnamed);
	if (in->stats)
		fprintf(f, ", \"norms\": {\"min\": %.9g, \"mean\": %.9g, "
		    "\"max\": %.9g, \"zero_rows\": %zu, \"nonfinite_rows\": %zu}, "
		    "\"normalized\": %s", in->norm_min, in->norm_mean,
		    in->norm_max, in->zero_rows, in->nonfinite,
		    in->normalized ? "true" : "false");
	fputs(", \"tensors\": [", f);
	for (i = 0; i < in->ntensors; i++) {
		fputs(i ? ", {\"name\": " : "{\"name\": ", f);
		json_str(f, in->tensors[i].name);
		fprintf(f, ", \"dtype\": \"%s\", \"shape\": ",
		    in->tensors[i].dtype);
		put_shape(f, &in->tensors[i]);
		fputc('}', f);
	}
	fputs("], \"metadata\": {", f);
	for (i = 0; i < in->nmeta; i++) {
		if (i)
			fputs(", ", f);
		json_str(f, in->meta[2 * i]);
		fputs(": ", f);
		json_str(f, in->meta[2 * i + 1]);
	}
	fputs("}}\n", f);
	return ferror(f) ? -1 : 0;
}
