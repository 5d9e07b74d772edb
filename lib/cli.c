/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cpu.h"
#include "num.h"
#include "util.h"

static const char *progname = "emb";
static size_t prognamelen = 3;

/*
 * A mapped model that another process truncates raises SIGBUS on the first
 * touch of a page past the new end: say so instead of dumping core.
 */
static void
on_sigbus(int sig)
{
	static const char msg[] = ": a mapped file was truncated while in use "
	    "(bus error)\n";
	(void)sig;
	if (write(STDERR_FILENO, progname, prognamelen) > 0 &&
	    write(STDERR_FILENO, msg, sizeof(msg) - 1) > 0)
		_exit(STATUS_FAIL);
	_exit(STATUS_FAIL);
}

/* lib's reports: warnings print, fatal ones end the program */
static void
report(const struct emb_err *e, int fatal)
{
	if (fatal)
		cli_die(e);
	cli_warn(e);
}

static volatile sig_atomic_t *stop_flag;

static void
on_stop(int sig)
{
	(void)sig;
	*stop_flag = 1;
}

void
cli_trap_stop(volatile sig_atomic_t *flag)
{
	struct sigaction sa;

	stop_flag = flag;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;	/* a second signal kills */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
cli_untrap_stop(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

void
cli_init(const char *prog)
{
	struct sigaction sa;

	progname = prog;
	prognamelen = strlen(prog);
	xalloc_prog(prog);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	err_set_reporter(report);
	cli_isa_env("EMB_ISA");
}

void
cli_isa_env(const char *var)
{
	const char *v = getenv(var);
	enum cpu_isa isa;

	if (v == NULL || *v == '\0' || cpu_force(v) == 0)
		return;
	fflush(stdout);
	if (strcmp(v, "auto") != 0 && cpu_isa_byname(v, &isa) == 0)
		fprintf(stderr, "%s: %s: this CPU lacks %s (it has %s)\n",
		    progname, var, v, cpu_isa_name(cpu_isa_best()));
	else
		fprintf(stderr, "%s: %s: unknown instruction set '%s' (auto, "
		    "scalar, avx2 or avx512)\n", progname, var, v);
	exit(STATUS_USAGE);
}

const char *
cli_prog(void)
{
	return progname;
}

void
cli_die(const struct emb_err *e)
{
	cli_warn(e);
	exit(STATUS_FAIL);
}

void
cli_warn(const struct emb_err *e)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", progname, e->msg);
}

static void
vwarn(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_dief(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(STATUS_FAIL);
}

void
cli_warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
cli_usage_die(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vwarn(fmt, ap);
		va_end(ap);
	}
	fputs(usage, stderr);
	exit(STATUS_USAGE);
}

void
cli_help(const char *usage, const char *help)
{
	fputs(usage, stdout);
	fputs("\n", stdout);
	fputs(help, stdout);
	exit(cli_close_stdout());
}

void
cli_version(void)
{
	printf("%s %s\n", progname, EMB_VERSION);
	exit(cli_close_stdout());
}

void
cli_write_failed(void)
{
	if (errno == EPIPE)
		exit(STATUS_OK);
	fprintf(stderr, "%s: <stdout>: %s\n", progname,
	    errno ? strerror(errno) : "write error");
	exit(STATUS_FAIL);
}

void
cli_die_output(const struct emb_err *e, const char *path)
{
	if (errno == EPIPE && strcmp(path, "-") == 0)
		exit(STATUS_OK);
	cli_die(e);
}

void
cli_check_out(FILE *f)
{
	if (ferror(f))
		cli_write_failed();
}

int
cli_close_stdout(void)
{
	int bad;

	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	if (!bad) {
		bad = fclose(stdout) != 0;
	}
	if (!bad)
		return STATUS_OK;
	if (errno == EPIPE)
		return STATUS_OK;
	fprintf(stderr, "%s: <stdout>: %s\n", progname,
	    errno ? strerror(errno) : "write error");
	return STATUS_FAIL;
}

long
cli_long(const char *usage, const char *opt, const char *arg, long min,
    long max)
{
	const char *why;
	long v;

	if (num_long(arg, min, max, &v, &why) < 0)
		cli_usage_die(usage, "%s: \"%s\" is %s (allowed %ld-%ld)",
		    opt, arg, why, min, max);
	return v;
}

int
cli_choice(const char *usage, const char *opt, const char *arg,
    const char *const *names)
{
	char list[256] = "";
	size_t n = 0;
	int i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(arg, names[i]) == 0)
			return i;
		n += (size_t)snprintf(list + n, n < sizeof(list) ?
		    sizeof(list) - n : 0, "%s%s", i ? ", " : "", names[i]);
	}
	cli_usage_die(usage, "%s: \"%s\" is not one of %s", opt, arg, list);
}

double
cli_double(const char *usage, const char *opt, const char *arg, double min,
    double max)
{
	const char *why;
	double v;

	if (num_double(arg, min, max, &v, &why) < 0)
		cli_usage_die(usage, "%s: \"%s\" is %s (allowed %g-%g)",
		    opt, arg, why, min, max);
	return v;
}

enum fmt
cli_format(const char *usage, const char *opt, const char *name)
{
	enum fmt f = fmt_byname(name);

	if (f == FMT_NONE)
		cli_usage_die(usage, "%s: unknown format \"%s\" (%s)", opt, name,
		    fmt_list());
	return f;
}

enum pool_mode
cli_pool(const char *usage, const char *name)
{
	enum pool_mode m;

	if (pool_byname(name, &m) < 0)
		cli_usage_die(usage, "--pool: \"%s\" is not one of %s", name,
		    pool_names);
	return m;
}

const char *
cli_model(const char *usage, const char *m)
{
	if (m == NULL || *m == '\0')
		m = getenv("EMB_MODEL");
	if (m == NULL || *m == '\0')
		cli_usage_die(usage, "no model: give -m FILE or set EMB_MODEL");
	return m;
}

const char *
cli_tokenizer(const char *t)
{
	if (t == NULL || *t == '\0')
		t = getenv("EMB_TOKENIZER");
	return t == NULL || *t == '\0' ? NULL : t;
}
