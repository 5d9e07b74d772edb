#!/usr/bin/env bats
# emb-reduce: PCA and t-SNE, checked against scikit-learn

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	# sklearn's TSNE spins OpenMP threads; one is faster on a busy machine
	export OMP_NUM_THREADS=1
}

# n points of dimension d in c Gaussian clusters, labelled pI_gC
clusters() {
	"$PY" - "$@" <<'PYEOF'
import sys
import numpy as np
n, d, c = (int(a) for a in sys.argv[1:4])
rng = np.random.default_rng(7)
cent = rng.normal(size=(c, d)) * 3
lab = rng.integers(0, c, n)
X = (cent[lab] + rng.normal(size=(n, d))).astype(np.float32)
for i in range(n):
    print("p%d_g%d " % (i, lab[i]) + " ".join("%.9g" % v for v in X[i]))
PYEOF
}

@test "pca: the seed table on its principal axes (golden)" {
	run -0 --separate-stderr emb-reduce -m "$DATA/animals.vec" --all
	[ -z "$stderr" ]
	[ "$output" = "cat -0.6365177 -0.024510978
dog -0.72424966 0.02347962
apple 1.3607674 0.0010313569" ]
}

@test "pca: tokens on stdin (or a file) give the rows --all gives" {
	emb-reduce -m "$DATA/animals.vec" --all >all.txt
	printf 'cat\ndog apple\n' | emb-reduce -m "$DATA/animals.vec" >stdin.txt
	cmp all.txt stdin.txt
	printf 'cat dog apple\n' >w.txt
	emb-reduce -m "$DATA/animals.vec" w.txt | cmp all.txt -
	emb-lookup --all -m "$DATA/animals.vec" | emb-reduce - | cmp all.txt -
}

@test "pca: equal to scikit-learn's PCA up to sign (300 x 20, k 3)" {
	need_py sklearn
	clusters 300 20 5 >x.txt
	emb-reduce -d 3 x.txt >y.txt
	run -0 "$PY" - <<'PYEOF'
import numpy as np
from sklearn.decomposition import PCA
def load(f):
    return np.array([[float(v) for v in l.split()[1:]] for l in open(f)])
X, Y = load("x.txt"), load("y.txt")
P = PCA(n_components=3).fit_transform(X)
m = max(min(abs(P[:, j] - Y[:, j]).max(), abs(P[:, j] + Y[:, j]).max())
        for j in range(3))
print("%.3g" % m)
assert Y.shape == (300, 3) and m < 1e-4, m
PYEOF
	echo "# max |ours - sklearn| = $output" >&3
}

@test "pca: each axis has its largest component positive" {
	# the points lie along (-1, -2): the axis must come out as (1, 2)/sqrt(5)
	printf 'a -1 -2\nb 0 0\nc 1 2\nd 2 4\n' | emb-reduce -d 1 >y.txt
	run -0 awk '{ printf "%s %.4f\n", $1, $2 }' y.txt
	[ "$output" = "a -3.3541
b -1.1180
c 1.1180
d 3.3541" ]
}

@test "tsne: trustworthiness within 0.01 of scikit-learn's (300 points; exact and Barnes-Hut)" {
	need_py sklearn
	clusters 300 30 6 >x.txt
	emb-reduce --method tsne x.txt >exact.txt
	emb-reduce --method tsne --theta 0.5 x.txt >bh.txt
	run -0 "$PY" - <<'PYEOF'
import numpy as np
from sklearn.manifold import TSNE, trustworthiness
def load(f):
    return np.array([[float(v) for v in l.split()[1:]] for l in open(f)])
X = load("x.txt")
S = TSNE(n_components=2, init="pca", learning_rate="auto",
         random_state=0).fit_transform(X.astype(np.float32))
ts = trustworthiness(X, S, n_neighbors=10)
te = trustworthiness(X, load("exact.txt"), n_neighbors=10)
tb = trustworthiness(X, load("bh.txt"), n_neighbors=10)
print("sklearn %.4f exact %.4f bh %.4f" % (ts, te, tb))
assert te >= ts - 0.01 and tb >= ts - 0.01
PYEOF
	echo "# trustworthiness: $output" >&3
}

@test "tsne: deterministic, whatever the thread count; labels kept" {
	clusters_awk() {
		awk 'BEGIN { for (i = 0; i < 120; i++) { g = i % 3;
		    printf "w%d", i; for (j = 0; j < 8; j++)
		    printf " %.4f", (j == g) * 5 + sin(i * 7 + j * 3);
		    printf "\n" } }'
	}
	clusters_awk >x.txt
	emb-reduce --method tsne --perplexity 20 --iterations 300 --threads 1 x.txt >a.txt
	emb-reduce --method tsne --perplexity 20 --iterations 300 --threads 2 x.txt >b.txt
	cmp a.txt b.txt
	emb-reduce --method tsne --perplexity 20 --iterations 300 --theta 0.5 --threads 1 x.txt >c.txt
	emb-reduce --method tsne --perplexity 20 --iterations 300 --theta 0.5 --threads 2 x.txt >d.txt
	cmp c.txt d.txt
	emb-reduce --method tsne --perplexity 20 --iterations 300 --start random --seed 5 x.txt >e.txt
	emb-reduce --method tsne --perplexity 20 --iterations 300 --start random --seed 5 x.txt | cmp e.txt -
	! emb-reduce --method tsne --perplexity 20 --iterations 300 --start random --seed 6 x.txt | cmp -s e.txt -
	[ "$(cut -d ' ' -f 1 a.txt)" = "$(cut -d ' ' -f 1 x.txt)" ]
	[ "$(awk '{ print NF }' a.txt | sort -u)" = 3 ]
	# the three clusters come out apart: each point's nearest is its own
	run -0 awk '{ x[NR] = $2; y[NR] = $3; g[NR] = substr($1, 2) % 3 }
	    END { bad = 0; for (i = 1; i <= NR; i++) { b = -1;
	    for (j = 1; j <= NR; j++) if (j != i) { d = (x[i]-x[j])^2 + (y[i]-y[j])^2;
	    if (b < 0 || d < b) { b = d; k = j } } if (g[k] != g[i]) bad++ }
	    print bad }' a.txt
	[ "$output" = 0 ]
}

