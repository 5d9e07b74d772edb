/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "corpus.h"
#include "dtype.h"
#include "fmt.h"
#include "init.h"
#include "table.h"
#include "util.h"
#include "vocab.h"

static const char usage_text[] =
"usage: emb-init [-hv] [--normalize] [--no-newline] [--dtype type]\n"
"                [--initializer name] [-O format] [-o file] [--range r]\n"
"                [--seed n] [--std s] -V n -d dim [output]\n"
"       emb-init [options] --vocab file -d dim [output]\n"
"       emb-init [options] --count [--max-vocab n] [--min-count n] -d dim\n"
"                [file ...]\n"
"       emb-init [options] --from file [--format name] [--header]\n"
"                [--limit n] [--tensor name] [--vocab file] [output]\n";

static const char help_text[] =
"Make an embedding table: random, or converted from pretrained vectors.\n"
"\n"
"  -V, --rows=N          a random table of N anonymous rows\n"
"      --vocab=FILE      rows for these tokens (one per line, optional\n"
"                        count; or a vocab.json); with --from: take the\n"
"                        rows of these tokens, random rows for the rest\n"
"      --count           count the vocabulary of a corpus (file operands\n"
"                        or stdin), most frequent first\n"
"      --min-count=N     --count: keep tokens seen N times (default 5)\n"
"      --max-vocab=N     --count: keep the N most frequent (default all)\n"
"  -d, --dim=D           dimensions of a random table\n"
"      --initializer=NAME\n"
"                        normal (default), uniform, xavier, zeros\n"
"      --std=S           normal: standard deviation (default 1)\n"
"      --range=R         uniform: U(-R, R) (default 0.5 / dim)\n"
"      --seed=N          random seed (default 1)\n"
"      --from=FILE       import pretrained vectors\n"
"      --format=NAME     --from's format (default: detected from content)\n"
"      --header          --from CSV: the first row is a header\n"
"      --limit=N         --from: read only the first N rows\n"
"      --tensor=NAME     --from safetensors: the matrix (e.g. wte.weight)\n"
"      --normalize       scale every row to unit length\n"
"  -o, --output=FILE     write to FILE (default: standard output); an\n"
"                        output operand does the same\n"
"  -O, --output-format=NAME\n"
"                        safetensors (default), word2vec-bin,\n"
"                        word2vec-text, glove, vec, npy, csv,\n"
"                        fasttext-bin (default: from -o's extension,\n"
"                        else safetensors)\n"
"      --dtype=TYPE      safetensors: f32 (default), f16 or bf16\n"
"      --no-newline      word2vec-bin: no '\\n' after each row (as gensim)\n"
"  -v, --verbose         report what was made on standard error\n"
"  -h, --help            print this help and exit\n"
"      --version         print the version and exit\n";

enum { OPT_COUNT = CHAR_MAX + 1, OPT_DTYPE, OPT_FORMAT, OPT_FROM,
    OPT_HEADER, OPT_INIT, OPT_LIMIT, OPT_MAXVOCAB, OPT_MINCOUNT,
    OPT_NONEWLINE, OPT_NORMALIZE, OPT_RANGE, OPT_SEED, OPT_STD, OPT_TENSOR,
    OPT_VERSION, OPT_VOCAB };


static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

/* the command line */
struct args {
	struct init_opts io;		/* the random initialiser */
	struct fmt_opts fo;		/* --from and output details */
	struct corpus_opts co;		/* --count: --min-count, --max-vocab */
	long V, d;			/* -V, -d */
	const char *vocab;		/* --vocab */
	const char *from;		/* --from */
	const char *out;		/* -o */
	enum fmt infmt;			/* --format: detect */
	enum fmt outfmt;		/* -O: from -o, else safetensors */
	enum dtype dt;			/* --dtype */
	int count, normalize, verbose, dtset, newline;
	char **files;			/* --count's corpora */
	int nfiles;
};

static const struct option longopts[] = {
	{ "count",		no_argument,		NULL, OPT_COUNT },
	{ "dim",		required_argument,	NULL, 'd' },
	{ "dtype",		required_argument,	NULL, OPT_DTYPE },
	{ "format",		required_argument,	NULL, OPT_FORMAT },
	{ "from",		required_argument,	NULL, OPT_FROM },
	{ "header",		no_argument,		NULL, OPT_HEADER },
	{ "help",		no_argument,		NULL, 'h' },
	{ "initializer",	required_argument,	NULL, OPT_INIT },
	{ "limit",		required_argument,	NULL, OPT_LIMIT },
	{ "max-vocab",		required_argument,	NULL, OPT_MAXVOCAB },
	{ "min-count",		required_argument,	NULL, OPT_MINCOUNT },
	{ "no-newline",		no_argument,		NULL, OPT_NONEWLINE },
	{ "normalize",		no_argument,		NULL, OPT_NORMALIZE },
	{ "output",		required_argument,	NULL, 'o' },
	{ "output-format",		required_argument,	NULL, 'O' },
	{ "range",		required_argument,	NULL, OPT_RANGE },
	{ "rows",		required_argument,	NULL, 'V' },
	{ "seed",		required_argument,	NULL, OPT_SEED },
	{ "std",		required_argument,	NULL, OPT_STD },
	{ "tensor",		required_argument,	NULL, OPT_TENSOR },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "vocab",		required_argument,	NULL, OPT_VOCAB },
	{ NULL, 0, NULL, 0 }
};

