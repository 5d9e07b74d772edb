#!/usr/bin/env bats
# emb-analogy: analogies, expressions, and Google-set evaluation

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# a 3-d table to check by hand: woman - man + king = queen, and King (a
# case variant of king) is what boy - man + king comes closest to
tiny() {
	cat >tiny.vec <<'EOF'
7 3
man 1 0 0
woman 1 1 0
king 1 0 1
queen 1 1 1
King 1 0.3 1
boy 1 0 -0.5
girl 1 1 -0.5
EOF
	printf ': family\nman woman king queen\nMAN WOMAN KING QUEEN\n\nman woman king prince\nman boy king queen\n: gram\nwoman man queen king\nboy girl man woman\n' >tiny.txt
}

@test "seed: t0 - t1 + t2 in the 5x3 table" {
	run -0 --separate-stderr emb-analogy -m "$DATA/e5x3.vec" -k 2 't0 - t1 + t2'
	[ "$output" = "$(printf 't0 - t1 + t2\tt4\t0.995525\nt0 - t1 + t2\tt3\t0.345254')" ]
	[ -z "$stderr" ]
	# the words of an expression may also be separate operands
	run -0 emb-analogy -m "$DATA/e5x3.vec" -k 1 t0 - t1 + t2
	[ "$output" = "$(printf 't0 - t1 + t2\tt4\t0.995525')" ]
}

@test "a b c is b - a + c, inputs left out" {
	tiny
	run -0 emb-analogy -m tiny.vec -k 3 man woman king
	[ "$output" = "$(printf 'man woman king\tqueen\t0.975287\nman woman king\tKing\t0.852157\nman woman king\tgirl\t0.472883')" ]
	run -0 emb-analogy -m tiny.vec -k 1 'king - man + woman'
	[ "$output" = "$(printf 'king - man + woman\tqueen\t0.975287')" ]
}

@test "-k larger than what is left prints what is left" {
	run -0 emb-analogy -m "$DATA/e5x3.vec" -k 100 t0 t1 t2
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$(printf 't0 t1 t2\tt3\t0.071346')" ]
}

@test "--method mul: 3CosMul" {
	run -0 emb-analogy -m "$DATA/e5x3.vec" --method mul -k 2 t0 t1 t2
	[ "$output" = "$(printf 't0 t1 t2\tt3\t0.592566\nt0 t1 t2\tt4\t0.252485')" ]
}

@test "queries from stdin, one per line, blank lines skipped" {
	run -0 emb-analogy -m "$DATA/e5x3.vec" -k 1 <<<"$(printf 't0 t1 t2\n\nt1 + t2\n- t0\n')"
	[ "$output" = "$(printf 't0 t1 t2\tt3\t0.071346\nt1 + t2\tt3\t0.512730\n- t0\tt1\t0.000000')" ]
}

@test "the thread count does not change the answers" {
	tiny
	run -0 emb-analogy -m tiny.vec --threads 1 -k 4 man boy king
	a=$output
	run -0 emb-analogy -m tiny.vec --threads 2 -k 4 man boy king
	[ "$output" = "$a" ]
}

@test "bad queries: unknown token, zero vector, malformed" {
	run -1 --separate-stderr emb-analogy -m "$DATA/e5x3.vec" <<<"$(printf 't0 t1 t2\nt0 qwzx t2\n')"
	[ "$stderr" = 'emb-analogy: <stdin>:2: unknown token "qwzx"' ]
	run -1 --separate-stderr emb-analogy -m "$DATA/e5x3.vec" <<<"t0 + + t1"
	[ "$stderr" = 'emb-analogy: <stdin>:1: two operators in a row' ]
	run -1 --separate-stderr emb-analogy -m "$DATA/e5x3.vec" <<<"t0 t1"
	[ "$stderr" = 'emb-analogy: <stdin>:1: expected three words (a b c) or an expression' ]
	printf '3 2\nz 0 0\nu 1 0\nv 0 1\n' >z.vec
	run -1 --separate-stderr emb-analogy -m z.vec u v z
	[ "$stderr" = 'emb-analogy: zero vector "z"' ]
}

@test "usage errors exit 2" {
	run -2 --separate-stderr emb-analogy -m "$DATA/e5x3.vec" t0 t1
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = 'emb-analogy: expected three words (a b c) or an expression' ]
	run -2 emb-analogy -m "$DATA/e5x3.vec" -k 0 t0 t1 t2
	[ "${lines[0]}" = 'emb-analogy: -k: "0" is too small (allowed 1-2147483647)' ]
	run -2 emb-analogy -m "$DATA/e5x3.vec" --compat w2v t0 t1 t2
	[ "${lines[0]}" = 'emb-analogy: conflicting options' ]
	run -2 emb-analogy -m "$DATA/e5x3.vec" --eval x --compat glove
	[ "${lines[0]}" = 'emb-analogy: --compat: "glove" is not one of w2v, gensim' ]
	run -2 emb-analogy -m "$DATA/e5x3.vec" --method div t0 t1 t2
	[ "${lines[0]}" = 'emb-analogy: --method: "div" is not one of add, mul' ]
}

