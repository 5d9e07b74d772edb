#!/usr/bin/env bats
# emb-lookup: tokens and IDs to vectors

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "seed: row 2 of the 5x3 matrix is [-1, 1, 1]" {
	run -0 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --ids <<<"2"
	[ "$output" = "-1 1 1" ]
	[ -z "$stderr" ]
}

@test "seed: the sequence [3, 1, 1, 0] in the 4x2 matrix" {
	run -0 emb-lookup -m "$DATA/e4x2.vec" --ids <<<"3 1 1 0"
	[ "$output" = "$(printf '4 -2\n2 0\n2 0\n0 1')" ]
}

@test "tokens to vectors, labelled" {
	run -0 emb-lookup -m "$DATA/e5x3.vec" --label <<<"t2 t4"
	[ "$output" = "$(printf 't2 -1 1 1\nt4 0 -1 3')" ]
}

@test "the model comes from EMB_MODEL when -m is absent" {
	EMB_MODEL="$DATA/e5x3.vec" run -0 emb-lookup <<<"t0"
	[ "$output" = "1 0 2" ]
}

@test "--print ids turns tokens into IDs, a line per sequence" {
	run -0 emb-lookup -m "$DATA/e4x2.vec" --print ids <<<"$(printf 't3 t1  t1 t0\n\nt2\n')"
	[ "$output" = "$(printf '3 1 1 0\n\n2')" ]
}

@test "--print tokens turns IDs into tokens" {
	run -0 emb-lookup -m "$DATA/e4x2.vec" --ids --print tokens <<<"3 1 1 0"
	[ "$output" = "t3 t1 t1 t0" ]
}

@test "file operands are read in order, - is stdin" {
	echo t1 >a.txt
	echo t3 >b.txt
	run -0 emb-lookup -m "$DATA/e5x3.vec" a.txt - b.txt <<<"t0"
	[ "$output" = "$(printf '0 1 0\n1 0 2\n2 2 2')" ]
}

@test "gzip input is recognised by its content" {
	printf 't2\n' | gzip >w.gz
	run -0 emb-lookup -m "$DATA/e5x3.vec" w.gz
	[ "$output" = "-1 1 1" ]
}

@test "CRLF input lines" {
	printf 't2\r\nt0\r\n' >w.txt
	run -0 emb-lookup -m "$DATA/e5x3.vec" w.txt
	[ "$output" = "$(printf -- '-1 1 1\n1 0 2')" ]
}

