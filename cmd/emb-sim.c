/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "knn.h"
#include "model.h"
#include "num.h"
#include "simeval.h"
#include "src.h"
#include "util.h"
#include "vstream.h"

static const char usage_text[] =
"usage: emb-sim [-h] [--csv] [--ids] [--matrix] [-m model] [--metric name]\n"
"               [token ...]\n"
"       emb-sim [-h] [--csv] [--matrix] [--metric name] --vectors [file]\n"
"       emb-sim [-h] [--dummy4unknown] [--fold mode] [-m model]\n"
"               [--metric name] [--restrict n] --eval file\n";

static const char help_text[] =
"Similarity of token pairs (operands two at a time, or \"a b\" lines on\n"
"stdin), of all pairs among tokens (--matrix), of vectors (--vectors), or\n"
"a word-similarity evaluation against human scores (--eval).\n"
"\n"
"      --csv             write CSV\n"
"      --dummy4unknown   --eval: score pairs with an unknown word 0 instead\n"
"                        of leaving them out\n"
"      --eval=FILE       evaluate on FILE (\"w1 w2 score\" lines)\n"
"      --fold=MODE       --eval: fold case: upper (default), lower, none\n"
"  -h, --help            print this help and exit\n"
"      --ids             tokens are row IDs\n"
"  -m, --model=FILE      the table (default: $EMB_MODEL)\n"
"      --matrix          all pairs among the tokens or vectors read\n"
"      --metric=NAME     cosine (default), dot, or l2 (distance)\n"
"      --restrict=N      --eval: only the first N rows (default 300000,\n"
"                        0 = all)\n"
"      --vectors         read a vector stream (text or binary); rows are\n"
"                        taken two at a time, or all with --matrix\n"
"      --version         print the version and exit\n";

enum { OPT_CSV = CHAR_MAX + 1, OPT_DUMMY, OPT_EVAL, OPT_FOLD, OPT_IDS,
    OPT_MATRIX, OPT_METRIC, OPT_RESTRICT, OPT_VECTORS, OPT_VERSION };

/* the items compared: a label and a vector each */
struct items {
	size_t n, cap, d;
	char **label;
	size_t *len;
	float *vec;
};

struct sim {
	struct model m;
	enum knn_metric metric;
	int csv, ids;
	struct items it;
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

static void
add_item(struct items *it, const char *label, size_t len, const float *v)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? 2 * it->cap : 64;
		it->label = xreallocarray(it->label, it->cap, sizeof(char *));
		it->len = xreallocarray(it->len, it->cap, sizeof(size_t));
		it->vec = xreallocarray(it->vec, it->cap,
		    (it->d ? it->d : 1) * sizeof(float));
	}
	it->label[it->n] = xmemdup(label, len);
	it->len[it->n] = len;
	memcpy(it->vec + it->n * it->d, v, it->d * sizeof(float));
	it->n++;
}

static void
free_items(struct items *it)
{
	size_t i;

	for (i = 0; i < it->n; i++)
		free(it->label[i]);
	free(it->label);
	free(it->len);
	free(it->vec);
	memset(it, 0, sizeof(*it));
}

/* the row a token (or ID) names; dies with where:line on failure */
static size_t
find(struct sim *s, const char *tok, const char *where, size_t line)
{
	struct emb_err e;
	const char *why;
	long id;

	if (s->ids) {
		if (num_long(tok, 0, (long)s->m.V - 1, &id, &why) == 0)
			return (size_t)id;
		err_set(&e, where, line, "ID \"%s\" is %s (%zu rows)", tok,
		    strcmp(why, "invalid") == 0 ? "not a number" :
		    "out of range", s->m.V);
		cli_die(&e);
	}
	if ((id = model_find(&s->m, tok, strlen(tok))) < 0) {
		err_set(&e, where, line, "unknown token \"%s\"", tok);
		cli_die(&e);
	}
	return (size_t)id;
}

static void
add_token(struct sim *s, const char *tok, const char *where, size_t line)
{
	float *v = xmalloc((s->m.d ? s->m.d : 1) * sizeof(float));
	struct emb_err e;

	if (model_row_finite(&s->m, find(s, tok, where, line), v, &e) < 0)
		cli_die(&e);
	add_item(&s->it, tok, strlen(tok), v);
	free(v);
}

