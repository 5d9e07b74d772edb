/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hits.h"
#include "knn.h"
#include "model.h"
#include "ids.h"
#include "points.h"
#include "pool.h"
#include "simeval.h"
#include "src.h"
#include "tokvocab.h"
#include "util.h"
#include "vstream.h"

static const char usage_text[] =
"usage: emb-sim [-h] [--csv] [--format name] [--ids] [--matrix] [-m model]\n"
"               [--metric name] [token ...]\n"
"       emb-sim [-h] [--csv] [--format name] [--matrix] [-m model]\n"
"               [--metric name] [--pool mode] -t tokenizer [text ...]\n"
"       emb-sim [-h] [--csv] [--matrix] [--metric name] --vectors [file]\n"
"       emb-sim [-h] [--dummy4unknown | --subwords] [--fold mode]\n"
"               [--format name] [-m model] [--metric name] [--restrict n]\n"
"               --eval file\n";

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
"      --format=NAME     the table's format (default: detected)\n"
"  -h, --help            print this help and exit\n"
"      --ids             tokens are row IDs\n"
"  -m, --model=FILE      the table (default: $EMB_MODEL)\n"
"      --matrix          all pairs among the tokens or vectors read\n"
"      --metric=NAME     cosine (default), dot, or l2 (distance)\n"
"      --pool=MODE       -t: a word of several tokens is their rows pooled\n"
"                        by mean (default), avg, sum, max, first, last\n"
"      --restrict=N      --eval: only the first N rows (default 300000,\n"
"                        0 = all)\n"
"      --subwords        --eval: score pairs with an unseen word by its\n"
"                        n-grams (a model with subwords)\n"
"  -t, --tokenizer=TOK   the table's rows are TOK's token IDs: each operand\n"
"                        is a word or phrase, tokenized as emb-tokenize\n"
"                        does; stdin lines hold tab-separated ones\n"
"                        (default: $EMB_TOKENIZER)\n"
"      --vectors         read a vector stream (text or binary); rows are\n"
"                        taken two at a time, or all with --matrix\n"
"      --version         print the version and exit\n";

enum { OPT_CSV = CHAR_MAX + 1, OPT_DUMMY, OPT_EVAL, OPT_FOLD, OPT_FORMAT,
    OPT_IDS, OPT_MATRIX, OPT_METRIC, OPT_POOL, OPT_RESTRICT, OPT_SUBWORDS,
    OPT_VECTORS, OPT_VERSION };

/* the options that only choose what to do */
struct sim_opts {
	const char *model;		/* -m, else $EMB_MODEL */
	enum fmt format;		/* --format: detect */
	const char *evalfile;		/* --eval */
	enum simeval_fold fold;		/* --fold */
	size_t restrict_n;		/* --restrict */
	int matrix, vectors, evalonly;
	int dummy;			/* 1 --dummy4unknown, 2 --subwords */
	const char *tok;		/* -t, else $EMB_TOKENIZER */
	enum pool_mode pool;		/* --pool */
	int pooling;
};

