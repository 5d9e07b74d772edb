/* See LICENSE file for copyright and license details. */
#ifndef EMB_CLI_H
#define EMB_CLI_H

#include <signal.h>
#include <stdio.h>

#include "err.h"
#include "fmt.h"
#include "pool.h"

/*
 * Helpers for cmd/ only: this module and the x* allocators are the only
 * lib code that prints or exits.  Messages go to stderr as "prog: ...".
 */
#ifdef __GNUC__
#define CLI_NORETURN __attribute__((noreturn))
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_NORETURN
#define CLI_PRINTF(a, b)
#endif

/*
 * remember the program name, ignore SIGPIPE (EPIPE is handled as a quiet 0),
 * turn SIGBUS (a mapped model truncated in use) into a message and exit 1,
 * and apply $EMB_ISA (cli_isa_env)
 */
void cli_init(const char *prog);
/*
 * SIGINT and SIGTERM set *flag (a second one kills: the handler resets);
 * cli_untrap_stop gives both their default action back.
 */
void cli_trap_stop(volatile sig_atomic_t *flag);
void cli_untrap_stop(void);
/*
 * Force the kernels' instruction set (cpu_force) from the environment
 * variable var when it is set and not empty; cli_init does it for
 * EMB_ISA.  An unknown level or one the CPU lacks: message, exit 2.
 */
void cli_isa_env(const char *var);
const char *cli_prog(void);

void cli_die(const struct emb_err *e) CLI_NORETURN;
void cli_dief(const char *fmt, ...) CLI_NORETURN CLI_PRINTF(1, 2);
void cli_warnf(const char *fmt, ...) CLI_PRINTF(1, 2);
void cli_warn(const struct emb_err *e);
/* the usage text, a blank line and the help text to stdout, exit 0 */
void cli_help(const char *usage, const char *help) CLI_NORETURN;
/* "prog: msg" (none when fmt is NULL) then the usage text, to stderr,
 * exit 2 */
void cli_usage_die(const char *usage, const char *fmt, ...)
    CLI_NORETURN CLI_PRINTF(2, 3);
void cli_version(void) CLI_NORETURN;

/* a write to stdout failed: exit 0 quietly on EPIPE, else message, exit 1 */
void cli_write_failed(void) CLI_NORETURN;
/*
 * A write of the output path failed (e says why, errno is still the
 * cause): exit 0 quietly when path is "-" and the reader went away
 * (EPIPE), else print e and exit 1.
 */
void cli_die_output(const struct emb_err *e, const char *path) CLI_NORETURN;
/* check f for a write error now (cheap; call per record or per block) */
void cli_check_out(FILE *f);
/* flush and close stdout; returns STATUS_OK or STATUS_FAIL (EPIPE is OK) */
int cli_close_stdout(void);

/* option values: die with status 2 naming the option, value and range */
long cli_long(const char *usage, const char *opt, const char *arg,
    long min, long max);
/* the index of arg in names (NULL-terminated), else a usage error
 * listing them: 'opt: "arg" is not one of a, b, c' */
int cli_choice(const char *usage, const char *opt, const char *arg,
    const char *const *names);
double cli_double(const char *usage, const char *opt, const char *arg,
    double min, double max);
/* a format name (--format, -O): the format, else a usage error naming
 * the option and every name */
enum fmt cli_format(const char *usage, const char *opt, const char *name);
/* a --pool mode name: the mode, else a usage error naming every mode */
enum pool_mode cli_pool(const char *usage, const char *name);
/* -m value, else $EMB_MODEL, else usage error */
const char *cli_model(const char *usage, const char *m);
/* -t value, else $EMB_TOKENIZER, else NULL */
const char *cli_tokenizer(const char *t);

#endif
