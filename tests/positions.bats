#!/usr/bin/env bats
# emb-lookup --positions, --scale, --offset: H0 = scale * E[X] + P,
# every value compared with numpy; binary streams with sequences

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# a random V x d table as exact float32 text (numpy writes it), and
# a safetensors file holding it as wte.weight next to a T x d wpe.weight
mktables() {
	"$PY" - "$@" <<'PY'
import json, struct, sys
import numpy as np
V, d, T = map(int, sys.argv[1:4])
rng = np.random.default_rng(7)
E = rng.standard_normal((V, d)).astype("<f4")
P = (0.1 * rng.standard_normal((T, d))).astype("<f4")
np.save("E.npy", E)
np.save("P.npy", P)
with open("E.vec", "w") as f:
    f.write("%d %d\n" % (V, d))
    for i, r in enumerate(E):
        f.write("w%d %s\n" % (i, " ".join("%.9g" % x for x in r)))
def safetensors(path, tensors):
    h, off, blobs = {}, 0, []
    for name, a in tensors:
        b = a.tobytes()
        h[name] = {"dtype": "F32", "shape": list(a.shape),
                   "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    j = json.dumps(h).encode()
    j += b" " * (-len(j) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(j)) + j + b"".join(blobs))
safetensors("gpt.safetensors", [("wte.weight", E), ("wpe.weight", P)])
safetensors("wpe.safetensors", [("wpe.weight", P)])
PY
}

