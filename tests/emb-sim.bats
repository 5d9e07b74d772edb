#!/usr/bin/env bats
# emb-sim: pair scores, matrices, vectors, and word-similarity evaluation

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "seed: cos([2,0,1], [1,1,0]) = 2/sqrt(10)" {
	run -0 --separate-stderr emb-sim -m "$DATA/cos3.txt" a b
	[ "$output" = "$(printf 'a\tb\t0.632456')" ]
	[ -z "$stderr" ]
}

@test "seed: the same from a vector stream, rows named by number" {
	run -0 emb-sim --vectors <<<"$(printf '2 0 1\n1 1 0\n')"
	[ "$output" = "$(printf '1\t2\t0.632456')" ]
}

@test "seed: cos(cat, dog) > cos(cat, apple)" {
	run -0 emb-sim -m "$DATA/animals.vec" cat dog cat apple
	[ "$output" = "$(printf 'cat\tdog\t0.999400\ncat\tapple\t0.045727')" ]
}

@test "pairs from stdin, blank lines skipped; dot and l2" {
	run -0 emb-sim -m "$DATA/cos3.txt" --metric dot <<<"$(printf 'a b\n\na a\n')"
	[ "$output" = "$(printf 'a\tb\t2.000000\na\ta\t5.000000')" ]
	run -0 emb-sim -m "$DATA/cos3.txt" --metric l2 a b
	[ "$output" = "$(printf 'a\tb\t1.732051')" ]
}

@test "--ids names rows by number" {
	run -0 emb-sim -m "$DATA/cos3.txt" --ids 0 1
	[ "$output" = "$(printf '0\t1\t0.632456')" ]
}

@test "--matrix: aligned table and CSV" {
	run -0 emb-sim -m "$DATA/animals.vec" --matrix cat dog apple
	[ "${lines[0]}" = "             cat        dog      apple" ]
	[ "${lines[1]}" = "cat     1.000000   0.999400   0.045727" ]
	[ "${lines[3]}" = "apple   0.045727   0.021667   1.000000" ]
	run -0 emb-sim -m "$DATA/animals.vec" --matrix --csv <<<"cat dog"
	[ "$output" = "$(printf ',cat,dog\ncat,1.000000,0.999400\ndog,0.999400,1.000000')" ]
}

@test "--vectors --matrix with labels, --csv pairs" {
	run -0 emb-sim --vectors --matrix --csv "$DATA/cos3.txt"
	[ "$output" = "$(printf ',a,b\na,1.000000,0.632456\nb,0.632456,1.000000')" ]
	run -0 emb-sim --vectors --csv "$DATA/cos3.txt"
	[ "$output" = "a,b,0.632456" ]
	run -0 emb-sim --vectors --csv <<<"$(printf 'x,y 1 0\nb"c 0 1\n')"
	[ "$output" = '"x,y","b""c",0.000000' ]
}

@test "emb-lookup | emb-sim --vectors: text and binary streams" {
	run -0 bash -c "echo cat dog apple cat | emb-lookup -m '$DATA/animals.vec' -b --label | emb-sim --vectors"
	[ "$output" = "$(printf 'cat\tdog\t0.999400\napple\tcat\t0.045727')" ]
	run -0 bash -c "echo cat apple | emb-lookup -m '$DATA/animals.vec' | emb-sim --vectors"
	[ "$output" = "$(printf '1\t2\t0.045727')" ]
}

@test "unknown token: status 1 with file:line" {
	run -1 --separate-stderr emb-sim -m "$DATA/animals.vec" <<<"$(printf 'cat dog\ncat qwzx\n')"
	[ "$output" = "$(printf 'cat\tdog\t0.999400')" ]
	[ "$stderr" = 'emb-sim: <stdin>:2: unknown token "qwzx"' ]
	run -1 --separate-stderr emb-sim -m "$DATA/animals.vec" qwzx cat
	[ "$stderr" = 'emb-sim: unknown token "qwzx"' ]
}

