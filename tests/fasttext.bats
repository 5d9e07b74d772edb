#!/usr/bin/env bats
# fastText's subword models, both ways, against fastText itself (Debian's
# fasttext 0.9.2: the command line tool, and its Python binding for the
# full-precision values) and gensim's load_facebook_model.

load helper

need_fasttext() {
	command -v fasttext >/dev/null || skip "fasttext not installed"
}

# A corpus made here: 400 kB of the text8 sample, lines of 2,000 bytes,
# then lines of stems and suffixes, ASCII and not (é, ü, 日本: bytes over
# 0x7f go through fastText's signed-char hash), from a fixed LCG.
setup_file() {
	command -v fasttext >/dev/null || return 0
	cd "$BATS_FILE_TMPDIR"
	gzip -dc "$DATA/text8-head.txt.gz" | head -c 400000 | fold -s -w 2000 \
	    >corpus.txt
	awk 'BEGIN {
		ns = split("walk talk jump play read écrit über 日本 naïv koop " \
		    "sing dream", st, " ")
		nx = split("_ s ed ing er ers", sx, " ")
		x = 12345
		for (l = 0; l < 1500; l++) {
			x = (x * 48271) % 2147483647; n = 6 + x % 9; s = ""
			for (i = 0; i < n; i++) {
				x = (x * 48271) % 2147483647; a = st[1 + x % ns]
				x = (x * 48271) % 2147483647; b = sx[1 + x % nx]
				s = s (i ? " " : "") a (b == "_" ? "" : b)
			}
			print s
		}
	}' >>corpus.txt
	fasttext skipgram -input corpus.txt -output ft -dim 16 -epoch 5 \
	    -minCount 3 -minn 2 -maxn 5 -bucket 5000 -thread 1 -verbose 0 \
	    >/dev/null
	# words to look up: in the vocabulary, unseen (ASCII, UTF-8, a byte
	# that is not UTF-8, long), and </s>
	printf '%s\n' walk jumped 日本ing '</s>' walkings überjumper 日本語 \
	    naïveté x zz "$(printf 'walk\377ed')" \
	    "$(printf 'dream%.0s' $(seq 40))" >words.txt
}

# each test in its own directory (bats --jobs runs tests side by side),
# the corpus, model and words of setup_file linked into it
setup() {
	local f

	cd "$BATS_TEST_TMPDIR"
	for f in corpus.txt ft.bin words.txt; do
		[ ! -e "$BATS_FILE_TMPDIR/$f" ] || ln -s "$BATS_FILE_TMPDIR/$f" .
	done
}

# the last d numbers of each line of two files: emb's (the shortest
# decimal of a float32), read back as that float32 and printed as %.5g,
# must be fastText's text (a float32 printed as %.5g), field for field
same_as_fasttext_text() {
	"$PY" - "$@" <<'PY'
import struct, sys
f32 = lambda v: struct.unpack("f", struct.pack("f", float(v)))[0]
d = int(sys.argv[3])
rd = lambda p: [l.split()[-d:] for l in open(p, "rb").read().decode("utf-8", "surrogateescape").split("\n")[:-1]]
a, b = rd(sys.argv[1]), rd(sys.argv[2])
assert len(a) == len(b) and len(a) > 0, (len(a), len(b))
for x, y in zip(a, b):
    assert len(x) == d and ["%.5g" % f32(v) for v in x] == y, (x, y)
print("ok", len(a))
PY
}

@test "fasttext: in-vocabulary and unseen words equal fastText's print-word-vectors" {
	need_fasttext
	emb-lookup -m ft.bin --label words.txt >emb.txt
	fasttext print-word-vectors ft.bin <words.txt >ft.txt
	run -0 same_as_fasttext_text emb.txt ft.txt 16
	[ "$output" = "ok 12" ]
}

@test "fasttext: the same vectors to 1e-5 relative against fastText's Python binding" {
	need_fasttext
	need_py fasttext
	emb-lookup -m ft.bin words.txt >emb.txt
	run -0 --separate-stderr "$PY" - <<'PY'
import fasttext, numpy as np
fasttext.FastText.eprint = lambda *a: None
m = fasttext.load_model("ft.bin")
words = open("words.txt", "rb").read().split(b"\n")[:-1]
got = np.loadtxt("emb.txt", ndmin=2)
worst = 0.0
n = 0
for w, g in zip(words, got):
    try:
        w = w.decode("utf-8")
    except UnicodeDecodeError:
        continue	# the binding takes str only: the CLI test has it
    ref = m.get_word_vector(w)
    n += 1
    worst = max(worst, float(np.max(np.abs(g - ref) / (np.abs(ref) + 1e-30))))
assert worst <= 1e-5, worst
print("ok", n)
PY
	[ "$output" = "ok 11" ]
}

