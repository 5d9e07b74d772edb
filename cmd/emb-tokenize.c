/* See LICENSE file for copyright and license details. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "par.h"
#include "src.h"
#include "tokenizer.h"
#include "tokstream.h"
#include "util.h"

static const char usage_text[] =
"usage: emb-tokenize [-h] [--count] [--decode] [--no-bos] [--no-eos] "
"[--whole]\n"
"                    [-t tokenizer] [--encoding name] [--print what]\n"
"                    [--special policy] [--threads n] [file ...]\n";

static const char help_text[] =
"Turn text into token IDs as an LLM's tokenizer does (tokenizer.json,\n"
"tiktoken rank files, GPT-2's encoder.json + vocab.bpe), one line of IDs\n"
"per input line; or IDs back into text.\n"
"\n"
"      --count           print the number of tokens of each line\n"
"      --decode          read lines of IDs and print their text\n"
"      --encoding=NAME   tiktoken encoding of a rank file: gpt2, r50k_base,\n"
"                        p50k_base, p50k_edit, cl100k_base, o200k_base\n"
"                        (default: from the file); alone, the shipped file\n"
"  -h, --help            print this help and exit\n"
"      --no-bos          leave out the tokens put before the text (<s>)\n"
"      --no-eos          leave out the tokens put after the text ([SEP])\n"
"      --print=WHAT      ids (default), tokens, both (ID:token) or offsets\n"
"                        (ID:start-end, byte spans)\n"
"      --special=POLICY  none (special-token text is ordinary text), all\n"
"                        (matched), or a comma-separated list to match\n"
"                        (default: tokenizer.json matches its added tokens,\n"
"                        tiktoken files refuse special-token text)\n"
"  -t, --tokenizer=TOK   tokenizer file, directory or name (default:\n"
"                        $EMB_TOKENIZER)\n"
"      --threads=N       encode on N threads, 0 for all cores (default 1)\n"
"      --version         print the version and exit\n"
"      --whole           each input is one sequence, newlines included\n";

enum {
	OPT_COUNT = CHAR_MAX + 1, OPT_DECODE, OPT_ENCODING, OPT_NOBOS,
	OPT_NOEOS, OPT_PRINT, OPT_SPECIAL, OPT_THREADS, OPT_VERSION, OPT_WHOLE
};

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(STATUS_USAGE);
}

static enum tokstream_print
parse_print(const char *s)
{
	static const char *const names[] = { "ids", "tokens", "both",
	    "offsets" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum tokstream_print)i;
	cli_usage_die(usage_text, "--print: \"%s\" is not ids, tokens, both "
	    "or offsets", s);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "count",	no_argument,		NULL, OPT_COUNT },
		{ "decode",	no_argument,		NULL, OPT_DECODE },
		{ "encoding",	required_argument,	NULL, OPT_ENCODING },
		{ "help",	no_argument,		NULL, 'h' },
		{ "no-bos",	no_argument,		NULL, OPT_NOBOS },
		{ "no-eos",	no_argument,		NULL, OPT_NOEOS },
		{ "print",	required_argument,	NULL, OPT_PRINT },
		{ "special",	required_argument,	NULL, OPT_SPECIAL },
		{ "threads",	required_argument,	NULL, OPT_THREADS },
		{ "tokenizer",	required_argument,	NULL, 't' },
		{ "version",	no_argument,		NULL, OPT_VERSION },
		{ "whole",	no_argument,		NULL, OPT_WHOLE },
		{ NULL, 0, NULL, 0 }
	};
	struct tokstream_opts o = { TOKSTREAM_IDS, 0, 0, 1 };
	const char *tok = NULL;		/* -t, else $EMB_TOKENIZER */
	const char *encoding = NULL;	/* --encoding */
	const char *special = NULL;	/* --special, else the default */
	int decode = 0, bos = 1, eos = 1, printset = 0;
	int ch, i, status = STATUS_OK;
	struct tokenizer *t;
	struct emb_err e;
	static char *stdin_only[] = { "-", NULL };

	cli_init("emb-tokenize");
	while ((ch = getopt_long(argc, argv, "ht:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return cli_close_stdout();
		case 't':
			tok = optarg;
			break;
		case OPT_COUNT:
			o.count = 1;
			break;
		case OPT_DECODE:
			decode = 1;
			break;
		case OPT_ENCODING:
			encoding = optarg;
			break;
		case OPT_NOBOS:
			bos = 0;
			break;
		case OPT_NOEOS:
			eos = 0;
			break;
		case OPT_PRINT:
			o.print = parse_print(optarg);
			printset = 1;
			break;
		case OPT_SPECIAL:
			special = optarg;
			break;
		case OPT_THREADS:
			o.threads = par_threads((int)cli_long(usage_text,
			    "--threads", optarg, 0, 1024));
			break;
		case OPT_VERSION:
			cli_version();
			break;
		case OPT_WHOLE:
			o.whole = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (decode && (o.count || printset || special != NULL))
		cli_usage_die(usage_text, "--decode takes none of --count, "
		    "--print, --special");
	if (o.count && printset)
		cli_usage_die(usage_text, "--count and --print conflict");
	tok = cli_tokenizer(tok);
	if (tok == NULL && encoding == NULL)
		cli_usage_die(usage_text, "no tokenizer: give -t TOKENIZER or "
		    "set EMB_TOKENIZER");
	if ((t = tokenizer_open(tok, encoding, &e)) == NULL)
		cli_die(&e);
	if (special != NULL && tokenizer_set_special(t, special, &e) < 0)
		cli_die(&e);
	tokenizer_set_bos_eos(t, bos, eos);
	if (argc == 0)
		argv = stdin_only, argc = 1;
	for (i = 0; i < argc; i++) {
		struct src in;
		int r;

		if (src_open(&in, argv[i], &e) < 0) {
			cli_warn(&e);
			status = STATUS_FAIL;
			continue;
		}
		src_raw(&in);	/* a byte-order mark is text to encode too */
		r = decode ? tokstream_decode(t, &in, stdout, o.whole, &e) :
		    tokstream_encode(t, &in, stdout, &o, &e);
		src_close(&in);
		if (r == TOKSTREAM_EWRITE)
			cli_write_failed();
		if (r < 0) {
			/* a data error stops the run: later output would
			 * not line up with the input */
			tokenizer_free(t);
			cli_die(&e);
		}
		cli_check_out(stdout);
	}
	tokenizer_free(t);
	return status | cli_close_stdout();
}
