/* See LICENSE file for copyright and license details. */
#ifndef EMB_ANALOGY_H
#define EMB_ANALOGY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "knn.h"
#include "model.h"
#include "simeval.h"
#include "tokvocab.h"

/*
 * Analogies by vector arithmetic: a:b :: c:? is b - a + c.  3CosAdd ranks
 * rows x by cos(x, b) - cos(x, a) + cos(x, c) (the cosine of x and the sum
 * of the unit inputs); 3CosMul (Levy & Goldberg 2014) by
 * prod_pos cos'(x, p) / (prod_neg cos'(x, n) + 1e-6), cos' = (1 + cos) / 2,
 * as gensim's most_similar_cosmul.  Both go through the knn kernel, a
 * block of queries at a time.
 */
enum analogy_method { ANALOGY_ADD, ANALOGY_MUL };

struct analogy_opts {
	enum analogy_method method;
	size_t restrict_n;	/* rows searched (and, in eval, looked up); 0 = all */
	int threads;		/* 0 = all cores */
	/* evaluation only */
	enum simeval_fold fold;	/* folding of question words and tokens */
	size_t scan;		/* candidates looked at per question */
	int skip_variants;	/* pass over candidates that fold like an input */
	int positive_only;	/* a best score <= 0 predicts nothing */
	int dummy4unknown;	/* questions with unknown words count as wrong */
};

/* defaults: 3CosAdd, all rows, gensim's counting (upper, scan 5, skip) */
void analogy_opts_init(struct analogy_opts *o);
/*
 * Presets for --eval: "w2v" counts as compute-accuracy.c (restrict 30000,
 * top-1, only the input rows excluded, best score must be > 0), "gensim"
 * as evaluate_word_analogies (restrict 300000, case variants of the inputs
 * passed over among the top 5).  Returns -1 for an unknown name.
 */
int analogy_compat(struct analogy_opts *o, const char *name);
int analogy_method_byname(const char *name, enum analogy_method *out);

/* one query: n signed terms (rows of the model, or analogy_term's
 * numbers; the arrays are the caller's) */
struct analogy_query {
	const uint32_t *row;
	const int *sign;	/* +1 or -1 */
	size_t n;
};

/*
 * Parse words into signed tokens: either three words "a b c" (a:b :: c:?,
 * i.e. -a +b +c) or an expression whose operators "+" and "-" are words
 * of their own ("king - man + woman").  tok[i] point into w.  Returns the
 * number of terms, or -1 with *why set.
 */
int analogy_parse(char *const *w, size_t n, const char **tok, int *sign,
    const char **why);

struct analogy {
	struct model *m;
	struct analogy_opts o;
	struct knn_db db;
	size_t n;		/* rows searched: [0, n) */
	float *unit;		/* scratch */
	/* terms that are no row: unseen words' n-gram vectors (terms
	 * numbered V, V + 1, ...; analogy_term) */
	float *extra, *extra_norm;
	size_t nextra, extracap;
};

void analogy_init(struct analogy *a, struct model *m,
    const struct analogy_opts *o);
void analogy_free(struct analogy *a);

/*
 * The term a query uses for tok: its row (the id), or for a word outside
 * the vocabulary of a model with subwords (model.h) its n-gram vector,
 * kept until analogy_clear_terms and numbered V + i.  -1 when tok is
 * unknown, -2 on a NaN or Inf (e filled).  analogy_term_norm: the L2 norm
 * of a term.
 */
long analogy_term(struct analogy *a, const char *tok, size_t len,
    struct emb_err *e);
float analogy_term_norm(const struct analogy *a, uint32_t term);
void analogy_clear_terms(struct analogy *a);

/*
 * Answer nq queries: out receives nq * k hits, best first, the query's own
 * rows excluded (unused slots have id UINT32_MAX).  Returns 0, or -1 when
 * out of memory in the kernel.
 */
int analogy_solve(struct analogy *a, const struct analogy_query *q,
    size_t nq, size_t k, struct knn_hit *out, struct emb_err *e);