struct sim {
	struct model m;
	enum knn_metric metric;
	int csv, ids;
	struct points it;	/* the items compared: labels and vectors */
	struct tokquery *tq;	/* -t: items are text, or NULL */
	struct sim_opts opt;
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

/* the row a token (or ID) names; dies with where:line on failure */
static size_t
find(struct sim *s, const char *tok, const char *where, size_t line)
{
	struct emb_err e;
	uint32_t row;
	long id;
	int r;

	if (s->ids) {
		if ((r = ids_one(tok, strlen(tok), s->m.V, &row)) == 0)
			return row;
		err_set(&e, where, line, "ID \"%s\" is %s (%zu rows)", tok,
		    r == -1 ? "not a number" : "out of range", s->m.V);
		cli_die(&e);
	}
	if ((id = model_find(&s->m, tok, strlen(tok))) < 0) {
		err_set(&e, where, line, "unknown token \"%s\"", tok);
		cli_die(&e);
	}
	return (size_t)id;
}

/*
 * A token's vector: with -t the tokens of a word or phrase (tokquery),
 * else its row, or for a subword model its n-grams' mean.
 */
static void
add_token(struct sim *s, const char *tok, const char *where, size_t line)
{
	float *v = xmalloc((s->m.d ? s->m.d : 1) * sizeof(float));
	struct emb_err e;
	long r;

	if (s->tq != NULL) {
		if (tokquery_vector(s->tq, tok, strlen(tok), v, where, line,
		    &e) < -1)
			cli_die(&e);
	} else {
		r = s->ids ? (long)find(s, tok, where, line) :
		    model_vector(&s->m, tok, strlen(tok), v, &e);
		if (r == -1)	/* the unknown-token message */
			find(s, tok, where, line);
		if (r == -3 || (s->ids && model_row_finite(&s->m, (size_t)r,
		    v, &e) < 0))
			cli_die(&e);
	}
	points_add(&s->it, tok, strlen(tok), v);
	free(v);
}

/* score items i and j; a zero vector under cosine is an error */
static double
score(struct sim *s, size_t i, size_t j, const char *where, size_t line)
{
	const struct points *it = &s->it;
	const float *u = it->x + i * it->d, *v = it->x + j * it->d;
	struct emb_err e;
	const char *lab;
	size_t len;
	double r;
	int zero;

	r = knn_score(s->metric, u, v, it->d, &zero);
	if (zero) {
		lab = points_label(it, knn_score(KNN_DOT, u, u, it->d,
		    &zero) == 0 ? i : j, &len);
		err_set(&e, where, line, "zero vector \"%.*s\" under cosine",
		    (int)len, lab);
		cli_die(&e);
	}
	return r;
}

/* write the pair of items 0 and 1, then forget them */
static void
put_pair(struct sim *s, const char *where, size_t line)
{
	double r = score(s, 0, 1, where, line);
	const char *a, *b;
	size_t alen, blen;

	a = points_label(&s->it, 0, &alen);
	b = points_label(&s->it, 1, &blen);
	if (hits_write(stdout, s->csv, a, alen, b, blen, r) < 0)
		cli_write_failed();
	points_clear(&s->it);
}

static void
put_matrix(struct sim *s)
{
	struct points *it = &s->it;
	double *m = xreallocarray(NULL, it->n * it->n + 1, sizeof(double));
	size_t i, j;

	for (i = 0; i < it->n; i++)
		for (j = 0; j < it->n; j++)
			m[i * it->n + j] = score(s, i, j, NULL, 0);
	if (simeval_write_matrix(stdout, it, m, s->csv) < 0)
		cli_write_failed();
	free(m);
}

/*
 * stdin: "a b" lines (pairs) or blank-separated tokens (matrix); with -t
 * the fields are separated by tabs
 */
static void
read_tokens(struct sim *s, int matrix)
{
	struct emb_err e;
	struct src in;
	char *line, **w = NULL;
	size_t wcap = 0, nw, i;
	ssize_t len;

	if (src_open(&in, "-", &e) < 0)
		cli_die(&e);
	while ((len = src_getline(&in, &line, &e)) >= 0) {
		nw = 0;
		if (s->tq != NULL)
			src_split_tabs(line, &w, &nw, &wcap);
		else
			src_split(line, &w, &nw, &wcap);
		if (matrix) {
			for (i = 0; i < nw; i++)
				add_token(s, w[i], in.name, in.line);
			continue;
		}
		if (nw == 0)
			continue;
		if (nw != 2) {
			err_set(&e, in.name, in.line, "expected 2 %s, "
			    "found %zu", s->tq != NULL ? "tab-separated fields" :
			    "tokens", nw);
			cli_die(&e);
		}
		add_token(s, w[0], in.name, in.line);
		add_token(s, w[1], in.name, in.line);
		put_pair(s, in.name, in.line);
	}
	if (len == -2)
		cli_die(&e);
	free(w);
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

		s->it.d = vs.d;
		if (vs.label != NULL)
			points_add(&s->it, vs.label, vs.labellen, vs.vec);
		else
			points_add(&s->it, num, (size_t)snprintf(num,
			    sizeof(num), "%zu", vs.row), vs.vec);
		if (!matrix && s->it.n == 2)
			put_pair(s, vs.src.name, vs.binary ? 0 : vs.src.line);
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
    enum simeval_fold fold, enum simeval_oov oov)
{
	struct simeval_vocab ev;
	struct simeval_set set;
	struct simeval_result r;
	struct emb_err e;

