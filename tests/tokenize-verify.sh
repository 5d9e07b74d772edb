#!/bin/sh
# The exactness run of emb-tokenize (not part of make check): the
# comparison of tests/tokenize-ref.bats on 20 MB or more of real mixed
# text found on the machine, plus a 10 MB line with no space.
#
# usage: sh tests/tokenize-verify.sh [-k] [-n TOKENIZERS] [-s MB] [WORKDIR]
#
#   -n  the tokenizers to check (default: all of tests/ref/tokenizers.sh)
#   -s  megabytes of real text (default 24)
#   -k  keep WORKDIR (default: a temporary directory, removed at the end)
#
# The text, cut into one-line sequences, is built from (each source
# capped, files taken in sorted order, lines over 20,000 bytes left out):
# translations (msgunfmt of the .mo catalogues under /usr/share/locale,
# all languages), man pages (roff source, English and translated),
# English prose (lee_background.cor from ../shared/data when present,
# /usr/share/doc changelogs, READMEs and copyright files), source code
# (/usr/include, Python modules, the npm packages' JavaScript), logs
# (/var/log) and HTML documentation (/usr/share/doc).  EMB_VERIFY_PROSE
# may name more prose files.  The 10 MB line (tests/ref/corpus.js
# longline) is compared with the HF tokenizer.json of the same vocabulary
# (tiktoken's merge loop is quadratic in a piece's length).
#
# Prints, per tokenizer, the sequences and the differing ones in the
# text, in the first 2 MB read whole, and in the long line; the first
# differing sequences are shown.  Exit status 1 if any differ.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
REF="$TOP/tests/ref"
PATH="$TOP/cmd:$PATH"
keep=0
names=
mb=24
while getopts kn:s: o; do
	case $o in
	k) keep=1 ;;
	n) names=$OPTARG ;;
	s) mb=$OPTARG ;;
	*) echo "usage: sh tests/tokenize-verify.sh [-k] [-n TOKENIZERS] [-s MB] [WORKDIR]" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
	WORK=$1
	mkdir -p "$WORK" || exit 2
else
	WORK=$(mktemp -d) || exit 2
	[ $keep -eq 1 ] || trap 'rm -rf "$WORK"' EXIT
fi
WORK=$(cd "$WORK" && pwd)
. "$REF/tokenizers.sh"
why=$(refs_missing)
[ -z "$why" ] || { echo "tokenize-verify: $why" >&2; exit 2; }
command -v emb-tokenize >/dev/null || { echo "tokenize-verify: emb-tokenize not built" >&2; exit 2; }
: "${names:=$TOKENIZERS}"
cd "$WORK" || exit 2

# take CAP: append the files named on stdin (decompressed; .mo catalogues
# as .po text) to stdout, until CAP bytes
take() {
	n=0
	while IFS= read -r f; do
		[ -f "$f" ] || continue
		[ "$n" -lt "$1" ] || break
		case $f in
		*.gz) zcat -- "$f" 2>/dev/null ;;
		*.mo) msgunfmt -- "$f" 2>/dev/null ;;
		*) cat -- "$f" ;;
		esac >part.tmp
		s=$(wc -c <part.tmp)
		cat part.tmp
		n=$((n + s))
	done
	rm -f part.tmp
}

# sorted file lists; a language's catalogues, man pages in turn
files() {
	find "$@" -type f 2>/dev/null | LC_ALL=C sort
}

# round-robin over the sub-directories of $1 (languages), files matching $2
interleave() {
	for d in $(ls "$1" | LC_ALL=C sort); do
		[ -d "$1/$d" ] || continue
		files "$1/$d" -name "$2" | head -n 40 | sed "s|^|$d |"
	done | awk '{ n[$1]++; print n[$1], $0 }' | LC_ALL=C sort -n -k1,1 -s |
	    cut -d' ' -f3-
}

if [ ! -s text.txt ]; then
	echo "building $mb MB of real text in $WORK" >&2
	u=$((mb * 1024 * 1024 / 24))
	{
		interleave /usr/share/locale '*.mo' | take $((u * 6))
		interleave /usr/share/man '*.gz' | take $((u * 4))
		{ for f in "$TOP/../shared/data/lee_background.cor" \
		    ${EMB_VERIFY_PROSE:-}; do echo "$f"; done
		  files /usr/share/doc -name 'changelog*.gz' -o -name 'README*' \
		    -o -name 'copyright' -o -name 'NEWS*'; } | take $((u * 4))
		files /usr/include -name '*.h' | take $((u * 3))
		files /usr/lib/python3 /usr/lib/python3.11 -name '*.py' | take $((u * 2))
		files "$REFMOD" -name '*.js' -size -200k | take $((u * 1))
		files /var/log -name '*.log*' | take $((u * 1))
		files /usr/share/doc -name '*.html' -o -name '*.htm' | take $((u * 3))
	} | awk 'length($0) <= 20000' >text.txt
	head -c 2097152 text.txt >doc.txt
	node "$REF/corpus.js" longline 10000000 1 >long.txt
fi
build_files || exit 2
printf 'text: %s bytes, %s lines; whole document: %s bytes; long line: %s bytes\n' \
    "$(wc -c <text.txt)" "$(wc -l <text.txt)" "$(wc -c <doc.txt)" "$(wc -c <long.txt)"

st=0
summary=
for n in $names; do
	t0=$(date +%s)
	l=long.txt
	[ "$(hf_twin "$n")" = "$n" ] || l=
	[ -s "text.txt.$n" ] || ref_run "$n" "$n" text.txt $l --whole doc.txt ||
	    { echo "$n: the reference failed" >&2; st=1; continue; }
	tw=$(hf_twin "$n")
	[ -s "long.txt.$tw" ] || ref_run "$tw" "$tw" long.txt ||
	    { echo "$tw: the reference failed" >&2; st=1; continue; }
	t1=$(date +%s)
	row="$n"
	for f in text doc long; do
		w=
		[ $f = doc ] && w=--whole
		r=$n
		[ $f = long ] && r=$(hf_twin "$n")
		# shellcheck disable=SC2046
		emb-tokenize $(tok_args "$n") $w $f.txt >$f.txt.got-$n ||
		    echo "$n: emb-tokenize on $f.txt: status $?"
		out=$(node "$REF/cmp.js" $w --label "$n $f" $f.txt $f.txt.$r \
		    $f.txt.got-$n) || st=1
		echo "$out" | cut -c1-400
		row="$row $(echo "$out" | sed -n '1s/.*: \([0-9]*\) sequences, \([0-9]*\) differ.*/\1 \2/p')"
	done
	summary="$summary$row $((t1 - t0))
"
done
echo
echo "tokenizer   text-seqs differ  whole-seqs differ  long-seqs differ  ref-seconds"
printf '%s' "$summary" | awk '{ printf "%-10s %10s %6s %11s %6s %10s %6s %12s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
exit $st
