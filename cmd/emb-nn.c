/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "knn.h"
#include "model.h"
#include "pool.h"
#include "query.h"
#include "shard.h"
#include "tokvocab.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-nn [-hq] [--csv] [--ids | --tokens | --vectors] [--include-query]\n"
"              [--format name] [-k count] [-m model] [--metric name]\n"
"              [--oov policy] [--restrict n] [--shard i/n] [--threads n]\n"
"              [query ...]\n"
"       emb-nn [-hv] [--csv] [--include-query] [--format name] [-k count]\n"
"              [-m model] [--metric name] [--pool mode] [--restrict n]\n"
"              [--shard i/n] [--threads n] -t tokenizer [text ...]\n"
"       emb-nn --merge [--csv] [-k count] [--metric name] file ...\n";

static const char help_text[] =
"Print the k nearest neighbours of each query: query<TAB>neighbour<TAB>score.\n"
"Queries are the operands, else stdin: tokens, IDs (--ids) or vectors\n"
"(text or binary vector stream, as emb-lookup writes).\n"
"\n"
"      --csv            write query,neighbour,score as CSV\n"
"      --format=NAME    the table's format (default: detected)\n"
"  -h, --help           print this help and exit\n"
"      --ids            queries are row IDs; neighbours are printed as IDs\n"
"      --include-query  do not leave the query's own row out\n"
"  -k, --count=N        neighbours per query (default 10)\n"
"  -m, --model=FILE     the table (default: $EMB_MODEL)\n"
"      --merge          merge the partial lists of --shard runs (the file\n"
"                       operands) into the k best per query\n"
"      --metric=NAME    cosine (default), dot, or l2 (Euclidean distance,\n"
"                       smallest first)\n"
"      --oov=POLICY     unknown query tokens: error (default) or skip\n"
"      --pool=MODE      -t: a query of several tokens is their rows pooled\n"
"                       by mean (default), avg, sum, max, first, last\n"
"  -q, --quiet          do not report skipped unknown tokens\n"
"      --restrict=N     search only the first N rows (the most frequent;\n"
"                       0 = all, the default)\n"
"      --shard=I/N      search only shard I of N (rows V*(I-1)/N up to\n"
"                       V*I/N) and print partial lists for --merge\n"
"      --threads=N      threads, 0 = all cores (default 0)\n"
"  -t, --tokenizer=TOK  the table's rows are TOK's token IDs: each operand,\n"
"                       or each stdin line, is a word or phrase, tokenized\n"
"                       as emb-tokenize does; neighbours are printed as\n"
"                       readable tokens (default: $EMB_TOKENIZER)\n"
"      --tokens         stdin holds tokens (default: detected)\n"
"      --vectors        stdin holds vectors (default: detected)\n"
"  -v, --verbose        -t: say how queries of several tokens were pooled\n"
"      --version        print the version and exit\n";

enum { OPT_CSV = CHAR_MAX + 1, OPT_FORMAT, OPT_IDS, OPT_INCLUDE, OPT_MERGE,
    OPT_METRIC, OPT_OOV, OPT_POOL, OPT_RESTRICT, OPT_SHARD, OPT_THREADS,
    OPT_TOKENS, OPT_VECTORS, OPT_VERSION };

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

/* --merge: the partial lists of --shard runs (the operands) into one */
static int
merge_lists(char **argv, int argc, const struct query_opts *o)
{
	struct emb_err e;

	if (argc == 0)
		cli_usage_die(usage_text, "--merge needs the partial lists as "
		    "operands");
	if (shard_merge(argv, (size_t)argc, o->k, o->metric == KNN_L2, o->csv,
	    stdout, &e) < 0) {
		if (errno == EPIPE)
			return STATUS_OK;
		cli_die(&e);
	}
	return cli_close_stdout();
}

/*
 * The queries (operands, else stdin) against the model, hits to stdout;
 * with a tokenizer (-t), the queries are text
 */
static int
search(const char *model, enum fmt format, const char *tok,
    enum pool_mode pool, char **argv, int argc,
    const struct query_opts *opts)
{
	struct query_opts o = *opts;	/* with -t, the queries' tokquery */
	struct query q;
	struct model m;
	struct tokenizer *t = NULL;
	struct tokquery tq;
	struct emb_err e;
	int r;

	if (model_open(&m, cli_model(usage_text, model), format, &e) < 0)
		cli_die(&e);
	if (tok != NULL) {
		if ((t = tokvocab_attach(&m, tok, 1, &e)) == NULL)
			cli_die(&e);
		tokquery_init(&tq, t, &m, pool);
		tq.single = 1;
		o.kind = QUERY_TEXT;
		o.text = &tq;
	}
	query_init(&q, &m, &o, stdout);
	if (argc > 0)
		r = query_args(&q, argv, (size_t)argc, &e);
	else
		r = query_stream(&q, "-", &e);
	if (r == 0)
		r = query_flush(&q, &e);
	if (r == QUERY_EWRITE)
		cli_write_failed();
	if (r < 0)
		cli_die(&e);
	query_free(&q);
	if (t != NULL) {
		tokquery_free(&tq);
		tokenizer_free(t);
	}
	model_close(&m);
	return cli_close_stdout();
}