@test "a line that is not a pair, an ID out of range" {
	run -1 --separate-stderr emb-sim -m "$DATA/animals.vec" <<<"cat dog apple"
	[ "$stderr" = 'emb-sim: <stdin>:1: expected 2 tokens, found 3' ]
	run -1 --separate-stderr emb-sim -m "$DATA/animals.vec" --ids 0 3
	[ "$stderr" = 'emb-sim: ID "3" is out of range (3 rows)' ]
}

@test "a zero vector under cosine is an error, under dot it is 0" {
	printf '2 2\nz 0 0\nu 1 0\n' >z.vec
	run -1 --separate-stderr emb-sim -m z.vec <<<"u z"
	[ "$stderr" = 'emb-sim: <stdin>:1: zero vector "z" under cosine' ]
	run -0 emb-sim -m z.vec --metric dot u z
	[ "$output" = "$(printf 'u\tz\t0.000000')" ]
}

@test "vectors: an odd count and a wrong dimension" {
	run -1 --separate-stderr emb-sim --vectors <<<"$(printf '1 0\n0 1\n1 1\n')"
	[ "$stderr" = 'emb-sim: <stdin>: odd number of vectors: row 3 has no partner' ]
	run -1 --separate-stderr emb-sim --vectors <<<"$(printf '1 0\n0 1\n1\n')"
	[ "$stderr" = 'emb-sim: <stdin>:3: expected 2 numbers, found 1 field' ]
	# two numbers, then a longer line: a header, but no valid one
	run -1 --separate-stderr emb-sim --vectors <<<"$(printf '1 0\na 1 2\n')"
	[ "$stderr" = 'emb-sim: <stdin>:1: malformed header "1 0": expected "N d", two whole numbers with d > 0' ]
}

@test "usage errors exit 2" {
	run -2 --separate-stderr emb-sim -m "$DATA/animals.vec" cat
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "emb-sim: tokens come in pairs: 1 given" ]
	run -2 emb-sim -m "$DATA/animals.vec" --metric cos cat dog
	[ "${lines[0]}" = 'emb-sim: --metric: "cos" is not one of cosine, dot, l2' ]
	run -2 emb-sim -m "$DATA/animals.vec" --restrict 10 cat dog
	[ "${lines[0]}" = 'emb-sim: conflicting options' ]
	run -2 emb-sim -m "$DATA/animals.vec" --restrict -1 --eval x
	[ "${lines[0]}" = 'emb-sim: --restrict: "-1" is too small (allowed 0-9223372036854775807)' ]
}

# a 4 x 2 table and a set with a tie, a case variant, an unknown word
evalfix() {
	printf '5 2\nsun 1 0\nmoon 0.8 0.6\nSky 0 1\nsea -1 0\nsky 0.6 0.8\n' >t.vec
	printf '# comment\nsun\tmoon\t8\nSUN,sky,6.5\nsun  sea   1\nmoon star 3\n\nmoon sky 8\n' >s.txt
}

@test "--eval: golden figures on a hand-checkable set" {
	evalfix
	# folded: sky is row 2 (Sky); cosines .8, 0, -1, .6 against 8, 6.5, 1, 8:
	# ranks 4 2 1 3 against 3.5 2 1 3.5 (scipy gives the same figures)
	run -0 --separate-stderr emb-sim -m t.vec --eval s.txt
	[ "$output" = "$(printf 'pairs\t5\nused\t4\noov\t1\noov_ratio\t20.000000\nspearman\t0.948683\nspearman_p\t0.0513167\npearson\t0.973317\npearson_p\t0.0266829')" ]
	# unfolded: sky is row 4; with dummy4unknown star scores 0
	run -0 emb-sim -m t.vec --eval s.txt --fold none --dummy4unknown
	[ "${lines[1]}" = "used	5" ]
	[ "${lines[2]}" = "oov	2" ]
	[ "${lines[3]}" = "oov_ratio	40.000000" ]
}

@test "--eval --restrict: rows past it are unknown; larger than V is all" {
	evalfix
	run -0 emb-sim -m t.vec --eval s.txt --restrict 2
	[ "${lines[1]}" = "used	1" ]
	run -1 --separate-stderr emb-sim -m t.vec --eval s.txt --restrict 1
	[ "$stderr" = "emb-sim: s.txt: no pair has both words in the vocabulary (5 pairs, 1 rows searched)" ]
	run -0 emb-sim -m t.vec --eval s.txt --restrict 100
	a=$output
	run -0 emb-sim -m t.vec --eval s.txt --restrict 0
	[ "$output" = "$a" ]
}

