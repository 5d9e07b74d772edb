#!/bin/sh
# See LICENSE file for copyright and license details.
#
# emb-reduce against scikit-learn, on the rows of a trained table: PCA
# (largest |difference| up to sign, times) and t-SNE (trustworthiness at
# k = 10 and times), for N = 2,000 and 20,000 points (SIZES).
#
# usage: tests/bench/reduce.sh [model]
#
# Without a model one is trained with emb-train (defaults: skip-gram,
# d = 100, min-count 5) on /work/shared/data/text8-prefix.txt.gz (22,541
# rows) into $BENCH_DIR (default /tmp/emb-bench/reduce).  The points are
# the table's first N rows (the most frequent words).
#
# What is timed (elapsed / CPU seconds, user + system, medians of RUNS
# runs, default 3; t-SNE runs TSNE_RUNS times, default 1):
#   emb-reduce  the whole process: read the text vectors, reduce, write.
#   sklearn     PCA(n_components=2, svd_solver=S).fit_transform(X) for
#               S = full (exact LAPACK SVD: the one our coordinates are
#               compared with) and auto (the default: randomized SVD for
#               these shapes, approximate, so its coordinates differ), and
#               TSNE(init="pca", learning_rate="auto").fit_transform(X)
#               only (loading not timed), OMP_NUM_THREADS=$THREADS,
#               OMP_WAIT_POLICY=passive.
# Both use $THREADS threads (default: all cores).  trustworthiness is
# sklearn's formula, computed in blocks so that 20,000 points fit in
# memory (checked equal to sklearn.manifold.trustworthiness at 2,000).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench/reduce}
RUNS=${RUNS:-3}
TSNE_RUNS=${TSNE_RUNS:-1}
SIZES=${SIZES:-"2000 20000"}
THREADS=${THREADS:-$(getconf _NPROCESSORS_ONLN)}
PY=/usr/bin/python3
PATH=$TOP/cmd:$PATH
export OMP_NUM_THREADS=$THREADS
# libgomp's threads spin while they wait, which on a loaded machine costs
# sklearn's TSNE 20x; let them sleep instead
export OMP_WAIT_POLICY=passive
mkdir -p "$WORK"

model=${1:-$WORK/text8-prefix.safetensors}
if [ ! -f "$model" ]; then
	emb-train -q -o "$model" /work/shared/data/text8-prefix.txt.gz
fi

now() {
	date +%s.%N
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run a command n times: prints the median elapsed and CPU (user + sys)
# seconds as "elapsed / CPU"
timeit() {
	n=$1
	shift
	i=0
	: >"$WORK/times"
	while [ "$i" -lt "$n" ]; do
		/usr/bin/time -f '%e %U %S' -o "$WORK/t1" "$@"
		awk '{ print $1, $2 + $3 }' "$WORK/t1" >>"$WORK/times"
		i=$((i + 1))
	done
	printf '%.2f / %.2f\n' "$(cut -d ' ' -f 1 "$WORK/times" | median)" \
	    "$(cut -d ' ' -f 2 "$WORK/times" | median)"
}

cat >"$WORK/sk.py" <<'PYEOF'
import sys, time
import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness

def load(f, ncol):
    return np.array([[float(v) for v in l.split()[-ncol:]]
                     for l in open(f)], dtype=np.float64)

def trust(X, Y, k=10):
    """sklearn's trustworthiness, in blocks of rows"""
    n = len(X)
    sx = (X * X).sum(1)
    t = 0.0
    for b in range(0, n, 500):
        e = min(n, b + 500)
        dx = sx[b:e, None] + sx[None, :] - 2 * X[b:e] @ X.T
        dx[np.arange(e - b), np.arange(b, e)] = np.inf
        order = np.argsort(dx, axis=1, kind="stable")
        rank = np.empty_like(order)
        rank[np.arange(e - b)[:, None], order] = np.arange(1, n + 1)[None, :]
        dy = ((Y[b:e, None, :] - Y[None, :, :]) ** 2).sum(2)
        dy[np.arange(e - b), np.arange(b, e)] = np.inf
        nn = np.argsort(dy, axis=1, kind="stable")[:, :k]
        r = np.take_along_axis(rank, nn, 1) - k
        t += r[r > 0].sum()
    return 1 - t * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0))

