/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "info.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-info [-h] [--format name] [--json] [--no-stats] [-m model]\n"
"                [file ...]\n";

static const char help_text[] =
"Describe embedding tables: rows, dimension, dtype, vocabulary, counts,\n"
"output vectors, tensors, metadata and row norms.\n"
"\n"
"      --format=NAME   the files' format (default: detected)\n"
"  -h, --help          print this help and exit\n"
"      --json          one JSON object per file\n"
"  -m, --model=FILE    the table when no file is named (default: $EMB_MODEL)\n"
"      --no-stats      skip the norm statistics (which read every row)\n"
"      --version       print the version and exit\n";

enum { OPT_FORMAT = CHAR_MAX + 1, OPT_JSON, OPT_NOSTATS, OPT_VERSION };

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "format",	required_argument,	NULL, OPT_FORMAT },
		{ "help",	no_argument,		NULL, 'h' },
		{ "json",	no_argument,		NULL, OPT_JSON },
		{ "model",	required_argument,	NULL, 'm' },
		{ "no-stats",	no_argument,		NULL, OPT_NOSTATS },
		{ "version",	no_argument,		NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const char *model = NULL;	/* -m, else $EMB_MODEL */
	enum fmt format = FMT_NONE;	/* --format: detect */
	int json = 0;			/* --json */
	int stats = 1;			/* norm statistics */
	int ch, i, status = STATUS_OK;

	cli_init("emb-info");
	while ((ch = getopt_long(argc, argv, "hm:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return cli_close_stdout();
		case 'm':
			model = optarg;
			break;
		case OPT_FORMAT:
			format = cli_format(usage_text, "--format", optarg);
			break;
		case OPT_JSON:
			json = 1;
			break;
		case OPT_NOSTATS:
			stats = 0;
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
	if (argc > 0 && model != NULL)
		cli_usage_die(usage_text, "-m and file operands conflict");
	if (argc == 0) {
		static char *one[2];

		one[0] = (char *)cli_model(usage_text, model);
		argv = one;
		argc = 1;
	}
	for (i = 0; i < argc; i++) {
		struct info in;
		struct emb_err e;
		int r;

		if (info_gather(&in, argv[i], format, stats, &e) < 0) {
			cli_warn(&e);
			info_free(&in);
			status = STATUS_FAIL;
			continue;
		}
		if (!json && i > 0 && putchar('\n') == EOF)
			cli_write_failed();
		r = json ? info_write_json(stdout, &in) :
		    info_write_text(stdout, &in);
		if (in.nonfinite > 0) {
			/* describe the file, but fail the check */
			cli_warnf("%s: row %ld: NaN or infinite value (%zu "
			    "of %zu rows)", argv[i], in.first_nonfinite + 1,
			    in.nonfinite, in.V);
			status = STATUS_FAIL;
		}
		if (in.index_damaged) {
			/* the open checks already said so, if they saw it */
			if (in.index_err.msg[0] != '\0')
				cli_warn(&in.index_err);
			status = STATUS_FAIL;
		}
		info_free(&in);
		if (r < 0)
			cli_write_failed();
	}
	return status | cli_close_stdout();
}
