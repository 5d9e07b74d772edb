/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "corpus.h"
#include "cpu.h"
#include "fmt.h"
#include "par.h"
#include "subword.h"
#include "table.h"
#include "train.h"
#include "trainopts.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-train [-hq] [--ids [-t tokenizer] [-V n]]\n"
"                 [--init model [--format name]] [--arch name] [--loss name]\n"
"                 [-d dim] [--window n] [--negative n] [--sample t]\n"
"                 [--alpha a] [--min-alpha a] [--epochs n] [--min-count n]\n"
"                 [--max-vocab n] [--minn n] [--maxn n] [--bucket n]\n"
"                 [--threads n] [--seed n] [--progress]\n"
"                 [--save-on-interrupt] [-O format] -o model [file ...]\n";

static const char help_text[] =
"Train word2vec embeddings on a corpus (files, .gz, or standard input;\n"
"a line is a sentence, long lines are cut every 10000 words).\n"
"\n"
"      --arch=NAME       skipgram (default) or cbow\n"
"      --loss=NAME       ns: negative sampling (default); hs: hierarchical\n"
"                        softmax\n"
"  -d, --dim=D           dimensions (default 100)\n"
"      --window=N        maximum window; each position draws 1..N\n"
"                        (default 5)\n"
"      --negative=N      noise words per target (default 5; 0: hs only)\n"
"      --sample=T        subsample words more frequent than T, 0 = off\n"
"                        (default 1e-3)\n"
"      --alpha=A         start learning rate, above 0 (default 0.025\n"
"                        skipgram, 0.05 cbow and subwords)\n"
"      --min-alpha=A     final rate, at most --alpha (default alpha * 1e-4)\n"
"      --epochs=N        passes over the corpus (default 5)\n"
"      --min-count=N     drop words seen fewer times (default 5)\n"
"      --max-vocab=N     keep the N most frequent words (default all)\n"
"      --minn=N          fastText's subword model: character n-grams of\n"
"      --maxn=N          N to M characters hashed into B rows (default\n"
"      --bucket=B        off; once one is given 3, 6, 2000000; --maxn 0\n"
"                        or --bucket 0 is off; not with --ids)\n"
"      --threads=N       worker threads (default 0 = all cores)\n"
"      --seed=N          random seed (default 1)\n"
"      --ids             the input is token IDs below -V, not words\n"
"  -V, --rows=N          --ids: vocabulary size (default: -t's, else\n"
"                        --init's)\n"
"  -t, --tokenizer=TOK   --ids: the IDs are TOK's tokens: the rows are\n"
"                        named by its readable tokens (default:\n"
"                        $EMB_TOKENIZER)\n"
"      --init=MODEL      start from MODEL's vectors, matched by token\n"
"      --format=NAME     --init's format (default: detected)\n"
"  -o, --output=FILE     write the model to FILE (required)\n"
"  -O, --output-format=NAME\n"
"                        safetensors (default), word2vec-bin,\n"
"                        word2vec-text, glove, vec, npy, csv,\n"
"                        fasttext-bin (default:\n"
"                        from -o's extension, else safetensors)\n"
"      --progress        progress lines even when standard error is not\n"
"                        a terminal; the later of -q and --progress wins\n"
"      --save-on-interrupt\n"
"                        on SIGINT or SIGTERM write the model trained so\n"
"                        far (default: write nothing)\n"
"  -q, --quiet           no progress or summary on standard error\n"
"  -h, --help            print this help and exit\n"
"      --version         print the version and exit\n";

enum { OPT_ALPHA = CHAR_MAX + 1, OPT_ARCH, OPT_BUCKET, OPT_EPOCHS, OPT_FORMAT, OPT_IDS,
    OPT_INIT, OPT_LOSS, OPT_MAXN,
    OPT_MAXVOCAB, OPT_MINALPHA, OPT_MINCOUNT, OPT_MINN, OPT_NEGATIVE,
    OPT_PROGRESS, OPT_SAMPLE, OPT_SAVEINT, OPT_SEED, OPT_THREADS,
    OPT_VERSION, OPT_WINDOW };