@test "fasttext: emb-lookup --pool mean equals print-sentence-vectors" {
	need_fasttext
	head -n 20 corpus.txt >lines.txt
	printf 'walkings überjumper\nzz\n\n日本語 walk jumped\n' >>lines.txt
	emb-lookup -m ft.bin --pool mean lines.txt >emb.txt
	fasttext print-sentence-vectors ft.bin <lines.txt >ft.txt
	run -0 same_as_fasttext_text emb.txt ft.txt 16
	[ "$output" = "ok 24" ]
}

@test "fasttext: the native model keeps what unseen words need" {
	need_fasttext
	emb-init --from ft.bin -o ft.safetensors
	emb-lookup -m ft.bin --label words.txt >a.txt
	emb-lookup -m ft.safetensors --label words.txt >b.txt
	cmp a.txt b.txt
	run -0 emb-info ft.safetensors
	[[ "$output" == *"tensor	input F32 ["*", 16]"* ]]
	[[ "$output" == *"tensor	ngrams F32 [5000, 16]"* ]]
	[[ "$output" == *"meta	minn=2"* ]]
	[[ "$output" == *"meta	maxn=5"* ]]
	[[ "$output" == *"meta	bucket=5000"* ]]
}

@test "fasttext: emb-init --vocab keeps the n-grams: known words as fastText, others as unseen words" {
	need_fasttext
	# walk and talk are in ft.bin's vocabulary, walkings and 日本語 not
	printf 'walkings\nwalk\n日本語\ntalk\n' >list.txt
	run -0 --separate-stderr emb-init -v --from ft.bin --vocab list.txt -o sub.safetensors
	[[ "$stderr" == "emb-init: 2 of 4 tokens not in ft.bin, given their n-gram vectors"$'\n'* ]]
	run -0 emb-info sub.safetensors
	[[ "$output" == *"rows	4"* ]]
	[[ "$output" == *"tensor	ngrams F32 [5000, 16]"* ]]
	# the listed words and words fastText has not seen: fastText's vectors
	printf 'walkings\nwalk\n日本語\ntalk\nüberjumper\nnaïveté\n' >ask.txt
	emb-lookup -m sub.safetensors --label ask.txt >emb.txt
	fasttext print-word-vectors ft.bin <ask.txt >ft.txt
	run -0 same_as_fasttext_text emb.txt ft.txt 16
	[ "$output" = "ok 6" ]
}

@test "fasttext: .bin to native and back is the same file" {
	need_fasttext
	emb-init --from ft.bin -o ft.safetensors
	emb-init --from ft.safetensors -O fasttext-bin back.bin
	cmp ft.bin back.bin
}

@test "fasttext: fastText reads emb's .bin of a plain table and prints emb's values" {
	need_fasttext
	emb-init --count -d 6 --seed 3 -O fasttext-bin -o plain.bin corpus.txt
	emb-lookup -m plain.bin --all >emb.txt
	cut -d ' ' -f 1 emb.txt | fasttext print-word-vectors plain.bin >ft.txt
	run -0 same_as_fasttext_text emb.txt ft.txt 6
	[ "$output" = "ok 1975" ]
}

@test "fasttext: fastText reads emb's .bin of a subword model and prints emb's values, in-vocabulary and unseen" {
	need_fasttext
	# the 300 most frequent words kept: the words past them are unseen
	# in the model emb writes, which is no longer fastText's own file
	emb-init --from ft.bin --limit 300 -o lim.safetensors
	emb-init --from lim.safetensors -O fasttext-bin lim.bin
	! cmp -s ft.bin lim.bin
	emb-lookup -m ft.bin --all --label | sed -n '301,320p' |
	    cut -d ' ' -f 1 >past.txt
	cat words.txt past.txt >more.txt
	emb-lookup -m lim.safetensors --label more.txt >emb.txt
	fasttext print-word-vectors lim.bin <more.txt >ft.txt
	run -0 same_as_fasttext_text emb.txt ft.txt 16
	[ "$output" = "ok 32" ]
	# the words past the limit did change: n-grams alone now
	emb-lookup -m ft.bin past.txt >a.txt
	emb-lookup -m lim.safetensors past.txt >b.txt
	[ "$(paste -d '\n' a.txt b.txt | uniq | wc -l)" = 40 ]
	run -0 emb-info --no-stats lim.bin
	[[ "$output" == *"rows	300"* ]]
}

