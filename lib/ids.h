/* See LICENSE file for copyright and license details. */
#ifndef EMB_IDS_H
#define EMB_IDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * ID streams: decimal IDs separated by blanks, one sequence per line.
 * An ID is all digits (no sign, no blanks), below a limit (the number of
 * rows) and below 2^32.
 */

/*
 * One ID: the len bytes at s.  Returns 0 with *id set, -1 if it is not all
 * digits (or empty), -2 if it is out of range.
 */
int ids_one(const char *s, size_t len, uint64_t limit, uint32_t *id);
/*
 * Split line (blanks: ' ', '\t') into *n IDs (grown in *ids / *cap).
 * Returns 0, or -1 with *why set ("not an ID", "ID out of range") and
 * *bad pointing at the offending field (NUL-terminated in place).
 */
int ids_parse(char *line, size_t len, uint64_t limit, uint32_t **ids,
    size_t *n, size_t *cap, const char **why, char **bad);

#endif
