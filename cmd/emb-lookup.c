/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvio.h"
#include "ids.h"
#include "model.h"
#include "pool.h"
#include "src.h"
#include "util.h"
#include "vstream.h"

static const char usage_text[] =
"usage: emb-lookup [-bhq] [--all] [--csv] [--ids] [--label] [-m model]\n"
"                  [--oov policy] [--pool mode] [--print what] [--unk token]\n"
"                  [file ...]\n";

static const char help_text[] =
"Look tokens (or IDs) up in an embedding table and print their vectors.\n"
"\n"
"  -b, --binary        write a binary vector stream instead of text\n"
"      --csv           write CSV (label first with --label or --all)\n"
"      --all           print every row of the table, labelled\n"
"  -h, --help          print this help and exit\n"
"      --ids           input holds integer IDs, not tokens\n"
"      --label         put the token (or ID) before each vector\n"
"  -m, --model=FILE    the table (default: $EMB_MODEL)\n"
"      --oov=POLICY    unknown tokens: error (default), skip, zero, unk\n"
"      --pool=MODE     one vector per line: mean (of unit rows, as fastText's\n"
"                      print-sentence-vectors), avg, sum, max, first, last\n"
"      --print=WHAT    vectors (default), ids (tokens to IDs) or\n"
"                      tokens (IDs to tokens), one sequence per line\n"
"  -q, --quiet         do not report skipped unknown tokens\n"
"      --unk=TOKEN     the row used by --oov unk (default <unk>)\n"
"      --version       print the version and exit\n";

enum { OOV_ERROR, OOV_SKIP, OOV_ZERO, OOV_UNK };
enum { OUT_TEXT, OUT_BINARY, OUT_CSV };
enum { PRINT_VECTORS, PRINT_IDS, PRINT_TOKENS };
enum { OPT_ALL = CHAR_MAX + 1, OPT_CSV, OPT_IDS, OPT_LABEL, OPT_OOV,
    OPT_POOL, OPT_PRINT, OPT_UNK, OPT_VERSION };

struct lookup {
	struct model m;
	int oov, out, print, label, ids, quiet;
	int pooling;		/* --pool: rows go to pool, a vector a line */
	struct pool pool;
	long unk;		/* row for --oov unk */
	float *row, *zero;
	size_t skipped;
	char idbuf[24];
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

/* the label of row id: its token, or its ID when the table has none */
static const char *
row_label(struct lookup *l, size_t id, size_t *len)
{
	if (l->m.vocab.n > 0)
		return vocab_token(&l->m.vocab, id, len);
	*len = (size_t)snprintf(l->idbuf, sizeof(l->idbuf), "%zu", id);
	return l->idbuf;
}

static void
emit_vec(struct lookup *l, const char *label, size_t len, const float *v)
{
	int r;

	if (!l->label)
		label = NULL;
	if (l->out == OUT_BINARY)
		r = vstream_write_bin(stdout, label, len, v, l->m.d);
	else if (l->out == OUT_CSV)
		r = csvio_write_vec(stdout, label, len, v, l->m.d);
	else
		r = vstream_write_text(stdout, label, len, v, l->m.d);
	if (r < 0)
		cli_write_failed();
}

/* a token's vector: printed, or pooled with its line's under --pool */
static void
put_vec(struct lookup *l, const char *label, size_t len, const float *v)
{
	if (l->pooling)
		pool_add(&l->pool, v);
	else
		emit_vec(l, label, len, v);
}

/* the vector of a line's pooled rows, labelled with the line */
static void
put_pooled(struct lookup *l, const char *line, size_t len)
{
	pool_get(&l->pool, l->row);
	emit_vec(l, line, len, l->row);
}

/* row id into l->row: a NaN or Inf in it stops the tool */
static void
get_row(struct lookup *l, size_t id)
{
	struct emb_err e;

	if (model_row_finite(&l->m, id, l->row, &e) < 0)
		cli_die(&e);
}

static void
put_row(struct lookup *l, size_t id)
{
	size_t len;
	const char *label = row_label(l, id, &len);

	get_row(l, id);
	put_vec(l, label, len, l->row);
}

/* one token of a line: print what --print asks for; 0, or -1 if none */
static int
do_token(struct lookup *l, char *tok, size_t len, struct src *s, int first,
    struct emb_err *e)
{
	long id = model_find(&l->m, tok, len);

