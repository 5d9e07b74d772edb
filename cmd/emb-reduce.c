/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "model.h"
#include "pca.h"
#include "points.h"
#include "pool.h"
#include "src.h"
#include "tokvocab.h"
#include "tsne.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-reduce [-bhv] [--all] [-d dim] [--format name] [--iterations n]\n"
"                  [-m model] [--method name] [--min-length n]\n"
"                  [--perplexity p] [--pool mode] [--seed n] [--skip-special]\n"
"                  [--start how] [-t tokenizer] [--theta t] [--threads n]\n"
"                  [file]\n";

static const char help_text[] =
"Reduce labelled vectors to a few dimensions with PCA or t-SNE.\n"
"\n"
"      --all              with -m: every row of the table\n"
"  -b, --binary           write a binary vector stream instead of text\n"
"      --format=NAME      with -m: the table's format (default: detected)\n"
"  -h, --help             print this help and exit\n"
"  -d, --dim=D            output dimension (default 2)\n"
"      --iterations=N     t-SNE iterations (default 1000)\n"
"  -m, --model=FILE       read tokens and look them up in FILE\n"
"      --method=NAME      pca (default) or tsne\n"
"      --min-length=N     --all with -t: leave out tokens of fewer than N\n"
"                         characters\n"
"      --perplexity=P     t-SNE perplexity (default 30)\n"
"      --pool=MODE        -t: a word of several tokens becomes one point\n"
"                         by mean (default), avg, sum, max, first, last\n"
"      --seed=N           seed of --start random (default 1)\n"
"      --skip-special     --all with -t: leave out special tokens\n"
"      --start=HOW        t-SNE start: pca (default) or random\n"
"      --theta=T          Barnes-Hut angle, 0 = exact t-SNE (default:\n"
"                         exact under 1000 points, else 0.5)\n"
"      --threads=N        threads (default 0 = all cores)\n"
"  -t, --tokenizer=TOK    with -m: the rows are TOK's token IDs; each input\n"
"                         line is a word or phrase, tokenized (default:\n"
"                         $EMB_TOKENIZER)\n"
"  -v, --verbose          say how words of several tokens were pooled\n"
"      --version          print the version and exit\n";

enum { METHOD_PCA, METHOD_TSNE };
enum { OPT_ALL = CHAR_MAX + 1, OPT_FORMAT, OPT_ITER, OPT_METHOD, OPT_MINLEN,
    OPT_PERP, OPT_POOL, OPT_SEED, OPT_SKIPSPEC, OPT_START, OPT_THETA,
    OPT_THREADS, OPT_VERSION };

