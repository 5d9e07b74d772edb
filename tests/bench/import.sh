#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Import speed, and what one token or one query costs on a big model.
#
# 1. Import: a 100,000 x 300 word2vec text file (N(0, 1) float32 values
#    written as shortest round-trip decimals, tokens w0 ... w99999,
#    ~328 MB) and the same table as word2vec binary (~121 MB):
#    emb-init --from FILE -O safetensors to /dev/null (a whole process)
#    against gensim's KeyedVectors.load_word2vec_format on the same file
#    (only that call timed: not the interpreter's start nor the imports),
#    in MB/s of input, elapsed and CPU (user + system) seconds.
#
# 2. A 3,000,000 x 300 native model (tokens w0 ... w2999999, 3.6 GB of
#    matrix) made by emb-init, with the page cache cold (the file's pages
#    dropped with posix_fadvise(POSIX_FADV_DONTNEED), which needs no root:
#    clean pages no process has locked are dropped) and warm:
#    - echo w2999999 | emb-lookup: elapsed, maximum resident set, page
#      faults;
#    - one read of the matrix: cat of the whole file, and tests/bench/scan
#      (the matrix mapped and summed by 2 threads, as a search reads it);
#    - echo w2999999 | emb-nn -k 10: elapsed and CPU seconds, and the
#      ratio to the read of the matrix;
#    - warm only, the same query with faiss IndexFlatIP and gensim's
#      most_similar (tests/bench/onequery.py, /usr/bin/python3 with
#      Debian's python3-faiss and python3-gensim).
#    Processes are timed by tests/bench/rtime (elapsed to 0.1 ms).
#
# Every figure is the median of RUNS runs (default 5), each column's
# median taken on its own.  BEFORE_REV=REV also builds the tools of git
# revision REV and times them side by side ("before"), on the same files
# in the same run.  The machine is shared: the load average is printed
# before each part, and CPU seconds beside elapsed ones; the cost of
# memory touched for the first time (tests/bench/scan --fresh) is
# printed too, as on some virtual machines it dominates an import.
#
# usage: [BEFORE_REV=rev] [RUNS=5] [BENCH_DIR=dir] [PARTS='import cold
#        warm'] tests/bench/import.sh
#        (needs ~8 GB in BENCH_DIR, default /tmp/emb-bench; gensim and
#        numpy from Debian, /usr/bin/python3.  PARTS names what to run:
#        import is part 1 (~0.5 GB, a few minutes), cold and warm the two
#        page-cache states of part 2; a cold run reads the 3.6 GB matrix
#        from disk 20 times with RUNS=5)
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench}
RUNS=${RUNS:-5}
PARTS=" ${PARTS:-import cold warm} "
PY=/usr/bin/python3
mkdir -p "$WORK"

load() {
	cut -d' ' -f1-3 /proc/loadavg
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ a[NR] = $1 }
	    END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# medians of each column of stdin, on one line
medians() {
	awk '{ for (i = 1; i <= NF; i++) col[i] = col[i] " " $i; n = NF }
	    END { for (i = 1; i <= n; i++) print col[i] }' |
	while read -r c; do
		printf '%s\n' $c | median
	done | paste -sd ' ' -
}

mb() {
	echo "$(wc -c <"$1") / 1000000" | bc -l
}

drop() {
	"$PY" -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$1"
}

# the tools: after (this tree) and, with BEFORE_REV, before
AFTER=$TOP/cmd
[ -x "$AFTER/emb-init" ] || make -C "$TOP" -j2 >/dev/null
SETS=after
if [ -n "${BEFORE_REV:-}" ]; then
	BEFORE=$WORK/before-$(git -C "$TOP" rev-parse --short "$BEFORE_REV")
	if [ ! -x "$BEFORE/cmd/emb-init" ]; then
		rm -rf "$BEFORE"
		mkdir -p "$BEFORE"
		git -C "$TOP" archive "$BEFORE_REV" | tar -x -C "$BEFORE"
		make -C "$BEFORE" -j2 >/dev/null
	fi
	SETS="before after"
