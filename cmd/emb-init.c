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

int
main(int argc, char *argv[])
{
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
	struct table t, src;		/* the result; an imported table */
	struct init_opts io;		/* the random initialiser */
	struct fmt_opts fo;		/* --from and output details */
	struct corpus_opts co;		/* --count: --min-count, --max-vocab */
	struct vocab voc;		/* --vocab or --count */
	struct emb_err e;
	long V = 0, d = 0;		/* -V, -d */
	const char *vocab = NULL;	/* --vocab */
	const char *from = NULL;	/* --from */
	const char *out = "-";		/* -o */
	enum fmt infmt = FMT_NONE;	/* --format: detect */
	enum fmt outfmt = FMT_NONE;	/* -O: from -o, else safetensors */
	enum dtype dt = DT_F32;		/* --dtype */
	int count = 0, normalize = 0, verbose = 0, dtset = 0, newline = 1;
	int ch, r;
	char desc[128];
	size_t missing = 0;		/* rows --vocab lacks */
	int padded;			/* --from's rows past --vocab's */

	cli_init("emb-init");
	init_opts_init(&io);
	fmt_opts_init(&fo);
	corpus_opts_init(&co);		/* min count 5, as word2vec.c */
	while ((ch = getopt_long(argc, argv, "O:V:d:ho:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'O':
			outfmt = cli_format(usage_text, "-O", optarg);
			break;
		case 'V':
			V = cli_long(usage_text, "-V", optarg, 1, LONG_MAX);
			break;
		case 'd':
			d = cli_long(usage_text, "-d", optarg, 1, 1 << 20);
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs("\n", stdout);
			fputs(help_text, stdout);
			return cli_close_stdout();
		case 'o':
			out = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case OPT_COUNT:
			count = 1;
			break;
		case OPT_DTYPE:
			if (dtype_byname(optarg, &dt) < 0)
				cli_usage_die(usage_text, "--dtype: unknown type "
				    "\"%s\" (f32, f16, bf16)", optarg);
			dtset = 1;
			break;
		case OPT_FORMAT:
			infmt = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_HEADER:
			fo.csv_header = 1;
			break;
		case OPT_INIT:
			if (init_byname(optarg, &io.kind) < 0)
				cli_usage_die(usage_text, "--initializer: unknown "
				    "initialiser \"%s\" (normal, uniform, xavier, "
				    "zeros)", optarg);
			break;
		case OPT_LIMIT:
			fo.limit = (size_t)cli_long(usage_text, "--limit", optarg,
			    1, LONG_MAX);
			break;
		case OPT_MAXVOCAB:
			co.max_vocab = (size_t)cli_long(usage_text,
			    "--max-vocab", optarg, 1, LONG_MAX);
			break;
		case OPT_MINCOUNT:
			co.min_count = cli_long(usage_text, "--min-count", optarg,
			    1, LONG_MAX);
			break;
		case OPT_NONEWLINE:
			newline = 0;
			break;
		case OPT_NORMALIZE:
			normalize = 1;
			break;
		case OPT_RANGE:
			io.range = cli_double(usage_text, "--range", optarg, 1e-30,
			    1e30);
			break;
		case OPT_SEED:
			io.seed = (uint64_t)cli_long(usage_text, "--seed", optarg,
			    0, LONG_MAX);
			break;
		case OPT_STD:
			io.std = cli_double(usage_text, "--std", optarg, 0, 1e30);
			break;
		case OPT_TENSOR:
			fo.tensor = optarg;
			break;
		case OPT_VERSION:
			cli_version();
			break;
		case OPT_VOCAB:
			vocab = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	/* "emb-init --from glove.txt -O word2vec-bin out.bin": the operand
	 * is the output, except with --count, whose operands are corpora */
	if (!count && argc == 1 && strcmp(out, "-") == 0) {
		out = argv[0];
		argc = 0;
	}
	if (outfmt == FMT_NONE)
		outfmt = fmt_byext(out) != FMT_NONE ? fmt_byext(out) :
		    FMT_SAFETENSORS;
	fo.w2v_newline = newline;
	if ((V > 0) + (vocab != NULL && from == NULL) + count +
	    (from != NULL) != 1)
		cli_usage_die(usage_text, "give one of -V, --vocab, --count or "
		    "--from");
	if ((from == NULL) != (d > 0) || (argc > 0 && !count) ||
	    (from == NULL && (infmt != FMT_NONE || fo.tensor != NULL ||
	    fo.csv_header || fo.limit > 0)) ||
	    (!count && (co.min_count != 5 || co.max_vocab != 0)))
		cli_usage_die(usage_text, from == NULL && d == 0 ?
		    "-d is required for a random table" : from != NULL && d > 0 ?
		    "-d does not go with --from (the file gives it)" :
		    "options that do not go together");
	if ((dtset && outfmt != FMT_SAFETENSORS) ||
	    (!newline && outfmt != FMT_W2V_BIN))
		cli_usage_die(usage_text, "%s only applies to %s output",
		    dtset ? "--dtype" : "--no-newline", dtset ? "safetensors" :
		    "word2vec-bin");
	if (strcmp(out, "-") == 0 && isatty(STDOUT_FILENO) &&
	    (outfmt == FMT_SAFETENSORS || outfmt == FMT_W2V_BIN ||
	    outfmt == FMT_NPY))
		cli_usage_die(usage_text, "not writing a binary %s table to a "
		    "terminal (use -o or -O)", fmt_name(outfmt));

	table_init(&t);
	table_init(&src);
	vocab_init(&voc);
	if (vocab != NULL && init_load_vocab(&voc, vocab, &e) < 0)
		cli_die(&e);
	if (count && (r = corpus_count(&voc, argv, (size_t)argc, &co,
	    &e)) < 0) {
		if (r == CORPUS_EPRUNED)
			cli_dief("corpus: no token occurs --min-count=%ld times",
			    co.min_count);
		cli_die(&e);
	}
	if (from != NULL) {
		/* the vocab labels anonymous rows (npy, a bare tensor) */
		fo.vocab = vocab;
		fo.names = vocab != NULL ? &voc : NULL;
		if (fmt_read(&src, from, infmt, &fo, &e) < 0)
			cli_die(&e);
		padded = init_is_padded(&voc, &src.vocab);
		if (vocab == NULL || init_is_prefix(&src.vocab, &voc) ||
		    padded) {
			t = src;
			table_init(&src);
			if (padded)
				cli_warnf("%s: %zu rows, %zu tokens in %s: rows "
				    "%zu-%zu are unnamed (a table padded past its "
				    "vocabulary)", from, t.V, voc.n, vocab,
				    voc.n, t.V - 1);
		} else if (init_select(&t, &src, &voc, &io, &missing, &e) < 0)
			cli_die(&e);
		if (verbose && vocab != NULL)
			cli_warnf("%zu of %zu tokens not in %s, initialised "
			    "randomly", missing, voc.n, from);
		table_meta_set(&t, "emb.from", from);
	} else {
		if (V == 0 && voc.n == 0)
			cli_dief("%s: no tokens", count ? "corpus" : vocab);
		if (table_alloc(&t, V > 0 ? (size_t)V : voc.n, (size_t)d, &e) < 0)
			cli_die(&e);
		if (V == 0) {
			t.vocab = voc;
			vocab_init(&voc);
		}
		init_rows(&t, 0, t.V, &io);
		init_describe(&io, t.V, t.d, desc, sizeof(desc));
		table_meta_set(&t, "emb.init", desc);
	}
	if (normalize)
		table_normalize(&t);
	if (verbose)
		cli_warnf("%zu rows x %zu dimensions, %s", t.V, t.d,
		    fmt_name(outfmt));
	if (fmt_write(&t, out, outfmt, dt, &fo, &e) < 0)
		cli_die_output(&e, out);
	table_free(&t);
	table_free(&src);
	vocab_free(&voc);
	return strcmp(out, "-") == 0 ? cli_close_stdout() : STATUS_OK;
}
