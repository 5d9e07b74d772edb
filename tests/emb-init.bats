#!/usr/bin/env bats
# emb-init: random tables, vocabularies, imports and conversions

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# a native model read with nothing but json and numpy: prints nothing,
# defines load(path) -> (E as float32, tokens, counts) for the snippets
st_py() {
	cat <<'PY'
import json, sys
import numpy as np
def load(path):
    data = open(path, "rb").read()
    n = int.from_bytes(data[:8], "little")
    h = json.loads(data[8:8 + n])
    types = {"F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "I32": "<i4", "U8": "u1"}
    t = {}
    for k, v in h.items():
        if k == "__metadata__":
            continue
        a, b = (8 + n + x for x in v["data_offsets"])
        x = np.frombuffer(data[a:b], types[v["dtype"]])
        if v["dtype"] == "BF16":
            x = (x.astype("<u4") << 16).view("<f4")
        t[k] = x.reshape(v["shape"])
    toks = bytes(t["vocab"]).split(b"\n")[:-1] if "vocab" in t else None
    return t["embeddings"].astype(np.float32), toks, t.get("counts")
PY
}

@test "the same seed gives the same file, byte for byte" {
	emb-init -V 5 -d 3 --seed 1 -o a.safetensors
	emb-init -V 5 -d 3 --seed 1 -o b.safetensors
	cmp a.safetensors b.safetensors
	emb-init -V 5 -d 3 --seed 2 -o c.safetensors
	! cmp -s a.safetensors c.safetensors
	# the default seed is 1
	emb-init -V 5 -d 3 -o d.safetensors
	cmp a.safetensors d.safetensors
}

@test "row i depends only on the seed and i, not on the number of rows" {
	run -0 emb-init -V 5 -d 4 -O glove
	five=$output
	run -0 emb-init -V 9 -d 4 -O glove
	[ "$(head -n 5 <<<"$output")" = "$five" ]
}

@test "normal rows have mean 0 and std 1 (--std scales them)" {
	run -0 bash -c 'emb-init -V 2000 -d 50 -O glove | awk "{ for (i = 2; i <= NF; i++) { s += \$i; q += \$i * \$i; n++ } } END { m = s / n; printf \"%.2f %.2f\\n\", m, sqrt(q / n - m * m) }"'
	[ "$output" = "0.00 1.00" ] || [ "$output" = "-0.00 1.00" ]
	run -0 bash -c 'emb-init -V 2000 -d 50 --std 0.1 -O glove | awk "{ for (i = 2; i <= NF; i++) { q += \$i * \$i; n++ } } END { printf \"%.3f\\n\", sqrt(q / n) }"'
	[ "$output" = "0.100" ]
}

@test "uniform stays inside 0.5/d or --range, xavier inside sqrt(6/(V+d)), zeros is zeros" {
	run -0 bash -c 'emb-init -V 300 -d 10 --initializer uniform -O glove | awk "{ for (i = 2; i <= NF; i++) { x = \$i < 0 ? -\$i : \$i; if (x > m) m = x } } END { print (m <= 0.05 && m > 0.049) }"'
	[ "$output" = 1 ]
	run -0 bash -c 'emb-init -V 300 -d 10 --initializer uniform --range 2 -O glove | awk "{ for (i = 2; i <= NF; i++) { x = \$i < 0 ? -\$i : \$i; if (x > m) m = x } } END { print (m <= 2 && m > 1.98) }"'
	[ "$output" = 1 ]
	# a = sqrt(6 / (590 + 10)) = 0.1
	run -0 bash -c 'emb-init -V 590 -d 10 --initializer xavier -O glove | awk "{ for (i = 2; i <= NF; i++) { x = \$i < 0 ? -\$i : \$i; if (x > m) m = x } } END { print (m <= 0.1 && m > 0.099) }"'
	[ "$output" = 1 ]
	# rows without tokens: GloVe text of numbers only
	run -0 emb-init -V 2 -d 3 --initializer zeros -O glove
	[ "$output" = "$(printf '0 0 0\n0 0 0')" ]
}

@test "--vocab: a random row per token, counts kept" {
	need_py numpy
	printf 'the 10\ncat 5\ndog 3\n' >v.txt
	emb-init --vocab v.txt -d 2 -o m.safetensors
	run -0 "$PY" -c "$(st_py)
E, toks, counts = load('m.safetensors')
print(E.shape, toks, list(counts))"
	[ "$output" = "(3, 2) [b'the', b'cat', b'dog'] [10, 5, 3]" ]
	# the rows are those of -V with the same seed
	run -0 emb-lookup --all -m m.safetensors
	[ "$(cut -d' ' -f2- <<<"$output")" = "$(emb-init -V 3 -d 2 -O glove)" ]
}

@test "--count: frequency order, ties by first appearance, --min-count, --max-vocab" {
	printf 'b a b c\nb a d\n' >corpus.txt
	run -0 emb-init --count --min-count 1 -d 2 --initializer zeros -O glove corpus.txt
	[ "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" = "b a c d " ]
	run -0 emb-init --count --min-count 2 -d 2 --initializer zeros -O glove - <corpus.txt
	[ "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" = "b a " ]
	run -0 emb-init --count --min-count 1 --max-vocab 3 -d 2 --initializer zeros -O glove <corpus.txt
	[ "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" = "b a c " ]
	gzip -c corpus.txt >corpus.gz
	run -0 emb-init --count --min-count 1 -d 2 --initializer zeros -O glove corpus.gz
	[ "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" = "b a c d " ]
	run -1 --separate-stderr emb-init --count -d 2 corpus.txt
	[ "$stderr" = "emb-init: corpus: no token occurs --min-count=5 times" ]
	run -1 --separate-stderr emb-init --count -d 2 </dev/null
	[ "$stderr" = "emb-init: corpus: no tokens" ]
}

@test "round trips through every format keep every bit" {
	seq 0 39 | sed 's/^/w/' >words.txt
	emb-init --vocab words.txt -d 7 --seed 3 -O glove -o ref.glove
	emb-init --from ref.glove -o m.safetensors
	emb-lookup --all -m m.safetensors >ref.txt
	local f prev=m.safetensors
	for f in a.bin b.txt c.vec d.glove e.csv f.safetensors; do
		emb-init --from "$prev" -o "$f"
		run -0 emb-lookup --all -m "$f"
		[ "$output" = "$(cat ref.txt)" ] || { echo "$prev -> $f differs"; false; }
		prev=$f
	done
	# npy holds no tokens: the rows come back labelled by --vocab
	emb-init --from m.safetensors -o g.npy
	cut -d' ' -f1 ref.glove >tokens.txt
	emb-init --from g.npy --vocab tokens.txt -o g.safetensors
	run -0 emb-lookup --all -m g.safetensors
	[ "$output" = "$(cat ref.txt)" ]
	# text re-exported from a round trip is the same file
	emb-init --from f.safetensors -O glove -o again.glove
	cmp ref.glove again.glove
	emb-init --from a.bin -o again.bin
	cmp a.bin again.bin
}

@test "f16 and bf16 models round to nearest even" {
	printf 'a 1 0.1 -2.5 65504 1e-8\n' >x.glove
	emb-init --from x.glove --dtype f16 -o h.safetensors
	run -0 emb-lookup --all -m h.safetensors
	[ "$output" = "a 1 0.099975586 -2.5 65504 0" ]
	emb-init --from x.glove --dtype bf16 -o b.safetensors
	run -0 emb-lookup --all -m b.safetensors
	[ "$output" = "a 1 0.100097656 -2.5 65536 1.0011718e-08" ]
}

@test "word2vec binary with and without the newline after each row" {
	emb-init --from "$DATA/cos3.txt" -o nl.bin
	emb-init --from "$DATA/cos3.txt" -O word2vec-bin --no-newline -o bare.bin
	[ "$(wc -c <bare.bin)" -eq $(($(wc -c <nl.bin) - 2)) ]
	for f in nl.bin bare.bin; do
		run -0 emb-init --from "$f" -O glove
		[ "$output" = "$(cat "$DATA/cos3.txt")" ]
	done
}

@test "text input: CRLF, trailing blanks, tabs, tokens with spaces, gzip, stdin" {
	printf '2 3\r\na\t2 0 1 \r\nb 1  1 0\r\n' >crlf.txt
	run -0 emb-init --from crlf.txt -O glove
	[ "$output" = "$(printf 'a 2 0 1\nb 1 1 0')" ]
	printf '. . . 1 2\nnew york 3 4\n' >sp.txt
	run -0 emb-init --from sp.txt -O word2vec-text
	[ "$output" = "$(printf '2 2\n. . . 1 2\nnew york 3 4')" ]
	gzip -c sp.txt >sp.gz
	run -0 emb-init --from sp.gz -O glove
	[ "$output" = "$(cat sp.txt)" ]
	run -0 emb-init --from - -O glove <sp.gz
	[ "$output" = "$(cat sp.txt)" ]
	# the last line may lack its newline
	printf 'a 1 2\nb 3 4' | emb-init --from - -O csv >x.csv
	[ "$(cat x.csv)" = "$(printf 'a,1,2\nb,3,4')" ]
}

@test "CSV: quoting round-trips, --header skips a header row" {
	printf '"a,b",1,2\n"say ""hi""",3,4\n" pad",5,6\n' >q.csv
	emb-init --from q.csv -o r.csv
	cmp q.csv r.csv
	printf 'token,x,y\nt,1,2\n' >h.csv
	run -0 emb-init --from h.csv --header -O glove
	[ "$output" = "t 1 2" ]
	run -1 --separate-stderr emb-init --from h.csv -O glove
	[ "$stderr" = "emb-init: h.csv:1: field 2: not a number: \"x\" (a header row? emb-init --header skips it)" ]
}

@test "--format forces the input format; detection does not use the name" {
	emb-init --from "$DATA/e5x3.vec" -o model.csv.txt -O csv
	run -0 emb-init --from model.csv.txt -O glove
	[ "$(head -n 1 <<<"$output")" = "t0 1 0 2" ]
	run -0 emb-init --from model.csv.txt --format csv -O glove
	[ "$(head -n 1 <<<"$output")" = "t0 1 0 2" ]
	run -1 --separate-stderr emb-init --from model.csv.txt --format word2vec-text -O glove
	[ "$stderr" = "emb-init: model.csv.txt:1: expected a \"V d\" header line" ]
}

@test "--limit reads the first rows only" {
	run -0 emb-init --from "$DATA/e5x3.vec" --limit 2 -O glove
	[ "$output" = "$(printf 't0 1 0 2\nt1 0 1 0')" ]
	emb-init --from "$DATA/e5x3.vec" -o e.bin
	run -0 emb-init --from e.bin --limit 3 -O glove
	[ "$(wc -l <<<"$output")" -eq 3 ]
}

@test "--vocab with --from: pretrained rows in the vocab's order, random rows for the rest" {
	printf 't3\nnew\nt0\n' >v.txt
	run -0 --separate-stderr emb-init --from "$DATA/e5x3.vec" --vocab v.txt -v -O glove
	[ "$(sed -n 1p <<<"$output")" = "t3 2 2 2" ]
	[ "$(sed -n 3p <<<"$output")" = "t0 1 0 2" ]
	# the missing token's row is row 1 of a random table of the same seed
	[ "$(sed -n 2p <<<"$output" | cut -d' ' -f2-)" = "$(emb-init -V 2 -d 3 -O glove | sed -n 2p)" ]
	[[ $stderr == *"emb-init: 1 of 3 tokens not in $DATA/e5x3.vec, initialised randomly"* ]]
}

@test "--normalize writes unit rows, zero rows stay zero" {
	printf 'a 3 4\nz 0 0\n' >n.glove
	run -0 emb-init --from n.glove --normalize -O glove
	[ "$output" = "$(printf 'a 0.6 0.8\nz 0 0')" ]
}

@test "safetensors: --tensor picks a bare matrix, vocab.json names its rows (F16, BF16)" {
	need_py numpy
	"$PY" - <<'PY'
import json, numpy as np
E = np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float32)
def write(path, tensors):
    h, off, blobs = {}, 0, []
    for name, (dt, a) in tensors.items():
        b = a.tobytes()
        h[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        off += len(b); blobs.append(b)
    j = json.dumps(h).encode()
    open(path, "wb").write(len(j).to_bytes(8, "little") + j + b"".join(blobs))
bf = (E.view(np.uint32) >> 16).astype(np.uint16)
write("gpt.safetensors", {"wpe.weight": ("F32", np.zeros((4, 2), np.float32)),
                          "wte.weight": ("F16", E.astype(np.float16)),
                          "bf": ("BF16", bf)})
json.dump({"hello": 0, "\u0120world": 1, "!": 2}, open("vocab.json", "w"))
PY
	run -0 emb-init --from gpt.safetensors --tensor wte.weight --vocab vocab.json -O glove
	[ "$output" = "$(printf 'hello 1 2\n\xc4\xa0world 3 4\n! 5 6')" ]
	run -0 emb-init --from gpt.safetensors --tensor bf -O glove
	[ "$output" = "$(printf '1 2\n3 4\n5 6')" ]
	# from stdin and compressed, read into memory
	run -0 emb-init --from - --tensor bf -O glove <gpt.safetensors
	[ "$output" = "$(printf '1 2\n3 4\n5 6')" ]
	gzip -c gpt.safetensors >gpt.gz
	run -0 emb-init --from gpt.gz --tensor bf -O glove
	[ "$output" = "$(printf '1 2\n3 4\n5 6')" ]
	run -1 --separate-stderr emb-init --from gpt.safetensors --tensor wpe.weight --vocab vocab.json -O glove
	[ "$stderr" = "emb-init: vocab.json: the vocabulary has 3 tokens, the table has 4 rows" ]
}

@test "npy written by numpy: <f8, <f2, Fortran order, version 2.0" {
	need_py numpy
	"$PY" - <<'PY'
import numpy as np
E = np.array([[1.5, -2], [0.25, 8], [3, 4]])
np.save("f8.npy", E)
np.save("f2.npy", E.astype(np.float16))
np.save("fo.npy", np.asfortranarray(E.astype(np.float32)))
np.lib.format.write_array(open("v2.npy", "wb"), E.astype(np.float32), version=(2, 0))
PY
	for f in f8 f2 fo v2; do
		run -0 emb-init --from $f.npy -O glove
		[ "$output" = "$(printf '1.5 -2\n0.25 8\n3 4')" ] || { echo "$f: $output"; false; }
	done
	# and numpy reads what we write
	emb-init --from "$DATA/e5x3.vec" -o m.npy
	run -0 "$PY" -c 'import numpy as np; a = np.load("m.npy"); print(a.dtype, a.shape, a[2].tolist())'
	[ "$output" = "float32 (5, 3) [-1.0, 1.0, 1.0]" ]
}

@test "the native model reads with json and numpy alone" {
	need_py numpy
	printf 'a\nb\nc\nd\n' >r.txt
	emb-init --vocab r.txt -d 3 --seed 5 -O glove -o r.glove
	emb-init --from r.glove -o r.safetensors
	run -0 "$PY" -c "$(st_py)
E, toks, counts = load('r.safetensors')
ref = [l.split() for l in open('r.glove')]
assert [t.decode() for t in toks] == [r[0] for r in ref]
assert np.array_equal(E, np.array([[np.float32(x) for x in r[1:]] for r in ref], dtype=np.float32))
print('ok', E.shape)"
	[ "$output" = "ok (4, 3)" ]
}

@test "gensim loads our word2vec binary and text with the same values" {
	need_py gensim
	emb-init -V 30 -d 6 --seed 9 -O glove -o r.glove
	sed 's/^/w/' r.glove >w.glove
	emb-init --from w.glove -o m.safetensors
	emb-init --from m.safetensors -o m.bin
	emb-init --from m.safetensors -O word2vec-bin --no-newline -o m2.bin
	emb-init --from m.safetensors -o m.txt
	run -0 "$PY" -c "$(st_py)
from gensim.models import KeyedVectors
E, toks, _ = load('m.safetensors')
for f, b in (('m.bin', True), ('m2.bin', True), ('m.txt', False)):
    kv = KeyedVectors.load_word2vec_format(f, binary=b)
    assert kv.index_to_key == [t.decode() for t in toks], f
    assert np.array_equal(kv.vectors.view(np.uint32), E.view(np.uint32)), f
print('identical')"
	[ "$output" = "identical" ]
}

@test "GloVe to word2vec-bin: gensim reads identical values" {
	need_py gensim
	printf 'the 0.418 0.24968 -0.41242\n, 0.013441 0.23682 -0.16899\n' >glove.txt
	# an output operand is -o
	emb-init --from glove.txt -O word2vec-bin out.bin
	run -0 "$PY" -c '
import numpy as np
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format("out.bin", binary=True)
ref = [l.split(" ") for l in open("glove.txt")]
assert kv.index_to_key == [r[0] for r in ref]
assert np.array_equal(kv.vectors, np.array([[np.float32(x) for x in r[1:]] for r in ref], dtype=np.float32))
print("identical")'
	[ "$output" = "identical" ]
}

@test "files written by gensim read with the same values" {
	need_py gensim
	"$PY" - <<'PY'
import numpy as np
from gensim.models import KeyedVectors
rng = np.random.default_rng(4)
kv = KeyedVectors(vector_size=5)
kv.add_vectors(["w%d" % i for i in range(20)], rng.standard_normal((20, 5)).astype(np.float32))
kv.save_word2vec_format("g.bin", binary=True)
kv.save_word2vec_format("g.txt", binary=False)
kv.save_word2vec_format("g.glove", binary=False, write_header=False)
with open("ref.txt", "w") as f:
    for k in kv.index_to_key:
        f.write(k + " " + " ".join(repr(float(x)) for x in kv[k]) + "\n")
PY
	for f in g.bin g.txt g.glove; do
		emb-init --from $f -o $f.safetensors
	done
	run -0 "$PY" -c "$(st_py)
ref = [l.split() for l in open('ref.txt')]
R = np.array([[float(x) for x in r[1:]] for r in ref], dtype=np.float32)
for f in ('g.bin', 'g.txt', 'g.glove'):
    E, toks, _ = load(f + '.safetensors')
    assert [t.decode() for t in toks] == [r[0] for r in ref], f
    assert np.array_equal(E, R), f
print('identical')"
	[ "$output" = "identical" ]
}

@test "bad text input: file:line, status 1, no output file left" {
	local f
	printf '2 3\na 1 2 3\nb 1 x 3\n' >num.txt
	printf '2 3\na 1 2 3\nb 1 2\n' >few.txt
	printf '2 3\na 1 2 3\nb 1 2 nan\n' >nan.txt
	printf '2 3\na 1 2 3\na 4 5 6\n' >dup.txt
	printf '3 3\na 1 2 3\nb 1 2 3\n' >count.txt
	printf '1 3\na 1 2 3\nb 1 2 3\n' >more.txt
	printf 'a 1 2\n\nb 3 4\n' >blank.glove
	printf 'a 1 2\nb 3 inf\n' >inf.glove
	printf '1 2\na 1 2 3\n' >wide.txt
	for f in num few nan dup count more wide; do
		run -1 --separate-stderr emb-init --from $f.txt -o out.safetensors
		[ ! -e out.safetensors ]
		[ -z "$output" ]
		case $f in
		num) [ "$stderr" = 'emb-init: num.txt:3: not a number: "x"' ] ;;
		few) [ "$stderr" = "emb-init: few.txt:3: expected a token and 3 numbers, found 3 fields" ] ;;
		nan) [ "$stderr" = 'emb-init: nan.txt:3: NaN or infinite value "nan"' ] ;;
		dup) [ "$stderr" = 'emb-init: dup.txt:3: duplicate token "a" (first on line 2)' ] ;;
		count) [ "$stderr" = "emb-init: count.txt:1: the header says 3 rows, the file has 2" ] ;;
		more) [ "$stderr" = "emb-init: more.txt:3: more rows than the header's 1" ] ;;
		wide) [ "$stderr" = "emb-init: wide.txt:2: 3 numbers, the header says 2" ] ;;
		esac
	done
	run -1 --separate-stderr emb-init --from blank.glove -o out.safetensors
	[ "$stderr" = "emb-init: blank.glove:2: empty line" ]
	run -1 --separate-stderr emb-init --from inf.glove -o out.safetensors
	[ "$stderr" = 'emb-init: inf.glove:2: NaN or infinite value "inf"' ]
	[ ! -e out.safetensors ]
	ls -A | grep -q '^\.out' && false || true
}