fi
bin() {
	if [ "$1" = before ]; then echo "$BEFORE/cmd/$2"; else echo "$AFTER/$2"; fi
}
cc -O2 -pthread -o "$WORK/scan" "$TOP/tests/bench/scan.c"
cc -O2 -o "$WORK/rtime" "$TOP/tests/bench/rtime.c"
TIME=$WORK/rtime

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), ${BEFORE_REV:+before = $BEFORE_REV, }after = $(git -C "$TOP" rev-parse --short HEAD)"
set -- $("$WORK/scan" --fresh 256)
echo "memory touched for the first time: $(echo "256 / $1" | bc) MB per CPU-second; touched again: $(echo "256 / $2" | bc) MB per CPU-second"

# tokens w0 ... w(n-1), one per line
vocab() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "w" i }'
}

T=$WORK/w100k.txt
B=$WORK/w100k.bin
if [ ! -e "$B" ]; then
	echo "making $T and $B" >&2
	vocab 100000 >"$WORK/w100k.vocab"
	"$AFTER/emb-init" --vocab "$WORK/w100k.vocab" -d 300 --seed 1 -o "$T"
	"$AFTER/emb-init" --from "$T" -O word2vec-bin --no-newline -o "$B"
fi

# "wall cpu" medians of emb-init --from $2 by tool set $1
time_emb() {
	for i in $(seq "$RUNS"); do
		$TIME "$(bin "$1" emb-init)" --from "$2" -O safetensors \
		    2>&1 >/dev/null | tail -n 1 |
		    awk '{ print $1, $2 }'
	done | medians
}

time_gensim() {
	for i in $(seq "$RUNS"); do
		"$PY" - "$1" "$2" <<'PYEOF'
import sys, time
from gensim.models import KeyedVectors
t, c = time.perf_counter(), time.process_time()
KeyedVectors.load_word2vec_format(sys.argv[1], binary=sys.argv[2] == "1")
print(time.perf_counter() - t, time.process_time() - c)
PYEOF
	done | medians
}

case $PARTS in *" import "*)
echo
echo "== import: 100,000 x 300, medians of $RUNS runs (load: $(load))"
echo "   wall = elapsed seconds; cpu = user + system seconds; x = gensim / emb"
printf '%-10s %6s %-6s | %7s %6s %6s %6s | %7s %6s %6s | %6s %6s\n' file MB tools \
    emb_wall MB/s emb_cpu MB/s gen_wall MB/s gen_cpu wall_x cpu_x
for f in "$T:0" "$B:1"; do
	path=${f%:*}
	isbin=${f##*:}
	size=$(mb "$path")
	set -- $(time_gensim "$path" "$isbin")
	gw=$1 gc=$2
	for s in $SETS; do
		set -- $(time_emb "$s" "$path")
		ew=$1 ec=$2
		printf '%-10s %6.1f %-6s | %7.3f %6.0f %6.3f %6.0f | %7.3f %6.0f %6.3f | %5.1fx %5.1fx\n' \
		    "$(basename "$path")" "$size" "$s" \
		    "$ew" "$(echo "$size / $ew" | bc -l)" "$ec" "$(echo "$size / $ec" | bc -l)" \
		    "$gw" "$(echo "$size / $gw" | bc -l)" "$gc" \
		    "$(echo "$gw / $ew" | bc -l)" "$(echo "$gc / $ec" | bc -l)"
	done
done
;;
esac

case $PARTS in
*" cold "*|*" warm "*) ;;
*)	echo
	echo "load at the end: $(load)"
	exit 0 ;;
esac

M=$WORK/w3m.safetensors
if [ ! -e "$M" ]; then
	echo "making $M" >&2
	vocab 3000000 >"$WORK/w3m.vocab"
	"$AFTER/emb-init" --vocab "$WORK/w3m.vocab" -d 300 --seed 1 -o "$M"
fi
echo
echo "== a 3,000,000 x 300 model: $(wc -c <"$M") bytes, matrix 3,600,000,000 bytes; medians of $RUNS runs"
echo "   ($(grep -q vocab_index "$M" && echo "it has" || echo "it lacks") the token index; before's tools ignore it)"