/* -t and its options */
struct tok {
	const char *spec;	/* -t, else $EMB_TOKENIZER */
	enum pool_mode pool;	/* --pool */
	int skipspec, verbose;	/* --skip-special, -v */
	long minlen;		/* --min-length */
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

static void
describe(const struct emb_err *msg)
{
	cli_warn(msg);
}

/* the rows of the tokens in path (or every row) as labelled points */
static void
read_model(struct points *p, const char *model, enum fmt format,
    const char *path, int all, const struct tok *to)
{
	struct model m;
	struct emb_err e;
	struct src s;
	struct tokenizer *t = NULL;
	struct tokquery q;
	uint64_t *skip = NULL;
	float *row;
	char *w;
	ssize_t n;
	size_t i, len, nskip;
	int nl;

	if (model_open(&m, model, format, &e) < 0)
		cli_die(&e);
	if (to->spec != NULL &&
	    (t = tokvocab_attach(&m, to->spec, 1, &e)) == NULL)
		cli_die(&e);
	if (t != NULL)
		skip = tokvocab_mask(t, m.V, to->skipspec, (size_t)to->minlen,
		    &nskip);
	if (m.vocab.n == 0 && !all)
		cli_dief("%s: the table has no vocabulary", m.path);
	points_init(p, m.d);
	row = xmalloc(m.d * sizeof(float));
	if (all) {
		for (i = 0; i < m.V; i++) {
			char id[24];
			const char *tok = id;

			/* rows without tokens are labelled by their ID */
			if (m.vocab.n > 0)
				tok = vocab_token(&m.vocab, i, &len);
			else
				len = (size_t)snprintf(id, sizeof(id), "%zu", i);

			if (skip != NULL && (skip[i / 64] >> (i % 64) & 1))
				continue;
			if (model_row_finite(&m, i, row, &e) < 0)
				cli_die(&e);
			points_add(p, tok, len, row);
		}
	} else if (t != NULL) {
		tokquery_init(&q, t, &m, to->pool);
		if (tokquery_points(&q, p, path, to->verbose ? describe : NULL,
		    &e) < 0)
			cli_die(&e);
		tokquery_free(&q);
	} else {
		if (src_open(&s, path, &e) < 0)
			cli_die(&e);
		while ((n = src_getword(&s, &w, &nl, &e)) >= 0) {
			long id = model_find(&m, w, (size_t)n);

			if (id < 0) {
				err_set(&e, s.name, s.line, "unknown token "
				    "\"%.*s\"", n > 200 ? 200 : (int)n, w);
				cli_die(&e);
			}
			if (model_row_finite(&m, (size_t)id, row, &e) < 0)
				cli_die(&e);
			points_add(p, w, (size_t)n, row);
		}
		if (n == -2)
			cli_die(&e);
		src_close(&s);
	}
	free(row);
	free(skip);
	tokenizer_free(t);
	model_close(&m);
}

static const struct option longopts[] = {
	{ "all",	no_argument,		NULL, OPT_ALL },
	{ "binary",	no_argument,		NULL, 'b' },
	{ "dim",	required_argument,	NULL, 'd' },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "help",	no_argument,		NULL, 'h' },
	{ "iterations",	required_argument,	NULL, OPT_ITER },
	{ "method",	required_argument,	NULL, OPT_METHOD },
	{ "min-length",	required_argument,	NULL, OPT_MINLEN },
	{ "model",	required_argument,	NULL, 'm' },
	{ "perplexity",	required_argument,	NULL, OPT_PERP },
	{ "pool",	required_argument,	NULL, OPT_POOL },
	{ "seed",	required_argument,	NULL, OPT_SEED },
	{ "skip-special", no_argument,		NULL, OPT_SKIPSPEC },
	{ "start",	required_argument,	NULL, OPT_START },
	{ "theta",	required_argument,	NULL, OPT_THETA },
	{ "threads",	required_argument,	NULL, OPT_THREADS },
	{ "tokenizer",	required_argument,	NULL, 't' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* the command line */
struct opts {
	struct tsne_opts to;		/* -d and t-SNE's options */
	struct tok tk;			/* -t ... */
	const char *model;		/* -m: tokens in, not vectors */
	enum fmt format;		/* --format: detect */
	const char *path;		/* the one operand */
	int all;			/* --all */
	int binary;			/* -b */
	int method;			/* --method */
};

/* a t-SNE option (--iterations .. --theta): 1 if ch is one, else 0 */
static int
tsne_option(int ch, struct tsne_opts *to)
{
	switch (ch) {
	case OPT_ITER:
		to->iterations = cli_long(usage_text, "--iterations",
		    optarg, 1, 1000000000);
		break;
	case OPT_PERP:
		to->perplexity = cli_double(usage_text,
		    "--perplexity", optarg, 1.0, 1e9);
		break;
	case OPT_SEED:
		to->seed = (uint64_t)cli_long(usage_text, "--seed",
		    optarg, 0, LONG_MAX);
		break;
	case OPT_START:
		if (strcmp(optarg, "pca") == 0)
			to->init = TSNE_INIT_PCA;
		else if (strcmp(optarg, "random") == 0)
			to->init = TSNE_INIT_RANDOM;
		else
			cli_usage_die(usage_text, "--start: \"%s\" is not "
			    "one of pca, random", optarg);
		break;
	case OPT_THETA:
		to->theta = cli_double(usage_text, "--theta", optarg,
		    0.0, 10.0);
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
	int ch;

	memset(op, 0, sizeof(*op));
	tsne_defaults(&op->to);
	op->tk.pool = POOL_MEAN;
	op->format = FMT_NONE;
	op->path = "-";
	op->method = METHOD_PCA;
	while ((ch = getopt_long(argc, argv, "bd:hm:t:v", longopts,
	    NULL)) != -1) {
		if (tsne_option(ch, &op->to))
			continue;
		switch (ch) {
		case 'b':
			op->binary = 1;
			break;
		case 'd':
			op->to.k = (size_t)cli_long(usage_text, "-d", optarg, 1,
			    65536);
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(cli_close_stdout());
		case 'm':
			op->model = optarg;
			break;
		case 't':
			op->tk.spec = optarg;
			break;
		case 'v':
			op->tk.verbose = 1;
			break;
		case OPT_MINLEN:
			op->tk.minlen = cli_long(usage_text, "--min-length",
			    optarg, 0, LONG_MAX);
			break;
		case OPT_POOL:
			op->tk.pool = cli_pool(usage_text, optarg);
			break;
		case OPT_SKIPSPEC:
			op->tk.skipspec = 1;
			break;
		case OPT_ALL:
			op->all = 1;
			break;
		case OPT_FORMAT:
			op->format = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_METHOD:
			if (strcmp(optarg, "pca") == 0)
				op->method = METHOD_PCA;
			else if (strcmp(optarg, "tsne") == 0)
				op->method = METHOD_TSNE;
			else
				cli_usage_die(usage_text, "--method: \"%s\" is "
				    "not one of pca, tsne", optarg);
			break;
		case OPT_THREADS:
			op->to.threads = (int)cli_long(usage_text, "--threads",
			    optarg, 0, 1024);
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
	if (argc > 1 || (op->all && (op->model == NULL || argc > 0)) ||
	    (op->format != FMT_NONE && op->model == NULL))
		cli_usage_die(usage_text, argc > 1 ? "at most one file" :
		    "conflicting options");
	if (argc == 1)
		op->path = argv[0];
	if (op->model != NULL)
		op->tk.spec = cli_tokenizer(op->tk.spec);
	if ((op->tk.spec != NULL && op->model == NULL) || ((op->tk.skipspec ||
	    op->tk.minlen > 0) && (op->tk.spec == NULL || !op->all)))
		cli_usage_die(usage_text, "-t goes with -m; --skip-special and "
		    "--min-length with --all and -t");
}

int
main(int argc, char *argv[])
{
	struct opts op;
	struct points p;
	struct emb_err e;
	float *y;
	int r;

	cli_init("emb-reduce");
	parse_options(argc, argv, &op);
	if (op.model != NULL)
		read_model(&p, op.model, op.format, op.path, op.all, &op.tk);
	else if (points_read(&p, op.path, 0, &e) < 0)
		cli_die(&e);
	y = xcalloc(p.n * op.to.k + 1, sizeof(float));
	if (op.method == METHOD_PCA) {
		struct pca pc;

		if (pca_fit(&pc, p.x, p.n, p.d, op.to.k, op.to.threads,
		    &e) < 0)
			cli_die(&e);
		pca_project(&pc, p.x, p.n, y);
		pca_free(&pc);
	} else if (tsne_run(p.x, p.n, p.d, &op.to, y, &e) < 0)
		cli_die(&e);
	if ((r = points_write(&p, y, op.to.k, stdout, op.binary, &e)) == -2)
		cli_die(&e);
	if (r < 0)
		cli_write_failed();
	free(y);
	points_free(&p);
	return cli_close_stdout();
}