@test "word2vec binary: a token longer than the read window, with and without row newlines, in a 20 MB file" {
	# rows are parsed in the read buffer, a window at a time: a 70,000-byte
	# token (the window starts at 4d + 256 bytes) and a file past the 8 MB
	# from which the buffer takes 2 MiB pages
	long=$(head -c 70000 /dev/zero | tr '\0' x)
	{ printf '3 2\n%s ' "$long"; printf '\0\0\200\077\0\0\0\100\n'
	  printf 'b \0\0\100\100\0\0\200\100'
	  printf 'c \0\0\240\100\0\0\300\100\n\n'; } >long.bin
	emb-init --from long.bin --format word2vec-bin -O word2vec-text -o long.txt
	[ "$(cut -c1-3 long.txt | sed -n 2p)" = xxx ]
	[ "$(sed -n 2p long.txt | wc -c)" -eq $((70000 + 5)) ]
	[ "$(sed -n '3,4p' long.txt)" = "$(printf 'b 3 4\nc 5 6')" ]
	emb-init -V 17000 -d 300 --seed 3 -O word2vec-bin -o big.bin
	[ "$(wc -c <big.bin)" -gt 20000000 ]
	emb-init --from big.bin -O word2vec-text -o a.txt
	emb-init -V 17000 -d 300 --seed 3 -O word2vec-text -o b.txt
	cmp a.txt b.txt
}

