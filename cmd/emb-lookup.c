/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lookup.h"
#include "model.h"
#include "pool.h"
#include "posenc.h"
#include "seq.h"
#include "src.h"
#include "tokvocab.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-lookup [-bhq] [--all] [--csv] [--format name] [--ids] [--label]\n"
"                  [-m model] [--min-length n] [--offset n] [--oov policy]\n"
"                  [--pool mode] [--positions how] [--print what]\n"
"                  [--scale s] [--skip-special] [-t tokenizer] [--unk token]\n"
"                  [file ...]\n";

static const char help_text[] =
"Look tokens (or IDs, or text with -t) up in an embedding table and print\n"
"their vectors.\n"
"\n"
"  -b, --binary        write a binary vector stream instead of text\n"
"      --csv           write CSV (label first with --label or --all)\n"
"      --all           print every row of the table, labelled\n"
"      --format=NAME   the table's format (default: detected)\n"
"  -h, --help          print this help and exit\n"
"      --ids           input holds integer IDs, not tokens\n"
"      --label         put the token (or ID) before each vector\n"
"  -m, --model=FILE    the table (default: $EMB_MODEL)\n"
"      --min-length=N  --all with -t: leave out tokens of fewer than N\n"
"                      characters (blanks at the ends not counted)\n"
"      --offset=N      --positions: the first token of a line is at\n"
"                      position N (default 0)\n"
"      --oov=POLICY    unknown tokens: error, skip, zero, unk, subword\n"
"                      (default: subword for a model with n-grams, else error)\n"
"      --pool=MODE     one vector per line: mean (of unit rows, as fastText's\n"
"                      print-sentence-vectors), avg, sum, max, first, last\n"
"      --positions=HOW add position encodings to each line's rows:\n"
"                      sinusoidal, or FILE[:TENSOR] (a learned table\n"
"                      such as model.safetensors:wpe.weight)\n"
"      --print=WHAT    vectors (default), ids (tokens to IDs) or\n"
"                      tokens (IDs to tokens), one sequence per line\n"
"  -q, --quiet         do not report skipped unknown tokens\n"
"      --scale=S       multiply the token rows by S first (default 1);\n"
"                      sqrt: by the square root of d\n"
"      --skip-special  --all with -t: leave out special tokens\n"
"  -t, --tokenizer=TOK the table's rows are TOK's token IDs: input lines\n"
"                      are text, tokenized as emb-tokenize does, and rows\n"
"                      are labelled by readable tokens (default:\n"
"                      $EMB_TOKENIZER)\n"
"      --unk=TOKEN     the row used by --oov unk (default <unk>)\n"
"      --version       print the version and exit\n";

/* in enum seq_oov's order */
static const char *const oov_names[] = { "error", "skip", "zero", "unk",
    "subword", NULL };
/* in enum lookup_print's order */
static const char *const print_names[] = { "vectors", "ids", "tokens", NULL };
enum { OPT_ALL = CHAR_MAX + 1, OPT_CSV, OPT_FORMAT, OPT_IDS, OPT_LABEL,
    OPT_MINLEN, OPT_OFFSET, OPT_OOV, OPT_POOL, OPT_POSITIONS, OPT_PRINT,
    OPT_SCALE, OPT_SKIPSPEC, OPT_UNK, OPT_VERSION };

/* the options that only set things up */
struct setup_opts {
	const char *model;	/* -m, else $EMB_MODEL */
	enum fmt format;	/* --format: detect */
	const char *unk;	/* the --oov unk row */
	const char *positions;	/* --positions */
	double scale;		/* --scale */
	int sqrt_d;		/* --scale sqrt: sqrt(d) */
	long offset;		/* --offset */
	const char *tok;	/* -t, else $EMB_TOKENIZER */
	int all;		/* --all: dump every row */
	int oovset;		/* --oov given */
	int h0;			/* --positions or --scale */
};