@test "fasttext: gensim's load_facebook_model reads emb's .bin" {
	need_fasttext
	need_py gensim
	emb-init --from ft.bin -o ft.safetensors
	emb-init --from ft.safetensors -O fasttext-bin emb.bin
	grep -v $'\377' words.txt >w.txt
	emb-lookup -m ft.safetensors w.txt >emb.txt
	run -0 --separate-stderr "$PY" - <<'PY'
import numpy as np
from gensim.models.fasttext import load_facebook_model
m = load_facebook_model("emb.bin")
words = open("w.txt", encoding="utf-8").read().split("\n")[:-1]
got = np.loadtxt("emb.txt", ndmin=2)
assert m.wv.min_n == 2 and m.wv.max_n == 5 and m.wv.bucket == 5000
for w, g in zip(words, got):
    if w == "</s>":
        continue	# gensim averages n-grams into </s>, fastText does not
    ref = m.wv[w]
    assert np.allclose(g, ref, rtol=1e-5, atol=1e-7), (w, g, ref)
print("ok", len(words))
PY
	[ "$output" = "ok 11" ]
}

# "word score" lines of fastText's nn / analogies (prompts removed) against
# "query<TAB>word<TAB>score" lines of emb: rank by rank the same score to
# 1e-5, the same word unless two scores are that close (a near tie may
# order either way)
same_neighbours() {
	"$PY" - "$@" <<'PY'
import sys
ft = [l.rsplit(" ", 1) for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l]
em = [l.split("\t")[1:] for l in open(sys.argv[2], encoding="utf-8").read().split("\n") if l]
assert len(ft) == len(em) and ft, (len(ft), len(em))
es = {w: float(x) for w, x in em}
for i, ((fw, fx), (ew, ex)) in enumerate(zip(ft, em)):
    assert abs(float(fx) - float(ex)) <= 1e-5, (i, fw, fx, ew, ex)
    assert fw == ew or abs(es.get(fw, -9) - float(fx)) <= 1e-5, (i, fw, ew)
print("ok", len(ft))
PY
}

@test "fasttext: emb-nn of unseen and known words equals fastText's nn" {
	need_fasttext
	printf 'walkings\nüberjumper\ngovernment\n' >q.txt
	fasttext nn ft.bin 8 <q.txt 2>/dev/null | sed 's/Query word? //g' |
	    grep . >ft.txt
	emb-lookup --label -m ft.bin q.txt | emb-nn -m ft.bin -k 8 >emb.txt
	run -0 same_neighbours ft.txt emb.txt
	[ "$output" = "ok 24" ]
	# the words themselves, as operands and on standard input
	emb-nn -m ft.bin -k 8 walkings überjumper government >emb.txt
	run -0 same_neighbours ft.txt emb.txt
	[ "$output" = "ok 24" ]
	emb-nn -m ft.bin -k 8 <q.txt >emb.txt
	run -0 same_neighbours ft.txt emb.txt
	[ "$output" = "ok 24" ]
}

@test "fasttext: emb-nn refuses an unseen word without n-grams (a zero vector)" {
	cd "$BATS_TEST_TMPDIR"
	# n-grams of 4 to 5 characters: "<a>" has none
	"$PY" "$TOP/tests/ftbin.py" m.bin minn=4 maxn=5 >/dev/null
	run -0 emb-nn -m m.bin -k 2 cats
	[ "${#lines[@]}" = 2 ]
	run -1 emb-nn -m m.bin -k 2 a
	[ "$output" = 'emb-nn: "a" has no n-gram: a zero vector, no cosine' ]
}

@test "fasttext: fastText's nn and analogies on emb's .bin give emb's values" {
	need_fasttext
	emb-init --from ft.bin --normalize -O fasttext-bin -o unit.bin
	emb-lookup -m unit.bin --all >unit.txt
	echo government | fasttext nn unit.bin 6 2>/dev/null |
	    sed 's/Query word? //g' | grep . >ft.txt
	emb-nn -m unit.bin -k 6 government >emb.txt
	run -0 same_neighbours ft.txt emb.txt
	[ "$output" = "ok 6" ]
	# analogies: fastText sums the raw vectors A - B + C (unit here, so
	# emb's 3CosAdd is the same query); it loops at end of input: head
	printf 'king man woman\n' | fasttext analogies unit.bin 5 2>/dev/null |
	    sed 's/Query triplet (A - B + C)? //' | grep -v '^Loading model' |
	    head -n 5 >ft.txt
	emb-analogy -m unit.bin -k 5 'king - man + woman' >emb.txt
	run -0 same_neighbours ft.txt emb.txt
	[ "$output" = "ok 5" ]
}

