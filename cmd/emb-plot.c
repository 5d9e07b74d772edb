/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "plot.h"
#include "points.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-plot [-h] [--font-size px] [--group] [--groups file]\n"
"                [--height px] [--no-labels] [--title text] [--width px]\n"
"                [file]\n";

static const char help_text[] =
"Draw labelled 2-D points (\"label x y\") as a standalone SVG picture.\n"
"\n"
"      --font-size=PX     label font size (default 11)\n"
"      --group            rows are \"label group x y\": colour by group\n"
"      --groups=FILE      colour by the group FILE gives each label, one\n"
"                         \"token<TAB>group\" per line\n"
"  -h, --help             print this help and exit\n"
"      --height=PX        picture height (default 600)\n"
"      --no-labels        draw the points only\n"
"      --title=TEXT       a title above the plot\n"
"      --version          print the version and exit\n"
"      --width=PX         picture width (default 800)\n";

enum { OPT_FONT = CHAR_MAX + 1, OPT_GROUP, OPT_GROUPS, OPT_HEIGHT,
    OPT_NOLABELS, OPT_TITLE, OPT_VERSION, OPT_WIDTH };

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
		{ "font-size",	required_argument,	NULL, OPT_FONT },
		{ "group",	no_argument,		NULL, OPT_GROUP },
		{ "groups",	required_argument,	NULL, OPT_GROUPS },
		{ "help",	no_argument,		NULL, 'h' },
		{ "height",	required_argument,	NULL, OPT_HEIGHT },
		{ "no-labels",	no_argument,		NULL, OPT_NOLABELS },
		{ "title",	required_argument,	NULL, OPT_TITLE },
		{ "version",	no_argument,		NULL, OPT_VERSION },
		{ "width",	required_argument,	NULL, OPT_WIDTH },
		{ NULL, 0, NULL, 0 }
	};
	struct plot_opts o;
	struct plot_groups g;
	struct points p;
	struct emb_err e;
	const char *path = "-";		/* the one operand */
	const char *groups = NULL;	/* --groups file */
	int inline_groups = 0;		/* --group */
	int ch;

	cli_init("emb-plot");
	plot_defaults(&o);
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return cli_close_stdout();
		case OPT_FONT:
			o.font = cli_double(usage_text, "--font-size", optarg,
			    1, 1000);
			break;
		case OPT_GROUP:
			inline_groups = 1;
			break;
		case OPT_GROUPS:
			groups = optarg;
			break;
		case OPT_HEIGHT:
			o.height = cli_double(usage_text, "--height", optarg,
			    50, 100000);
			break;
		case OPT_NOLABELS:
			o.labels = 0;
			break;
		case OPT_TITLE:
			o.title = optarg;
			break;
		case OPT_VERSION:
			cli_version();
			break;
		case OPT_WIDTH:
			o.width = cli_double(usage_text, "--width", optarg,
			    50, 100000);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (inline_groups && groups != NULL))
		cli_usage_die(usage_text, argc > 1 ? "at most one file" :
		    "conflicting options");
	if (argc == 1)
		path = argv[0];
	if (points_read(&p, path, 2, &e) < 0)
		cli_die(&e);
	if (inline_groups && plot_groups_inline(&p, &g,
	    path[0] == '-' && path[1] == '\0' ? "<stdin>" : path, &e) < 0)
		cli_die(&e);
	if (groups != NULL && plot_groups_file(&p, &g, groups, &e) < 0)
		cli_die(&e);
	if (plot_svg(stdout, &p, inline_groups || groups ? &g : NULL,
	    &o) < 0)
		cli_write_failed();
	if (inline_groups || groups)
		plot_groups_free(&g);
	points_free(&p);
	return cli_close_stdout();
}