@test "--eval: malformed lines with file:line, an empty set" {
	printf '# only comments\n\n' >empty.tsv
	run -1 --separate-stderr emb-sim -m "$DATA/animals.vec" --eval empty.tsv
	[ "$stderr" = "emb-sim: empty.tsv: no word pairs" ]
	printf 'cat\tdog\t1\ncat\tdog\n' >two.tsv
	run -1 --separate-stderr emb-sim -m "$DATA/animals.vec" --eval two.tsv
	[ "$stderr" = "emb-sim: two.tsv:2: expected 3 fields (word, word, score), found 2" ]
	printf 'cat dog x1\n' >num.tsv
	run -1 --separate-stderr emb-sim -m "$DATA/animals.vec" --eval num.tsv
	[ "$stderr" = 'emb-sim: num.tsv:1: invalid score "x1"' ]
	run -1 --separate-stderr emb-sim -m "$DATA/animals.vec" --eval nosuch.tsv
	[ "$stderr" = "emb-sim: nosuch.tsv: No such file or directory" ]
}

@test "--eval agrees with gensim evaluate_word_pairs on WordSim-353" {
	need_py gensim
	"$PY" - "$DATA/wordsim353.tsv" >ws.vec <<'EOF'
import sys, numpy as np
# WordSim-353 words (5% left out) with case variants; scores correlate with the set's
rng = np.random.default_rng(7)
pairs = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if not l.startswith('#')]
words = sorted({w.lower() for a, b, s in pairs for w in (a, b)})
rng.shuffle(words)
words = words[: len(words) * 95 // 100]
V = {w: rng.standard_normal(20) for w in words}
for a, b, s in pairs:
    a, b = a.lower(), b.lower()
    if a in V and b in V:
        V[b] += float(s) / 10 * (V[a] - V[b]) * 0.3
names = list(words) + [w.upper() for w in words[::9]] + [w.capitalize() for w in words[4::13]]
rng.shuffle(names)
print(len(names), 20)
for n in names:
    v = V[n.lower()] + (rng.standard_normal(20) * 0.5 if n != n.lower() else 0)
    print(n, ' '.join('%.6f' % x for x in v))
EOF
	for args in "300000 upper 0" "250 upper 0" "300 none 0" "250 upper 1"; do
		set -- $args
		"$PY" - ws.vec "$DATA/wordsim353.tsv" $1 $2 $3 >g.out 2>/dev/null <<'EOF'
import sys
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1])
p, s, oov = kv.evaluate_word_pairs(sys.argv[2], restrict_vocab=int(sys.argv[3]),
    case_insensitive=sys.argv[4] == 'upper', dummy4unknown=sys.argv[5] == '1')
print("%.6f %.6f %.6f %.6g %.6g" % (s[0], p[0], oov, s[1], p[1]))
EOF
		d=
		[ "$3" = 1 ] && d=--dummy4unknown
		emb-sim -m ws.vec --eval "$DATA/wordsim353.tsv" --restrict $1 --fold $2 $d >o.out
		ours=$(awk '$1 == "spearman" { s = $2 } $1 == "pearson" { p = $2 } $1 == "oov_ratio" { o = $2 }
		    $1 == "spearman_p" { sp = $2 } $1 == "pearson_p" { pp = $2 }
		    END { print s, p, o, sp, pp }' o.out)
		echo "$args: gensim $(cat g.out) ours $ours"
		# rho, r and the OOV percentage to 1e-6 (printed with 6 decimals),
		# the p-values to 1e-4
		# relative (gensim's cosines are float32, ours double)
		awk -v o="$ours" '{
			split(o, x, " ")
			for (i = 1; i <= 3; i++) { d = x[i] - $i; if (d > 1.5e-6 || d < -1.5e-6) exit 1 }
			for (i = 4; i <= 5; i++) { d = x[i] - $i; if (d < 0) d = -d
				if (d > 1e-4 * ($i < 0 ? -$i : $i)) exit 1 }
		}' g.out
		[ -f o1.out ] || cp o.out o1.out
	done
	# the figures are not trivially equal: correlation is there
	run -0 awk '$1 == "spearman" && $2 > 0.3' o1.out
	[ -n "$output" ]
}

