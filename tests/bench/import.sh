#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Import speed and the cost of opening a big model.
#
# 1. A 100,000 x 300 word2vec text file (N(0, 1) float32 values written
#    as shortest round-trip decimals, tokens w0 ... w99999, ~328 MB) and
#    the same table as word2vec binary (~121 MB): emb-init --from FILE
#    against gensim's KeyedVectors.load_word2vec_format on the same files,
#    in the same run, medians of RUNS runs (default 3), in MB/s of input.
#    Elapsed and CPU (user + system) times.  emb-init is timed as a whole
#    process writing the native model to
#    /dev/null (through stdout: no disk, no fsync); gensim only around
#    the load_word2vec_format call (interpreter start and imports not
#    counted).  emb-init is also timed writing a native file (fsync'd).
#
# 2. A 3,000,000 x 300 native model (tokens w0 ... w2999999, 3.6 GB of
#    matrix) made by emb-init: emb-lookup of one token, cold (the file's
#    pages dropped from the page cache with posix_fadvise DONTNEED) and
#    warm, with /usr/bin/time's elapsed time, maximum RSS and page faults:
#    the open maps the file and reads only the header and the vocab, not
#    the matrix.
#
# usage: tests/bench/import.sh        (needs ~8 GB in $BENCH_DIR)
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench}
RUNS=${RUNS:-3}
PY=/usr/bin/python3
PATH=$TOP/cmd:$PATH
mkdir -p "$WORK"

now() {
	date +%s.%N
}

median() {
	sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

mb() {
	echo "$(wc -c <"$1") / 1000000" | bc -l
}

# tokens w0 ... w(n-1), one per line
vocab() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "w" i }'
}

T=$WORK/w100k.txt
B=$WORK/w100k.bin
if [ ! -e "$B" ]; then
	echo "making $T and $B" >&2
	vocab 100000 >"$WORK/w100k.vocab"
	emb-init --vocab "$WORK/w100k.vocab" -d 300 --seed 1 -o "$T"
	emb-init --from "$T" -O word2vec-bin --no-newline -o "$B"
fi

# "wall cpu" seconds, medians taken separately
time_emb() {
	for i in $(seq "$RUNS"); do
		/usr/bin/time -f "%e %U %S" emb-init --from "$1" -O safetensors \
		    2>&1 >/dev/null | tail -n 1
	done >"$WORK/times"
	echo "$(awk '{ print $1 }' "$WORK/times" | median)" \
	    "$(awk '{ print $2 + $3 }' "$WORK/times" | median)"
}

time_emb_file() {
	for i in $(seq "$RUNS"); do
		t0=$(now)
		emb-init --from "$1" -o "$WORK/out.safetensors"
		t1=$(now)
		echo "$t1 - $t0" | bc -l
	done | median
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
	done >"$WORK/times"
	echo "$(awk '{ print $1 }' "$WORK/times" | median)" \
	    "$(awk '{ print $2 }' "$WORK/times" | median)"
}

echo "== import: 100,000 x 300, medians of $RUNS runs (load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   wall = elapsed seconds; cpu = user + system seconds"
printf '%-10s %6s | %7s %8s %6s %6s | %7s %8s %6s %6s | %6s %6s\n' file MB \
    emb_wall MB/s emb_cpu MB/s gen_wall MB/s gen_cpu MB/s wall_x cpu_x
for f in "$T:0" "$B:1"; do
	path=${f%:*}
	bin=${f##*:}
	size=$(mb "$path")
	set -- $(time_emb "$path")
	ew=$1 ec=$2
	set -- $(time_gensim "$path" "$bin")
	gw=$1 gc=$2
	printf '%-10s %6.1f | %7.3f %8.0f %6.3f %6.0f | %7.3f %8.0f %6.3f %6.0f | %5.1fx %5.1fx\n' \
	    "$(basename "$path")" "$size" \
	    "$ew" "$(echo "$size / $ew" | bc -l)" "$ec" "$(echo "$size / $ec" | bc -l)" \
	    "$gw" "$(echo "$size / $gw" | bc -l)" "$gc" "$(echo "$size / $gc" | bc -l)" \
	    "$(echo "$gw / $ew" | bc -l)" "$(echo "$gc / $ec" | bc -l)"
done
for path in "$T" "$B"; do
	size=$(mb "$path")
	e=$(time_emb_file "$path")
	printf '%-14s to a native file (fsync): %.3f s, %.0f MB/s\n' \
	    "$(basename "$path")" "$e" "$(echo "$size / $e" | bc -l)"
done
rm -f "$WORK/out.safetensors"

M=$WORK/w3m.safetensors
if [ ! -e "$M" ]; then
	echo "making $M" >&2
	vocab 3000000 >"$WORK/w3m.vocab"
	emb-init --vocab "$WORK/w3m.vocab" -d 300 --seed 1 -o "$M"
fi
echo "== open a 3,000,000 x 300 model and look up one token"
echo "file: $(wc -c <"$M") bytes; matrix 3000000 x 300 x 4 = 3600000000 bytes"
drop() {
	"$PY" -c 'import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$1"
}
for mode in cold warm; do
	for i in $(seq "$RUNS"); do
		[ "$mode" = cold ] && drop "$M"
		echo w2999999 | /usr/bin/time -f "%e %M %F %R" \
		    emb-lookup -m "$M" 2>&1 >/dev/null | tail -n 1
	done | sort -g | awk -v m="$mode" '
	    { a[NR] = $0 }
	    END { split(a[int((NR + 1) / 2)], x, " ");
		  printf "%-5s median: %.3f s elapsed, max RSS %d KB, %d major + %d minor page faults\n",
		      m, x[1], x[2], x[3], x[4] }'
done
echo w2999999 | emb-lookup -m "$M" | awk '{ print "the row has", NF, "numbers" }'