@test "fasttext: emb-sim and emb-analogy take unseen words on a subword model" {
	need_fasttext
	need_py fasttext
	run -0 emb-sim -m ft.bin walkings überjumper
	"$PY" - "$output" <<'PY'
import sys, numpy as np, fasttext
fasttext.FastText.eprint = lambda *a: None
m = fasttext.load_model("ft.bin")
a, b = m.get_word_vector("walkings"), m.get_word_vector("überjumper")
ref = float(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b))
got = float(sys.argv[1].split("\t")[2])
assert abs(got - ref) <= 1e-6, (got, ref)
PY
	run -0 emb-analogy -m ft.bin -k 1 walk walkings talk
	[[ "$output" == "walk walkings talk	"* ]]
	emb-init --from ft.bin -O vec -o plain.vec
	run -1 --separate-stderr emb-sim -m plain.vec walkings talk
	[ "$stderr" = 'emb-sim: unknown token "walkings"' ]
}

@test "fasttext: emb-sim --odd-one-out takes unseen words as gensim's FastText doesnt_match does" {
	need_fasttext
	need_py gensim
	printf '%s\n' 'walk talk jumping überjumper' 'walkings jumped dream 日本語' \
	    'talk walk sing singer plays' 'naïveté dreamers dream reads' >g.txt
	emb-sim -m ft.bin --odd-one-out <g.txt >emb.txt
	"$PY" - <<'PY' >gensim.txt
from gensim.models.fasttext import load_facebook_vectors
kv = load_facebook_vectors("ft.bin")
for l in open("g.txt", encoding="utf-8"):
    print(kv.doesnt_match(l.split()))
PY
	[ "$(wc -l <emb.txt)" -eq 4 ]
	cmp emb.txt gensim.txt
}

@test "fasttext: emb-sim --eval --subwords scores the pairs with unseen words" {
	need_fasttext
	printf 'walk\twalked\t8\nwalkings\ttalkings\t7\nzzqq\tthe\t1\nthe\tof\t3\n' >set.tsv
	run -0 emb-sim -m ft.bin --eval set.tsv
	[[ "$output" == *"used	2"*"oov	2"* ]]
	[[ "$output" != *oov_scored* ]]
	run -0 emb-sim -m ft.bin --eval set.tsv --subwords
	[[ "$output" == *"used	4"*"oov	2"*"oov_scored	2" ]]
	run -2 --separate-stderr emb-sim -m ft.bin --eval set.tsv --subwords --dummy4unknown
	[[ "$stderr" == *"conflicting options"* ]]
}

# Bad .bin files, written by tests/ftbin.py (a 4-word model, d 3, bucket
# 5, n-grams of 2 to 3 characters, unless told otherwise)
bad_bin() {
	"$PY" "$TOP/tests/ftbin.py" "$BATS_TEST_TMPDIR/b.bin" "$@" >"$BATS_TEST_TMPDIR/off.txt"
}

@test "fasttext: a good small .bin reads (the bad ones below differ from it)" {
	bad_bin
	run -0 emb-lookup -m "$BATS_TEST_TMPDIR/b.bin" --label <<<"cat été zz"
	[ "$output" = "$(printf 'cat 1.375 1.25 1.125\nété 1.53125 1.40625 1.28125\nzz 1.6 1.475 1.35')" ]
	run -0 emb-info --no-stats "$BATS_TEST_TMPDIR/b.bin"
	[[ "$output" == *"format	fasttext-bin"* ]]
}