	if (id < 0) {
		switch (l->oov) {
		case OOV_ERROR:
			err_set(e, s->name, s->line, "unknown token \"%.*s\"",
			    (int)(len > 200 ? 200 : len), tok);
			return -2;
		case OOV_SKIP:
			l->skipped++;
			return -1;
		case OOV_ZERO:
			put_vec(l, tok, len, l->zero);
			return 0;
		default:
			id = l->unk;
		}
	}
	if (l->print == PRINT_IDS) {
		if (printf(first ? "%ld" : " %ld", id) < 0)
			cli_write_failed();
	} else if (l->oov == OOV_UNK || l->oov == OOV_ZERO) {
		/* label with the token as read, the way the input named it */
		get_row(l, (size_t)id);
		put_vec(l, tok, len, l->row);
	} else
		put_row(l, (size_t)id);
	return 0;
}

static int
do_line_tokens(struct lookup *l, char *line, size_t n, struct src *s,
    struct emb_err *e)
{
	size_t i = 0;
	int first = 1;

	while (i < n) {
		size_t start;
		int r;

		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && line[i] != ' ' && line[i] != '\t')
			i++;
		r = do_token(l, line + start, i - start, s, first, e);
		if (r == -2)
			return -1;
		if (r == 0)
			first = 0;
	}
	if (l->print == PRINT_IDS && putchar('\n') == EOF)
		cli_write_failed();
	return 0;
}

static int
do_line_ids(struct lookup *l, char *line, size_t n, struct src *s,
    uint32_t **ids, size_t *cap, struct emb_err *e)
{
	size_t k, nids;
	const char *why;
	char *bad;

	if (ids_parse(line, n, l->m.V, ids, &nids, cap, &why, &bad) < 0) {
		err_set(e, s->name, s->line, "%s: \"%.40s\" (table has %zu "
		    "rows)", why, bad, l->m.V);
		return -1;
	}
	for (k = 0; k < nids; k++) {
		size_t len;
		const char *tok;

		if (l->print == PRINT_TOKENS) {
			tok = row_label(l, (*ids)[k], &len);
			if ((k > 0 && putchar(' ') == EOF) ||
			    fwrite(tok, 1, len, stdout) != len)
				cli_write_failed();
		} else
			put_row(l, (*ids)[k]);
	}
	if (l->print == PRINT_TOKENS && putchar('\n') == EOF)
		cli_write_failed();
	return 0;
}

