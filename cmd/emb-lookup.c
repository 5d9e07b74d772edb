/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvio.h"
#include "model.h"
#include "pool.h"
#include "posenc.h"
#include "seq.h"
#include "src.h"
#include "textvec.h"
#include "tokvocab.h"
#include "util.h"
#include "vstream.h"

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
enum { OUT_TEXT, OUT_BINARY, OUT_CSV };
enum { PRINT_VECTORS, PRINT_IDS, PRINT_TOKENS };
static const char *const print_names[] = { "vectors", "ids", "tokens", NULL };
enum { OPT_ALL = CHAR_MAX + 1, OPT_CSV, OPT_FORMAT, OPT_IDS, OPT_LABEL,
    OPT_MINLEN, OPT_OFFSET, OPT_OOV, OPT_POOL, OPT_POSITIONS, OPT_PRINT,
    OPT_SCALE, OPT_SKIPSPEC, OPT_UNK, OPT_VERSION };

/* the options that only set things up */
struct lookup_opts {
	const char *model;	/* -m, else $EMB_MODEL */
	enum fmt format;	/* --format: detect */
	const char *unk;	/* the --oov unk row */
	const char *positions;	/* --positions */
	double scale;		/* --scale */
	int sqrt_d;		/* --scale sqrt: sqrt(d) */
	long offset;		/* --offset */
	enum pool_mode pool;	/* --pool */
	const char *tok;	/* -t, else $EMB_TOKENIZER */
	long minlen;		/* --min-length */
	int skipspec;		/* --skip-special */
	int all;		/* --all: dump every row */
	int oovset;		/* --oov given */
};

struct lookup {
	struct model m;
	struct seq seq;		/* the line being looked up */
	struct posenc pe;	/* --positions, --scale, --offset */
	struct pool pool;	/* --pool: a vector a line */
	struct vwriter w;	/* text and binary vector output */
	struct tokenizer *tok;	/* -t: lines are text */
	uint64_t *skip;		/* --all: rows left out, or NULL */
	enum seq_oov oov;
	int out, print, label, ids, quiet, h0, pooling;
	long unk;		/* row for --oov unk */
	float *row;
	struct lookup_opts opt;
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

static void
put_vec(struct lookup *l, const char *label, size_t len, const float *v)
{
	const char *why;
	char show[48];
	int r;

	if (!l->label)
		label = NULL;
	if (l->out == OUT_CSV)
		r = csvio_write_vec(stdout, label, len, v, l->m.d);
	else if ((r = vwriter_row(&l->w, label, len, v, &why)) == -2)
		cli_dief("label \"%s\" %s: a text vector stream cannot hold "
		    "it (-b or --csv can)", textvec_show(label, len, show,
		    32), why);
	if (r < 0)
		cli_write_failed();
}

/* one line: a sequence of rows, plus positions; -1 with e */
static int
do_line(struct lookup *l, char *line, size_t n, struct src *s,
    struct emb_err *e)
{
	size_t k, len;
	const char *label;