/*
 * Queries from words, answered a block at a time and written as hit
 * lines (lib/hits.h): the query as written (its words joined by single
 * spaces), an answer, its score; k answers each.  A block holds up to
 * `block` queries (1: each is answered at once, for a person typing).
 * The functions return 0; -1 with e filled (an unknown token or a zero
 * vector, named with file:line when file is not NULL; out of memory);
 * ANALOGY_EQUERY when the words are not a query (e says why); or
 * ANALOGY_EWRITE when writing failed (errno is the cause).  After an
 * error nothing more is answered.
 */
#define ANALOGY_EWRITE (-2)
#define ANALOGY_EQUERY (-3)

struct analogy_batch {
	/* private */
	struct analogy *a;
	size_t k, block;
	FILE *out;
	size_t n, nt, cap, tcap;
	char **text;		/* the query as written, words joined by ' ' */
	uint32_t *row;		/* terms of all queries */
	int *sign;
	size_t *first;		/* first term of each query */
	size_t *len;		/* terms of each query */
	char **w;		/* scratch: words of a line */
	size_t wcap;
	struct tokquery *tq;	/* analogy_batch_text */
	float *vec;		/* scratch: a term's vector */
};

void analogy_batch_init(struct analogy_batch *b, struct analogy *a,
    size_t k, size_t block, FILE *out);
void analogy_batch_free(struct analogy_batch *b);
/*
 * Terms are text for tq's tokenizer (the model's rows are its IDs): each
 * term must encode to one token, whose row it is; "+" and "-" stay
 * operators.  The operands are then one term or operator each, not split
 * at blanks, and the lines read are split at tabs (src_split_tabs).
 */
void analogy_batch_text(struct analogy_batch *b, struct tokquery *tq);
/* one query of nw words; a full block is answered and written */
int analogy_batch_add(struct analogy_batch *b, char *const *w, size_t nw,
    const char *file, size_t line, struct emb_err *e);
/* the operands, split at blanks, as one query; then answer it */
int analogy_batch_args(struct analogy_batch *b, char **args, size_t n,
    struct emb_err *e);
/* one query per line of path ("-": stdin; blank lines skipped), answered
 * as blocks fill and at the end */
int analogy_batch_read(struct analogy_batch *b, const char *path,
    struct emb_err *e);
/* answer and write the queries gathered */
int analogy_batch_flush(struct analogy_batch *b, struct emb_err *e);

/* a Google-style question set: ": section" lines, then "a b c d" lines */
struct analogy_section {
	char *name;
	size_t first, n;	/* questions [first, first + n) */
};

struct analogy_set {
	char *name;
	struct analogy_section *sec;
	size_t nsec, seccap;
	struct vocab words;	/* the distinct words, as written */
	uint32_t (*q)[4];	/* word ids of a, b, c, d */
	size_t nq, qcap;
};

/*
 * Read a set.  Blank lines are skipped; a question line must hold exactly
 * four words and come after a section line; errors carry file:line; a set
 * without questions is an error.
 */
int analogy_load(struct analogy_set *s, const char *path, struct emb_err *e);
/*
 * One line of an --eval report: "name: 74.12% (7293/9840)", or, when no
 * question was answered, "name: n/a (0/0)" (sections and aggregates
 * alike); -1 on a write error.
 */
int analogy_write_score(FILE *f, const char *name, size_t ok, size_t n);
/* the same from an open source */
int analogy_read(struct analogy_set *s, struct src *src, struct emb_err *e);
void analogy_set_free(struct analogy_set *s);

struct analogy_result {
	size_t nsec;
	size_t *seen, *correct;	/* per section */
	size_t total;		/* questions in the set */
	size_t known;		/* questions whose four words are all known */
	/* counted (known, or all with dummy4unknown) and correct */
	size_t sem_n, sem_ok, syn_n, syn_ok, all_n, all_ok;
};

/*
 * Evaluate: every question with its four words among the first
 * restrict rows (folded) is answered in blocks through the kernel and
 * counted correct when the prediction folds like d.  Sections 1-5 are
 * semantic, the rest syntactic (compute-accuracy.c).
 */
int analogy_eval(struct analogy *a, const struct analogy_set *s,
    struct analogy_result *r, struct emb_err *e);
void analogy_result_free(struct analogy_result *r);

#endif