@test "empty stdin: no output, status 0" {
	run -0 --separate-stderr emb-sim -m "$DATA/animals.vec" </dev/null
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr emb-sim -m "$DATA/animals.vec" --matrix </dev/null
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "writing to a full disk exits 1" {
	run -1 --separate-stderr bash -c "emb-sim -m '$DATA/animals.vec' cat dog >/dev/full"
	[ "$stderr" = "emb-sim: <stdout>: No space left on device" ]
}

@test "a closed pipe ends quietly with status 0" {
	awk 'BEGIN { print 2000, 4; for (i = 0; i < 2000; i++) printf "w%d %d 1 2 3\n", i, i }' >big.vec
	awk 'BEGIN { for (i = 0; i < 40000; i++) printf "w%d w%d\n", i % 2000, (i * 7) % 2000 }' >pairs.txt
	run -0 --separate-stderr closed_pipe "emb-sim -m big.vec <pairs.txt"
	[ -z "$stderr" ]
}

@test "--odd-one-out agrees with gensim's doesnt_match, line by line" {
	need_py gensim
	"$PY" - >odd.vec 2>lines.txt <<'EOF'
import sys, numpy as np
# 300 words in 10 loose groups; 200 lines of 3 to 7 words, most from one
# group plus one from another, some drawn at random
rng = np.random.default_rng(11)
centres = rng.standard_normal((10, 24))
words = ["w%d" % i for i in range(300)]
vec = {w: centres[i % 10] + rng.standard_normal(24) * 0.9 for i, w in enumerate(words)}
print(len(words), 24)
for w in words:
    print(w, " ".join("%.6f" % x for x in vec[w]))
for l in range(200):
    n = int(rng.integers(3, 8))
    if l % 4 == 3:
        ws = list(rng.choice(words, n, replace=False))
    else:
        g = int(rng.integers(10))
        ws = [words[g + 10 * int(k)] for k in rng.choice(30, n - 1, replace=False)]
        ws.insert(int(rng.integers(n)), words[(g + 1 + int(rng.integers(9))) % 10 + 10 * int(rng.integers(30))])
    sys.stderr.write(" ".join(ws) + "\n")
EOF
	"$PY" - odd.vec lines.txt >gensim.txt 2>/dev/null <<'EOF'
import sys
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1])
for l in open(sys.argv[2]):
    print(kv.doesnt_match(l.split()))
EOF
	emb-sim -m odd.vec --odd-one-out <lines.txt >emb.txt
	[ "$(wc -l <emb.txt)" -eq 200 ]
	cmp emb.txt gensim.txt
	# the operands are one group
	run -0 emb-sim -m odd.vec --odd-one-out $(head -n 1 lines.txt)
	[ "$output" = "$(head -n 1 gensim.txt)" ]
}

@test "--odd-one-out: unknown tokens, zero vectors and other modes are refused" {
	printf '3 2\na 1 0\nb 0.9 0.1\nz 0 0\n' >z.vec
	run -0 emb-sim -m z.vec --odd-one-out a b
	[ "$output" = "a" ]
	printf 'a b\n\nb a\n' | emb-sim -m z.vec --odd-one-out >o.txt
	[ "$(cat o.txt)" = "$(printf 'a\na')" ]
	run -1 --separate-stderr emb-sim -m z.vec --odd-one-out a b z
	[ "$stderr" = "emb-sim: a zero vector: no odd one out" ]
	run -1 --separate-stderr sh -c 'printf "a b\na c\n" | emb-sim -m z.vec --odd-one-out'
	[ "$stderr" = 'emb-sim: <stdin>:2: unknown token "c"' ]
	for o in --matrix --csv "--metric dot" "--eval x.tsv"; do
		run -2 --separate-stderr emb-sim -m z.vec --odd-one-out $o a b
		[[ "$stderr" == "emb-sim: conflicting options"* ]]
	done
}