static volatile sig_atomic_t stop;

/* progress: arg is 1 for an updating terminal line, 0 for plain lines */
static void
progress(const struct train_progress *p, void *arg)
{
	char line[256];

	train_progress_line(line, sizeof(line), p, *(int *)arg);
	fputs(line, stderr);
}

static const struct option longopts[] = {
	{ "alpha",		required_argument,	NULL, OPT_ALPHA },
	{ "arch",		required_argument,	NULL, OPT_ARCH },
	{ "bucket",		required_argument,	NULL, OPT_BUCKET },
	{ "dim",		required_argument,	NULL, 'd' },
	{ "epochs",		required_argument,	NULL, OPT_EPOCHS },
	{ "format",		required_argument,	NULL, OPT_FORMAT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "ids",		no_argument,		NULL, OPT_IDS },
	{ "init",		required_argument,	NULL, OPT_INIT },
	{ "loss",		required_argument,	NULL, OPT_LOSS },
	{ "max-vocab",		required_argument,	NULL, OPT_MAXVOCAB },
	{ "maxn",		required_argument,	NULL, OPT_MAXN },
	{ "min-alpha",		required_argument,	NULL, OPT_MINALPHA },
	{ "min-count",		required_argument,	NULL, OPT_MINCOUNT },
	{ "minn",		required_argument,	NULL, OPT_MINN },
	{ "negative",		required_argument,	NULL, OPT_NEGATIVE },
	{ "output",		required_argument,	NULL, 'o' },
	{ "output-format",		required_argument,	NULL, 'O' },
	{ "progress",		no_argument,		NULL, OPT_PROGRESS },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "rows",		required_argument,	NULL, 'V' },
	{ "sample",		required_argument,	NULL, OPT_SAMPLE },
	{ "save-on-interrupt",		no_argument,		NULL, OPT_SAVEINT },
	{ "seed",		required_argument,	NULL, OPT_SEED },
	{ "threads",		required_argument,	NULL, OPT_THREADS },
	{ "tokenizer",		required_argument,	NULL, 't' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "window",		required_argument,	NULL, OPT_WINDOW },
	{ NULL, 0, NULL, 0 }
};

/* the command line */
struct opts {
	struct train_opts o;		/* training, defaults as word2vec.c */
	struct corpus_opts co;		/* --min-count, --max-vocab, --ids */
	struct fmt_opts fo;
	long d;				/* -d */
	size_t nrows;			/* -V */
	const char *out;		/* -o */
	const char *initpath;		/* --init */
	enum fmt informat;		/* --format: --init's, detected */
	const char *tok;		/* -t, else $EMB_TOKENIZER */
	enum fmt outfmt;		/* -O: from -o, else safetensors */
	int quiet, plain, saveint, tty;
	char **files;			/* the operands */
	size_t nfiles;
};

