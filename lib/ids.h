/* See LICENSE file for copyright and license details. */
#ifndef EMB_IDS_H
#define EMB_IDS_H

#include <stddef.h>
#include <stdint.h>

/*
 * ID streams: decimal IDs separated by blanks, one sequence per line.
 * ids_parse splits line into *n IDs (grown in *ids / *cap).  An ID must be
 * all digits and below limit.  Returns 0, or -1 with *why set and *bad
 * pointing at the offending field (NUL-terminated in place).
 */
int ids_parse(char *line, size_t len, uint64_t limit, uint32_t **ids,
    size_t *n, size_t *cap, const char **why, char **bad);

#endif
