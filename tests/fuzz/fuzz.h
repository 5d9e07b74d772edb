/* See LICENSE file for copyright and license details. */
/*
 * Shared by the libFuzzer targets.  Every target hands its input to the
 * parser from memory (src_open_mem, st_open_mem, model_open_mem, ...),
 * never through a file: a run is spent in the parser, not in the file
 * system.
 */
#ifndef EMB_FUZZ_H
#define EMB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#endif