@test "bad binary, npy, CSV and safetensors input: status 1 with the place named" {
	need_py numpy
	emb-init --from "$DATA/e5x3.vec" -o e.bin
	head -c 40 e.bin >cut.bin
	run -1 --separate-stderr emb-init --from cut.bin -o out.safetensors
	[ "$stderr" = "emb-init: cut.bin: unexpected end of file after row 2 (the header says 5 rows)" ]
	[ ! -e out.safetensors ]
	printf '2 2\na \0\0\0\0\0\0\200\177\n' >nan.bin
	run -1 --separate-stderr emb-init --from nan.bin --format word2vec-bin -O glove
	[ "$stderr" = 'emb-init: nan.bin: row 1 ("a"): NaN or infinite value' ]
	"$PY" -c 'import numpy as np; np.save("i.npy", np.zeros((2, 2), np.int32)); np.save("one.npy", np.zeros(3, np.float32)); np.save("ok.npy", np.ones((4, 2), np.float32))'
	run -1 --separate-stderr emb-init --from i.npy -O glove
	[ "$stderr" = "emb-init: i.npy: unsupported .npy dtype \"<i4\" (float16, float32 or float64 only)" ]
	run -1 --separate-stderr emb-init --from one.npy -O glove
	[ "$stderr" = "emb-init: one.npy: a 1-dimensional array; need a 2-D matrix" ]
	head -c 150 ok.npy >cut.npy
	run -1 --separate-stderr emb-init --from cut.npy -o out.npy
	[ "$stderr" = "emb-init: cut.npy: unexpected end of file after row 2 (the shape says 4)" ]
	[ ! -e out.npy ]
	printf 'a,1,2\nb,3\n' >few.csv
	run -1 --separate-stderr emb-init --from few.csv -O glove
	[ "$stderr" = "emb-init: few.csv:2: expected a token and 2 numbers, found 2 fields" ]
	printf 'a,1,2\n"b\nc",3,4\n' >nl.csv
	run -1 --separate-stderr emb-init --from nl.csv -O glove
	[ "$stderr" = "emb-init: nl.csv:3: a token holds a line break" ]
	printf 'a,1,2\n"b,3,4\n' >open.csv
	run -1 --separate-stderr emb-init --from open.csv -O glove
	[ "$stderr" = "emb-init: open.csv:2: end of file inside a quoted field" ]
	printf '\100\0\0\0\0\0\0\0{"x": 1}' >bad.safetensors
	run -1 --separate-stderr emb-init --from bad.safetensors -O glove
	[[ $stderr == "emb-init: bad.safetensors: "* ]]
	"$PY" -c '
import json, numpy as np
E = np.array([[1, np.nan], [2, 3]], np.float32).tobytes()
h = json.dumps({"embeddings": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}).encode()
open("nan.safetensors", "wb").write(len(h).to_bytes(8, "little") + h + E)'
	run -1 --separate-stderr emb-init --from nan.safetensors -O glove
	[ "$stderr" = "emb-init: nan.safetensors: row 1: NaN or infinite value" ]
	printf 'hello world\n' >what.txt
	run -1 --separate-stderr emb-init --from what.txt -O glove
	[ "$stderr" = "emb-init: what.txt: unknown format (use --format)" ]
	run -1 --separate-stderr emb-init --from nosuch.txt -O glove
	[ "$stderr" = "emb-init: nosuch.txt: No such file or directory" ]
}

