#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Tokenization speed: emb-tokenize against the npm references runnable
# here, on the same texts, one thread, medians of RUNS runs (default 5).
#
# Texts (real, built from what is on the machine, ~MB megabytes each,
# default 4): english (mixed-case English prose: lee_background.cor from
# ../shared/data, then /usr/share/doc READMEs, NEWS and changelogs), code
# (C headers from /usr/include, then Python modules) and multilingual
# (.po text of the /usr/share/locale catalogues, languages taken in turn).
# Encodings: o200k_base, cl100k_base, r50k_base (GPT-2's vocabulary,
# merges and pattern), each from its rank file (gpt-tokenizer's copy).  Each text is read a
# line at a time, each line a sequence, as emb-tokenize does by default.
#
# References (tests/ref/bench.js): tiktoken (Rust as WASM), HF tokenizers
# (Rust, Node binding, one thread: RAYON_NUM_THREADS=1; on the HF
# tokenizer.json of the same vocabulary), gpt-tokenizer (JS) and
# js-tiktoken (JS, for information: not an exact reference).  They are
# timed inside Node around the encoding loop only: Node's start-up,
# loading the tokenizer and reading and splitting the file are not
# counted.  emb-tokenize is timed as a whole process writing the IDs to
# /dev/null, on the text repeated REP times (default 10: a run of a few
# tenths of a second, long against the timer's 10 ms), and its fixed cost
# (start-up and loading the tokenizer file, measured on an empty input)
# is subtracted, so both sides count the tokenization alone.  (Both sides
# see text they have seen before: the references run RUNS passes in one
# process, and HF tokenizers and gpt-tokenizer keep a cache of words.)
# Also emb-tokenize --threads 2.
#
# usage: sh tests/bench/tokenize.sh   (RUNS, MB, REP, ENCODINGS, TEXTS, BENCH_DIR)
# Prints a Markdown table on stdout: MB/s are 10^6 bytes per elapsed
# second, and in parentheses per CPU second (user + system), which a
# shared machine's load inflates much less; the ratio is emb-tokenize's
# figure over the fastest exact reference's (js-tiktoken left out), both
# ways.  The raw medians go to stderr.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench}/tokenize
RUNS=${RUNS:-5}
MB=${MB:-4}
REP=${REP:-10}
ENCODINGS=${ENCODINGS:-o200k_base cl100k_base r50k_base}
TEXTS=${TEXTS:-english code multilingual}
REF=$TOP/tests/ref
PATH=$TOP/cmd:$PATH
mkdir -p "$WORK"
. "$REF/tokenizers.sh"
why=$(refs_missing)
[ -z "$why" ] || { echo "tokenize.sh: $why" >&2; exit 2; }
export RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false

median() {
	sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# take BYTES: the files named on stdin, decompressed (.mo catalogues as
# .po text), up to BYTES
take() {
	n=0
	while IFS= read -r f; do
		[ -f "$f" ] || continue
		[ "$n" -lt "$1" ] || break
		case $f in
		*.gz) zcat -- "$f" 2>/dev/null ;;
		*.mo) msgunfmt -- "$f" 2>/dev/null ;;
		*) cat -- "$f" ;;
		esac >"$WORK/part"
		cat "$WORK/part"
		n=$((n + $(wc -c <"$WORK/part")))
	done | head -c "$1"
}

bytes=$((MB * 1000000))
if [ ! -s "$WORK/english.txt" ]; then
	{ echo "$TOP/../shared/data/lee_background.cor"
	  find /usr/share/doc -type f \( -name 'README*' -o -name 'NEWS*' \
	    -o -name 'changelog.gz' \) 2>/dev/null | LC_ALL=C sort; } |
	    take $bytes >"$WORK/english.txt"
	{ find /usr/include -name '*.h' | LC_ALL=C sort
	  find /usr/lib/python3 -name '*.py' | LC_ALL=C sort; } |
	    take $bytes >"$WORK/code.txt"
	for d in $(ls /usr/share/locale | LC_ALL=C sort); do
		find "/usr/share/locale/$d" -name '*.mo' 2>/dev/null |
		    LC_ALL=C sort | head -n 3
	done | awk -F/ '{ n[$5]++; print n[$5], $0 }' | LC_ALL=C sort -n -s -k1,1 |
	    cut -d' ' -f2- | take $bytes >"$WORK/multilingual.txt"
	: >"$WORK/empty.txt"
