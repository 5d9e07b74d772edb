/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csvio.h"
#include "ids.h"
#include "knn.h"
#include "model.h"
#include "shard.h"
#include "src.h"
#include "util.h"
#include "vstream.h"

static const char usage_text[] =
"usage: emb-nn [-hq] [--csv] [--ids | --tokens | --vectors] [--include-query]\n"
"              [-k count] [-m model] [--metric name] [--oov policy]\n"
"              [--restrict n] [--shard i/n] [--threads n] [query ...]\n"
"       emb-nn --merge [--csv] [-k count] [--metric name] file ...\n";

static const char help_text[] =
"Print the k nearest neighbours of each query: query<TAB>neighbour<TAB>score.\n"
"Queries are the operands, else stdin: tokens, IDs (--ids) or vectors\n"
"(text or binary vector stream, as emb-lookup writes).\n"
"\n"
"      --csv            write query,neighbour,score as CSV\n"
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
"  -q, --quiet          do not report skipped unknown tokens\n"
"      --restrict=N     search only the first N rows (the most frequent)\n"
"      --shard=I/N      search only shard I of N (rows V*(I-1)/N up to\n"
"                       V*I/N) and print partial lists for --merge\n"
"      --threads=N      threads, 0 = all cores (default 0)\n"
"      --tokens         stdin holds tokens (default: detected)\n"
"      --vectors        stdin holds vectors (default: detected)\n"
"      --version        print the version and exit\n";

enum { IN_AUTO, IN_TOKENS, IN_IDS, IN_VECTORS };
enum { OPT_CSV = CHAR_MAX + 1, OPT_IDS, OPT_INCLUDE, OPT_MERGE, OPT_METRIC,
    OPT_OOV, OPT_RESTRICT, OPT_SHARD, OPT_THREADS, OPT_TOKENS, OPT_VECTORS,
    OPT_VERSION };

#define BLOCK 4096		/* queries searched together */