# "wall cpu rss_kb major minor" medians of command $2... cold or warm ($1)
time_cmd() {
	mode=$1
	shift
	for i in $(seq "$RUNS"); do
		[ "$mode" = cold ] && drop "$M"
		$TIME "$@" <"$WORK/q.txt" 2>&1 >/dev/null | tail -n 1
	done | medians
}

echo w2999999 >"$WORK/q.txt"
nn() {
	"$(bin "$1" emb-nn)" -k 10 -m "$M" <"$WORK/q.txt"
}

readscan() {
	for i in $(seq "$RUNS"); do
		[ "$1" = cold ] && drop "$M"
		"$WORK/scan" "$M" 2
	done | medians
}

for s in $SETS; do
	nn "$s" | cut -f 2 | paste -sd ' ' - >"$WORK/nn-$s"
done
if [ -n "${BEFORE_REV:-}" ] && ! cmp -s "$WORK/nn-before" "$WORK/nn-after"; then
	echo "before and after disagree on the neighbours:" >&2
	cat "$WORK/nn-before" "$WORK/nn-after" >&2
	exit 1
fi
echo "   the query's neighbours: $(cat "$WORK/nn-after")"

# the same query with what a user would pick instead, on the same mapped
# matrix (tests/bench/onequery.py): faiss IndexFlatIP (the rows
# normalised into the index, then the search) and gensim most_similar
# (the first call computes every row's norm)
peers() {
	"$PY" "$TOP/tests/bench/onequery.py" "$M" 2999999 "$RUNS" \
	    >"$WORK/peers" || return 0
	while read -r name w c; do
		case $name in
		faiss_prep) what="faiss IndexFlatIP: build the index" ;;
		faiss_search) what="faiss IndexFlatIP: search (median)" ;;
		gensim_first) what="gensim most_similar: first call" ;;
		gensim_next) what="gensim most_similar: next (median)" ;;
		*) continue ;;
		esac
		printf '%-34s %8.3f s elapsed %7.3f s CPU\n' "$what" "$w" "$c"
	done <"$WORK/peers"
	mine=$(sed 's/w//g' "$WORK/nn-after")
	sed -n 's/^ids //p' "$WORK/peers" | tr '|' '\n' |
	while read -r ids; do
		[ "$ids" = "$mine" ] ||
		    echo "   (a peer's neighbours differ from emb-nn's: $ids)"
	done
}

for mode in cold warm; do
	case $PARTS in *" $mode "*) ;; *) continue ;; esac
	[ "$mode" = warm ] && cat "$M" >/dev/null
	echo
	echo "-- $mode page cache (load: $(load))"
	set -- $(time_cmd "$mode" cat "$M")	# (cat ignores stdin)
	cw=$1 cc=$2
	set -- $(readscan "$mode")
	sw=$1 sc=$2
	printf '%-34s %8.3f s elapsed %7.3f s CPU\n' "read: cat of the file" "$cw" "$cc"
	printf '%-34s %8.3f s elapsed %7.3f s CPU\n' "read: scan, 2 threads" "$sw" "$sc"
	for s in $SETS; do
		set -- $(time_cmd "$mode" "$(bin "$s" emb-lookup)" -m "$M")
		printf '%-34s %8.3f s elapsed %7.3f s CPU %7d KB max RSS %6d major %6d minor faults\n' \
		    "$s: emb-lookup, one token" "$1" "$2" "$3" "$4" "$5"
	done
	for s in $SETS; do
		set -- $(time_cmd "$mode" "$(bin "$s" emb-nn)" -k 10 -m "$M")
		printf '%-34s %8.3f s elapsed %7.3f s CPU   %.2fx cat  %.2fx scan (elapsed)\n' \
		    "$s: emb-nn -k 10, one query" "$1" "$2" \
		    "$(echo "$1 / $cw" | bc -l)" "$(echo "$1 / $sw" | bc -l)"
	done
	[ "$mode" = warm ] && peers
done
echo
echo "load at the end: $(load)"