@test "fasttext: a .bin cut at every section boundary and inside rows names the section" {
	bad_bin
	b=$BATS_TEST_TMPDIR/b.bin t=$BATS_TEST_TMPDIR/t.bin
	while read -r name off; do
		[ "$name" = output ] && continue
		head -c "$off" "$b" >"$t"
		run -1 --separate-stderr emb-lookup -m "$t" --all
		case $name in
		header) want="unexpected end of file in the arguments (byte 8)" ;;
		args) want="unexpected end of file in the dictionary (byte 64)" ;;
		dict-head|word[01]) want="a dictionary of 4 words cannot fit in the $((off - 92)) bytes left in the file" ;;
		word2) want="unexpected end of file in the dictionary (word 4 of 4, byte 132)" ;;
		word3|quant) want="unexpected end of file in the input matrix (byte $off)" ;;
		input-head) want="unexpected end of file in the input matrix at row 1 of 9 (byte 164)" ;;
		input-row8|qout) want="unexpected end of file in the output matrix (byte $off)" ;;
		input-row*) want="unexpected end of file in the input matrix at row $((${name#input-row} + 2)) of 9 (byte $off)" ;;
		output-head) want="unexpected end of file in the output matrix at row 1 of 4 (byte 289)" ;;
		esac
		[ "$stderr" = "emb-lookup: $t: $want" ] || { echo "$name: $stderr"; false; }
		[ -z "$output" ]
	done <"$BATS_TEST_TMPDIR/off.txt"
	head -c 300 "$b" >"$t"
	run -1 --separate-stderr emb-lookup -m "$t" --all
	[ "$stderr" = "emb-lookup: $t: unexpected end of file in the output matrix at row 1 of 4 (byte 300)" ]
	# through gzip the size is not known ahead: the word that is cut
	head -c 119 "$b" | gzip >"$t.gz"
	run -1 --separate-stderr emb-lookup -m "$t.gz" --all
	[ "$stderr" = "emb-lookup: $t.gz: unexpected end of file in the dictionary (word 3 of 4, byte 119)" ]
}

@test "fasttext: bad headers, arguments and dictionaries are refused with the reason" {
	f=$BATS_TEST_TMPDIR/b.bin
	check() {
		bad_bin "${@:2}"
		run -1 --separate-stderr emb-init --from "$f" -o "$BATS_TEST_TMPDIR/out.emb"
		[ "$stderr" = "emb-init: $f: $1" ] || { echo "$*: $stderr"; return 1; }
		[ ! -e "$BATS_TEST_TMPDIR/out.emb" ]
	}
	check "fastText file format version 13 (emb reads versions 11 and 12)" version=13
	check "fastText file format version 10 (emb reads versions 11 and 12)" version=10
	check "a dictionary of 2000000000 words cannot fit in the 245 bytes left in the file" size=2000000000 nwords=2000000000
	check "bad dictionary sizes (size 5, words 4, labels 0)" size=5
	check "minn 4 is greater than maxn 3" minn=4
	check "maxn 101 is over 100" maxn=101 minn=2
	check "negative n-gram length (minn -1, maxn 3)" minn=-1
	check "bucket 0 with n-grams of 2 to 3 characters" bucket=0
	check "a supervised model (a fastText classifier): emb reads skip-gram and CBOW models only" model=3
	check "a supervised model (labels: 1): emb reads skip-gram and CBOW models only" nlabels=1 size=5 words=a,b,c,d,__label__x
	check "a supervised model (the dictionary holds labels): emb reads skip-gram and CBOW models only" types=0,0,1,0
	check "a quantized model (.ftz): emb does not read product-quantized matrices" quant=1
	check "a pruned dictionary (3 n-gram entries): only quantized models are pruned" prune=3
	check "a negative corpus token count (-5)" ntokens=-5
	check "unknown loss 9" loss=9
	check "dimension 0 is not positive" dim=0
	check "the input matrix has 3 rows, the dictionary's 4 words and the arguments' 5 n-gram buckets make 9" inm=3
	check "the output matrix has 2 columns, the arguments say dimension 3" outn=2
	check "the output matrix has 3 rows, the dictionary has 4 words" outm=3
	check "the input matrix has 2 columns, the arguments say dimension 3" inn=2
	check "dimension 1048577 (at most 1048576)" dim=1048577 inrows=0 outm=0
	check "input matrix row 7: NaN or infinite value" nan=6
	check "data after the output matrix (byte 338)" extra=x
	check 'dictionary word 2 "a" is a duplicate' words=a,a,b,c
	check "dictionary word 2 of 4 is empty" words=a,,b,c
}

@test "fasttext: n-gram rows whose sum overflows float32 are an error, not Inf" {
	f=$BATS_TEST_TMPDIR/b.bin
	# a word's own vector: refused when the model is read
	bad_bin big=3e38 minn=4 maxn=5
	run -1 --separate-stderr emb-lookup -m "$f" <<<"cat"
	[ "$stderr" = "emb-lookup: $f: word 2 \"cat\": its vector (the mean of its row and n-gram rows) overflows float32" ]
	# "<cat>" has one n-gram of 5 (its row and the n-gram cancel); an
	# unseen word's four n-gram rows of 3e38 overflow when it is asked for
	bad_bin big=3e38 minn=5 maxn=5
	run -0 emb-lookup -m "$f" <<<"cat"
	[ "$output" = "0 0 0" ]
	want="$f: the n-gram vector of \"zzzzzz\" is not finite (its n-gram rows overflow float32 when summed)"
	run -1 --separate-stderr emb-lookup -m "$f" <<<"zzzzzz"
	[ "$stderr" = "emb-lookup: $want" ] && [ -z "$output" ]
	run -1 --separate-stderr emb-nn -m "$f" zzzzzz
	[ "$stderr" = "emb-nn: $want" ] && [ -z "$output" ]
	run -1 --separate-stderr emb-sim -m "$f" cat zzzzzz
	[ "$stderr" = "emb-sim: $want" ] && [ -z "$output" ]
}

