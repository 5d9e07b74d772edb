#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Two builds of emb-train side by side: OLD and NEW are the cmd/
# directories of two trees (built with make).  On the first MB megabytes
# (default 10) of the text8-style corpus train.sh uses, skip-gram and
# CBOW (d 100, 1 epoch, min-count 5, one thread: the result is then
# deterministic and must be the same file from both), the two run in
# turn RUNS times each (default 3).  Prints the medians of elapsed and
# CPU seconds and NEW/OLD.
#
# usage: tests/bench/train-ab.sh OLD/cmd NEW/cmd
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench-train}/ab
RUNS=${RUNS:-3}
MB=${MB:-10}
CORPUS=$TOP/../shared/data/enwiki-text8style-100M.txt.gz
[ $# -eq 2 ] || { echo "usage: $0 OLD/cmd NEW/cmd" >&2; exit 2; }
mkdir -p "$WORK"
cp "$1/emb-train" "$WORK/emb-train.old"
cp "$2/emb-train" "$WORK/emb-train.new"
TXT=$WORK/corpus-$MB.txt
[ -s "$TXT" ] || gzip -dc "$CORPUS" | head -c "${MB}000000" >"$TXT"

median() {
	sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# "wall cpu" of one run; $1 binary, $2 arch, $3 output
one() {
	t0=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$WORK/time" "$1" -q --threads 1 \
	    --arch "$2" -d 100 --epochs 1 -o "$3" "$TXT"
	t1=$(date +%s.%N)
	echo "$(echo "$t1 - $t0" | bc -l) $(awk '{ print $1 + $2 }' "$WORK/time")"
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg); $MB MB, $(wc -w <"$TXT") words; runs: $RUNS each, interleaved"
printf '%-9s %9s %9s %7s %9s %9s %7s\n' arch old-wall new-wall new/old \
    old-cpu new-cpu new/old
for a in skipgram cbow; do
	: >"$WORK/old"; : >"$WORK/new"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		one "$WORK/emb-train.old" "$a" "$WORK/old.safetensors" >>"$WORK/old"
		one "$WORK/emb-train.new" "$a" "$WORK/new.safetensors" >>"$WORK/new"
		i=$((i + 1))
	done
	cmp -s "$WORK/old.safetensors" "$WORK/new.safetensors" ||
	    { echo "$a: the models differ" >&2; exit 1; }
	ow=$(awk '{ print $1 }' "$WORK/old" | median)
	nw=$(awk '{ print $1 }' "$WORK/new" | median)
	oc=$(awk '{ print $2 }' "$WORK/old" | median)
	nc=$(awk '{ print $2 }' "$WORK/new" | median)
	awk -v a="$a" -v ow="$ow" -v nw="$nw" -v oc="$oc" -v nc="$nc" \
	    'BEGIN { printf "%-9s %9.2f %9.2f %7.3f %9.2f %9.2f %7.3f\n",
	    a, ow, nw, nw / ow, oc, nc, nc / oc }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