mode, xf = sys.argv[1], sys.argv[2]
X = load(xf, int(sys.argv[3]))
if mode == "pca":
    # the exact solver, and the default one (randomized for these shapes)
    Y = load(sys.argv[4], 2)
    runs = int(sys.argv[5])
    out = []
    for solver in ("full", "auto"):
        ts, cs = [], []
        for _ in range(runs):
            t, c = time.time(), time.process_time()
            P = PCA(n_components=2, svd_solver=solver).fit_transform(X)
            ts.append(time.time() - t)
            cs.append(time.process_time() - c)
        m = max(min(abs(P[:, j] - Y[:, j]).max(), abs(P[:, j] + Y[:, j]).max())
                for j in range(2))
        out += ["%.2g" % m, "%.2f/%.2f" % (np.median(ts), np.median(cs))]
    print(" ".join(out))
elif mode == "tsne":
    runs = int(sys.argv[5])
    ts, cs = [], []
    for _ in range(runs):
        t, c = time.time(), time.process_time()
        S = TSNE(n_components=2, init="pca", learning_rate="auto",
                 random_state=0).fit_transform(X.astype(np.float32))
        ts.append(time.time() - t)
        cs.append(time.process_time() - c)
    np.savetxt(sys.argv[4], S)
    print("%.2f/%.2f" % (np.median(ts), np.median(cs)))
else:   # trust X Y
    Y = load(sys.argv[4], 2)
    t = trust(X, Y)
    if len(X) <= 2000:
        t2 = trustworthiness(X, Y, n_neighbors=10)
        assert abs(t - t2) < 1e-9, (t, t2)
    print("%.4f" % t)
PYEOF

echo "model $model, threads $THREADS, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "| N | d | PCA max diff vs full (vs auto) | PCA ours (elapsed / CPU s) | sklearn full | sklearn auto | t-SNE ours | t-SNE sklearn | trust. ours | trust. sklearn | ours - sklearn |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
	x=$WORK/x$n.txt
	emb-lookup --all -m "$model" | head -n "$n" >"$x"
	d=$(head -n 1 "$x" | awk '{ print NF - 1 }')
	tp=$(timeit "$RUNS" sh -c "emb-reduce --threads $THREADS '$x' >'$WORK/pca$n.txt'")
	set -- $($PY "$WORK/sk.py" pca "$x" "$d" "$WORK/pca$n.txt" "$RUNS")
	pdiff=$1 psk=$2 padiff=$3 pask=$4
	tt=$(timeit "$TSNE_RUNS" sh -c "emb-reduce --method tsne --threads $THREADS '$x' >'$WORK/tsne$n.txt'")
	tsk=$($PY "$WORK/sk.py" tsne "$x" "$d" "$WORK/sk$n.txt" "$TSNE_RUNS")
	awk '{ print "s", $0 }' "$WORK/sk$n.txt" >"$WORK/sk$n.lab"
	tro=$($PY "$WORK/sk.py" trust "$x" "$d" "$WORK/tsne$n.txt")
	trs=$($PY "$WORK/sk.py" trust "$x" "$d" "$WORK/sk$n.lab")
	echo "| $n | $d | $pdiff ($padiff) | $tp | $(echo $psk | sed 's#/# / #') | $(echo $pask | sed 's#/# / #') | $tt | $(echo $tsk | sed 's#/# / #') | $tro | $trs | $(echo "$tro $trs" | awk '{ printf "%+.4f", $1 - $2 }') |"
done