@test "--eval: golden counts; w2v lets a case variant of an input win" {
	tiny
	run -0 --separate-stderr emb-analogy -m tiny.vec --eval tiny.txt
	[ "$output" = "$(printf 'family: 100.00%% (3/3)\ngram: 100.00%% (2/2)\nsemantic: 100.00%% (5/5)\nsyntactic: n/a (0/0)\ntotal: 100.00%% (5/5)\nquestions seen/total: 5/6 (83.33%%)')" ]
	[ -z "$stderr" ]
	# boy - man + king: King first, which compute-accuracy counts wrong
	run -0 emb-analogy -m tiny.vec --eval tiny.txt --compat w2v
	[ "${lines[0]}" = "family: 66.67% (2/3)" ]
	[ "${lines[4]}" = "total: 80.00% (4/5)" ]
	# dummy4unknown: prince counts as wrong
	run -0 emb-analogy -m tiny.vec --eval tiny.txt --dummy4unknown
	[ "${lines[0]}" = "family: 75.00% (3/4)" ]
	# fold none: MAN WOMAN KING QUEEN is unknown
	run -0 emb-analogy -m tiny.vec --eval tiny.txt --fold none
	[ "${lines[5]}" = "questions seen/total: 4/6 (66.67%)" ]
}

@test "--eval --restrict: rows past it are unknown; larger than V is all" {
	tiny
	run -0 emb-analogy -m tiny.vec --eval tiny.txt --restrict 4
	[ "${lines[5]}" = "questions seen/total: 3/6 (50.00%)" ]
	[ "${lines[1]}" = "gram: 100.00% (1/1)" ]
	run -0 emb-analogy -m tiny.vec --eval tiny.txt --restrict 1000
	a=$output
	run -0 emb-analogy -m tiny.vec --eval tiny.txt --restrict 0
	[ "$output" = "$a" ]
}

@test "--eval: empty set, malformed lines with file:line" {
	printf ': empty\n\n' >e.txt
	run -1 --separate-stderr emb-analogy -m "$DATA/e5x3.vec" --eval e.txt
	[ "$stderr" = "emb-analogy: e.txt: no questions" ]
	printf ': s\nt0 t1 t2 t3\nt0 t1 t2\n' >m.txt
	run -1 --separate-stderr emb-analogy -m "$DATA/e5x3.vec" --eval m.txt
	[ "$stderr" = "emb-analogy: m.txt:3: expected 4 words (a b c d), found 3" ]
	printf 't0 t1 t2 t3\n' >h.txt
	run -1 --separate-stderr emb-analogy -m "$DATA/e5x3.vec" --eval h.txt
	[ "$stderr" = 'emb-analogy: h.txt:1: question before the first section line (": name")' ]
}

# a table over the Google set's words where analogies partly hold
# (y ~ x + section offset), 5% of the words missing, case variants
mkqw() {
	"$PY" - "$DATA/questions-words.txt" >qw.vec <<'EOF'
import sys, numpy as np
rng = np.random.default_rng(3)
pairs, words, idx, sec = [], [], {}, -1
def wid(w):
    w = w.lower()
    if w not in idx:
        idx[w] = len(words); words.append(w)
    return idx[w]
for line in open(sys.argv[1]):
    if line.startswith(':'):
        sec += 1; continue
    a, b, c, d = line.split()
    pairs += [(wid(a), wid(b), sec), (wid(c), wid(d), sec)]
pairs = np.array(sorted(set(pairs)))
d = 16
V = rng.standard_normal((len(words), d))
off = rng.standard_normal((sec + 1, d)) * 1.5
for epoch in range(40):
    err = V[pairs[:, 1]] - V[pairs[:, 0]] - off[pairs[:, 2]]
    np.add.at(V, pairs[:, 1], -0.05 * err)
    np.add.at(V, pairs[:, 0], 0.05 * err)
V += rng.standard_normal(V.shape) * 0.35
keep = rng.permutation(len(words))[: len(words) * 95 // 100]
names = [words[i] for i in keep]; vecs = [V[i] for i in keep]
for j in range(0, len(keep), 6):
    names.append(words[keep[j]].upper() if j % 12 else words[keep[j]].capitalize())
    vecs.append(V[keep[j]] + rng.standard_normal(d) * 0.15)
order = rng.permutation(len(names))
print(len(names), d)
for i in order:
    print(names[i], ' '.join('%.6f' % x for x in vecs[i]))
EOF
}

@test "--eval agrees with gensim evaluate_word_analogies, section by section" {
	need_py gensim
	mkqw
	for args in "300000 upper 0" "600 upper 0" "700 none 0" "500 upper 1"; do
		set -- $args
		"$PY" - qw.vec "$DATA/questions-words.txt" $1 $2 $3 >g.out 2>/dev/null <<'EOF'
import sys
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1])
score, secs = kv.evaluate_word_analogies(sys.argv[2], restrict_vocab=int(sys.argv[3]),
    case_insensitive=sys.argv[4] == 'upper', dummy4unknown=sys.argv[5] == '1')