static const struct option longopts[] = {
	{ "count",	required_argument,	NULL, 'k' },
	{ "csv",	no_argument,		NULL, OPT_CSV },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "help",	no_argument,		NULL, 'h' },
	{ "ids",	no_argument,		NULL, OPT_IDS },
	{ "include-query", no_argument,		NULL, OPT_INCLUDE },
	{ "merge",	no_argument,		NULL, OPT_MERGE },
	{ "metric",	required_argument,	NULL, OPT_METRIC },
	{ "model",	required_argument,	NULL, 'm' },
	{ "oov",	required_argument,	NULL, OPT_OOV },
	{ "pool",	required_argument,	NULL, OPT_POOL },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "restrict",	required_argument,	NULL, OPT_RESTRICT },
	{ "shard",	required_argument,	NULL, OPT_SHARD },
	{ "threads",	required_argument,	NULL, OPT_THREADS },
	{ "tokenizer",	required_argument,	NULL, 't' },
	{ "tokens",	no_argument,		NULL, OPT_TOKENS },
	{ "vectors",	no_argument,		NULL, OPT_VECTORS },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* the command line */
struct opts {
	struct query_opts o;
	const char *model;		/* -m, else $EMB_MODEL */
	enum fmt format;		/* --format: detect */
	int merge;			/* --merge partial lists */
	const char *tok;		/* -t, else $EMB_TOKENIZER */
	enum pool_mode pool;		/* --pool */
	char **args;			/* the operands */
	int nargs;
};

/*
 * A search option (-k, --csv .. --vectors) into o, counting --ids,
 * --tokens and --vectors in nin: 1 if ch is one, else 0
 */
static int
query_option(int ch, struct query_opts *o, int *nin)
{
	switch (ch) {
	case 'k':
		o->k = (size_t)cli_long(usage_text, "-k", optarg, 1,
		    LONG_MAX);
		break;
	case OPT_CSV:
		o->csv = 1;
		break;
	case OPT_IDS:
		o->kind = QUERY_IDS;
		(*nin)++;
		break;
	case OPT_INCLUDE:
		o->include = 1;
		break;
	case OPT_METRIC:
		if (knn_metric_byname(optarg, &o->metric) < 0)
			cli_usage_die(usage_text, "--metric: \"%s\" is "
			    "not one of cosine, dot, l2", optarg);
		break;
	case OPT_OOV:
		if (strcmp(optarg, "error") == 0)
			o->oov_skip = 0;
		else if (strcmp(optarg, "skip") == 0)
			o->oov_skip = 1;
		else
			cli_usage_die(usage_text, "--oov: \"%s\" is not "
			    "one of error, skip", optarg);
		break;
	case OPT_RESTRICT:
		o->restrict_n = (size_t)cli_long(usage_text,
		    "--restrict", optarg, 0, LONG_MAX);
		break;
	case OPT_SHARD:
		if (shard_parse(optarg, &o->shard_i, &o->shard_n) < 0)
			cli_usage_die(usage_text, "--shard: \"%s\" is not "
			    "I/N with 1 <= I <= N", optarg);
		break;
	case OPT_THREADS:
		o->threads = (int)cli_long(usage_text, "--threads",
		    optarg, 0, 1024);
		break;
	case OPT_TOKENS:
		o->kind = QUERY_TOKENS;
		(*nin)++;
		break;
	case OPT_VECTORS:
		o->kind = QUERY_VECTORS;
		(*nin)++;
		break;
	default:
		return 0;
	}
	return 1;
}

/* the options into op, checked; --help and --version exit */
static void
parse_options(int argc, char *argv[], struct opts *op)
{
	struct query_opts *o = &op->o;
	int quiet = 0;			/* -q: no word of skipped tokens */
	int pooling = 0, verbose = 0;	/* --pool, -v given */
	int nin = 0;			/* --ids, --tokens, --vectors given */
	int ch;

	memset(op, 0, sizeof(*op));
	query_opts_init(o);		/* k 10, cosine, all cores */
	op->format = FMT_NONE;
	op->pool = POOL_MEAN;
	while ((ch = getopt_long(argc, argv, "hk:m:qt:v", longopts, NULL)) !=
	    -1) {
		if (query_option(ch, o, &nin))
			continue;
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(cli_close_stdout());
		case 'm':
			op->model = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 't':
			op->tok = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_FORMAT:
			op->format = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_MERGE:
			op->merge = 1;
			break;
		case OPT_POOL:
			op->pool = cli_pool(usage_text, optarg);
			pooling = 1;
			break;
		case OPT_VERSION:
			cli_version();
			break;
		default:
			usage();
		}
	}
	op->args = argv + optind;
	op->nargs = argc - optind;
	if (nin > 1 || (op->nargs > 0 && o->kind == QUERY_VECTORS) ||
	    (op->merge && (nin > 0 || o->shard_n || o->include ||
	    o->restrict_n || op->model != NULL)))
		cli_usage_die(usage_text, "conflicting options");
	if (op->merge) {
		if (op->tok != NULL || pooling || verbose)
			cli_usage_die(usage_text, "conflicting options");
		return;
	}
	if (nin == 0)
		op->tok = cli_tokenizer(op->tok);
	if (op->tok != NULL && nin > 0)
		cli_usage_die(usage_text, "-t: the queries are text, not "
		    "--ids, --tokens or --vectors");
	if ((pooling || verbose) && op->tok == NULL)
		cli_usage_die(usage_text, "--pool and -v go with -t");
	o->warn = quiet ? NULL : cli_warn;
	o->describe = verbose ? cli_warn : NULL;
}

int
main(int argc, char *argv[])
{
	struct opts op;

	cli_init("emb-nn");
	parse_options(argc, argv, &op);
	if (op.merge)
		return merge_lists(op.args, op.nargs, &op.o);
	return search(op.model, op.format, op.tok, op.pool, op.args,
	    op.nargs, &op.o);
}