	if ((l->ids ? seq_ids(&l->seq, &l->m, line, n, s->name, s->line, e) :
	    l->tok != NULL ? seq_text(&l->seq, l->tok, &l->m, line, n,
	    s->name, s->line, e) : seq_tokens(&l->seq, &l->m, line, n, l->oov,
	    l->unk, s->name, s->line, e)) < 0)
		return -1;
	if (l->print != PRINT_VECTORS) {
		if (seq_write_line(stdout, &l->seq, &l->m, l->print ==
		    PRINT_IDS) < 0)
			cli_write_failed();
		return 0;
	}
	if (posenc_check(&l->pe, l->seq.n, s->name, s->line, e) < 0)
		return -1;
	if (l->out == OUT_BINARY && !l->pooling &&
	    vstream_write_seq(stdout, l->seq.n) < 0)
		cli_write_failed();
	pool_reset(&l->pool);
	for (k = 0; k < l->seq.n; k++) {
		if (seq_row(&l->seq, &l->m, k, l->row, e) < 0)
			cli_die(e);
		if (l->h0)
			posenc_add(&l->pe, k, l->row);
		label = seq_label(&l->seq, &l->m, k, &len);
		if (l->pooling)
			pool_add(&l->pool, l->row);
		else
			put_vec(l, label, len, l->row);
	}
	if (l->pooling) {
		/* the line's vector, labelled with the line */
		pool_get(&l->pool, l->row);
		put_vec(l, line, n, l->row);
	}
	return 0;
}

/* --all: every row of the table, in blocks */
static void
put_all(struct lookup *l)
{
	struct emb_err e;
	size_t i, j, k, len;
	const char *label;

	for (i = 0; i < l->m.V; i += k) {
		k = l->m.V - i < 4096 ? l->m.V - i : 4096;
		seq_range(&l->seq, i, k, l->skip);
		for (j = 0; j < l->seq.n; j++) {
			if (seq_row(&l->seq, &l->m, j, l->row, &e) < 0)
				cli_die(&e);
			label = seq_label(&l->seq, &l->m, j, &len);
			put_vec(l, label, len, l->row);
		}
	}
}

static int
do_file(struct lookup *l, const char *path)
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
		if ((r = do_line(l, line, (size_t)n, &s, &e)) < 0)
			break;
		cli_check_out(stdout);
	}
	src_close(&s);
	if (r < 0 || n == -2)
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
parse_options(int argc, char *argv[], struct lookup *l)
{
	struct lookup_opts *o = &l->opt;
	int ch;

	memset(l, 0, sizeof(*l));
	l->oov = SEQ_OOV_ERROR;
	o->format = FMT_NONE;
	o->unk = "<unk>";
	o->scale = 1;
	o->pool = POOL_MEAN;
	while ((ch = getopt_long(argc, argv, "bhm:qt:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			l->out = OUT_BINARY;
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
			o->minlen = cli_long(usage_text, "--min-length",
			    optarg, 0, LONG_MAX);
			break;
		case OPT_SKIPSPEC:
			o->skipspec = 1;
			break;
		case OPT_ALL:
			o->all = 1;
			break;
		case OPT_CSV:
			l->out = OUT_CSV;
			break;
		case OPT_FORMAT:
			o->format = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_IDS:
			l->ids = 1;
			break;
		case OPT_LABEL:
			l->label = 1;
			break;
		case OPT_OFFSET:
			o->offset = cli_long(usage_text, "--offset", optarg, 0,
			    LONG_MAX);
			break;
		case OPT_OOV:
			l->oov = (enum seq_oov)cli_choice(usage_text, "--oov",
			    optarg, oov_names);
			o->oovset = 1;
			break;
		case OPT_POOL:
			o->pool = cli_pool(usage_text, optarg);
			l->pooling = 1;
			break;
		case OPT_POSITIONS:
			o->positions = optarg;
			break;
		case OPT_PRINT:
			l->print = cli_choice(usage_text, "--print", optarg,
			    print_names);
			break;
		case OPT_SCALE:
			o->sqrt_d = strcmp(optarg, "sqrt") == 0;
			if (!o->sqrt_d)
				o->scale = cli_double(usage_text, "--scale",
				    optarg, -1e30, 1e30);
			l->h0 = 1;
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
check_options(struct lookup *l, int argc)
{
	struct lookup_opts *o = &l->opt;

	l->h0 |= o->positions != NULL;
	if ((o->all && (argc > 0 || l->ids || l->print != PRINT_VECTORS ||
	    l->h0 || l->pooling)) || (l->pooling &&
	    (l->print != PRINT_VECTORS || l->h0)) || (l->print == PRINT_IDS &&
	    (l->ids || l->oov == SEQ_OOV_ZERO || l->oov == SEQ_OOV_SUBWORD)) ||
	    (l->print == PRINT_TOKENS && !l->ids) ||
	    (l->print != PRINT_VECTORS && (l->out != OUT_TEXT || l->label ||
	    l->h0)))
		cli_usage_die(usage_text, "conflicting options");
	if (o->offset > 0 && o->positions == NULL)
		cli_usage_die(usage_text, "--offset needs --positions");
	o->tok = cli_tokenizer(o->tok);
	if ((o->skipspec || o->minlen > 0) && (o->tok == NULL || !o->all))
		cli_usage_die(usage_text, "--skip-special and --min-length go "
		    "with --all and -t");
}

/* the model, tokenizer, positions and output the options ask for */
static void
setup(struct lookup *l)
{
	struct lookup_opts *o = &l->opt;
	struct emb_err e;
	size_t nskip;

	if (model_open(&l->m, cli_model(usage_text, o->model), o->format,
	    &e) < 0)
		cli_die(&e);
	if (o->tok != NULL && (l->tok = tokvocab_attach(&l->m, o->tok, 0,
	    &e)) == NULL)
		cli_die(&e);
	l->skip = l->tok != NULL ? tokvocab_mask(l->tok, l->m.V, o->skipspec,
	    (size_t)o->minlen, &nskip) : NULL;
	if (!l->ids && !o->all && l->m.vocab.n == 0)
		cli_dief("%s: the table has no vocabulary: look up IDs with "
		    "--ids", o->model ? o->model : getenv("EMB_MODEL"));
	/* models with n-grams give unseen words a vector by default */
	if (!o->oovset && subword_on(&l->m.sw) && l->print == PRINT_VECTORS)
		l->oov = SEQ_OOV_SUBWORD;
	if (l->oov == SEQ_OOV_SUBWORD && !subword_on(&l->m.sw))
		cli_dief("%s: no subword (n-gram) rows for --oov subword",
		    l->m.path);
	if (l->oov == SEQ_OOV_UNK &&
	    (l->unk = model_find(&l->m, o->unk, strlen(o->unk))) < 0)
		cli_dief("%s: no token \"%s\" for --oov unk", l->m.path,
		    o->unk);
	posenc_init(&l->pe, l->m.d);
	if (o->positions != NULL && posenc_open(&l->pe, o->positions, l->m.d,
	    &e) < 0)
		cli_die(&e);
	l->pe.offset = (size_t)o->offset;
	l->pe.scale = o->sqrt_d ? sqrt((double)l->m.d) : o->scale;
	l->row = xmalloc(l->m.d * sizeof(float));
	seq_init(&l->seq);
	pool_init(&l->pool, o->pool, l->m.d);
	if (o->all)
		l->label = 1;
	if (l->out != OUT_CSV && l->print == PRINT_VECTORS &&
	    vwriter_open(&l->w, stdout, l->m.d, l->out == OUT_BINARY,
	    (l->label ? VSTREAM_LABELLED : 0) | (o->all || l->pooling ? 0 :
	    VSTREAM_SEQUENCES), o->all ? (long long)l->m.V : -1) < 0)
		cli_write_failed();
}

int
main(int argc, char *argv[])
{
	struct lookup l;
	int status = STATUS_OK, first;

	cli_init("emb-lookup");
	first = parse_options(argc, argv, &l);
	argc -= first;
	argv += first;
	check_options(&l, argc);
	setup(&l);
	if (l.opt.all)
		put_all(&l);
	else if (argc == 0)
		status = do_file(&l, "-");
	else
		for (; *argv != NULL; argv++)
			status |= do_file(&l, *argv);
	if (l.out != OUT_CSV && l.print == PRINT_VECTORS &&
	    vwriter_close(&l.w) < 0)
		cli_write_failed();
	if (l.seq.skipped > 0 && !l.quiet)
		cli_warnf("%zu unknown tokens skipped", l.seq.skipped);
	free(l.row);
	seq_free(&l.seq);
	pool_free(&l.pool);
	posenc_free(&l.pe);
	free(l.skip);
	tokenizer_free(l.tok);
	model_close(&l.m);
	return status | cli_close_stdout();
}