fi

# emb-tokenize's median seconds (elapsed, CPU) over RUNS runs
tok_time() {
	for r in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %U %S' -o "$WORK/time" emb-tokenize "$@" >/dev/null
		cat "$WORK/time"
	done >"$WORK/times"
	e=$(awk '{ print $1 }' "$WORK/times" | median)
	c=$(awk '{ print $2 + $3 }' "$WORK/times" | median)
	echo "$e $c"
}

hf_file() {
	case $1 in
	o200k_base) tok_file o200k-hf ;;
	cl100k_base) tok_file cl100k-hf ;;
	r50k_base) WORK=$WORK build_files && echo "$WORK/gpt2.json" ;;
	esac
}

echo "load before: $(uptime)" >&2
echo "| text | encoding | MB | emb-tokenize MB/s (CPU) | --threads 2 MB/s | tiktoken WASM MB/s (CPU) | HF tokenizers (CPU) | gpt-tokenizer (CPU) | js-tiktoken (CPU) | ratio to fastest exact ref, elapsed (CPU) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for text in $TEXTS; do
	f=$WORK/$text.txt
	b=$(wc -c <"$f")
	for r in $(seq "$REP"); do cat "$f"; done >"$WORK/$text.rep"
	rb=$(wc -c <"$WORK/$text.rep")
	mbs=$(echo "$b" | awk '{ printf "%.1f", $1 / 1e6 }')
	for e in $ENCODINGS; do
		rank=$REFMOD/gpt-tokenizer/data/$e.tiktoken
		set -- -t "$rank" --encoding "$e" --special none
		z=$(tok_time "$@" "$WORK/empty.txt")
		t1=$(tok_time "$@" "$WORK/$text.rep")
		t2=$(tok_time "$@" --threads 2 "$WORK/$text.rep")
		echo "$text $e emb-tokenize: $rb bytes, median elapsed/CPU s: empty $z, one thread $t1, two threads $t2" >&2
		# MB/s elapsed and per CPU second, the fixed cost taken off
		ow=$(echo "$rb $t1 $z" | awk '{ print $1 / 1e6 / ($2 - $4) }')
		oc=$(echo "$rb $t1 $z" | awk '{ print $1 / 1e6 / ($3 - $5) }')
		ow2=$(echo "$rb $t2 $z" | awk '{ print $1 / 1e6 / ($2 - $4) }')
		row=$(printf '| %s | %s | %s | %.1f (%.1f) | %.1f' "$text" "$e" "$mbs" "$ow" "$oc" "$ow2")
		bw=0
		bc=0
		for impl in tiktoken hf gpt-tokenizer js-tiktoken; do
			if [ $impl = hf ]; then
				out=$(node "$REF/bench.js" --impl hf --file "$(hf_file $e)" --runs "$RUNS" "$f")
			else
				out=$(node "$REF/bench.js" --impl $impl --encoding $e --runs "$RUNS" "$f")
			fi
			echo "$text $e $out" >&2
			rw=$(echo "$out" | awk '{ print $2 / 1e6 / $4 }')
			rc=$(echo "$out" | awk '{ print $2 / 1e6 / $5 }')
			row=$(printf '%s | %.2f (%.2f)' "$row" "$rw" "$rc")
			[ $impl = js-tiktoken ] && continue
			bw=$(echo "$bw $rw" | awk '{ print ($2 > $1) ? $2 : $1 }')
			bc=$(echo "$bc $rc" | awk '{ print ($2 > $1) ? $2 : $1 }')
		done
		printf '%s | %.1fx (%.1fx) |\n' "$row" "$(echo "$ow $bw" | awk '{ print $1 / $2 }')" \
		    "$(echo "$oc $bc" | awk '{ print $1 / $2 }')"
	done
done
echo "load after: $(uptime)" >&2