@test "fasttext: a model without n-grams (maxn 0) reads as a plain table" {
	bad_bin maxn=0 minn=0 bucket=0
	run -1 --separate-stderr emb-lookup -m "$BATS_TEST_TMPDIR/b.bin" <<<"zz"
	[ "$stderr" = "emb-lookup: <stdin>:1: unknown token \"zz\"" ]
	run -0 emb-lookup -m "$BATS_TEST_TMPDIR/b.bin" <<<"cat"
	[ "$output" = "0.5 0.375 0.25" ]
	run -1 --separate-stderr emb-lookup -m "$BATS_TEST_TMPDIR/b.bin" --oov subword <<<"zz"
	[ "$stderr" = "emb-lookup: $BATS_TEST_TMPDIR/b.bin: no subword (n-gram) rows for --oov subword" ]
}

@test "fasttext: emb-lookup --oov error still refuses unseen words on a subword model" {
	bad_bin
	run -1 --separate-stderr emb-lookup -m "$BATS_TEST_TMPDIR/b.bin" --oov error <<<"cat zz"
	[ "$stderr" = "emb-lookup: <stdin>:1: unknown token \"zz\"" ]
	run -0 emb-lookup -m "$BATS_TEST_TMPDIR/b.bin" --oov skip -q <<<"cat zz"
	[ "$output" = "1.375 1.25 1.125" ]
}

