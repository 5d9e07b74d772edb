#!/bin/sh
# See LICENSE file for copyright and license details.
#
# The full Google analogy evaluation (data/questions-words.txt, the first
# 30000 rows, gensim's counting) with emb-analogy and with gensim's
# KeyedVectors.evaluate_word_analogies on the same vectors, several runs
# each; prints the medians, the ratio, and both tools' totals (which must
# be equal).
#
# usage: tests/bench/analogy.sh [vectors]
#
# vectors: a word2vec binary or text table in frequency order.  Without
# it a 67,945 x 100 table is made once in $BENCH_DIR (default
# /tmp/emb-bench): the words of ../shared/data/enwiki-text8style-100M.txt.gz
# seen at least 5 times, in descending count order, with N(0, 1) random
# vectors (seed 1).  RUNS (default 5) sets the number of runs.  When
# COMPUTE_ACCURACY names a compute-accuracy binary built from word2vec's
# compute-accuracy.c and the table is a word2vec binary, it is timed too
# (threshold 30000) against emb-analogy --compat w2v.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
Q=$TOP/data/questions-words.txt
CORPUS=$TOP/../shared/data/enwiki-text8style-100M.txt.gz
PATH=$TOP/cmd:$PATH
mkdir -p "$WORK"

VEC=${1:-$WORK/r68k.bin}
if [ ! -e "$VEC" ]; then
	echo "making $VEC from $CORPUS" >&2
	"$PY" - "$CORPUS" "$VEC" <<'PYEOF'
import sys, gzip, collections, numpy as np
from gensim.models import KeyedVectors
with gzip.open(sys.argv[1], 'rt') as f:
    cnt = collections.Counter(f.read().split())
# descending count; equal counts keep first-seen order (Counter order)
words = [w for w, c in sorted(cnt.items(), key=lambda x: -x[1]) if c >= 5]
kv = KeyedVectors(100)
kv.add_vectors(words, np.random.default_rng(1).standard_normal((len(words), 100)).astype(np.float32))
kv.save_word2vec_format(sys.argv[2], binary=sys.argv[2].endswith('.bin'))
PYEOF
fi

now() {
	date +%s.%N
}

median() {
	sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# emb-analogy: the whole process (loading the table included); prints
# the median wall time and the median CPU time (user + system)
ours() {
	i=0
	: >"$WORK/ours.cpu"
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now)
		/usr/bin/time -f '%U %S' -o "$WORK/time.out" \
		    emb-analogy -m "$VEC" --eval "$Q" "$@" >"$WORK/ours.out"
		t1=$(now)
		awk '{ print $1 + $2 }' "$WORK/time.out" >>"$WORK/ours.cpu"
		echo "$t1 - $t0" | bc -l
		i=$((i + 1))
	done | median
	median <"$WORK/ours.cpu"
}

# gensim: evaluate_word_analogies only (loading and norms not timed)
theirs() {
	"$PY" - "$VEC" "$Q" "$RUNS" "$WORK/gensim.out" <<'PYEOF' 2>/dev/null
import sys, time, statistics
from gensim.models import KeyedVectors
vec, q, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
kv = KeyedVectors.load_word2vec_format(vec, binary=vec.endswith('.bin'))
kv.fill_norms()
ts, cs = [], []
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    score, secs = kv.evaluate_word_analogies(q, restrict_vocab=30000)
    ts.append(time.perf_counter() - t)
    cs.append(time.process_time() - c)
tot = secs[-1]
c, n = len(tot['correct']), len(tot['correct']) + len(tot['incorrect'])
open(sys.argv[4], 'w').write("total: %.2f%% (%d/%d)\n" % (100.0 * c / n if n else 0, c, n))
print(statistics.median(ts))
print(statistics.median(cs))
PYEOF
}

echo "table: $VEC ($(head -c 40 "$VEC" | head -n 1))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs: $RUNS (medians)"
set -- $(ours)
t2=$1 c2=$2
set -- $(ours --threads 1)
t1=$1 c1=$2
set -- $(theirs)
tg=$1 cg=$2
printf '%-36s %10s %10s\n' "" "wall s" "cpu s"
printf '%-36s %10.3f %10.3f\n' "emb-analogy --eval (all cores)" "$t2" "$c2"
printf '%-36s %10.3f %10.3f\n' "emb-analogy --eval --threads 1" "$t1" "$c1"
printf '%-36s %10.3f %10.3f\n' "gensim evaluate_word_analogies" "$tg" "$cg"
printf 'gensim / emb-analogy, wall: %.1fx (all cores), %.1fx (1 thread)\n' \
    "$(echo "$tg / $t2" | bc -l)" "$(echo "$tg / $t1" | bc -l)"
printf 'gensim / emb-analogy, cpu:  %.1fx\n' "$(echo "$cg / $c2" | bc -l)"
echo "emb-analogy: $(grep '^total:' "$WORK/ours.out")  $(grep '^questions' "$WORK/ours.out")"
echo "gensim:      $(cat "$WORK/gensim.out")"
[ "$(grep '^total:' "$WORK/ours.out")" = "$(cat "$WORK/gensim.out")" ] ||
	{ echo "the totals differ" >&2; exit 1; }

[ -n "${COMPUTE_ACCURACY:-}" ] || exit 0
set -- $(ours --compat w2v)
tw=$1 cw=$2
i=0
: >"$WORK/ca.cpu"
while [ "$i" -lt "$RUNS" ]; do
	t0=$(now)
	/usr/bin/time -f '%U %S' -o "$WORK/time.out" \
	    "$COMPUTE_ACCURACY" "$VEC" 30000 <"$Q" >"$WORK/ca.out"
	t1=$(now)
	awk '{ print $1 + $2 }' "$WORK/time.out" >>"$WORK/ca.cpu"
	echo "$t1 - $t0" | bc -l
	i=$((i + 1))
done | median >"$WORK/ca.wall"
ta=$(cat "$WORK/ca.wall")
ca=$(median <"$WORK/ca.cpu")
printf '%-36s %10.3f %10.3f\n' "emb-analogy --eval --compat w2v" "$tw" "$cw"
printf '%-36s %10.3f %10.3f\n' "compute-accuracy (threshold 30000)" "$ta" "$ca"
printf 'compute-accuracy / emb-analogy: %.1fx wall, %.1fx cpu\n' \
    "$(echo "$ta / $tw" | bc -l)" "$(echo "$ca / $cw" | bc -l)"
echo "emb-analogy:      $(grep '^total:' "$WORK/ours.out")"
echo "compute-accuracy: $(tail -n 2 "$WORK/ca.out" | head -n 1)"