@test "empty input gives empty output and status 0" {
	run -0 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" </dev/null
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "unknown token is an error naming file and line" {
	printf 't1\nqwzx\n' >words.txt
	run -1 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" words.txt
	[ "$stderr" = 'emb-lookup: words.txt:2: unknown token "qwzx"' ]
	[ "$output" = "0 1 0" ]
}

@test "--oov skip leaves unknown tokens out and says how many" {
	run -0 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --oov skip <<<"qwzx t2 zz"
	[ "$output" = "-1 1 1" ]
	[ "$stderr" = "emb-lookup: 2 unknown tokens skipped" ]
	run -0 --separate-stderr emb-lookup -q -m "$DATA/e5x3.vec" --oov skip <<<"qwzx t2"
	[ -z "$stderr" ]
}

@test "--oov zero prints a zero vector labelled with the token" {
	run -0 emb-lookup -m "$DATA/e5x3.vec" --oov zero --label <<<"qwzx t2"
	[ "$output" = "$(printf 'qwzx 0 0 0\nt2 -1 1 1')" ]
}

@test "--oov unk uses the --unk row" {
	run -0 emb-lookup -m "$DATA/e5x3.vec" --oov unk --unk t3 <<<"qwzx"
	[ "$output" = "2 2 2" ]
	run -1 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --oov unk <<<"qwzx"
	[[ "$stderr" == *'no token "<unk>" for --oov unk' ]]
}

@test "an ID out of range is an error with the line" {
	run -1 --separate-stderr emb-lookup -m "$DATA/e4x2.vec" --ids <<<"$(printf '0\n1 4\n')"
	[ "$stderr" = 'emb-lookup: <stdin>:2: ID out of range: "4" (table has 4 rows)' ]
	run -1 --separate-stderr emb-lookup -m "$DATA/e4x2.vec" --ids <<<"-1"
	[ "$stderr" = 'emb-lookup: <stdin>:1: not an ID: "-1" (table has 4 rows)' ]
}

@test "--all dumps every row, labelled" {
	run -0 emb-lookup -m "$DATA/e4x2.vec" --all
	[ "$output" = "$(printf 't0 0 1\nt1 2 0\nt2 -1 3\nt3 4 -2')" ]
}

@test "--csv quotes labels that need it" {
	printf '2 2\nplain 1 2\na,b 0.5 -0.25\n' >q.vec
	run -0 emb-lookup -m q.vec --all --csv
	[ "$output" = "$(printf 'plain,1,2\n"a,b",0.5,-0.25')" ]
}

@test "-b writes the binary stream: EMBV header, a sequence per line, float32 rows" {
	emb-lookup -b -m "$DATA/e5x3.vec" <<<"t2" >out.bin
	[ "$(head -c 4 out.bin)" = "EMBV" ]
	[ "$(stat -c %s out.bin)" -eq $((12 + 4 + 3 * 4)) ]
	[ "$(od -An -tu4 -j12 -N4 out.bin | xargs)" = 1 ]
	[ "$(od -An -tf4 -j16 out.bin | xargs)" = "-1 1 1" ]
}

@test "text output reads back as the same float32 values" {
	printf '1 4\nw 0.1 3.14159274 -1e-30 123456.789\n' >p.vec
	run -0 emb-lookup -m p.vec <<<"w"
	[ "$output" = "0.1 3.1415927 -1e-30 123456.79" ]
	# the shortest form is the same float32: a binary dump proves it
	printf '1 4\nw %s\n' "$output" >q.vec
	emb-lookup -b -m p.vec <<<"w" >p.bin
	emb-lookup -b -m q.vec <<<"w" >q.bin
	cmp p.bin q.bin
}

@test "usage errors exit 2 with the synopsis" {
	run -2 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --bogus
	[[ "$stderr" == *"usage: emb-lookup"* ]]
	[ -z "$output" ]
	run -2 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --oov maybe
	[[ "$stderr" == 'emb-lookup: --oov: "maybe" is not one of error, skip, zero, unk'* ]]
	run -2 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --all --ids
	[[ "$stderr" == "emb-lookup: conflicting options"* ]]
}

@test "no model at all is a usage error" {
	run -2 --separate-stderr emb-lookup <<<"t1"
	[[ "$stderr" == "emb-lookup: no model: give -m FILE or set EMB_MODEL"* ]]
}

@test "a missing model file is named" {
	run -1 --separate-stderr emb-lookup -m nosuch.vec <<<"t1"
	[ "$stderr" = "emb-lookup: nosuch.vec: No such file or directory" ]
}

@test "a missing input file is reported and the others still run" {
	echo t1 >a.txt
	run -1 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" nosuch.txt a.txt
	[ "$stderr" = "emb-lookup: nosuch.txt: No such file or directory" ]
	[ "$output" = "0 1 0" ]
}

@test "writing to a full disk exits 1" {
	run -1 --separate-stderr bash -c "emb-lookup -m '$DATA/e5x3.vec' --all >/dev/full"
	[[ "$stderr" == "emb-lookup: <stdout>: No space left on device" ]]
}

@test "a closed pipe ends quietly with status 0" {
	awk 'BEGIN { print 20000, 20; for (i = 0; i < 20000; i++) { printf "w%d", i; for (j = 0; j < 20; j++) printf " %.6f", (i * 7 + j) / 1000; print "" } }' >big.vec
	run -0 --separate-stderr closed_pipe "emb-lookup -m big.vec --all"
	[ -z "$stderr" ]
}

@test "--help prints the usage and options to stdout" {
	run -0 emb-lookup --help
	[[ "$output" == "usage: emb-lookup"* ]]
	[[ "$output" == *"--oov=POLICY"* ]]
	run -0 emb-lookup --version
	[[ "$output" == "emb-lookup "* ]]
}

# --pool: t2 = [-1 1 1] (norm sqrt 3), t4 = [0 -1 3] (norm sqrt 10),
# t0 = [1 0 2], t1 = [0 1 0]
@test "--pool mean is the mean of the unit rows, one vector per line" {
	run -0 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --pool mean <<<"t2 t4"
	# (t2/sqrt(3) + t4/sqrt(10)) / 2
	[ "$output" = "-0.28867513 0.13056125 0.76301676" ]
	[ -z "$stderr" ]
}

@test "--pool avg, sum, max, first, last" {
	printf 't2 t4 t1\n' >l.txt
	run -0 emb-lookup -m "$DATA/e5x3.vec" --pool avg l.txt
	[ "$output" = "-0.33333334 0.33333334 1.3333334" ]
	run -0 emb-lookup -m "$DATA/e5x3.vec" --pool sum l.txt
	[ "$output" = "-1 1 4" ]
	run -0 emb-lookup -m "$DATA/e5x3.vec" --pool max l.txt
	[ "$output" = "0 1 3" ]
	run -0 emb-lookup -m "$DATA/e5x3.vec" --pool first l.txt
	[ "$output" = "-1 1 1" ]
	run -0 emb-lookup -m "$DATA/e5x3.vec" --pool last l.txt
	[ "$output" = "0 1 0" ]
}

@test "--pool: an empty line is a zero vector; labels are the lines" {
	run -0 emb-lookup -m "$DATA/e5x3.vec" --pool sum --label <<<"$(printf 't0  t1\n\nt3\n')"
	# the empty line's empty label: a row without one
	[ "$output" = "$(printf 't0  t1 1 1 2\n0 0 0\nt3 2 2 2')" ]
}

@test "--pool mean leaves zero rows out; avg counts them" {
	run -0 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --oov zero --pool mean <<<"t1 qq"
	[ "$output" = "0 1 0" ]
	run -0 emb-lookup -m "$DATA/e5x3.vec" --oov zero --pool avg <<<"t1 qq"
	[ "$output" = "0 0.5 0" ]
	run -0 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --oov skip --pool avg <<<"qq zz"
	[ "$output" = "0 0 0" ]
	[ "$stderr" = "emb-lookup: 2 unknown tokens skipped" ]
}

@test "--pool with --ids, binary and CSV output" {
	run -0 emb-lookup -m "$DATA/e5x3.vec" --ids --pool sum --csv <<<"2 4"
	[ "$output" = "-1,0,4" ]
	emb-lookup -m "$DATA/e5x3.vec" --pool sum -b <<<"t2 t4" >p.bin
	run -0 emb-sim --vectors --matrix p.bin
}

@test "--pool: a bad mode and conflicting options are usage errors" {
	run -2 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --pool median
	[[ "$stderr" == 'emb-lookup: --pool: "median" is not one of mean, avg, sum, max, first, last'* ]]
	run -2 emb-lookup -m "$DATA/e5x3.vec" --pool mean --all
	run -2 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" --pool mean --print ids
	[[ "$stderr" == *"conflicting options"* ]]
}

@test "--pool agrees with gensim's get_mean_vector (pre_normalize both ways)" {
	need_py gensim
	printf 'cat dog\napple cat dog\n' >q.txt
	emb-lookup -m "$DATA/animals.vec" --pool mean q.txt >mean.txt
	emb-lookup -m "$DATA/animals.vec" --pool avg q.txt >avg.txt
	run -0 "$PY" - "$DATA/animals.vec" <<'PY'
import sys, numpy as np
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1])
lines = [l.split() for l in open("q.txt")]
for name, pre in (("mean.txt", True), ("avg.txt", False)):
    got = np.loadtxt(name, ndmin=2)
    for w, g in zip(lines, got):
        ref = kv.get_mean_vector(w, pre_normalize=pre)
        assert np.allclose(g, ref, rtol=1e-6, atol=1e-7), (name, w, g, ref)
print("ok")
PY
	[ "$output" = "ok" ]
}
