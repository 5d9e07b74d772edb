/* See LICENSE file for copyright and license details. */
#ifndef EMB_ERR_H
#define EMB_ERR_H

#include <stddef.h>

/*
 * A lib function that fails returns -1 (or NULL) and fills one of these;
 * the command prints msg.  msg reads "file:line: what", "file: what" or
 * "what", lower case, no final period.
 */
struct emb_err {
	char msg[1024];
};

/* file may be NULL; line 0 means "no line" */
void err_set(struct emb_err *e, const char *file, size_t line,
    const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* "file: strerror(errno)" */
void err_sys(struct emb_err *e, const char *file);

/*
 * Report what lib noticed where no caller can be handed an error: a
 * warning (fatal 0: lib worked around it, for instance by rebuilding a
 * damaged token index) or a fatal problem (lib cannot go on correctly).
 * The reporter is the program's: cli_init installs one that prints the
 * message and, when fatal, exits 1; without one reports are dropped.
 */
void err_report(const struct emb_err *e, int fatal);
void err_set_reporter(void (*fn)(const struct emb_err *e, int fatal));

#endif