static void
parse_options(int argc, char *argv[], struct args *a)
{
	struct init_opts *io = &a->io;
	struct fmt_opts *fo = &a->fo;
	struct corpus_opts *co = &a->co;
	int ch;

	memset(a, 0, sizeof(*a));
	a->out = "-";
	a->infmt = a->outfmt = FMT_NONE;
	a->dt = DT_F32;
	a->newline = 1;
	init_opts_init(io);
	fmt_opts_init(fo);
	corpus_opts_init(co);		/* min count 5, as word2vec.c */
	while ((ch = getopt_long(argc, argv, "O:V:d:ho:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'O':
			a->outfmt = cli_format(usage_text, "-O", optarg);
			break;
		case 'V':
			a->V = cli_long(usage_text, "-V", optarg, 1, LONG_MAX);
			break;
		case 'd':
			a->d = cli_long(usage_text, "-d", optarg, 1, 1 << 20);
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs("\n", stdout);
			fputs(help_text, stdout);
			exit(cli_close_stdout());
		case 'o':
			a->out = optarg;
			break;
		case 'v':
			a->verbose = 1;
			break;
		case OPT_COUNT:
			a->count = 1;
			break;
		case OPT_DTYPE:
			if (dtype_byname(optarg, &a->dt) < 0)
				cli_usage_die(usage_text, "--dtype: unknown type "
				    "\"%s\" (f32, f16, bf16)", optarg);
			a->dtset = 1;
			break;
		case OPT_FORMAT:
			a->infmt = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_FROM:
			a->from = optarg;
			break;
		case OPT_HEADER:
			fo->csv_header = 1;
			break;
		case OPT_INIT:
			if (init_byname(optarg, &io->kind) < 0)
				cli_usage_die(usage_text, "--initializer: unknown "
				    "initialiser \"%s\" (normal, uniform, xavier, "
				    "zeros)", optarg);
			break;
		case OPT_LIMIT:
			fo->limit = (size_t)cli_long(usage_text, "--limit",
			    optarg, 1, LONG_MAX);
			break;
		case OPT_MAXVOCAB:
			co->max_vocab = (size_t)cli_long(usage_text,
			    "--max-vocab", optarg, 1, LONG_MAX);
			break;
		case OPT_MINCOUNT:
			co->min_count = cli_long(usage_text, "--min-count",
			    optarg, 1, LONG_MAX);
			break;
		case OPT_NONEWLINE:
			a->newline = 0;
			break;
		case OPT_NORMALIZE:
			a->normalize = 1;
			break;
		case OPT_RANGE:
			io->range = cli_double(usage_text, "--range", optarg,
			    1e-30, 1e30);
			break;
		case OPT_SEED:
			io->seed = (uint64_t)cli_long(usage_text, "--seed",
			    optarg, 0, LONG_MAX);
			break;
		case OPT_STD:
			io->std = cli_double(usage_text, "--std", optarg, 0,
			    1e30);
			break;
		case OPT_TENSOR:
			fo->tensor = optarg;
			break;
		case OPT_VERSION:
			cli_version();
			break;
		case OPT_VOCAB:
			a->vocab = optarg;
			break;
		default:
			usage();
		}
	}
	a->files = argv + optind;
	a->nfiles = argc - optind;
}

/* the combinations that make sense; the output's name and format */
static void
check_options(struct args *a)
{
	/* "emb-init --from glove.txt -O word2vec-bin out.bin": the operand
	 * is the output, except with --count, whose operands are corpora */
	if (!a->count && a->nfiles == 1 && strcmp(a->out, "-") == 0) {
		a->out = a->files[0];
		a->nfiles = 0;
	}
	if (a->outfmt == FMT_NONE)
		a->outfmt = fmt_byext(a->out) != FMT_NONE ?
		    fmt_byext(a->out) : FMT_SAFETENSORS;
	a->fo.w2v_newline = a->newline;
	if ((a->V > 0) + (a->vocab != NULL && a->from == NULL) + a->count +
	    (a->from != NULL) != 1)
		cli_usage_die(usage_text, "give one of -V, --vocab, --count or "
		    "--from");
	if ((a->from == NULL) != (a->d > 0) || (a->nfiles > 0 && !a->count) ||
	    (a->from == NULL && (a->infmt != FMT_NONE ||
	    a->fo.tensor != NULL || a->fo.csv_header || a->fo.limit > 0)) ||
	    (!a->count && (a->co.min_count != 5 || a->co.max_vocab != 0)))
		cli_usage_die(usage_text, a->from == NULL && a->d == 0 ?
		    "-d is required for a random table" :
		    a->from != NULL && a->d > 0 ?
		    "-d does not go with --from (the file gives it)" :
		    "options that do not go together");
	if ((a->dtset && a->outfmt != FMT_SAFETENSORS) ||
	    (!a->newline && a->outfmt != FMT_W2V_BIN))
		cli_usage_die(usage_text, "%s only applies to %s output",
		    a->dtset ? "--dtype" : "--no-newline", a->dtset ?
		    "safetensors" : "word2vec-bin");
	if (strcmp(a->out, "-") == 0 && isatty(STDOUT_FILENO) &&
	    (a->outfmt == FMT_SAFETENSORS || a->outfmt == FMT_W2V_BIN ||
	    a->outfmt == FMT_NPY))
		cli_usage_die(usage_text, "not writing a binary %s table to a "
		    "terminal (use -o or -O)", fmt_name(a->outfmt));
}

/* --from: the imported table, or its rows of --vocab's tokens */
static void
import(struct table *t, struct args *a, struct vocab *voc)
{
	struct table src;
	struct emb_err e;
	size_t missing = 0;		/* rows --vocab lacks */
	int padded;			/* --from's rows past --vocab's */

	table_init(&src);
	/* the vocab labels anonymous rows (npy, a bare tensor) */
	a->fo.vocab = a->vocab;
	a->fo.names = a->vocab != NULL ? voc : NULL;
	if (fmt_read(&src, a->from, a->infmt, &a->fo, &e) < 0)
		cli_die(&e);
	padded = init_is_padded(voc, &src.vocab);
	if (a->vocab == NULL || init_is_prefix(&src.vocab, voc) || padded) {
		*t = src;
		table_init(&src);
		if (padded)
			cli_warnf("%s: %zu rows, %zu tokens in %s: rows "
			    "%zu-%zu are unnamed (a table padded past its "
			    "vocabulary)", a->from, t->V, voc->n, a->vocab,
			    voc->n, t->V - 1);
	} else if (init_select(t, &src, voc, &a->io, &missing, &e) < 0)
		cli_die(&e);
	if (a->verbose && a->vocab != NULL)
		cli_warnf("%zu of %zu tokens not in %s, %s", missing,
		    voc->n, a->from, t->ngrams != NULL ? "given their n-gram "
		    "vectors" : "initialised randomly");
	table_meta_set(t, "emb.from", a->from);
	table_free(&src);
}

/* -V, --vocab or --count: a random table */
static void
random_table(struct table *t, struct args *a, struct vocab *voc)
{
	struct emb_err e;
	char desc[128];

	if (a->V == 0 && voc->n == 0)
		cli_dief("%s: no tokens", a->count ? "corpus" : a->vocab);
	if (table_alloc(t, a->V > 0 ? (size_t)a->V : voc->n, (size_t)a->d,
	    &e) < 0)
		cli_die(&e);
	if (a->V == 0) {
		t->vocab = *voc;
		vocab_init(voc);
	}
	init_rows(t, 0, t->V, &a->io);
	init_describe(&a->io, t->V, t->d, desc, sizeof(desc));
	table_meta_set(t, "emb.init", desc);
}

int
main(int argc, char *argv[])
{
	struct args a;
	struct table t;			/* the result */
	struct vocab voc;		/* --vocab or --count */
	struct emb_err e;
	int r;

	cli_init("emb-init");
	parse_options(argc, argv, &a);
	check_options(&a);
	table_init(&t);
	vocab_init(&voc);
	if (a.vocab != NULL && init_load_vocab(&voc, a.vocab, &e) < 0)
		cli_die(&e);
	if (a.count && (r = corpus_count(&voc, a.files, (size_t)a.nfiles,
	    &a.co, &e)) < 0) {
		if (r == CORPUS_EPRUNED)
			cli_dief("corpus: no token occurs --min-count=%ld times",
			    a.co.min_count);
		cli_die(&e);
	}
	if (a.from != NULL)
		import(&t, &a, &voc);
	else
		random_table(&t, &a, &voc);
	if (a.normalize)
		table_normalize(&t);
	if (a.verbose)
		cli_warnf("%zu rows x %zu dimensions, %s", t.V, t.d,
		    fmt_name(a.outfmt));
	if (fmt_write(&t, a.out, a.outfmt, a.dt, &a.fo, &e) < 0)
		cli_die_output(&e, a.out);
	table_free(&t);
	vocab_free(&voc);
	return strcmp(a.out, "-") == 0 ? cli_close_stdout() : STATUS_OK;
}