struct emb_lookup {
	struct model m;
	struct lookup lk;	/* lines in, rows out */
	struct lookup_opts lo;	/* its options */
	struct posenc pe;	/* --positions, --scale, --offset */
	struct tokenizer *tok;	/* -t: lines are text */
	int quiet;
	struct setup_opts opt;
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

/* a failed lookup call: the message, or the write failure */
static void
die(int r, const struct emb_err *e)
{
	if (r == LOOKUP_EWRITE)
		cli_write_failed();
	if (r == LOOKUP_ELABEL)
		cli_dief("%s (-b or --csv can)", e->msg);
	cli_die(e);
}

static int
do_file(struct emb_lookup *l, const char *path)
{
	struct emb_err e;
	struct src s;
	char *line;
	ssize_t n;
	int r = 0;

	if (src_open(&s, path, &e) < 0) {
		cli_warn(&e);
		return STATUS_FAIL;
	}
	while ((n = src_getline(&s, &line, &e)) >= 0) {
		if ((r = lookup_line(&l->lk, line, (size_t)n, s.name, s.line,
		    &e)) < 0)
			die(r, &e);
		cli_check_out(stdout);
	}
	src_close(&s);
	if (n == -2)
		cli_die(&e);
	return STATUS_OK;
}

static const struct option longopts[] = {
	{ "all",	no_argument,		NULL, OPT_ALL },
	{ "binary",	no_argument,		NULL, 'b' },
	{ "csv",	no_argument,		NULL, OPT_CSV },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "help",	no_argument,		NULL, 'h' },
	{ "ids",	no_argument,		NULL, OPT_IDS },
	{ "label",	no_argument,		NULL, OPT_LABEL },
	{ "min-length",	required_argument,	NULL, OPT_MINLEN },
	{ "model",	required_argument,	NULL, 'm' },
	{ "offset",	required_argument,	NULL, OPT_OFFSET },
	{ "oov",	required_argument,	NULL, OPT_OOV },
	{ "pool",	required_argument,	NULL, OPT_POOL },
	{ "positions",	required_argument,	NULL, OPT_POSITIONS },
	{ "print",	required_argument,	NULL, OPT_PRINT },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "scale",	required_argument,	NULL, OPT_SCALE },
	{ "skip-special", no_argument,		NULL, OPT_SKIPSPEC },
	{ "tokenizer",	required_argument,	NULL, 't' },
	{ "unk",	required_argument,	NULL, OPT_UNK },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* the options into l; returns optind */
