#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Exact top-k search (k = 10, cosine): emb-nn against faiss IndexFlatIP
# (normalised vectors) and gensim KeyedVectors.most_similar, for 1, 100
# and 10,000 queries over two random tables, 67,946 x 100 and
# 200,000 x 300.  Prints medians of RUNS runs (default 5), the ratios,
# the search rates in GFLOP/s (2 V d flops per query) and the fraction of
# the machine's peak FMA rate (tests/bench/peak.c) that emb-nn reaches.
#
# usage: tests/bench/search.sh
#
# The tables are N(0, 1) float32 rows for the tokens w0, w1, ... (seed 1),
# written once to $BENCH_DIR (default /tmp/emb-bench/search) as word2vec binary
# (for gensim and faiss) and converted with emb-init to the native model
# (for emb-nn); the queries are distinct tokens drawn with seed 2.
#
# What is timed:
#   emb-nn   the whole process, queries on stdin, output to a file: model
#            open (mmap), row norms, search, output.  "startup" is the
#            same with no query; "search" = total - startup.
#   faiss    index.search(q, 11) only (the query's own row comes back
#            first); normalising and adding the table are not timed.
#   gensim   most_similar(token, topn=10) once per query, after a first
#            call that fills its norms; loading is not timed.  For 10,000
#            queries: one run of the first 1,000, times 10.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench/search}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
PATH=$TOP/cmd:$PATH
mkdir -p "$WORK"

now() {
	date +%s.%N
}

median() {
	sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# a random table V x d and its query files
make_table() {
	base=$WORK/rand-$1x$2
	if [ ! -e "$base.safetensors" ]; then
		echo "making $base.bin and .safetensors" >&2
		"$PY" - "$1" "$2" "$base.bin" <<'PYEOF'
import sys, numpy as np
from gensim.models import KeyedVectors
V, d = int(sys.argv[1]), int(sys.argv[2])
kv = KeyedVectors(d)
x = np.random.default_rng(1).standard_normal((V, d)).astype(np.float32)
kv.add_vectors(["w%d" % i for i in range(V)], x)
kv.save_word2vec_format(sys.argv[3], binary=True)
PYEOF
		emb-init --from "$base.bin" -o "$base.safetensors"
	fi
	for n in 1 100 10000; do
		[ -e "$base.q$n" ] && continue
		"$PY" -c "
import numpy as np
for i in np.random.default_rng(2).choice($1, $n, replace=False):
    print('w%d' % i)" >"$base.q$n"
	done
}

# emb-nn: median wall time of RUNS runs; $1 model, $2 query file
time_nn() {
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now)
		emb-nn -m "$1" -k 10 <"$2" >"$WORK/nn.out"
		t1=$(now)
		echo "$t1 - $t0" | bc -l
		i=$((i + 1))
	done | median
}

# faiss and gensim: "faiss N seconds" and "gensim N seconds" lines
time_py() {
	"$PY" - "$1" "$RUNS" <<'PYEOF' 2>/dev/null
import sys, time, statistics
import numpy as np, faiss
from gensim.models import KeyedVectors
base, runs = sys.argv[1], int(sys.argv[2])
kv = KeyedVectors.load_word2vec_format(base + ".bin", binary=True)
x = kv.vectors / np.linalg.norm(kv.vectors, axis=1, keepdims=True)
index = faiss.IndexFlatIP(x.shape[1])
index.add(np.ascontiguousarray(x, dtype=np.float32))
kv.most_similar("w0", topn=10)		# fills gensim's norms
for n in (1, 100, 10000):
    words = [l.strip() for l in open("%s.q%d" % (base, n))]
    q = np.ascontiguousarray(x[[kv.key_to_index[w] for w in words]])
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        index.search(q, 11)
        ts.append(time.perf_counter() - t)
    print("faiss", n, statistics.median(ts))
    if n == 10000:
        t = time.perf_counter()
        for w in words[:1000]:
            kv.most_similar(w, topn=10)
        print("gensim", n, (time.perf_counter() - t) * 10)
        continue
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        for w in words:
            kv.most_similar(w, topn=10)
        ts.append(time.perf_counter() - t)
    print("gensim", n, statistics.median(ts))
PYEOF
}

cc -O2 -pthread -o "$WORK/peak" "$TOP/tests/bench/peak.c"
peak=$("$WORK/peak")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), peak $peak GFLOP/s (tests/bench/peak.c)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg); runs: $RUNS (medians)"
printf '%-14s %6s %9s %9s %9s %9s %8s %8s %8s %8s %6s\n' table queries \
    emb-nn startup faiss gensim faiss/nn gens/nn nn-GF/s fai-GF/s %peak
for t in "67946 100" "200000 300"; do
	set -- $t
	V=$1 d=$2
	make_table "$V" "$d"
	base=$WORK/rand-${V}x$d
	: >"$WORK/empty"
	st=$(time_nn "$base.safetensors" "$WORK/empty")
	time_py "$base" >"$WORK/py.out"
	for n in 1 100 10000; do
		nn=$(time_nn "$base.safetensors" "$base.q$n")
		fa=$(awk -v n="$n" '$1 == "faiss" && $2 == n { print $3 }' "$WORK/py.out")
		ge=$(awk -v n="$n" '$1 == "gensim" && $2 == n { print $3 }' "$WORK/py.out")
		awk -v tab="${V}x$d" -v n="$n" -v nn="$nn" -v st="$st" -v fa="$fa" \
		    -v ge="$ge" -v V="$V" -v d="$d" -v peak="$peak" 'BEGIN {
			s = nn - st; if (s <= 0) s = 1e-9
			gf = 2 * n * V * d / s / 1e9
			printf "%-14s %6d %9.4f %9.4f %9.4f %9.4f %8.2f %8.1f %8.1f %8.1f %6.1f\n",
			    tab, n, nn, st, fa, ge, fa / nn, ge / nn, gf,
			    2 * n * V * d / fa / 1e9, 100 * gf / peak
		}'
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
