#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Exact top-k search (k = 10, cosine): emb-nn against faiss IndexFlatIP
# (normalised vectors) and gensim KeyedVectors.most_similar, for 1, 100
# and 10,000 queries over two random tables, 67,946 x 100 and
# 200,000 x 300.  Prints medians of RUNS runs (default 5), the ratios,
# the search rates in GFLOP/s (2 V d flops per query) and the fraction of
# the machine's peak FMA rate (tests/bench/peak.c) that emb-nn reaches:
# per elapsed second against all cores' peak, and per CPU-second against
# one core's (the figure other programs running at the same time do not
# distort).
#
# usage: tests/bench/search.sh [--tables]
#
# --tables: only make the tables and query files (for search-ab.sh).
#
# The tables are N(0, 1) float32 rows for the tokens w0, w1, ... (seed 1),
# written once to $BENCH_DIR (default /tmp/emb-bench/search) as word2vec binary
# (for gensim and faiss) and converted with emb-init to the native model
# (for emb-nn); the queries are distinct tokens drawn with seed 2.
#
# What is timed:
#   emb-nn   the whole process, queries on stdin, output to a file: model
#            open (mmap), search, output.  "startup" is the same with no
#            query; the search rate (GFLOP/s, % of peak) uses
#            total - startup.
#   faiss    index.search(q, 11) only (the query's own row comes back
#            first); normalising and adding the table are not timed.
#            Again on one thread (faiss1; one run for 10,000 queries).
#   gensim   most_similar(token, topn=10) once per query, after a first
#            call that fills its norms; loading is not timed.  For 10,000
#            queries: one run of the first 1,000, times 10.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench/search}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
mkdir -p "$WORK/bin"
# a snapshot of the tools: the tree's may be rebuilt (or rebuilt with
# sanitizers by make check-sanitize) while this runs
for t in emb-nn emb-init; do
	cp "$TOP/cmd/$t" "$WORK/bin/$t.new"
	mv "$WORK/bin/$t.new" "$WORK/bin/$t"
	if grep -q __asan_init "$WORK/bin/$t"; then
		echo "$TOP/cmd/$t is a sanitizer build: run make first" >&2
		exit 1
	fi
done
PATH=$WORK/bin:$PATH

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

# emb-nn: "wall cpu" medians of RUNS runs (cpu = user + system seconds
# of all threads); $1 model, $2 query file
time_nn() {
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now)
		/usr/bin/time -f '%U %S' -o "$WORK/time.out" \
		    emb-nn -m "$1" -k 10 <"$2" >"$WORK/nn.out"
		t1=$(now)
		echo "$(echo "$t1 - $t0" | bc -l) $(cat "$WORK/time.out")"
		i=$((i + 1))
	done >"$WORK/times"
	echo "$(awk '{ print $1 }' "$WORK/times" | median)" \
	    "$(awk '{ print $2 + $3 }' "$WORK/times" | median)"
}

# faiss and gensim: "faiss N wall cpu" and "gensim N wall cpu" lines
time_py() {
	env ${blaslib:+LD_LIBRARY_PATH=$blaslib} "$PY" - "$1" "$RUNS" <<'PYEOF' 2>/dev/null
import sys, time, statistics
import numpy as np, faiss
from gensim.models import KeyedVectors
base, runs = sys.argv[1], int(sys.argv[2])
kv = KeyedVectors.load_word2vec_format(base + ".bin", binary=True)
x = kv.vectors / np.linalg.norm(kv.vectors, axis=1, keepdims=True)
index = faiss.IndexFlatIP(x.shape[1])
index.add(np.ascontiguousarray(x, dtype=np.float32))
kv.most_similar("w0", topn=10)		# fills gensim's norms
nthreads = faiss.omp_get_max_threads()
def timed(f, runs, scale=1):
    w, c = [], []
    for _ in range(runs):
        t, p = time.perf_counter(), time.process_time()
        f()
        w.append((time.perf_counter() - t) * scale)
        c.append((time.process_time() - p) * scale)
    return statistics.median(w), statistics.median(c)
for n in (1, 100, 10000):
    words = [l.strip() for l in open("%s.q%d" % (base, n))]
    q = np.ascontiguousarray(x[[kv.key_to_index[w] for w in words]])
    print("faiss", n, *timed(lambda: index.search(q, 11), runs))
    # one thread: its CPU time is its work (OpenMP threads that spin
    # while waiting count CPU time too, more so on a busy machine)
    faiss.omp_set_num_threads(1)
    print("faiss1", n, *timed(lambda: index.search(q, 11), runs if n < 10000 else 1))
    faiss.omp_set_num_threads(nthreads)
    if n == 10000:
        sub = words[:1000]
        print("gensim", n, *timed(lambda: [kv.most_similar(w, topn=10) for w in sub], 1, 10))
    else:
        print("gensim", n, *timed(lambda: [kv.most_similar(w, topn=10) for w in words], runs))
PYEOF
}

