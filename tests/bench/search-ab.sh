#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Two builds of emb-nn side by side: OLD and NEW are the cmd/ directories
# of two trees (built with make).  Over the tables of search.sh (made
# first if missing), for 1, 100 and 10,000 query tokens, the two run in
# turn, RUNS times each (default 7), so load swings hit both alike.
# Prints the medians of elapsed and CPU seconds (user + system, all
# threads) and NEW/OLD, and checks that both print the same bytes.
#
# usage: tests/bench/search-ab.sh OLD/cmd NEW/cmd
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench/search}
RUNS=${RUNS:-7}
[ $# -eq 2 ] || { echo "usage: $0 OLD/cmd NEW/cmd" >&2; exit 2; }
sh "$TOP/tests/bench/search.sh" --tables
mkdir -p "$WORK/ab"
# snapshots: the trees may be rebuilt while this runs
cp "$1/emb-nn" "$WORK/ab/emb-nn.old"
cp "$2/emb-nn" "$WORK/ab/emb-nn.new"

median() {
	sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# "wall cpu" of one run; $1 binary, $2 model, $3 queries, $4 output
one() {
	t0=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$WORK/ab/time" "$1" -m "$2" -k 10 \
	    <"$3" >"$4"
	t1=$(date +%s.%N)
	echo "$(echo "$t1 - $t0" | bc -l) $(awk '{ print $1 + $2 }' "$WORK/ab/time")"
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg); runs: $RUNS each, interleaved"
printf '%-11s %7s %9s %9s %7s %9s %9s %7s\n' table queries old-wall \
    new-wall new/old old-cpu new-cpu new/old
for t in 67946x100 200000x300; do
	base=$WORK/rand-$t
	for n in 1 100 10000; do
		: >"$WORK/ab/old" ; : >"$WORK/ab/new"
		i=0
		while [ "$i" -lt "$RUNS" ]; do
			one "$WORK/ab/emb-nn.old" "$base.safetensors" \
			    "$base.q$n" "$WORK/ab/out.old" >>"$WORK/ab/old"
			one "$WORK/ab/emb-nn.new" "$base.safetensors" \
			    "$base.q$n" "$WORK/ab/out.new" >>"$WORK/ab/new"
			i=$((i + 1))
		done
		cmp -s "$WORK/ab/out.old" "$WORK/ab/out.new" ||
		    { echo "$t $n: the outputs differ" >&2; exit 1; }
		ow=$(awk '{ print $1 }' "$WORK/ab/old" | median)
		nw=$(awk '{ print $1 }' "$WORK/ab/new" | median)
		oc=$(awk '{ print $2 }' "$WORK/ab/old" | median)
		nc=$(awk '{ print $2 }' "$WORK/ab/new" | median)
		awk -v t="$t" -v n="$n" -v ow="$ow" -v nw="$nw" -v oc="$oc" \
		    -v nc="$nc" 'BEGIN { r = "-"; if (oc > 0) r = sprintf("%.3f", nc / oc)
		    printf "%-11s %7d %9.4f %9.4f %7.3f %9.2f %9.2f %7s\n",
		    t, n, ow, nw, nw / ow, oc, nc, r }'
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