struct nn {
	struct model m;
	struct knn_db db;
	struct knn_opts o;
	int in, csv, include, skip, quiet;
	size_t k;		/* -k as asked */
	size_t cap;		/* queries per block */
	size_t nq;		/* queries in the block */
	float *q;		/* cap x d */
	int32_t *excl;		/* cap: the row to leave out, or -1 */
	char *lab;		/* query labels, packed */
	size_t *loff, *llen, lused, lcap;
	struct knn_hit *hits;	/* cap x o.k */
	long nonfinite;		/* a row of the table with NaN or Inf */
	int shard;		/* --shard: print partial lists */
	int noshardrows;	/* this shard owns no rows */
	uint64_t qno;		/* queries searched before this block */
	float *row;		/* d floats of scratch */
	char idbuf[24];
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

/* the label of row id: its token, or its ID with --ids or no vocab */
static const char *
row_label(struct nn *n, size_t id, size_t *len)
{
	if (n->in != IN_IDS && n->m.vocab.n > 0)
		return vocab_token(&n->m.vocab, id, len);
	*len = (size_t)snprintf(n->idbuf, sizeof(n->idbuf), "%zu", id);
	return n->idbuf;
}

static void
put_field(struct nn *n, const char *s, size_t len, int sep)
{
	if (n->csv) {
		if (csvio_write_field(stdout, s, len) < 0)
			cli_write_failed();
	} else if (fwrite(s, 1, len, stdout) != len)
		cli_write_failed();
	if (putchar(n->csv ? ',' : sep) == EOF)
		cli_write_failed();
}

/* row id of the table as a query: a NaN or Inf in it stops the tool */
static void
table_row_query(struct nn *n, size_t id, float *out)
{
	struct emb_err e;

	if (model_row_finite(&n->m, id, out, &e) < 0)
		cli_die(&e);
}

/* search the block and print it */
static void
flush(struct nn *n)
{
	size_t i, x, len;
	const char *tok;

	if (n->nq == 0)
		return;
	if (n->noshardrows)
		n->nq = 0;
	else if (knn_search(&n->db, n->q, n->nq, &n->o, n->excl, 1,
	    n->hits) < 0)
		cli_dief("out of memory for %zu queries", n->nq);
	if (n->nonfinite >= 0) {
		struct emb_err e;

		model_nonfinite_err(&n->m, (size_t)n->nonfinite, &e);
		cli_die(&e);
	}
	for (i = 0; i < n->nq; i++)
		for (x = 0; x < n->o.k; x++) {
			const struct knn_hit *h = n->hits + i * n->o.k + x;

			if (h->id == UINT32_MAX)
				break;
			if (n->shard) {
				tok = row_label(n, h->id, &len);
				if (shard_write_hit(stdout, n->qno + i,
				    n->lab + n->loff[i], n->llen[i], tok, len,
				    h->score, h->id) < 0)
					cli_write_failed();
				continue;
			}
			put_field(n, n->lab + n->loff[i], n->llen[i], '\t');
			tok = row_label(n, h->id, &len);
			put_field(n, tok, len, '\t');
			if (printf("%.6f\n", h->score) < 0)
				cli_write_failed();
		}
	cli_check_out(stdout);
	n->qno += n->nq;
	n->nq = 0;
	n->lused = 0;
}

/* add a query: label, vector (row id of the table if v is NULL) */
static void
add(struct nn *n, const char *label, size_t len, const float *v, long id,
    long self)
{
	size_t i = n->nq;

	if (n->lused + len > n->lcap) {
		n->lcap = (n->lused + len) * 2;
		n->lab = xreallocarray(n->lab, n->lcap, 1);
	}
	memcpy(n->lab + n->lused, label, len);
	n->loff[i] = n->lused;
	n->llen[i] = len;
	n->lused += len;
	if (v != NULL)
		memcpy(n->q + i * n->m.d, v, n->m.d * sizeof(float));
	else
		table_row_query(n, (size_t)id, n->q + i * n->m.d);
	n->excl[i] = n->include || self < 0 ? -1 : (int32_t)self;
	if (++n->nq == n->cap)
		flush(n);
}

/* a zero query has no cosine; v NULL: row id of the table */
static int
zero_query(struct nn *n, const float *v, long id)
{
	size_t k;

	if (n->o.metric != KNN_COSINE)
		return 0;
	if (v == NULL) {
		table_row_query(n, (size_t)id, n->row);
		v = n->row;
	}
	for (k = 0; k < n->m.d; k++)
		if (v[k] != 0)
			return 0;
	return 1;
}

/* a token query; where names it in messages ("file:line: " or "") */
static int
add_token(struct nn *n, const char *tok, size_t len, const char *where,
    struct emb_err *e)
{
	long id = model_find(&n->m, tok, len);
	int l = (int)(len > 200 ? 200 : len);