static int
parse_options(int argc, char *argv[], struct emb_lookup *l)
{
	struct setup_opts *o = &l->opt;
	int ch;

	memset(l, 0, sizeof(*l));
	l->lo.oov = SEQ_OOV_ERROR;
	o->format = FMT_NONE;
	o->unk = "<unk>";
	o->scale = 1;
	l->lo.pool = POOL_MEAN;
	while ((ch = getopt_long(argc, argv, "bhm:qt:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			l->lo.out = LOOKUP_BINARY;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(cli_close_stdout());
		case 'm':
			o->model = optarg;
			break;
		case 'q':
			l->quiet = 1;
			break;
		case 't':
			o->tok = optarg;
			break;
		case OPT_MINLEN:
			l->lo.min_length = (size_t)cli_long(usage_text,
			    "--min-length", optarg, 0, LONG_MAX);
			break;
		case OPT_SKIPSPEC:
			l->lo.skip_special = 1;
			break;
		case OPT_ALL:
			o->all = 1;
			break;
		case OPT_CSV:
			l->lo.out = LOOKUP_CSV;
			break;
		case OPT_FORMAT:
			o->format = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_IDS:
			l->lo.ids = 1;
			break;
		case OPT_LABEL:
			l->lo.label = 1;
			break;
		case OPT_OFFSET:
			o->offset = cli_long(usage_text, "--offset", optarg, 0,
			    LONG_MAX);
			break;
		case OPT_OOV:
			l->lo.oov = (enum seq_oov)cli_choice(usage_text,
			    "--oov", optarg, oov_names);
			o->oovset = 1;
			break;
		case OPT_POOL:
			l->lo.pool = cli_pool(usage_text, optarg);
			l->lo.pooling = 1;
			break;
		case OPT_POSITIONS:
			o->positions = optarg;
			break;
		case OPT_PRINT:
			l->lo.print = cli_choice(usage_text, "--print", optarg,
			    print_names);
			break;
		case OPT_SCALE:
			o->sqrt_d = strcmp(optarg, "sqrt") == 0;
			if (!o->sqrt_d)
				o->scale = cli_double(usage_text, "--scale",
				    optarg, -1e30, 1e30);
			o->h0 = 1;
			break;
		case OPT_UNK:
			o->unk = optarg;
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

/* the combinations that make sense */
static void
check_options(struct emb_lookup *l, int argc)
{
	struct setup_opts *o = &l->opt;
	const struct lookup_opts *lo = &l->lo;
	int vectors = lo->print == LOOKUP_VECTORS;

	o->h0 |= o->positions != NULL;
	if ((o->all && (argc > 0 || lo->ids || !vectors || o->h0 ||
	    lo->pooling)) || (lo->pooling && (!vectors || o->h0)) ||
	    (lo->print == LOOKUP_IDS && (lo->ids || lo->oov == SEQ_OOV_ZERO ||
	    lo->oov == SEQ_OOV_SUBWORD)) || (lo->print == LOOKUP_TOKENS &&
	    !lo->ids) || (!vectors && (lo->out != LOOKUP_TEXT || lo->label ||
	    o->h0)))
		cli_usage_die(usage_text, "conflicting options");
	if (o->offset > 0 && o->positions == NULL)
		cli_usage_die(usage_text, "--offset needs --positions");
	o->tok = cli_tokenizer(o->tok);
	if ((lo->skip_special || lo->min_length > 0) && (o->tok == NULL ||
	    !o->all))
		cli_usage_die(usage_text, "--skip-special and --min-length go "
		    "with --all and -t");
}

/* the model, tokenizer, positions and output the options ask for */
static void
setup(struct emb_lookup *l)
{
	struct setup_opts *o = &l->opt;
	struct emb_err e;
	int r;

	if (model_open(&l->m, cli_model(usage_text, o->model), o->format,
	    &e) < 0)
		cli_die(&e);
	if (o->tok != NULL && (l->tok = tokvocab_attach(&l->m, o->tok, 0,
	    &e)) == NULL)
		cli_die(&e);
	if (!l->lo.ids && !o->all && l->m.vocab.n == 0)
		cli_dief("%s: the table has no vocabulary: look up IDs with "
		    "--ids", o->model ? o->model : getenv("EMB_MODEL"));
	/* models with n-grams give unseen words a vector by default */
	if (!o->oovset && subword_on(&l->m.sw) &&
	    l->lo.print == LOOKUP_VECTORS)
		l->lo.oov = SEQ_OOV_SUBWORD;
	if (l->lo.oov == SEQ_OOV_SUBWORD && !subword_on(&l->m.sw))
		cli_dief("%s: no subword (n-gram) rows for --oov subword",
		    l->m.path);
	if (l->lo.oov == SEQ_OOV_UNK &&
	    (l->lo.unk = model_find(&l->m, o->unk, strlen(o->unk))) < 0)
		cli_dief("%s: no token \"%s\" for --oov unk", l->m.path,
		    o->unk);
	posenc_init(&l->pe, l->m.d);
	if (o->positions != NULL && posenc_open(&l->pe, o->positions, l->m.d,
	    &e) < 0)
		cli_die(&e);
	l->pe.offset = (size_t)o->offset;
	l->pe.scale = o->sqrt_d ? sqrt((double)l->m.d) : o->scale;
	l->lo.pe = o->h0 ? &l->pe : NULL;
	l->lo.text = l->tok;
	if ((r = lookup_init(&l->lk, &l->m, &l->lo, stdout, o->all)) < 0)
		die(r, &e);
}

int
main(int argc, char *argv[])
{
	struct emb_lookup l;
	struct emb_err e;
	int status = STATUS_OK, first, r;

	cli_init("emb-lookup");
	first = parse_options(argc, argv, &l);
	argc -= first;
	argv += first;
	check_options(&l, argc);
	setup(&l);
	if (l.opt.all) {
		if ((r = lookup_all(&l.lk, &e)) < 0)
			die(r, &e);
	} else if (argc == 0)
		status = do_file(&l, "-");
	else
		for (; *argv != NULL; argv++)
			status |= do_file(&l, *argv);
	if ((r = lookup_close(&l.lk)) < 0)
		die(r, &e);
	if (l.lk.seq.skipped > 0 && !l.quiet)
		cli_warnf("%zu unknown tokens skipped", l.lk.seq.skipped);
	lookup_free(&l.lk);
	posenc_free(&l.pe);
	tokenizer_free(l.tok);
	model_close(&l.m);
	return status | cli_close_stdout();
}