/* score items i and j; a zero vector under cosine is an error */
static double
score(struct sim *s, size_t i, size_t j, const char *where, size_t line)
{
	struct items *it = &s->it;
	struct emb_err e;
	double r;
	int zero;

	r = knn_score(s->metric, it->vec + i * it->d,
	    it->vec + j * it->d, it->d, &zero);
	if (zero) {
		size_t z = knn_score(KNN_DOT, it->vec + i * it->d,
		    it->vec + i * it->d, it->d, &zero) == 0 ? i : j;

		err_set(&e, where, line, "zero vector \"%.*s\" under cosine",
		    (int)it->len[z], it->label[z]);
		cli_die(&e);
	}
	return r;
}

static void
put_pair(struct sim *s, size_t i, size_t j, double r)
{
	struct items *it = &s->it;

	if (simeval_write_pair(stdout, it->label[i], it->len[i], it->label[j],
	    it->len[j], r, s->csv) < 0)
		cli_write_failed();
}

static void
put_matrix(struct sim *s)
{
	struct items *it = &s->it;
	double *m = xreallocarray(NULL, it->n * it->n + 1, sizeof(double));
	size_t i, j;

	for (i = 0; i < it->n; i++)
		for (j = 0; j < it->n; j++)
			m[i * it->n + j] = score(s, i, j, NULL, 0);
	if (simeval_write_matrix(stdout, (const char *const *)it->label,
	    it->len, it->n, m, s->csv) < 0)
		cli_write_failed();
	free(m);
}

/* stdin: "a b" lines (pairs) or blank-separated tokens (matrix) */
static void
read_tokens(struct sim *s, int matrix)
{
	struct emb_err e;
	struct src in;
	char *line;
	ssize_t len;

	if (src_open(&in, "-", &e) < 0)
		cli_die(&e);
	while ((len = src_getline(&in, &line, &e)) >= 0) {
		char *w[2], *p = line;
		size_t nw = 0;

		for (;;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '\0')
				break;
			if (matrix || nw < 2)
				w[nw < 2 ? nw : 1] = p;
			nw++;
			p += strcspn(p, " \t");
			if (*p != '\0')
				*p++ = '\0';
			if (matrix)
				add_token(s, w[nw < 2 ? 0 : 1], in.name,
				    in.line);
		}
		if (matrix || nw == 0)
			continue;
		if (nw != 2) {
			err_set(&e, in.name, in.line, "expected 2 tokens, "
			    "found %zu", nw);
			cli_die(&e);
		}
		add_token(s, w[0], in.name, in.line);
		add_token(s, w[1], in.name, in.line);
		put_pair(s, 0, 1, score(s, 0, 1, in.name, in.line));
		free(s->it.label[0]);
		free(s->it.label[1]);
		s->it.n = 0;
	}
	if (len == -2)
		cli_die(&e);
	src_close(&in);
}

/* a vector stream: rows two at a time, or all of them for --matrix */
static void
read_vectors(struct sim *s, const char *path, int matrix)
{
	struct emb_err e;
	struct vstream vs;
	int r;

	if (vstream_open(&vs, path, 0, &e) < 0)
		cli_die(&e);
	while ((r = vstream_next(&vs, &e)) == 0) {
		char num[32];
		size_t line = vs.binary ? 0 : vs.src.line;

		s->it.d = vs.d;
		if (vs.label != NULL)
			add_item(&s->it, vs.label, vs.labellen, vs.vec);
		else
			add_item(&s->it, num, (size_t)snprintf(num,
			    sizeof(num), "%zu", vs.row), vs.vec);
		if (matrix || s->it.n < 2)
			continue;
		put_pair(s, 0, 1, score(s, 0, 1, vs.src.name, line));
		free(s->it.label[0]);
		free(s->it.label[1]);
		s->it.n = 0;
	}
	if (r == -2)
		cli_die(&e);
	if (!matrix && s->it.n == 1)
		cli_dief("%s: odd number of vectors: row %zu has no partner",
		    vs.src.name, vs.row);
	vstream_close(&vs);
}

static void
eval(struct sim *s, const char *file, size_t restrict_n,
    enum simeval_fold fold, int dummy)
{
	struct simeval_vocab ev;
	struct simeval_set set;
	struct simeval_result r;
	struct emb_err e;

