/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analogy.h"
#include "cli.h"
#include "model.h"
#include "simeval.h"
#include "tokvocab.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-analogy [-h] [--format name] [-k count] [-m model]\n"
"                   [--method name] [--restrict n] [-t tokenizer]\n"
"                   [--threads n] [word ...]\n"
"       emb-analogy [-h] [--compat name] [--dummy4unknown] [--fold mode]\n"
"                   [--format name] [-m model] [--method name] [--restrict n]\n"
"                   [--threads n] --eval file\n";

static const char help_text[] =
"Solve analogies: \"a b c\" answers a:b :: c:? (b - a + c), or any +/-\n"
"expression (\"king - man + woman\"), from the operands or one query per\n"
"stdin line; or evaluate on a Google-style analogy set (--eval).\n"
"\n"
"      --compat=NAME     --eval: count as w2v (compute-accuracy.c) or\n"
"                        gensim (evaluate_word_analogies)\n"
"      --dummy4unknown   --eval: questions with an unknown word count as\n"
"                        wrong instead of being left out\n"
"      --eval=FILE       evaluate on FILE (\": section\" and \"a b c d\" lines)\n"
"      --fold=MODE       --eval: fold case: upper (default), lower, none\n"
"      --format=NAME     the table's format (default: detected)\n"
"  -h, --help            print this help and exit\n"
"  -k, --count=N         answers per query (default 10)\n"
"  -m, --model=FILE      the table (default: $EMB_MODEL)\n"
"      --method=NAME     add (3CosAdd, default) or mul (3CosMul)\n"
"      --restrict=N      search (and in --eval look words up in) only the\n"
"                        first N rows (default: all; 30000 with --eval,\n"
"                        300000 with --compat gensim; 0 = all)\n"
"  -t, --tokenizer=TOK   the table's rows are TOK's token IDs: each operand\n"
"                        is one term (or + or -), stdin lines hold\n"
"                        tab-separated ones; a term is text that must\n"
"                        encode to one token (default: $EMB_TOKENIZER)\n"
"      --threads=N       threads (default 0 = all cores)\n"
"      --version         print the version and exit\n";

enum { OPT_COMPAT = CHAR_MAX + 1, OPT_DUMMY, OPT_EVAL, OPT_FOLD, OPT_FORMAT,
    OPT_METHOD,
    OPT_RESTRICT, OPT_THREADS, OPT_VERSION };

/* queries read from stdin per kernel call */
#define BLOCK 1024

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

static void
eval(struct analogy *a, const char *file)
{
	struct analogy_set set;
	struct analogy_result r;
	struct emb_err e;
	size_t i;
	int bad = 0;

	if (analogy_load(&set, file, &e) < 0)
		cli_die(&e);
	if (analogy_eval(a, &set, &r, &e) < 0)
		cli_die(&e);
	for (i = 0; i < set.nsec; i++)
		bad |= analogy_write_score(stdout, set.sec[i].name,
		    r.correct[i], r.seen[i]) < 0;
	bad |= analogy_write_score(stdout, "semantic", r.sem_ok, r.sem_n) < 0;
	bad |= analogy_write_score(stdout, "syntactic", r.syn_ok, r.syn_n) < 0;
	bad |= analogy_write_score(stdout, "total", r.all_ok, r.all_n) < 0;
	bad |= printf("questions seen/total: %zu/%zu (%.2f%%)\n", r.known,
	    r.total, 100.0 * (double)r.known / (double)r.total) < 0;
	if (bad)
		cli_write_failed();
	analogy_result_free(&r);
	analogy_set_free(&set);
}

/* the queries (operands, else stdin lines), k answers each to stdout */
static void
solve(struct analogy *a, struct tokquery *tq, size_t k, char **argv,
    int argc)
{
	struct analogy_batch b;
	struct emb_err e;
	int r;

	/* a person typing wants each answer at once */
	analogy_batch_init(&b, a, k, isatty(STDIN_FILENO) ? 1 : BLOCK, stdout);
	if (tq != NULL)
		analogy_batch_text(&b, tq);
	/* operands may hold several words: 'king - man + woman' */
	r = argc > 0 ? analogy_batch_args(&b, argv, (size_t)argc, &e) :
	    analogy_batch_read(&b, "-", &e);
	if (r == ANALOGY_EWRITE)
		cli_write_failed();
	if (r == ANALOGY_EQUERY && argc > 0)
		cli_usage_die(usage_text, "%s", e.msg);
	if (r < 0)
		cli_die(&e);
	analogy_batch_free(&b);
}