	if (simeval_load(&set, file, &e) < 0)
		cli_die(&e);
	simeval_vocab_init(&ev, &s->m, restrict_n, fold);
	if (simeval_run(&set, &ev, s->metric, oov, &r, &e) < 0)
		cli_die(&e);
	if (printf("pairs\t%zu\nused\t%zu\noov\t%zu\noov_ratio\t%.6f\n"
	    "spearman\t%.6f\nspearman_p\t%.6g\npearson\t%.6f\n"
	    "pearson_p\t%.6g\n", r.total, r.used, r.oov, r.oov_ratio,
	    r.spearman, r.spearman_p, r.pearson, r.pearson_p) < 0 ||
	    (oov == SIMEVAL_OOV_SUBWORD && printf("oov_scored\t%zu\n",
	    r.oov_scored) < 0))
		cli_write_failed();
	simeval_vocab_free(&ev);
	simeval_set_free(&set);
}

static const struct option longopts[] = {
	{ "csv",		no_argument,		NULL, OPT_CSV },
	{ "dummy4unknown",	no_argument,		NULL, OPT_DUMMY },
	{ "eval",		required_argument,	NULL, OPT_EVAL },
	{ "fold",		required_argument,	NULL, OPT_FOLD },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "ids",		no_argument,		NULL, OPT_IDS },
	{ "matrix",		no_argument,		NULL, OPT_MATRIX },
	{ "metric",		required_argument,	NULL, OPT_METRIC },
	{ "model",		required_argument,	NULL, 'm' },
	{ "pool",		required_argument,	NULL, OPT_POOL },
	{ "restrict",		required_argument,	NULL, OPT_RESTRICT },
	{ "subwords",		no_argument,		NULL, OPT_SUBWORDS },
	{ "tokenizer",		required_argument,	NULL, 't' },
	{ "vectors",		no_argument,		NULL, OPT_VECTORS },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* the options into s; returns optind */
static int
parse_options(int argc, char *argv[], struct sim *s)
{
	struct sim_opts *o = &s->opt;
	int ch;

	memset(s, 0, sizeof(*s));
	s->metric = KNN_COSINE;
	o->format = FMT_NONE;
	o->fold = SIMEVAL_FOLD_UPPER;	/* gensim's default */
	o->restrict_n = 300000;		/* gensim's default */
	o->pool = POOL_MEAN;
	while ((ch = getopt_long(argc, argv, "hm:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(cli_close_stdout());
		case 'm':
			o->model = optarg;
			break;
		case 't':
			o->tok = optarg;
			break;
		case OPT_CSV:
			s->csv = 1;
			break;
		case OPT_DUMMY:
			o->evalonly = 1;
			o->dummy |= 1;
			break;
		case OPT_EVAL:
			o->evalfile = optarg;
			break;
		case OPT_FOLD:
			if (simeval_fold_byname(optarg, &o->fold) < 0)
				cli_usage_die(usage_text, "--fold: \"%s\" is not "
				    "one of upper, lower, none", optarg);
			o->evalonly = 1;
			break;
		case OPT_FORMAT:
			o->format = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_IDS:
			s->ids = 1;
			break;
		case OPT_MATRIX:
			o->matrix = 1;
			break;
		case OPT_METRIC:
			if (knn_metric_byname(optarg, &s->metric) < 0)
				cli_usage_die(usage_text, "--metric: \"%s\" is "
				    "not one of cosine, dot, l2", optarg);
			break;
		case OPT_POOL:
			o->pool = cli_pool(usage_text, optarg);
			o->pooling = 1;
			break;
		case OPT_RESTRICT:
			o->restrict_n = (size_t)cli_long(usage_text,
			    "--restrict", optarg, 0, LONG_MAX);
			o->evalonly = 1;
			break;
		case OPT_SUBWORDS:
			o->evalonly = 1;
			o->dummy |= 2;
			break;
		case OPT_VECTORS:
			o->vectors = 1;
			break;
		case OPT_VERSION:
			cli_version();
			break;
		default:
			usage();
		}
	}
	return optind;
}

/* the combinations that make sense; -t from $EMB_TOKENIZER */
static void
check_options(struct sim *s, int argc)
{
	struct sim_opts *o = &s->opt;

	if ((o->evalfile != NULL && (o->matrix || o->vectors || s->ids ||
	    s->csv || argc > 0)) || (o->evalfile == NULL && o->evalonly) ||
	    o->dummy == 3 || (o->vectors && (s->ids || argc > 1)))
		cli_usage_die(usage_text, "conflicting options");
	if (o->evalfile == NULL && !o->vectors && !s->ids)
		o->tok = cli_tokenizer(o->tok);
	if (o->tok != NULL && (o->evalfile != NULL || o->vectors || s->ids))
		cli_usage_die(usage_text, "-t: the items are text, not --ids, "
		    "--vectors or --eval");
	if (o->pooling && o->tok == NULL)
		cli_usage_die(usage_text, "--pool goes with -t");
	if (!o->matrix && !o->vectors && argc % 2 != 0)
		cli_usage_die(usage_text, "tokens come in pairs: %d given",
		    argc);
}

/* the items from the model: the operands, stdin or --eval's pairs */
static void
from_model(struct sim *s, int argc, char *argv[])
{
	struct sim_opts *o = &s->opt;
	struct tokenizer *t = NULL;
	struct tokquery tq;
	struct emb_err e;
	int i;

	if (model_open(&s->m, cli_model(usage_text, o->model), o->format,
	    &e) < 0)
		cli_die(&e);
	if (o->tok != NULL) {
		if ((t = tokvocab_attach(&s->m, o->tok, 1, &e)) == NULL)
			cli_die(&e);
		tokquery_init(&tq, t, &s->m, o->pool);
		tq.single = 1;
		s->tq = &tq;
	}
	points_init(&s->it, s->m.d);
	if (o->evalfile != NULL)
		eval(s, o->evalfile, o->restrict_n, o->fold, o->dummy == 1 ?
		    SIMEVAL_OOV_ZERO : o->dummy == 2 ? SIMEVAL_OOV_SUBWORD :
		    SIMEVAL_OOV_SKIP);
	else if (argc == 0)
		read_tokens(s, o->matrix);
	else
		for (i = 0; i < argc; i++) {
			add_token(s, argv[i], NULL, 0);
			if (!o->matrix && s->it.n == 2)
				put_pair(s, NULL, 0);
		}
	if (o->matrix)
		put_matrix(s);
	points_free(&s->it);
	if (t != NULL) {
		tokquery_free(&tq);
		tokenizer_free(t);
		s->tq = NULL;
	}
	model_close(&s->m);
}

int
main(int argc, char *argv[])
{
	struct sim s;
	int first;

	cli_init("emb-sim");
	first = parse_options(argc, argv, &s);
	argc -= first;
	argv += first;
	check_options(&s, argc);
	if (s.opt.vectors) {
		points_init(&s.it, 0);
		read_vectors(&s, argc > 0 ? argv[0] : "-", s.opt.matrix);
		if (s.opt.matrix)
			put_matrix(&s);
		points_free(&s.it);
	} else
		from_model(&s, argc, argv);
	return cli_close_stdout();
}