	if (simeval_load(&set, file, &e) < 0)
		cli_die(&e);
	simeval_vocab_init(&ev, &s->m, restrict_n, fold);
	if (simeval_run(&set, &ev, s->metric, dummy, &r, &e) < 0)
		cli_die(&e);
	if (printf("pairs\t%zu\nused\t%zu\noov\t%zu\noov_ratio\t%.6f\n"
	    "spearman\t%.6f\nspearman_p\t%.6g\npearson\t%.6f\n"
	    "pearson_p\t%.6g\n", r.total, r.used, r.oov, r.oov_ratio,
	    r.spearman, r.spearman_p, r.pearson, r.pearson_p) < 0)
		cli_write_failed();
	simeval_vocab_free(&ev);
	simeval_set_free(&set);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "csv",		no_argument,		NULL, OPT_CSV },
		{ "dummy4unknown",	no_argument,		NULL, OPT_DUMMY },
		{ "eval",		required_argument,	NULL, OPT_EVAL },
		{ "fold",		required_argument,	NULL, OPT_FOLD },
		{ "help",		no_argument,		NULL, 'h' },
		{ "ids",		no_argument,		NULL, OPT_IDS },
		{ "matrix",		no_argument,		NULL, OPT_MATRIX },
		{ "metric",		required_argument,	NULL, OPT_METRIC },
		{ "model",		required_argument,	NULL, 'm' },
		{ "restrict",		required_argument,	NULL, OPT_RESTRICT },
		{ "vectors",		no_argument,		NULL, OPT_VECTORS },
		{ "version",		no_argument,		NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct sim s;
	struct emb_err e;
	const char *model = NULL;	/* -m, else $EMB_MODEL */
	const char *evalfile = NULL;	/* --eval */
	enum simeval_fold fold = SIMEVAL_FOLD_UPPER;	/* gensim's default */
	size_t restrict_n = 300000;	/* gensim's default */
	int matrix = 0, vectors = 0, dummy = 0, evalonly = 0;
	int ch, i;

	cli_init("emb-sim");
	memset(&s, 0, sizeof(s));
	s.metric = KNN_COSINE;
	while ((ch = getopt_long(argc, argv, "hm:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return cli_close_stdout();
		case 'm':
			model = optarg;
			break;
		case OPT_CSV:
			s.csv = 1;
			break;
		case OPT_DUMMY:
			dummy = evalonly = 1;
			break;
		case OPT_EVAL:
			evalfile = optarg;
			break;
		case OPT_FOLD:
			if (simeval_fold_byname(optarg, &fold) < 0)
				cli_usage_die(usage_text, "--fold: \"%s\" is not "
				    "one of upper, lower, none", optarg);
			evalonly = 1;
			break;
		case OPT_IDS:
			s.ids = 1;
			break;
		case OPT_MATRIX:
			matrix = 1;
			break;
		case OPT_METRIC:
			if (knn_metric_byname(optarg, &s.metric) < 0)
				cli_usage_die(usage_text, "--metric: \"%s\" is "
				    "not one of cosine, dot, l2", optarg);
			break;
		case OPT_RESTRICT:
			restrict_n = (size_t)cli_long(usage_text, "--restrict",
			    optarg, 0, LONG_MAX);
			evalonly = 1;
			break;
		case OPT_VECTORS:
			vectors = 1;
			break;
		case OPT_VERSION:
			cli_version();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((evalfile != NULL && (matrix || vectors || s.ids || s.csv ||
	    argc > 0)) || (evalfile == NULL && evalonly) ||
	    (vectors && (s.ids || argc > 1)))
		cli_usage_die(usage_text, "conflicting options");
	if (!matrix && !vectors && argc % 2 != 0)
		cli_usage_die(usage_text, "tokens come in pairs: %d given",
		    argc);
	if (vectors) {
		read_vectors(&s, argc > 0 ? argv[0] : "-", matrix);
		if (matrix)
			put_matrix(&s);
		free_items(&s.it);
		return cli_close_stdout();
	}
	if (model_open(&s.m, cli_model(usage_text, model), &e) < 0)
		cli_die(&e);
	s.it.d = s.m.d;
	if (evalfile != NULL)
		eval(&s, evalfile, restrict_n, fold, dummy);
	else if (argc == 0)
		read_tokens(&s, matrix);
	else
		for (i = 0; i < argc; i++) {
			add_token(&s, argv[i], NULL, 0);
			if (matrix || s.it.n < 2)
				continue;
			put_pair(&s, 0, 1, score(&s, 0, 1, NULL, 0));
			free(s.it.label[0]);
			free(s.it.label[1]);
			s.it.n = 0;
		}
	if (matrix)
		put_matrix(&s);
	free_items(&s.it);
	model_close(&s.m);
	return cli_close_stdout();
}