# compare emb-lookup's text output (out.txt) with numpy's H0 for the ID
# lines of ids.txt: check.py SCALE POSITIONS OFFSET
cat_check() {
	cat >check.py <<'PY'
import sys
import numpy as np
scale, pos, offset = sys.argv[1], sys.argv[2], int(sys.argv[3])
E = np.load("E.npy").astype(np.float64)
d = E.shape[1]
s = np.sqrt(d) if scale == "sqrt" else float(scale)
def sinusoidal(T, d):
    p = np.arange(T)[:, None].astype(np.float64)
    i = np.arange(d)[None, :]
    angle = p / np.power(10000.0, (2 * (i // 2)) / d)
    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))
want = []
for line in open("ids.txt"):
    X = [int(x) for x in line.split()]
    if not X:
        continue
    n = offset + len(X)
    P = sinusoidal(n, d) if pos == "sinusoidal" else \
        np.load("P.npy").astype(np.float64)[:n] if pos == "table" else \
        np.zeros((n, d))
    want.append(s * E[X] + P[offset:])
want = np.vstack(want)
got = np.loadtxt("out.txt", ndmin=2)
assert got.shape == want.shape, (got.shape, want.shape)
err = np.abs(got - want) / np.maximum(1, np.abs(want))
assert err.max() <= 1e-6, err.max()
print(got.shape[0], got.shape[1], "%.2g" % err.max())
PY
}

@test "sinusoidal positions equal numpy's, d even and odd, several lines" {
	for d in 8 7; do
		mktables 50 $d 16
		cat_check
		printf '3 1 4 1 5 9 2 6\n\n0\n49 48 47 46 45 44 43 42 41 40 39 38\n' >ids.txt
		emb-lookup --ids -m E.vec --positions sinusoidal <ids.txt >out.txt
		run -0 "$PY" check.py 1 sinusoidal 0
		[[ "$output" == "21 $d "* ]]
	done
}

@test "--scale sqrt, --scale S and --offset equal numpy's" {
	mktables 50 6 16
	cat_check
	printf '3 1 4 1 5\n7 7\n' >ids.txt
	emb-lookup --ids -m E.vec --positions sinusoidal --scale sqrt <ids.txt >out.txt
	run -0 "$PY" check.py sqrt sinusoidal 0
	emb-lookup --ids -m E.vec --positions sinusoidal --scale -0.5 --offset 1000 <ids.txt >out.txt
	run -0 "$PY" check.py -0.5 sinusoidal 1000
	# --scale alone multiplies the rows and adds nothing
	emb-lookup --ids -m E.vec --scale 3 <ids.txt >out.txt
	run -0 "$PY" check.py 3 none 0
}

@test "a learned table of positions: FILE:TENSOR and a single-tensor file" {
	mktables 40 5 12
	cat_check
	printf '0 1 2 3 4 5 6 7 8 9 10 11\n39\n' >ids.txt
	emb-lookup --ids -m E.vec --positions gpt.safetensors:wpe.weight <ids.txt >out.txt
	run -0 "$PY" check.py 1 table 0
	[[ "$output" == "13 5 "* ]]
	emb-lookup --ids -m E.vec --positions wpe.safetensors --offset 2 <<<"5 6 7" >out.txt
	printf '5 6 7\n' >ids.txt
	run -0 "$PY" check.py 1 table 2
	# the table as .npy works the same
	emb-lookup --ids -m E.vec --positions P.npy --scale 2 <ids.txt >out.txt
	run -0 "$PY" check.py 2 table 0
}

@test "a line longer than the table of positions is an error naming the line" {
	mktables 40 5 4
	printf '1 2 3 4\n1 2 3 4 5\n6\n' >ids.txt
	run -1 --separate-stderr emb-lookup --ids -m E.vec --positions wpe.safetensors ids.txt
	[ "$stderr" = "emb-lookup: ids.txt:2: sequence of 5 tokens, but wpe.safetensors has 4 positions" ]
	[ "${#lines[@]}" -eq 4 ]
	run -1 --separate-stderr emb-lookup --ids -m E.vec --positions gpt.safetensors:wpe.weight --offset 1 ids.txt
	[ "$stderr" = "emb-lookup: ids.txt:1: sequence of 4 tokens from position 1, but gpt.safetensors has 4 positions" ]
	[ -z "$output" ]
	# binary output: the line's count is not written either
	run -1 --separate-stderr bash -c 'set -o pipefail; emb-lookup -b --ids -m E.vec --positions wpe.safetensors ids.txt | wc -c'
	[ "$output" -eq $((12 + 4 + 4 * 5 * 4)) ]
}

@test "a table of positions that does not fit the model is refused" {
	mktables 40 5 4
	"$PY" -c 'import numpy as np; np.save("p3.npy", np.zeros((8, 3), "<f4"))'
	run -1 --separate-stderr emb-lookup --ids -m E.vec --positions p3.npy <<<"1"
	[ "$stderr" = "emb-lookup: p3.npy: the position table has 3 dimensions, the model 5" ]
	run -1 --separate-stderr emb-lookup --ids -m E.vec --positions gpt.safetensors <<<"1"
	[[ "$stderr" == "emb-lookup: gpt.safetensors: "* ]]
	run -1 --separate-stderr emb-lookup --ids -m E.vec --positions gpt.safetensors:nope <<<"1"
	[[ "$stderr" == "emb-lookup: gpt.safetensors: "*nope* ]]
	run -1 --separate-stderr emb-lookup --ids -m E.vec --positions missing.npy <<<"1"
	[ "$stderr" = "emb-lookup: missing.npy: No such file or directory" ]
}

@test "usage errors: --offset alone, positions with --all or --print" {
	run -2 --separate-stderr emb-lookup --ids -m "$DATA/e4x2.vec" --offset 3 <<<"1"
	[[ "$stderr" == "emb-lookup: --offset needs --positions"* ]]
	run -2 --separate-stderr emb-lookup -m "$DATA/e4x2.vec" --all --positions sinusoidal
	[[ "$stderr" == "emb-lookup: conflicting options"* ]]
	run -2 --separate-stderr emb-lookup -m "$DATA/e4x2.vec" --print ids --scale 2 <<<"t1"
	[[ "$stderr" == "emb-lookup: conflicting options"* ]]
	run -2 --separate-stderr emb-lookup -m "$DATA/e4x2.vec" --scale x <<<"t1"
	[[ "$stderr" == 'emb-lookup: --scale: "x" is '* ]]
	run -2 --separate-stderr emb-lookup -m "$DATA/e4x2.vec" --offset -1 --positions sinusoidal <<<"t1"
	[[ "$stderr" == 'emb-lookup: --offset: "-1" is '* ]]
}

# the reader emb-formats(5) gives for binary vector streams
formats_reader() {
	awk '
	/^Read a binary vector stream in Python/ { want = 1 }
	want && /^\.Bd -literal/ { on = 1; next }
	on && /^\.Ed/ { exit }
	on { gsub(/\\e/, "\\"); gsub(/\\&/, ""); print }' "$TOP/man/emb-formats.5" >reader.py
	grep -q '^def read_embv' reader.py
}

@test "-b: the sequences rebuild each line's T x d matrix (the emb-formats(5) reader)" {
	mktables 30 4 8
	formats_reader
	printf '1 2 3\n\n4 5 6 7 8\n9\n' >ids.txt
	emb-lookup -b --label --ids -m E.vec --positions wpe.safetensors --scale sqrt <ids.txt >h0.bin
	cat >check.py <<'PY'
import numpy as np
exec(open("reader.py").read())
E, P = np.load("E.npy").astype(np.float64), np.load("P.npy").astype(np.float64)
lines = [[int(x) for x in l.split()] for l in open("ids.txt")]
assert [len(X) for _, X in seqs] == [len(l) for l in lines], [X.shape for _, X in seqs]
for (labels, H), X in zip(seqs, lines):
    assert labels == [b"w%d" % i for i in X], labels
    want = 2 * E[X] + P[:len(X)]
    assert H.shape == (len(X), 4)
    assert np.all(np.abs(H - want) <= 1e-6), np.abs(H - want).max()
print(len(seqs))
PY
	run -0 --separate-stderr "$PY" check.py
	[ "$output" = 4 ]
	# without sequences (--all) each row reads as its own
	emb-lookup -b --all -m "$DATA/e4x2.vec" >h0.bin
	"$PY" -c 'exec(open("reader.py").read()); assert [X.tolist() for _, X in seqs] == [[[0, 1]], [[2, 0]], [[-1, 3]], [[4, -2]]]'
}

@test "every reader of binary streams takes sequences: emb-nn, emb-sim, emb-reduce" {
	printf 'dog apple\n\ncat\n' >w.txt
	emb-lookup -b --label -m "$DATA/animals.vec" w.txt >s.bin
	emb-lookup --label -m "$DATA/animals.vec" w.txt >s.txt
	run -0 bash -c "emb-nn -m '$DATA/animals.vec' -k 2 <s.bin"
	[ "$output" = "$(emb-nn -m "$DATA/animals.vec" -k 2 <s.txt)" ]
	[ "${#lines[@]}" -eq 6 ]
	run -0 emb-sim --vectors --matrix s.bin
	[ "$output" = "$(emb-sim --vectors --matrix s.txt)" ]
	run -0 emb-reduce --method pca -d 2 s.bin
	[ "$output" = "$(emb-reduce --method pca -d 2 s.txt)" ]
}

@test "a binary stream truncated inside a sequence is an error" {
	emb-lookup -b --ids -m "$DATA/e4x2.vec" <<<"1 2 3" >s.bin
	head -c $((12 + 4 + 2 * 8)) s.bin >t.bin
	run -1 --separate-stderr emb-nn -m "$DATA/e4x2.vec" <t.bin
	[ "$stderr" = "emb-nn: <stdin>: unexpected end of file after row 2" ]
	{ cat s.bin; printf '\001\000'; } >u.bin
	run -1 --separate-stderr emb-sim --vectors --matrix u.bin
	[ "$stderr" = "emb-sim: u.bin: unexpected end of file in the row count of sequence 2" ]
}