/* a training option (--alpha .. --window): 1 if ch is one, else 0 */
static int
train_option(int ch, struct train_opts *o)
{
	switch (ch) {
	case OPT_ALPHA:
		o->alpha = cli_double(usage_text, "--alpha", optarg, 0, 10);
		break;
	case OPT_BUCKET:
		o->bucket = cli_long(usage_text, "--bucket", optarg, 0,
		    UINT32_MAX);
		break;
	case OPT_MAXN:
		o->maxn = cli_long(usage_text, "--maxn", optarg, 0,
		    SUBWORD_MAXN);
		break;
	case OPT_MINN:
		o->minn = cli_long(usage_text, "--minn", optarg, 0,
		    SUBWORD_MAXN);
		break;
	case OPT_ARCH:
		if (train_model_byname(optarg, &o->model) < 0)
			cli_usage_die(usage_text, "--arch: unknown "
			    "architecture \"%s\" (skipgram, cbow)", optarg);
		break;
	case OPT_EPOCHS:
		o->epochs = (int)cli_long(usage_text, "--epochs", optarg, 1,
		    1000000);
		break;
	case OPT_LOSS:
		if (train_loss_byname(optarg, &o->loss) < 0)
			cli_usage_die(usage_text, "--loss: unknown loss "
			    "\"%s\" (ns, hs)", optarg);
		break;
	case OPT_MINALPHA:
		o->min_alpha = cli_double(usage_text, "--min-alpha",
		    optarg, 0, 10);
		break;
	case OPT_NEGATIVE:
		o->negative = (size_t)cli_long(usage_text, "--negative",
		    optarg, 0, 1000);
		break;
	case OPT_SAMPLE:
		o->sample = cli_double(usage_text, "--sample", optarg, 0,
		    1);
		break;
	case OPT_SEED:
		o->seed = (uint64_t)cli_long(usage_text, "--seed", optarg,
		    0, LONG_MAX);
		break;
	case OPT_THREADS:
		o->threads = par_threads((int)cli_long(usage_text,
		    "--threads", optarg, 0, 1024));
		break;
	case OPT_WINDOW:
		o->window = (size_t)cli_long(usage_text, "--window",
		    optarg, 1, 1000);
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
	train_opts_init(&op->o);
	corpus_opts_init(&op->co);
	fmt_opts_init(&op->fo);
	op->d = 100;
	op->informat = op->outfmt = FMT_NONE;
	op->o.threads = par_threads(0);	/* all cores */
	while ((ch = getopt_long(argc, argv, "O:V:d:ho:qt:", longopts,
	    NULL)) != -1) {
		if (train_option(ch, &op->o))
			continue;
		switch (ch) {
		case 'O':
			op->outfmt = cli_format(usage_text, "-O", optarg);
			break;
		case 'V':
			op->nrows = (size_t)cli_long(usage_text, "-V", optarg, 1,
			    (long)UINT32_MAX - 1);
			break;
		case 'd':
			op->d = cli_long(usage_text, "-d", optarg, 1, 1 << 16);
			break;
		case 'h':
			cli_help(usage_text, help_text);
		case 'o':
			op->out = optarg;
			break;
		case 't':
			op->tok = optarg;
			break;
		case 'q':	/* the later of -q and --progress wins */
			op->quiet = 1;
			op->plain = 0;
			break;
		case OPT_IDS:
			op->co.ids = 1;
			break;
		case OPT_FORMAT:
			op->informat = cli_format(usage_text, "--format",
			    optarg);
			break;
		case OPT_INIT:
			op->initpath = optarg;
			break;
		case OPT_MAXVOCAB:
			op->co.max_vocab = (size_t)cli_long(usage_text,
			    "--max-vocab", optarg, 1, LONG_MAX);
			break;
		case OPT_MINCOUNT:
			op->co.min_count = cli_long(usage_text, "--min-count",
			    optarg, 1, LONG_MAX);
			break;
		case OPT_PROGRESS:
			op->plain = 1;
			op->quiet = 0;
			break;
		case OPT_SAVEINT:
			op->saveint = 1;
			break;
		case OPT_VERSION:
			cli_version();
			break;
		default:
			cli_usage_die(usage_text, NULL);
		}
	}
	op->files = argv + optind;
	op->nfiles = (size_t)(argc - optind);
	if (op->out == NULL)
		cli_usage_die(usage_text, "-o is required");
	if (op->nrows > 0 && !op->co.ids)
		cli_usage_die(usage_text, "-V goes with --ids");
	if (op->informat != FMT_NONE && op->initpath == NULL)
		cli_usage_die(usage_text, "--format goes with --init");
	if (op->tok != NULL && !op->co.ids)
		cli_usage_die(usage_text, "-t goes with --ids");
	if (op->co.ids)
		op->tok = cli_tokenizer(op->tok);
	if (op->outfmt == FMT_NONE)
		op->outfmt = fmt_byext(op->out) != FMT_NONE ?
		    fmt_byext(op->out) : FMT_SAFETENSORS;
}

/*
 * Check the options (trainopts_args), read --init into init (d follows
 * it), settle --ids' -V and, with -t, name the rows in names.
 */
static void
load_init_names(struct opts *op, struct table *init, struct vocab *names)
{
	struct emb_err e;
	int rc;

	if (trainopts_args(&op->o, op->co.ids, &e) < 0)
		cli_usage_die(usage_text, "%s", e.msg);
	if (op->initpath != NULL) {
		if (fmt_read(init, op->initpath, op->informat, &op->fo, &e) < 0)
			cli_die(&e);
		if (table_first_nonfinite(init) >= 0)
			cli_dief("%s: row %ld: NaN or infinite value",
			    op->initpath, table_first_nonfinite(init) + 1);
		op->d = (long)init->d;
	}
	if (op->co.ids && (rc = trainopts_rows(&op->nrows, names, op->tok,
	    op->initpath ? init : NULL, op->initpath, &e)) < 0) {
		if (rc == TRAINOPTS_USAGE)
			cli_usage_die(usage_text, "%s", e.msg);
		cli_die(&e);
	}
	op->co.names = op->tok != NULL ? names : NULL;
	op->co.nids = op->nrows;
}

int
main(int argc, char *argv[])
{
	struct opts op;
	struct train_progress last;	/* the final figures */
	struct corpus c;
	struct table t, init;		/* the model; --init's */
	struct vocab names;		/* -t: the rows' names */
	struct emb_err e;
	size_t matched = 0;
	int rc;

	cli_init("emb-train");
	if (getenv("EMB_ISA") == NULL)
		cli_isa_env("EMB_TRAIN_ISA");	/* the older name */
	parse_options(argc, argv, &op);
	op.tty = !op.quiet && !op.plain && isatty(STDERR_FILENO);
	if (!op.quiet && (op.plain || op.tty)) {
		op.o.progress = progress;
		op.o.progress_arg = &op.tty;
		op.o.interval = op.tty ? 0.5 : 10;
	}

	table_init(&init);
	vocab_init(&names);
	load_init_names(&op, &init, &names);
	if (trainopts_check(&op.o, op.initpath ? &init : NULL, op.co.ids,
	    &e) < 0)
		cli_usage_die(usage_text, "%s", e.msg);
	corpus_init(&c);
	op.co.threads = op.o.threads;
	if ((rc = corpus_read(&c, op.files, op.nfiles, &op.co, &e)) < 0) {
		if (rc == CORPUS_EPRUNED)
			cli_dief("no token occurs --min-count=%ld times",
			    op.co.min_count);
		cli_die(&e);
	}
	table_init(&t);
	if (train_table(&t, &c, (size_t)op.d, op.o.seed,
	    op.initpath ? &init : NULL, &op.o, &matched, &e) < 0)
		cli_die(&e);
	table_free(&init);
	if (!op.quiet && (op.plain || op.tty))
		fprintf(stderr, "emb-train: %llu words, %zu in the vocabulary, "
		    "%zu from --init, %s, %d thread%s\n",
		    (unsigned long long)c.ntokens, c.vocab.n, matched,
		    cpu_isa_name(cpu_isa()), op.o.threads,
		    op.o.threads == 1 ? "" : "s");

	cli_trap_stop(&stop);
	op.o.stop = &stop;
	memset(&last, 0, sizeof(last));
	rc = train_run(&t, &c, &op.o, &last, &e);
	cli_untrap_stop();
	if (rc < 0)
		cli_die(&e);
	if (rc == 1 && !op.saveint)
		cli_dief("interrupted at %.1f%%: no model written",
		    last.frac * 100);
	train_meta(&t, &op.o, op.co.min_count, op.co.max_vocab, c.ntokens,
	    op.initpath, rc == 1 ? &last : NULL);
	corpus_free(&c);
	if (fmt_write(&t, op.out, op.outfmt, DT_F32, &op.fo, &e) < 0)
		cli_die_output(&e, op.out);
	table_free(&t);
	vocab_free(&names);
	if (rc == 1)
		cli_dief("interrupted at %.1f%%: partial model written to %s",
		    last.frac * 100, op.out);
	return STATUS_OK;
}