@test "-d and -b: a binary stream of the chosen dimension" {
	emb-reduce -b -d 1 -m "$DATA/animals.vec" --all >y.bin
	run -0 od -An -c -N 4 y.bin
	[ "$(echo $output)" = "E M B V" ]
	# 12-byte header, then per row a 4-byte length, the label, 1 float
	[ "$(wc -c <y.bin)" = $((12 + 3 * 8 + 3 + 3 + 5)) ]
	emb-reduce -b -m "$DATA/animals.vec" --all | emb-reduce -d 2 >again.txt
	[ "$(cut -d ' ' -f 1 again.txt | tr '\n' ' ')" = "cat dog apple " ]
	emb-lookup -b --all -m "$DATA/animals.vec" | emb-reduce | cmp - <(emb-reduce -m "$DATA/animals.vec" --all)
}

@test "fewer than 2 points: exit 1 with a message" {
	run -1 --separate-stderr emb-reduce <<<'a 1 2'
	[ "$stderr" = "emb-reduce: PCA needs at least 2 points, got 1" ]
	run -1 --separate-stderr emb-reduce --method tsne <<<'a 1 2'
	[ "$stderr" = "emb-reduce: t-SNE needs at least 2 points, got 1" ]
	[ -z "$output" ]
	run -1 --separate-stderr emb-reduce </dev/null
	[ "$stderr" = "emb-reduce: PCA needs at least 2 points, got 0" ]
}

@test "a perplexity too large for N: the message names the limit" {
	seq 10 | awk '{ print "w" $1, $1, $1 * $1 % 7, 3 }' >x.txt
	run -1 --separate-stderr emb-reduce --method tsne x.txt
	[ "$stderr" = "emb-reduce: perplexity 30 is too large for 10 points (it must be less than 9)" ]
	run -0 emb-reduce --method tsne --perplexity 5 --iterations 50 x.txt
	[ "${#lines[@]}" = 10 ]
}

@test "bad rows: NaN, ragged, unknown tokens (file:line)" {
	printf 'a 1 2\nb nan 3\n' >nan.txt
	run -1 --separate-stderr emb-reduce nan.txt
	[ "$stderr" = "emb-reduce: nan.txt:2: NaN or infinite value \"nan\"" ]
	run -1 --separate-stderr emb-reduce --method tsne nan.txt
	[ "$stderr" = "emb-reduce: nan.txt:2: NaN or infinite value \"nan\"" ]
	printf 'a 1 2\nb 1\n' >rag.txt
	run -1 --separate-stderr emb-reduce rag.txt
	[ "$stderr" = "emb-reduce: rag.txt:2: not a number: \"b\"" ]
	run -1 --separate-stderr emb-reduce -m "$DATA/animals.vec" <<<$'cat\ncat zebra'
	[ "$stderr" = 'emb-reduce: <stdin>:2: unknown token "zebra"' ]
	run -1 --separate-stderr emb-reduce -d 6 -m "$DATA/animals.vec" --all
	[ "$stderr" = "emb-reduce: cannot keep 6 components of 5-dimensional vectors" ]
	run -1 --separate-stderr emb-reduce --method tsne --theta 0.5 -d 4 -m "$DATA/animals.vec" --all --perplexity 1
	[[ "$stderr" == "emb-reduce: Barnes-Hut t-SNE works in at most 3 dimensions"* ]]
}

@test "usage errors exit 2" {
	run -2 --separate-stderr emb-reduce --method umap
	[ -z "$output" ]
	[[ "$stderr" == *'emb-reduce: --method: "umap" is not one of pca, tsne'* ]]
	[[ "$stderr" == *"usage: emb-reduce"* ]]
	run -2 --separate-stderr emb-reduce -d 0
	[[ "$stderr" == *"usage: emb-reduce"* ]]
	run -2 --separate-stderr emb-reduce --perplexity x
	run -2 --separate-stderr emb-reduce --all
	[[ "$stderr" == "emb-reduce: conflicting options"* ]]
	run -2 --separate-stderr emb-reduce a b
	[[ "$stderr" == "emb-reduce: at most one file"* ]]
	run -2 --separate-stderr emb-reduce --bogus
	[[ "$stderr" == *"unrecognized option '--bogus'"* ]]
	run -1 --separate-stderr emb-reduce no-such.txt
	[ "$stderr" = "emb-reduce: no-such.txt: No such file or directory" ]
}

@test "/dev/full: exit 1; a closed pipe: quiet 0" {
	run -1 --separate-stderr bash -c "emb-reduce -m '$DATA/animals.vec' --all >/dev/full"
	[ "$stderr" = "emb-reduce: <stdout>: No space left on device" ]
	awk 'BEGIN { for (i = 0; i < 6000; i++) printf "w%d %d %d %d\n", i, i % 7, i % 11, i % 13 }' >big.txt
	[ "$(emb-reduce big.txt | wc -c)" -gt 70000 ]
	run -0 --separate-stderr closed_pipe "emb-reduce big.txt"
	[ -z "$stderr" ]
}