static const struct option longopts[] = {
	{ "compat",		required_argument,	NULL, OPT_COMPAT },
	{ "count",		required_argument,	NULL, 'k' },
	{ "dummy4unknown",	no_argument,		NULL, OPT_DUMMY },
	{ "eval",		required_argument,	NULL, OPT_EVAL },
	{ "fold",		required_argument,	NULL, OPT_FOLD },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "method",		required_argument,	NULL, OPT_METHOD },
	{ "model",		required_argument,	NULL, 'm' },
	{ "restrict",		required_argument,	NULL, OPT_RESTRICT },
	{ "threads",		required_argument,	NULL, OPT_THREADS },
	{ "tokenizer",		required_argument,	NULL, 't' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* the command line */
struct opts {
	struct analogy_opts o;		/* presets settled */
	const char *model;		/* -m, else $EMB_MODEL */
	enum fmt format;		/* --format: detect */
	const char *evalfile;		/* --eval */
	const char *tok;		/* -t, else $EMB_TOKENIZER */
	size_t k;			/* -k */
	char **args;			/* the operands */
	int nargs;
};

/* the options into op, checked; --help and --version exit */
static void
parse_options(int argc, char *argv[], struct opts *op)
{
	const char *compat = NULL;	/* --compat preset */
	long restrict_n = -1;		/* --restrict, -1: the mode's */
	int fold = -1, dummy = 0, kset = 0, ch;
	enum simeval_fold fv;

	memset(op, 0, sizeof(*op));
	analogy_opts_init(&op->o);
	op->format = FMT_NONE;
	op->k = 10;
	while ((ch = getopt_long(argc, argv, "hk:m:t:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(cli_close_stdout());
		case 'k':
			op->k = (size_t)cli_long(usage_text, "-k", optarg, 1,
			    INT32_MAX);
			kset = 1;
			break;
		case 'm':
			op->model = optarg;
			break;
		case 't':
			op->tok = optarg;
			break;
		case OPT_COMPAT:
			compat = optarg;
			if (analogy_compat(&op->o, compat) < 0)
				cli_usage_die(usage_text, "--compat: \"%s\" is "
				    "not one of w2v, gensim", optarg);
			break;
		case OPT_DUMMY:
			dummy = 1;
			break;
		case OPT_EVAL:
			op->evalfile = optarg;
			break;
		case OPT_FOLD:
			if (simeval_fold_byname(optarg, &fv) < 0)
				cli_usage_die(usage_text, "--fold: \"%s\" is not "
				    "one of upper, lower, none", optarg);
			fold = (int)fv;
			break;
		case OPT_FORMAT:
			op->format = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_METHOD:
			if (analogy_method_byname(optarg, &op->o.method) < 0)
				cli_usage_die(usage_text, "--method: \"%s\" is "
				    "not one of add, mul", optarg);
			break;
		case OPT_RESTRICT:
			restrict_n = cli_long(usage_text, "--restrict", optarg,
			    0, LONG_MAX);
			break;
		case OPT_THREADS:
			op->o.threads = (int)cli_long(usage_text, "--threads",
			    optarg, 0, 1024);
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
	if ((op->evalfile != NULL && (op->nargs > 0 || kset)) ||
	    (op->evalfile == NULL && (compat != NULL || fold >= 0 || dummy)))
		cli_usage_die(usage_text, "conflicting options");
	if (op->evalfile == NULL)
		op->tok = cli_tokenizer(op->tok);
	else if (op->tok != NULL)
		cli_usage_die(usage_text, "-t does not go with --eval");
	/* the options given win over the preset's, whatever their order */
	if (restrict_n >= 0)
		op->o.restrict_n = (size_t)restrict_n;
	else if (op->evalfile != NULL && compat == NULL)
		op->o.restrict_n = 30000;
	if (fold >= 0)
		op->o.fold = (enum simeval_fold)fold;
	op->o.dummy4unknown = dummy;
}

int
main(int argc, char *argv[])
{
	struct opts op;
	struct analogy a;
	struct model m;
	struct emb_err e;
	long bad;
	struct tokenizer *t = NULL;
	struct tokquery tq;

	cli_init("emb-analogy");
	parse_options(argc, argv, &op);
	if (model_open(&m, cli_model(usage_text, op.model), op.format,
	    &e) < 0)
		cli_die(&e);
	if (op.tok != NULL) {
		if ((t = tokvocab_attach(&m, op.tok, 1, &e)) == NULL)
			cli_die(&e);
		tokquery_init(&tq, t, &m, POOL_MEAN);
	}
	if (m.vocab.n == 0)
		cli_dief("%s: the table has no vocabulary", m.path);
	analogy_init(&a, &m, &op.o);
	/* the norms read every row already: a NaN or Inf costs no pass */
	if (model_nonfinite(&m, &bad) > 0) {
		model_nonfinite_err(&m, (size_t)bad, &e);
		cli_die(&e);
	}
	if (op.evalfile != NULL)
		eval(&a, op.evalfile);
	else
		solve(&a, t != NULL ? &tq : NULL, op.k, op.args, op.nargs);
	analogy_free(&a);
	if (t != NULL) {
		tokquery_free(&tq);
		tokenizer_free(t);
	}
	model_close(&m);
	return cli_close_stdout();
}