static int
do_file(struct lookup *l, const char *path)
{
	struct emb_err e;
	struct src s;
	char *line;
	ssize_t n;
	uint32_t *ids = NULL;
	size_t cap = 0;
	int r = 0;

	if (src_open(&s, path, &e) < 0) {
		cli_warn(&e);
		return STATUS_FAIL;
	}
	while ((n = src_getline(&s, &line, &e)) >= 0) {
		if (l->pooling)
			pool_reset(&l->pool);
		if (l->ids)
			r = do_line_ids(l, line, (size_t)n, &s, &ids, &cap, &e);
		else
			r = do_line_tokens(l, line, (size_t)n, &s, &e);
		if (r < 0)
			break;
		if (l->pooling)
			put_pooled(l, line, (size_t)n);
		cli_check_out(stdout);
	}
	free(ids);
	src_close(&s);
	if (r < 0 || n == -2)
		cli_die(&e);
	return STATUS_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "all",	no_argument,		NULL, OPT_ALL },
		{ "binary",	no_argument,		NULL, 'b' },
		{ "csv",	no_argument,		NULL, OPT_CSV },
		{ "help",	no_argument,		NULL, 'h' },
		{ "ids",	no_argument,		NULL, OPT_IDS },
		{ "label",	no_argument,		NULL, OPT_LABEL },
		{ "model",	required_argument,	NULL, 'm' },
		{ "oov",	required_argument,	NULL, OPT_OOV },
		{ "pool",	required_argument,	NULL, OPT_POOL },
		{ "print",	required_argument,	NULL, OPT_PRINT },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "unk",	required_argument,	NULL, OPT_UNK },
		{ "version",	no_argument,		NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct lookup l;
	struct emb_err e;
	const char *model = NULL;	/* -m, else $EMB_MODEL */
	const char *unk = "<unk>";	/* the --oov unk row */
	enum pool_mode pool = POOL_MEAN;	/* --pool */
	int all = 0;			/* --all: dump every row */
	int ch, status = STATUS_OK;

	cli_init("emb-lookup");
	memset(&l, 0, sizeof(l));
	while ((ch = getopt_long(argc, argv, "bhm:q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			l.out = OUT_BINARY;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return cli_close_stdout();
		case 'm':
			model = optarg;
			break;
		case 'q':
			l.quiet = 1;
			break;
		case OPT_ALL:
			all = 1;
			break;
		case OPT_CSV:
			l.out = OUT_CSV;
			break;
		case OPT_IDS:
			l.ids = 1;
			break;
		case OPT_LABEL:
			l.label = 1;
			break;
		case OPT_OOV:
			if (strcmp(optarg, "error") == 0)
				l.oov = OOV_ERROR;
			else if (strcmp(optarg, "skip") == 0)
				l.oov = OOV_SKIP;
			else if (strcmp(optarg, "zero") == 0)
				l.oov = OOV_ZERO;
			else if (strcmp(optarg, "unk") == 0)
				l.oov = OOV_UNK;
			else
				cli_usage_die(usage_text, "--oov: \"%s\" is not "
				    "one of error, skip, zero, unk", optarg);
			break;
		case OPT_POOL:
			if (pool_byname(optarg, &pool) < 0)
				cli_usage_die(usage_text, "--pool: \"%s\" is not "
				    "one of %s", optarg, pool_names);
			l.pooling = 1;
			break;
		case OPT_PRINT:
			if (strcmp(optarg, "vectors") == 0)
				l.print = PRINT_VECTORS;
			else if (strcmp(optarg, "ids") == 0)
				l.print = PRINT_IDS;
			else if (strcmp(optarg, "tokens") == 0)
				l.print = PRINT_TOKENS;
			else
				cli_usage_die(usage_text, "--print: \"%s\" is not "
				    "one of vectors, ids, tokens", optarg);
			break;
		case OPT_UNK:
			unk = optarg;
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
	if ((all && (argc > 0 || l.ids || l.print != PRINT_VECTORS ||
	    l.pooling)) || (l.pooling && l.print != PRINT_VECTORS) ||
	    (l.print == PRINT_IDS && (l.ids || l.oov == OOV_ZERO)) ||
	    (l.print == PRINT_TOKENS && !l.ids) ||
	    (l.print != PRINT_VECTORS && (l.out != OUT_TEXT || l.label)))
		cli_usage_die(usage_text, "conflicting options");
	if (model_open(&l.m, cli_model(usage_text, model), &e) < 0)
		cli_die(&e);
	if (!l.ids && !all && l.m.vocab.n == 0)
		cli_dief("%s: the table has no vocabulary: look up IDs with "
		    "--ids", model ? model : getenv("EMB_MODEL"));
	if (l.oov == OOV_UNK &&
	    (l.unk = model_find(&l.m, unk, strlen(unk))) < 0)
		cli_dief("%s: no token \"%s\" for --oov unk", l.m.path, unk);
	l.row = xmalloc(l.m.d * sizeof(float));
	l.zero = xcalloc(l.m.d, sizeof(float));
	if (l.pooling)
		pool_init(&l.pool, pool, l.m.d);
	if (all)
		l.label = 1;
	if (l.out == OUT_BINARY && l.print == PRINT_VECTORS &&
	    vstream_write_header(stdout, l.m.d, l.label) < 0)
		cli_write_failed();
	if (all) {
		size_t i;

		for (i = 0; i < l.m.V; i++)
			put_row(&l, i);
	} else if (argc == 0)
		status = do_file(&l, "-");
	else
		for (; *argv != NULL; argv++)
			status |= do_file(&l, *argv);
	if (l.skipped > 0 && !l.quiet)
		cli_warnf("%zu unknown tokens skipped", l.skipped);
	free(l.row);
	free(l.zero);
	if (l.pooling)
		pool_free(&l.pool);
	model_close(&l.m);
	return status | cli_close_stdout();
}