	if (n->m.vocab.n == 0 && n->m.V > 0) {
		err_set(e, NULL, 0, "%s: the table has no vocabulary: give IDs "
		    "with --ids", n->m.path);
		return -1;
	}
	if (id < 0) {
		if (!n->skip) {
			err_set(e, NULL, 0, "%sunknown token \"%.*s\"", where,
			    l, tok);
			return -1;
		}
		if (!n->quiet)
			cli_warnf("%sunknown token \"%.*s\" skipped", where, l,
			    tok);
		return 0;
	}
	if (zero_query(n, NULL, id)) {
		err_set(e, NULL, 0, "%s\"%.*s\" is a zero vector: no cosine",
		    where, l, tok);
		return -1;
	}
	add(n, tok, len, NULL, id, id);
	return 0;
}

static int
add_id(struct nn *n, uint32_t id, const char *where, struct emb_err *e)
{
	char buf[24];
	int len = snprintf(buf, sizeof(buf), "%lu", (unsigned long)id);

	if (zero_query(n, NULL, id)) {
		err_set(e, NULL, 0, "%srow %s is a zero vector: no cosine",
		    where, buf);
		return -1;
	}
	add(n, buf, (size_t)len, NULL, id, id);
	return 0;
}

/* the first line of s: does it hold numbers (vectors), or a header? */
static int
detect(struct nn *n, struct src *s, int *header, struct emb_err *e)
{
	const unsigned char *p;
	size_t got, want = 256, i, nf = 0, nnum = 0, nint = 0;
	char line[512];
	int first = 1;		/* the line is the first of the input */

	*header = 0;
	for (;;) {
		got = src_peek(s, &p, want, e);
		if (memchr(p, '\n', got) != NULL || got < want)
			break;
		want *= 2;
		if (want > ((size_t)1 << 20))
			break;
	}
	/* the first line that is not blank */
	for (;;) {
		for (i = 0; i < got && (p[i] == ' ' || p[i] == '\t' ||
		    p[i] == '\r'); i++)
			;
		if (i == got || p[i] != '\n')
			break;
		p += i + 1;
		got -= i + 1;
		first = 0;
	}
	/* look at its last fields (up to 511 bytes) */
	for (i = 0; i < got && p[i] != '\n'; i++)
		;
	got = i;
	i = got > sizeof(line) - 1 ? got - (sizeof(line) - 1) : 0;
	memcpy(line, p + i, got - i);
	line[got - i] = '\0';
	{
		char *f, *save = NULL, *end;

		for (f = strtok_r(line, " \t\r", &save); f != NULL;
		    f = strtok_r(NULL, " \t\r", &save)) {
			nf++;
			(void)strtod(f, &end);
			if (*end != '\0') {
				nnum = 0;
				nint = 0;
				continue;
			}
			nnum++;
			nint += strspn(f, "0123456789") == strlen(f);
		}
	}
	/* a word2vec "N d" header: two integers, d the table's */
	if (first && i == 0 && nf == 2 && nint == 2 && n->m.d != 2) {
		*header = 1;
		return IN_VECTORS;
	}
	return nnum >= 2 || (n->m.d == 1 && nnum == 1) ? IN_VECTORS :
	    IN_TOKENS;
}

/* a label that is a row ID (tables without a vocabulary), or -1 */
static long
id_label(const char *s, size_t len, size_t V)
{
	size_t i, v = 0;

	if (len == 0 || len > 18)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	return v < V ? (long)v : -1;
}

static int
read_vectors(struct nn *n, struct vstream *vs, struct emb_err *e)
{
	int r;

	while ((r = vstream_next(vs, e)) == 0) {
		const char *lab = vs->label;
		size_t len = vs->labellen;
		long self = -1;
		char where[64];

		snprintf(where, sizeof(where), "%zu", vs->row);
		if (zero_query(n, vs->vec, 0)) {
			if (vs->binary)
				err_set(e, vs->src.name, 0, "row %s: zero vector: "
				    "no cosine", where);
			else
				err_set(e, vs->src.name, vs->src.line,
				    "zero vector: no cosine");
			return -1;
		}
		if (lab == NULL || len == 0) {
			lab = where;
			len = strlen(where);
		} else if (n->m.vocab.n > 0)
			self = model_find(&n->m, lab, len);
		else
			self = id_label(lab, len, n->m.V);
		add(n, lab, len, vs->vec, 0, self);
	}
	return r == -1 ? 0 : -1;
}

static int
read_stdin(struct nn *n, struct emb_err *e)
{
	struct vstream vs;
	char *line, where[64];
	ssize_t len;
	uint32_t *ids = NULL;
	size_t cap = 0, nids, i;
	int in = n->in, header, r = 0;

	if (vstream_open(&vs, "-", n->m.d, e) < 0)
		return -1;
	if (vs.binary)
		in = IN_VECTORS;
	else if (in == IN_AUTO || in == IN_VECTORS) {
		int det = detect(n, &vs.src, &header, e);

		if (in == IN_AUTO)
			in = det;
		if (in == IN_VECTORS && header &&
		    src_getline(&vs.src, &line, e) < 0)
			header = 0;
	}
	if (in == IN_VECTORS) {
		r = read_vectors(n, &vs, e);
		vstream_close(&vs);
		return r;
	}
	while ((len = src_getline(&vs.src, &line, e)) >= 0) {
		snprintf(where, sizeof(where), "%s:%zu: ", vs.src.name,
		    vs.src.line);
		if (in == IN_IDS) {
			const char *why;
			char *bad;

			if (ids_parse(line, (size_t)len, n->m.V, &ids, &nids,
			    &cap, &why, &bad) < 0) {
				err_set(e, vs.src.name, vs.src.line, "%s: "
				    "\"%.40s\" (table has %zu rows)", why, bad,
				    n->m.V);
				r = -1;
				break;
			}
			for (i = 0; i < nids && r == 0; i++)
				r = add_id(n, ids[i], where, e);
		} else {
			char *p = line, *end = line + len;

			while (r == 0) {
				char *t;

				while (p < end && (*p == ' ' || *p == '\t' ||
				    *p == '\r'))
					p++;
				if (p == end)
					break;
				t = p;
				while (p < end && *p != ' ' && *p != '\t' &&
				    *p != '\r')
					p++;
				r = add_token(n, t, (size_t)(p - t), where, e);
			}
		}
		if (r < 0)
			break;
	}
	if (len == -2)
		r = -1;
	free(ids);
	vstream_close(&vs);
	return r;
}

static int
read_operands(struct nn *n, char **argv, struct emb_err *e)
{
	for (; *argv != NULL; argv++) {
		if (n->in == IN_IDS) {
			uint32_t *ids = NULL;
			size_t cap = 0, nids, i;
			const char *why;
			char *bad;
			int r = 0;

			if (ids_parse(*argv, strlen(*argv), n->m.V, &ids,
			    &nids, &cap, &why, &bad) < 0) {
				err_set(e, NULL, 0, "%s: \"%.40s\" (table has "
				    "%zu rows)", why, bad, n->m.V);
				free(ids);
				return -1;
			}
			for (i = 0; i < nids && r == 0; i++)
				r = add_id(n, ids[i], "", e);
			free(ids);
			if (r < 0)
				return -1;
		} else if (add_token(n, *argv, strlen(*argv), "", e) < 0)
			return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "count",	required_argument,	NULL, 'k' },
		{ "csv",	no_argument,		NULL, OPT_CSV },
		{ "help",	no_argument,		NULL, 'h' },
		{ "ids",	no_argument,		NULL, OPT_IDS },
		{ "include-query", no_argument,		NULL, OPT_INCLUDE },
		{ "merge",	no_argument,		NULL, OPT_MERGE },
		{ "metric",	required_argument,	NULL, OPT_METRIC },
		{ "model",	required_argument,	NULL, 'm' },
		{ "oov",	required_argument,	NULL, OPT_OOV },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "restrict",	required_argument,	NULL, OPT_RESTRICT },
		{ "shard",	required_argument,	NULL, OPT_SHARD },
		{ "threads",	required_argument,	NULL, OPT_THREADS },
		{ "tokens",	no_argument,		NULL, OPT_TOKENS },
		{ "vectors",	no_argument,		NULL, OPT_VECTORS },
		{ "version",	no_argument,		NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct nn n;
	struct emb_err e;
	const char *model = NULL;	/* -m, else $EMB_MODEL */
	size_t shard_i = 0, shard_n = 0;	/* --shard i/n */
	int merge = 0;			/* --merge partial lists */
	size_t rows;			/* rows searched */
	int nin = 0;			/* --ids, --tokens, --vectors given */
	int ch, r;

	cli_init("emb-nn");
	memset(&n, 0, sizeof(n));
	n.k = 10;
	n.o.metric = KNN_COSINE;
	n.o.threads = 0;		/* all cores */
	n.o.nonfinite = &n.nonfinite;
	n.nonfinite = -1;
	while ((ch = getopt_long(argc, argv, "hk:m:q", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return cli_close_stdout();
		case 'k':
			n.k = (size_t)cli_long(usage_text, "-k", optarg, 1,
			    LONG_MAX);
			break;
		case 'm':
			model = optarg;
			break;
		case 'q':
			n.quiet = 1;
			break;
		case OPT_CSV:
			n.csv = 1;
			break;
		case OPT_IDS:
			n.in = IN_IDS;
			nin++;
			break;
		case OPT_INCLUDE:
			n.include = 1;
			break;
		case OPT_MERGE:
			merge = 1;
			break;
		case OPT_METRIC:
			if (strcmp(optarg, "cosine") == 0)
				n.o.metric = KNN_COSINE;
			else if (strcmp(optarg, "dot") == 0)
				n.o.metric = KNN_DOT;
			else if (strcmp(optarg, "l2") == 0)
				n.o.metric = KNN_L2;
			else
				cli_usage_die(usage_text, "--metric: \"%s\" is "
				    "not one of cosine, dot, l2", optarg);
			break;
		case OPT_OOV:
			if (strcmp(optarg, "error") == 0)
				n.skip = 0;
			else if (strcmp(optarg, "skip") == 0)
				n.skip = 1;
			else
				cli_usage_die(usage_text, "--oov: \"%s\" is not "
				    "one of error, skip", optarg);
			break;
		case OPT_RESTRICT:
			n.o.restrict_n = (size_t)cli_long(usage_text,
			    "--restrict", optarg, 1, LONG_MAX);
			break;
		case OPT_SHARD:
			if (shard_parse(optarg, &shard_i, &shard_n) < 0)
				cli_usage_die(usage_text, "--shard: \"%s\" is not "
				    "I/N with 1 <= I <= N", optarg);
			n.shard = 1;
			break;
		case OPT_THREADS:
			n.o.threads = (int)cli_long(usage_text, "--threads",
			    optarg, 0, 1024);
			break;
		case OPT_TOKENS:
			n.in = IN_TOKENS;
			nin++;
			break;
		case OPT_VECTORS:
			n.in = IN_VECTORS;
			nin++;
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
	if (nin > 1 || (argc > 0 && n.in == IN_VECTORS) || (merge &&
	    (nin > 0 || n.shard || n.include || n.o.restrict_n || model != NULL)))
		cli_usage_die(usage_text, "conflicting options");
	if (merge) {
		if (argc == 0)
			cli_usage_die(usage_text, "--merge needs the partial "
			    "lists as operands");
		if (shard_merge(argv, (size_t)argc, n.k, n.o.metric == KNN_L2,
		    n.csv, stdout, &e) < 0) {
			if (errno == EPIPE)
				return STATUS_OK;
			cli_die(&e);
		}
		return cli_close_stdout();
	}
	if (model_open(&n.m, cli_model(usage_text, model), &e) < 0)
		cli_die(&e);
	n.db.rows = n.m.emb;
	n.db.dt = n.m.dt;
	n.db.n = n.m.V;
	n.db.d = n.m.d;
	n.db.norms = NULL;	/* summed as the kernel packs the rows */
	/* k and --restrict past the table's end mean "all rows" */
	rows = n.o.restrict_n != 0 && n.o.restrict_n < n.m.V ?
	    n.o.restrict_n : n.m.V;
	n.o.k = n.k < rows ? n.k : rows;
	if (n.shard) {
		size_t b, end;

		shard_range(rows, shard_i, shard_n, &b, &end);
		n.o.row_begin = b;
		n.o.row_end = end;
		n.noshardrows = b == end;
	}
	if (n.o.k == 0)
		n.o.k = 1;
	/* a block's hits stay under about 32 MB per thread */
	n.cap = ((size_t)1 << 22) / n.o.k;
	if (n.cap > BLOCK)
		n.cap = BLOCK;
	if (n.cap == 0)
		n.cap = 1;
	n.q = xreallocarray(NULL, n.cap, (n.m.d ? n.m.d : 1) * sizeof(float));
	n.excl = xreallocarray(NULL, n.cap, sizeof(*n.excl));
	n.loff = xreallocarray(NULL, n.cap, sizeof(*n.loff));
	n.llen = xreallocarray(NULL, n.cap, sizeof(*n.llen));
	n.hits = xreallocarray(NULL, n.cap, n.o.k * sizeof(*n.hits));
	n.row = xreallocarray(NULL, n.m.d ? n.m.d : 1, sizeof(float));
	if (argc > 0)
		r = read_operands(&n, argv, &e);
	else
		r = read_stdin(&n, &e);
	if (r == 0)
		flush(&n);
	if (r < 0) {
		/* print what came before the error, then the error */
		flush(&n);
		cli_die(&e);
	}
	free(n.q);
	free(n.excl);
	free(n.loff);
	free(n.llen);
	free(n.lab);
	free(n.hits);
	free(n.row);
	model_close(&n.m);
	return cli_close_stdout();
}