@test "tokens a format cannot hold are refused, nothing is written" {
	printf 'new york 1 2\n' >sp.glove
	run -1 --separate-stderr emb-init --from sp.glove -o out.bin
	[ "$stderr" = 'emb-init: out.bin: row 1: token "new york" holds a space, which word2vec binary cannot store' ]
	[ ! -e out.bin ]
	# a vocab.json token with a newline cannot go into the native vocab
	need_py numpy
	"$PY" -c 'import numpy as np; np.save("two.npy", np.ones((2, 2), np.float32))'
	printf '{"a\\nb": 0, "c": 1}' >nl.json
	run -1 --separate-stderr emb-init --from two.npy --vocab nl.json -o z.safetensors
	[ "$stderr" = "emb-init: z.safetensors: row 1: a token holds a line break, which safetensors cannot store" ]
	[ ! -e z.safetensors ]
}

@test "usage errors exit 2 with the usage" {
	local args
	for args in "" "-V 3" "-V 3 -d 2 --from x" "-V 0 -d 3" "-V 3 -d x" \
	    "--from x -d 3" "-V 3 -d 2 --initializer gauss" "-V 3 -d 2 -O txt" \
	    "-V 3 -d 2 --dtype f64" "-V 3 -d 2 -O glove --dtype f16" \
	    "-V 3 -d 2 --min-count 3" "-V 3 -d 2 a.txt b.txt" "-V 3 -d 2 --no-newline" \
	    "--from x --format gz" "--count --from x"; do
		run -2 --separate-stderr emb-init $args
		[ -z "$output" ]
		[[ $stderr == *"usage: emb-init"* ]] || { echo "$args: $stderr"; false; }
	done
	run -2 --separate-stderr emb-init -V 3 -d 2 --initializer gauss
	[ "$(head -n 1 <<<"$stderr")" = 'emb-init: --initializer: unknown initialiser "gauss" (normal, uniform, xavier, zeros)' ]
}

@test "a closed pipe is a quiet success, a full disk a failure" {
	run -0 --separate-stderr closed_pipe "emb-init -V 20000 -d 10 -O glove"
	[ -z "$stderr" ]
	run -1 --separate-stderr bash -c 'emb-init -V 100 -d 10 -O glove >/dev/full'
	[[ $stderr == "emb-init: <stdout>: No space left on device" ]]
	run -1 --separate-stderr emb-init -V 100 -d 10 -o /dev/full/x.safetensors
	[ -n "$stderr" ]
}
