/* See LICENSE file for copyright and license details. */
#ifndef EMB_PRETOK_H
#define EMB_PRETOK_H

#include <stddef.h>

#include "err.h"

/*
 * Regex pre-tokenizers: split text into the pieces a BPE model encodes
 * one by one, as tiktoken (fancy-regex) and Hugging Face tokenizers
 * (Oniguruma) do with a pattern such as GPT-2's
 *
 *	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 *
 * The patterns of GPT-2 (r50k_base, p50k_base), cl100k_base (and
 * LLaMA-3), Qwen2 and o200k_base are recognised and run by hand-written
 * scanners that reproduce the backtracking engines' leftmost-first
 * matches; any other pattern is compiled by PCRE2 (with JIT) after its
 * Unicode classes (\p{..}, \s, \d, \w and their negations) are replaced
 * by explicit ranges from this library's Unicode 16 tables, so both paths
 * classify characters as the references do.
 *
 * Text must be valid UTF-8 (uni_valid); the scanners and PCRE2 (called
 * with PCRE2_NO_UTF_CHECK) do not check it again.  Every match costs time
 * linear in its length.
 */

enum pretok_kind {
	PRETOK_REGEX,		/* a general pattern, through PCRE2 */
	PRETOK_GPT2,		/* GPT-2, r50k_base, p50k_base */
	PRETOK_CL100K,		/* cl100k_base, LLaMA-3 */
	PRETOK_QWEN2,		/* cl100k_base with single digits */
	PRETOK_O200K		/* o200k_base */
};

struct pretok;

/* the pattern of a known kind (not PRETOK_REGEX) */
const char *pretok_pattern(enum pretok_kind kind);

/*
 * Compile pattern (len bytes, Oniguruma/PCRE syntax): a hand scanner when
 * it is one of the known patterns, else PCRE2.  NULL with e filled ("bad
 * regular expression at offset N: why") on a pattern PCRE2 rejects.
 */
struct pretok *pretok_new(const char *pattern, size_t len, struct emb_err *e);
/* the scanner of a known kind */
struct pretok *pretok_known(enum pretok_kind kind);
void pretok_free(struct pretok *p);
enum pretok_kind pretok_kind(const struct pretok *p);

/*
 * Per-thread matching state (PCRE2 match data); one per thread and
 * pretok, NULL when p needs none.  Free with pretok_state_free.
 */
void *pretok_state(const struct pretok *p);
void pretok_state_free(void *state);

/*
 * Find the next match in s[0..n) at or after from: 1 and [*ms, *me)
 * (never empty), 0 when there is none, -1 when PCRE2 gives up (its
 * match or memory limit; the text is then not split).  The hand scanners always
 * match at from (when from < n).  state comes from pretok_state.
 */
int pretok_find(const struct pretok *p, void *state, const unsigned char *s,
    size_t n, size_t from, size_t *ms, size_t *me);

/*
 * The end of the hand scanner's match at i (i < n): what pretok_find
 * gives, without the dispatch, for the encoders' hot loops.  uni_init()
 * must have run (pretok_new and pretok_known run it).
 */
size_t pretok_scan(enum pretok_kind kind, const unsigned char *s, size_t n,
    size_t i);

#endif