tot = secs.pop()
agg = [[0, 0], [0, 0]]
for i, s in enumerate(secs):
    c, n = len(s['correct']), len(s['correct']) + len(s['incorrect'])
    print("%s: %s (%d/%d)" % (s['section'], "%.2f%%" % (100.0 * c / n) if n else "n/a", c, n))
    agg[i >= 5][0] += c; agg[i >= 5][1] += n
for name, (c, n) in zip(("semantic", "syntactic"), agg):
    print("%s: %.2f%% (%d/%d)" % (name, 100.0 * c / n if n else 0, c, n))
c, n = len(tot['correct']), len(tot['correct']) + len(tot['incorrect'])
print("total: %.2f%% (%d/%d)" % (100.0 * c / n if n else 0, c, n))
EOF
		d=
		[ "$3" = 1 ] && d=--dummy4unknown
		emb-analogy -m qw.vec --eval "$DATA/questions-words.txt" --compat gensim \
		    --restrict $1 --fold $2 $d >o.out
		echo "== $args"
		diff g.out <(head -n -1 o.out)
	done
	# not a trivial agreement: about half right over 16,000 questions
	run -0 emb-analogy -m qw.vec --eval "$DATA/questions-words.txt" --compat gensim
	[ "${lines[16]}" = "total: 49.80% (8033/16131)" ]
	[ "${lines[17]}" = "questions seen/total: 16131/19544 (82.54%)" ]
}

@test "--compat w2v agrees with compute-accuracy.c's rules (numpy re-statement)" {
	need_py numpy
	mkqw
	"$PY" - qw.vec "$DATA/questions-words.txt" 30000 >g.out <<'EOF'
import sys, numpy as np
# compute-accuracy.c: first N rows, upper-cased, first match wins, unit rows,
# b - a + c scored by dot, the 3 input rows excluded, best must beat 0
lines = open(sys.argv[1]).read().split('\n')
V, d = map(int, lines[0].split()); N = min(V, int(sys.argv[3]))
rows = [l.split(' ') for l in lines[1:N + 1]]
words = [r[0].upper() for r in rows]
M = np.array([[float(x) for x in r[1:]] for r in rows], dtype=np.float32)
M /= np.linalg.norm(M, axis=1, keepdims=True)
first = {}
for i, w in enumerate(words):
    first.setdefault(w, i)
secs, qid = [], 0
for line in open(sys.argv[2]):
    t = line.split()
    if not t: continue
    if t[0] == ':':
        secs.append([t[1], 0, 0]); continue
    t = [w.upper() for w in t]
    if any(w not in first for w in t): continue
    a, b, c = (first[w] for w in t[:3])
    s = M @ (M[b] - M[a] + M[c])
    s[[a, b, c]] = -np.inf
    best = int(np.argmax(s))
    secs[-1][2] += 1
    secs[-1][1] += bool(s[best] > 0 and words[best] == t[3])
for name, c, n in secs:
    print("%s: %s (%d/%d)" % (name, "%.2f%%" % (100.0 * c / n) if n else "n/a", c, n))
EOF
	emb-analogy -m qw.vec --eval "$DATA/questions-words.txt" --compat w2v >o.out
	diff g.out <(head -n 14 o.out)
	# and the counting differs from gensim's where a case variant wins
	run -0 emb-analogy -m qw.vec --eval "$DATA/questions-words.txt" --compat w2v
	[ "${lines[16]}" = "total: 49.57% (7996/16131)" ]
}

@test "--method mul agrees with gensim most_similar_cosmul" {
	need_py gensim
	tiny
	"$PY" - tiny.vec >g.out 2>/dev/null <<'EOF'
import sys
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1])
for a, b, c in (("man", "woman", "king"), ("man", "boy", "king"), ("boy", "girl", "man")):
    for w, s in kv.most_similar_cosmul(positive=[b, c], negative=[a], topn=3):
        print("%s %s %s\t%s\t%.6f" % (a, b, c, w, s))
EOF
	run -0 emb-analogy -m tiny.vec --method mul -k 3 <<<"$(printf 'man woman king\nman boy king\nboy girl man\n')"
	[ "$output" = "$(cat g.out)" ]
}

@test "writing to a full disk exits 1" {
	run -1 --separate-stderr bash -c "emb-analogy -m '$DATA/e5x3.vec' t0 t1 t2 >/dev/full"
	[ "$stderr" = "emb-analogy: <stdout>: No space left on device" ]
}

@test "a closed pipe ends quietly with status 0" {
	awk 'BEGIN { print 500, 4; for (i = 0; i < 500; i++) printf "w%d %d %d 1 %d\n", i, i % 7, i % 11, i % 5 + 1 }' >big.vec
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "w%d w%d w%d\n", i % 500, (i * 7) % 500, (i * 13 + 1) % 500 }' >q.txt
	run -0 --separate-stderr closed_pipe "emb-analogy -m big.vec -k 10 <q.txt"
	[ -z "$stderr" ]
}