@test "fasttext: the native subword tensors are checked" {
	bad_bin
	emb-init --from "$BATS_TEST_TMPDIR/b.bin" -o "$BATS_TEST_TMPDIR/m.emb"
	"$PY" - "$BATS_TEST_TMPDIR" <<'PY'
import json, struct, sys
d = sys.argv[1]
raw = open(d + "/m.emb", "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
h = json.loads(raw[8:8 + n])
def write(name, hh):
    j = json.dumps(hh).encode()
    j += b" " * ((8 - (8 + len(j)) % 8) % 8)
    open(d + "/" + name, "wb").write(struct.pack("<Q", len(j)) + j + raw[8 + n:])
h1 = json.loads(json.dumps(h)); h1["__metadata__"]["minn"] = "7"
write("minn.emb", h1)
h2 = json.loads(json.dumps(h)); del h2["__metadata__"]["bucket"]
write("nobucket.emb", h2)
# renamed, not deleted: a gap between tensors is refused before
h3 = json.loads(json.dumps(h)); h3["words"] = h3.pop("input")
write("noinput.emb", h3)
h4 = json.loads(json.dumps(h)); h4["__metadata__"]["bucket"] = "4"
write("bucket.emb", h4)
PY
	cd "$BATS_TEST_TMPDIR"
	run -1 --separate-stderr emb-lookup -m minn.emb <<<"cat"
	[ "$stderr" = "emb-lookup: minn.emb: minn 7 is greater than maxn 3" ]
	run -1 --separate-stderr emb-lookup -m nobucket.emb <<<"cat"
	[ "$stderr" = "emb-lookup: nobucket.emb: tensor \"ngrams\" needs minn, maxn and bucket (decimal strings, maxn and bucket above 0) in __metadata__" ]
	run -1 --separate-stderr emb-lookup -m noinput.emb <<<"cat"
	[ "$stderr" = "emb-lookup: noinput.emb: tensor \"ngrams\" without \"input\": the subword tensors go together" ]
	run -1 --separate-stderr emb-lookup -m bucket.emb <<<"cat"
	[ "$stderr" = "emb-lookup: bucket.emb: tensor \"ngrams\" must be F32 [4, 3]" ]
}

@test "fasttext: emb-init --normalize drops the subword rows; -O fasttext-bin needs tokens" {
	bad_bin
	cd "$BATS_TEST_TMPDIR"
	emb-init --from b.bin --normalize -o n.emb
	run -0 emb-info --no-stats n.emb
	[[ "$output" != *"tensor	ngrams"* ]]
	[[ "$output" != *"meta	minn"* ]]
	run -1 --separate-stderr emb-init -V 3 -d 2 -O fasttext-bin x.bin
	[ "$stderr" = "emb-init: x.bin: fasttext-bin needs a table with a vocabulary" ]
	[ ! -e x.bin ]
}

# Subword training
@test "fasttext: emb-train --minn --maxn --bucket keeps the n-grams, deterministic with one thread" {
	cd "$BATS_TEST_TMPDIR"
	gzip -dc "$DATA/text8-head.txt.gz" | head -c 300000 >c.txt
	emb-train -q --threads 1 --seed 3 -d 12 --minn 2 --maxn 4 --bucket 2000 -o a.emb c.txt
	emb-train -q --threads 1 --seed 3 -d 12 --minn 2 --maxn 4 --bucket 2000 -o b.emb c.txt
	cmp a.emb b.emb
	run -0 emb-info --no-stats a.emb
	[[ "$output" == *"tensor	ngrams F32 [2000, 12]"* ]]
	[[ "$output" == *"meta	minn=2"*"meta	maxn=4"*"meta	bucket=2000"* || "$output" == *"minn=2"* ]]
	run -0 emb-lookup -m a.emb --label <<<"unthreeable"
	[[ "$output" == "unthreeable "* ]]
	# the word vectors are the mean of the word rows and their n-grams
	"$PY" - <<'PY'
import json, struct, numpy as np
raw = open("a.emb", "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
h = json.loads(raw[8:8 + n])
def t(name):
    o = h[name]["data_offsets"]
    return np.frombuffer(raw[8 + n + o[0]:8 + n + o[1]], dtype="<f4").reshape(h[name]["shape"])
assert h["__metadata__"]["minn"] == "2" and h["__metadata__"]["bucket"] == "2000"
emb, inp = t("embeddings"), t("input")
assert emb.shape == inp.shape and not np.array_equal(emb, inp)
PY
}

@test "fasttext: emb-train -O fasttext-bin: fastText prints emb's vectors, gensim reads it" {
	need_fasttext
	cd "$BATS_TEST_TMPDIR"
	gzip -dc "$DATA/text8-head.txt.gz" | head -c 300000 >c.txt
	emb-train -q --threads 1 --arch cbow -d 12 --minn 3 --maxn 5 --bucket 3000 -o m.emb c.txt
	emb-train -q --threads 1 --arch cbow -d 12 --minn 3 --maxn 5 --bucket 3000 -O fasttext-bin -o m.bin c.txt
	printf '%s\n' the three anarchism unthreeable anarchisms zzz >w.txt
	emb-lookup -m m.emb --label w.txt >emb.txt
	emb-lookup -m m.bin --label w.txt >emb2.txt
	cmp emb.txt emb2.txt
	fasttext print-word-vectors m.bin <w.txt >ft.txt
	run -0 same_as_fasttext_text emb.txt ft.txt 12
	[ "$output" = "ok 6" ]
	if "$PY" -c 'import gensim' 2>/dev/null; then
		"$PY" - <<'PY'
import numpy as np
from gensim.models.fasttext import load_facebook_model
m = load_facebook_model("m.bin")
words = open("w.txt").read().split()
got = np.loadtxt("emb.txt", usecols=range(1, 13))
for w, g in zip(words, got):
    assert np.allclose(m.wv[w], g, rtol=1e-5, atol=1e-7), w
PY
	fi
}

@test "fasttext: emb-train --init continues a subword model with its n-grams" {
	cd "$BATS_TEST_TMPDIR"
	gzip -dc "$DATA/text8-head.txt.gz" | head -c 200000 >c.txt
	emb-train -q --threads 1 -d 8 --minn 3 --maxn 5 --bucket 1000 -o a.emb c.txt
	emb-train -q --threads 1 --epochs 1 --init a.emb -o b.emb c.txt
	run -0 emb-info --no-stats b.emb
	[[ "$output" == *"tensor	ngrams F32 [1000, 8]"* ]]
	run -1 --separate-stderr emb-train -q --threads 1 --epochs 1 --init a.emb --bucket 500 -o c.emb c.txt
	[ "$stderr" = "emb-train: --init model has n-grams of 3 to 5 characters in 1000 buckets, not 3 to 5 in 500" ]
	[ ! -e c.emb ]
	# --maxn 0 trains the word model from it
	emb-train -q --threads 1 --epochs 1 --init a.emb --maxn 0 -o d.emb c.txt
	run -0 emb-info --no-stats d.emb
	[[ "$output" != *"tensor	ngrams"* ]]
}

@test "fasttext: emb-train subword options that do not fit are usage errors" {
	cd "$BATS_TEST_TMPDIR"
	echo a b c >c.txt
	run -2 --separate-stderr emb-train --minn 5 --maxn 3 -o x.emb c.txt
	[[ "$stderr" == "emb-train: minn 5 is greater than maxn 3"* ]]
	run -2 --separate-stderr emb-train --maxn 101 -o x.emb c.txt
	[[ "$stderr" == 'emb-train: --maxn: "101" is too large (allowed 0-100)'* ]]
	for o in "--minn 3" "--maxn 4" "--minn 2 --maxn 5"; do
		run -2 --separate-stderr emb-train --bucket 0 $o -o x.emb c.txt
		[ "${stderr_lines[0]}" = "emb-train: --bucket 0 means no subwords, but --minn or --maxn asks for n-grams: give --bucket the number of n-gram rows (2000000 by default), or leave out --minn and --maxn" ]
	done
	[ ! -e x.emb ]
}

@test "fasttext: emb-train --bucket 0 is the word model, as --maxn 0 (also from a subword --init)" {
	cd "$BATS_TEST_TMPDIR"
	gzip -dc "$DATA/text8-head.txt.gz" | head -c 100000 >c.txt
	emb-train -q --threads 1 -d 4 --epochs 1 --bucket 0 -o b.emb c.txt
	emb-train -q --threads 1 -d 4 --epochs 1 -o w.emb c.txt
	cmp b.emb w.emb
	emb-train -q --threads 1 -d 4 --epochs 1 --bucket 0 --maxn 0 -o b.emb c.txt
	cmp b.emb w.emb
	emb-train -q --threads 1 -d 4 --epochs 1 --minn 3 --maxn 4 --bucket 100 -o s.emb c.txt
	emb-train -q --threads 1 --epochs 1 --init s.emb --bucket 0 -o b.emb c.txt
	emb-train -q --threads 1 --epochs 1 --init s.emb --maxn 0 -o m.emb c.txt
	cmp b.emb m.emb
	run -0 emb-info --no-stats b.emb
	[[ "$output" != *"tensor	ngrams"* ]]
}

@test "fasttext: subword training with hierarchical softmax, skip-gram and CBOW" {
	cd "$BATS_TEST_TMPDIR"
	gzip -dc "$DATA/text8-head.txt.gz" | head -c 200000 >c.txt
	for a in skipgram cbow; do
		emb-train -q --threads 2 --arch $a --loss hs -d 8 --minn 3 --maxn 5 --bucket 1000 -o $a.emb c.txt
		run -0 emb-lookup -m $a.emb <<<"threeish"
		[ "$(echo "$output" | wc -w)" = 8 ]
	done
}

# two groups of words told apart by their stems (quix..., plom...) and
# their contexts (x..., y...): a subword model learns the groups, and an
# unseen word gets its stem's group from its n-grams
@test "fasttext: subword skip-gram and CBOW learn planted groups and place unseen words by their n-grams" {
	cd "$BATS_TEST_TMPDIR"
	awk 'BEGIN { srand(1); split("ab ce di fo gu", sf, " ")
		for (i = 0; i < 4000; i++) { g = int(rand() * 2)
			w = (g ? "plom" : "quix") sf[1 + int(rand() * 5)]
			c1 = (g ? "y" : "x") int(rand() * 5)
			c2 = (g ? "y" : "x") int(rand() * 5)
			print c1, w, c2 } }' >sub.txt
	for a in skipgram cbow; do
		emb-train -q --threads 1 --min-count 1 --sample 0 -d 20 --arch $a \
		    --minn 3 --maxn 4 --bucket 1000 -o s.emb sub.txt
		# within the groups, seen and unseen words
		run -0 emb-sim -m s.emb quixab quixgu plomce plomdi quixzzz quixab \
		    quixzzz quixfo plomzzz plomce plomzzz plomgu
		echo "$a within: $output"
		lo=$(awk '{ if (NR == 1 || $3 < lo) lo = $3 } END { print lo }' <<<"$output")
		run -0 emb-sim -m s.emb quixab plomab quixgu plomdi quixzzz plomab \
		    quixzzz plomfo plomzzz quixce plomzzz quixzzz
		echo "$a across: $output"
		hi=$(awk '{ if (NR == 1 || $3 > hi) hi = $3 } END { print hi }' <<<"$output")
		awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo > 0.9 && hi < 0.6) }'
	done
	# the word model has no vector for them
	emb-train -q --threads 1 --min-count 1 --sample 0 -d 20 -o w.emb sub.txt
	run -1 emb-sim -m w.emb quixzzz quixab
	[ "$output" = 'emb-sim: unknown token "quixzzz"' ]
}