# faiss and numpy call sgemm through libblas.so.3, which on Debian is the
# slow reference BLAS unless OpenBLAS is installed and selected: use
# OpenBLAS when it is installed (apt-get install libopenblas0-pthread),
# whatever the system default, so that faiss and gensim run at their best
OPENBLAS=/usr/lib/x86_64-linux-gnu/openblas-pthread
blaslib=
if [ -e "$OPENBLAS/libblas.so.3" ]; then
	blaslib=$OPENBLAS
fi

if [ "${1:-}" = --tables ]; then
	for t in "67946 100" "200000 300"; do
		make_table $t
	done
	exit 0
fi
cc -O2 -pthread -o "$WORK/peak" "$TOP/tests/bench/peak.c"
set -- $("$WORK/peak")
peak=$1 corepeak=$2
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "BLAS for faiss and numpy: ${blaslib:-$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3) (no OpenBLAS installed)}"
echo "peak (tests/bench/peak.c): $peak GFLOP/s elapsed, all cores; $corepeak GFLOP per CPU-second of one core"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg); runs: $RUNS (medians)"
for t in "67946 100" "200000 300"; do
	set -- $t
	make_table "$1" "$2"
done
: >"$WORK/empty"
: >"$WORK/rows"
for t in "67946 100" "200000 300"; do
	set -- $t
	V=$1 d=$2
	base=$WORK/rand-${V}x$d
	st=$(time_nn "$base.safetensors" "$WORK/empty")
	time_py "$base" >"$WORK/py.out"
	for n in 1 100 10000; do
		echo "${V}x$d $n $(time_nn "$base.safetensors" "$base.q$n") $st" \
		    "$(awk -v n="$n" '$1 == "faiss" && $2 == n { print $3, $4 }' "$WORK/py.out")" \
		    "$(awk -v n="$n" '$1 == "gensim" && $2 == n { print $3, $4 }' "$WORK/py.out")" \
		    "$(awk -v n="$n" '$1 == "faiss1" && $2 == n { print $3, $4 }' "$WORK/py.out")" \
		    >>"$WORK/rows"
	done
done
# rows: table n nn-wall nn-cpu startup-wall startup-cpu faiss-wall
# faiss-cpu gensim-wall gensim-cpu faiss1-wall faiss1-cpu
awk -v peak="$peak" -v corepeak="$corepeak" '
function gf(n, tab, s) { split(tab, vd, "x"); return 2 * n * vd[1] * vd[2] / s / 1e9 }
BEGIN {
	printf "wall-clock seconds (medians)\n"
	printf "%-11s %6s %8s %8s %8s %8s %8s %8s %7s %7s %6s\n", "table", "queries",
	    "emb-nn", "startup", "faiss", "gensim", "fa/nn", "ge/nn", "nn-GF/s", "fa-GF/s", "%peak"
}
{
	s = $3 - $5; if (s <= 0) s = 1e-9
	printf "%-11s %6d %8.4f %8.4f %8.4f %8.4f %8.2f %8.1f %7.1f %7.1f %6.1f\n", $1, $2,
	    $3, $5, $7, $9, $7 / $3, $9 / $3, gf($2, $1, s), gf($2, $1, $7), 100 * gf($2, $1, s) / peak
	row[NR] = $0
}
END {
	printf "\nCPU seconds, all threads (medians); GFLOP per CPU-second\n"
	printf "(faiss1: faiss on one thread; emb-nn CPU seconds have a 0.01 s grain)\n"
	printf "%-11s %6s %8s %8s %8s %8s %8s %8s %8s %8s %7s %7s %6s\n", "table", "queries",
	    "emb-nn", "startup", "faiss", "faiss1", "gensim", "fa/nn", "fa1/nn", "ge/nn",
	    "nn-GF/c", "fa1GF/c", "%peak"
	for (i = 1; i <= NR; i++) {
		split(row[i], f, " ")
		c = f[4] - f[6]; if (c <= 0) c = 1e-9
		n4 = f[4] > 0 ? f[4] : 0.005
		printf "%-11s %6d %8.4f %8.4f %8.4f %8.4f %8.4f %8.2f %8.2f %8.1f %7.1f %7.1f %6.1f\n",
		    f[1], f[2], f[4], f[6], f[8], f[12], f[10], f[8] / n4, f[12] / n4,
		    f[10] / n4, gf(f[2], f[1], c), gf(f[2], f[1], f[12]),
		    100 * gf(f[2], f[1], c) / corepeak
	}
}' "$WORK/rows"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
