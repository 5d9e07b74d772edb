/* See LICENSE file for copyright and license details. */
#ifndef EMB_NUM_H
#define EMB_NUM_H

/*
 * Strict number parsing: the whole string must be a number in [min, max].
 * On failure return -1 and point *why at "invalid", "too small" or
 * "too large" (strtonum(3) semantics).  Floats must also be finite.
 */
int num_long(const char *s, long min, long max, long *out, const char **why);
int num_double(const char *s, double min, double max, double *out,
    const char **why);

/*
 * Parse one float at s (no leading space skipped), like strtof(3) but
 * faster for the short decimals vector files hold; the result is bit
 * identical to strtof's.  *end points after the number (== s if none).
 * NaN and infinities are parsed; callers reject them.
 */
float num_float(const char *s, char **end);

#endif
