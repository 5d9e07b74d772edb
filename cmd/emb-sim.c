/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "knn.h"
#include "model.h"
#include "pool.h"
#include "simeval.h"
#include "simitems.h"
#include "tokvocab.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-sim [-h] [--csv] [--format name] [--ids] [--matrix] [-m model]\n"
"               [--metric name] [token ...]\n"
"       emb-sim [-h] [--csv] [--format name] [--matrix] [-m model]\n"
"               [--metric name] [--pool mode] -t tokenizer [text ...]\n"
"       emb-sim [-h] [--csv] [--matrix] [--metric name] --vectors [file]\n"
"       emb-sim [-h] [--format name] [--ids] [-m model] [-t tokenizer]\n"
"               --odd-one-out [token ...]\n"
"       emb-sim [-h] [--dummy4unknown | --subwords] [--fold mode]\n"
"               [--format name] [-m model] [--metric name] [--restrict n]\n"
"               --eval file\n";

static const char help_text[] =
"Similarity of token pairs (operands two at a time, or \"a b\" lines on\n"
"stdin), of all pairs among tokens (--matrix), of vectors (--vectors), the\n"
"odd one out of each line (--odd-one-out), or a word-similarity\n"
"evaluation against human scores (--eval).\n"
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
"      --odd-one-out     write the token of each line (or of the operands)\n"
"                        least like the others, as gensim's doesnt_match\n"
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
    OPT_IDS, OPT_MATRIX, OPT_METRIC, OPT_ODD, OPT_POOL, OPT_RESTRICT, OPT_SUBWORDS,
    OPT_VECTORS, OPT_VERSION };

/* the options that only choose what to do */
struct sim_opts {
	const char *model;		/* -m, else $EMB_MODEL */
	enum fmt format;		/* --format: detect */
	const char *evalfile;		/* --eval */
	enum simeval_fold fold;		/* --fold */
	size_t restrict_n;		/* --restrict */
	int vectors, evalonly;
	int dummy;			/* 1 --dummy4unknown, 2 --subwords */
	const char *tok;		/* -t, else $EMB_TOKENIZER */
	enum pool_mode pool;		/* --pool */
	int pooling;
};

struct sim {
	struct model m;
	struct simitems_opts so;	/* --metric, --matrix, --ids, --csv */
	struct sim_opts opt;
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

/* a failed simitems call: its message, or the write failure */
static void
die(int r, const struct emb_err *e)
{
	if (r == SIMITEMS_EWRITE)
		cli_write_failed();
	cli_die(e);
}

static void
eval(struct sim *s)
{
	struct sim_opts *o = &s->opt;
	struct simeval_result r;
	enum simeval_oov oov;
	struct emb_err e;

	oov = o->dummy == 1 ? SIMEVAL_OOV_ZERO : o->dummy == 2 ?
	    SIMEVAL_OOV_SUBWORD : SIMEVAL_OOV_SKIP;
	if (simeval_eval(&s->m, o->evalfile, o->restrict_n, o->fold,
	    s->so.metric, oov, &r, &e) < 0)
		cli_die(&e);
	if (simeval_write_result(stdout, &r, oov) < 0)
		cli_write_failed();
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
	{ "odd-one-out",	no_argument,		NULL, OPT_ODD },
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
	s->so.metric = KNN_COSINE;
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
			s->so.csv = 1;
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
			s->so.ids = 1;
			break;
		case OPT_MATRIX:
			s->so.matrix = 1;
			break;
		case OPT_ODD:
			s->so.odd = 1;
			break;
		case OPT_METRIC:
			if (knn_metric_byname(optarg, &s->so.metric) < 0)
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

	if ((o->evalfile != NULL && (s->so.matrix || o->vectors ||
	    s->so.ids || s->so.csv || argc > 0)) || (o->evalfile == NULL &&
	    o->evalonly) || o->dummy == 3 || (o->vectors && (s->so.ids ||
	    argc > 1)) || (s->so.odd && (s->so.matrix || s->so.csv ||
	    o->vectors || o->evalfile != NULL || s->so.metric != KNN_COSINE)))
		cli_usage_die(usage_text, "conflicting options");
	if (o->evalfile == NULL && !o->vectors && !s->so.ids)
		o->tok = cli_tokenizer(o->tok);
	if (o->tok != NULL && (o->evalfile != NULL || o->vectors ||
	    s->so.ids))
		cli_usage_die(usage_text, "-t: the items are text, not --ids, "
		    "--vectors or --eval");
	if (o->pooling && o->tok == NULL)
		cli_usage_die(usage_text, "--pool goes with -t");
	if (!s->so.matrix && !s->so.odd && !o->vectors && argc % 2 != 0)
		cli_usage_die(usage_text, "tokens come in pairs: %d given",
		    argc);
}

/* the items from the model: the operands, stdin or --eval's pairs */
static void
from_model(struct sim *s, int argc, char *argv[])
{
	struct sim_opts *o = &s->opt;
	struct tokenizer *t = NULL;
	struct simitems it;
	struct tokquery tq;
	struct emb_err e;
	int r;

	if (model_open(&s->m, cli_model(usage_text, o->model), o->format,
	    &e) < 0)
		cli_die(&e);
	if (o->tok != NULL) {
		if ((t = tokvocab_attach(&s->m, o->tok, 1, &e)) == NULL)
			cli_die(&e);
		tokquery_init(&tq, t, &s->m, o->pool);
		tq.single = 1;
		s->so.text = &tq;
	}
	if (o->evalfile != NULL)
		eval(s);
	else {
		simitems_init(&it, &s->m, &s->so, stdout);
		if ((r = argc == 0 ? simitems_stream(&it, "-", &e) :
		    simitems_args(&it, argv, (size_t)argc, &e)) < 0 ||
		    (s->so.matrix && (r = simitems_matrix(&it, &e)) < 0))
			die(r, &e);
		simitems_free(&it);
	}
	if (t != NULL) {
		tokquery_free(&tq);
		tokenizer_free(t);
	}
	model_close(&s->m);
}

int
main(int argc, char *argv[])
{
	struct simitems it;
	struct emb_err e;
	struct sim s;
	int first, r;

	cli_init("emb-sim");
	first = parse_options(argc, argv, &s);
	argc -= first;
	argv += first;
	check_options(&s, argc);
	if (s.opt.vectors) {
		simitems_init(&it, NULL, &s.so, stdout);
		if ((r = simitems_vectors(&it, argc > 0 ? argv[0] : "-",
		    &e)) < 0 || (s.so.matrix && (r = simitems_matrix(&it,
		    &e)) < 0))
			die(r, &e);
		simitems_free(&it);
	} else
		from_model(&s, argc, argv);
	return cli_close_stdout();
}
