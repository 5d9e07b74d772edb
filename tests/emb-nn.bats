#!/usr/bin/env bats
# emb-nn: nearest neighbours

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# a random V x d table in word2vec text format (tokens w0, w1, ...)
randvec() {
	"$PY" - "$1" "$2" "$3" >"$4" <<-'EOF'
	import sys
	import numpy as np
	V, d, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
	x = np.random.default_rng(seed).standard_normal((V, d)).astype(np.float32)
	print(V, d)
	for i in range(V):
	    print("w%d" % i, " ".join(repr(float(v)) for v in x[i]))
	EOF
}

@test "seed: the dog is nearer to the cat than the apple is" {
	run -0 --separate-stderr emb-nn -m "$DATA/animals.vec" cat
	[ "$output" = "$(printf 'cat\tdog\t0.999400\ncat\tapple\t0.045727')" ]
	[ -z "$stderr" ]
}

@test "seed: cos([2,0,1], [1,1,0]) = 2/sqrt(10) = 0.632456" {
	run -0 emb-nn -m "$DATA/cos3.txt" a b
	[ "$output" = "$(printf 'a\tb\t0.632456\nb\ta\t0.632456')" ]
}

@test "l2 distances on the 5x3 table, by ID, smallest first" {
	# t2 = [-1,1,1]: t1 differs by [-1,0,1], t0 by [-2,1,-1], t4 by [-1,2,-2]
	run -0 emb-nn -m "$DATA/e5x3.vec" --ids --metric l2 -k 3 2
	[ "$output" = "$(printf '2\t1\t1.414214\n2\t0\t2.449490\n2\t4\t3.000000')" ]
}

@test "dot products on the 5x3 table" {
	# t3 = [2,2,2]: t0 6, t4 4, t2 2, t1 2 (tie: lower row first)
	run -0 emb-nn -m "$DATA/e5x3.vec" --metric dot t3
	[ "$output" = "$(printf 't3\tt0\t6.000000\nt3\tt4\t4.000000\nt3\tt1\t2.000000\nt3\tt2\t2.000000')" ]
}

@test "equal scores are ordered by row" {
	printf 'q 1 0\nb 1 1\na 1 1\nc 0 1\n' >t.vec
	run -0 emb-nn -m t.vec -k 2 q
	[ "$output" = "$(printf 'q\tb\t0.707107\nq\ta\t0.707107')" ]
}

@test "stdin: every token is a query; -k 1" {
	run -0 emb-nn -m "$DATA/animals.vec" -k 1 <<<"$(printf 'cat dog\n\napple\n')"
	[ "$output" = "$(printf 'cat\tdog\t0.999400\ndog\tcat\t0.999400\napple\tcat\t0.045727')" ]
}

@test "--csv quotes tokens where needed" {
	printf 'a,b 1 0\nc"d 1 1\n' >t.vec
	run -0 emb-nn -m t.vec --csv 'a,b'
	[ "$output" = "$(printf '"a,b","c""d",0.707107')" ]
}

@test "--include-query keeps the query's own row" {
	run -0 emb-nn -m "$DATA/animals.vec" --include-query -k 1 dog
	[ "$output" = "$(printf 'dog\tdog\t1.000000')" ]
}

@test "vectors from emb-lookup: labelled text, unlabelled text, binary" {
	run -0 bash -c "echo cat | emb-lookup -m '$DATA/animals.vec' --label | emb-nn -m '$DATA/animals.vec'"
	[ "$output" = "$(printf 'cat\tdog\t0.999400\ncat\tapple\t0.045727')" ]
	# unlabelled: named by row, nothing left out
	run -0 bash -c "echo apple | emb-lookup -m '$DATA/animals.vec' | emb-nn -m '$DATA/animals.vec' -k 2"
	[ "$output" = "$(printf '1\tapple\t1.000000\n1\tcat\t0.045727')" ]
	run -0 bash -c "echo dog apple | emb-lookup -b --label -m '$DATA/animals.vec' | emb-nn -m '$DATA/animals.vec' -k 1"
	[ "$output" = "$(printf 'dog\tcat\t0.999400\napple\tcat\t0.045727')" ]
}

@test "a word2vec header line before vectors is skipped" {
	run -0 emb-nn -m "$DATA/e5x3.vec" -k 1 --metric l2 <<<"$(printf '1 3\nx 1 0 2.5\n')"
	[ "$output" = "$(printf 'x\tt0\t0.500000')" ]
	# blank lines before the first vector; unlabelled rows are numbered
	run -0 emb-nn -m "$DATA/e5x3.vec" -k 1 --metric l2 <<<"$(printf '\n \n1 0 2.5\n\n0 1 0.5\n')"
	[ "$output" = "$(printf '1\tt0\t0.500000\n2\tt1\t0.500000')" ]
}

@test "--tokens reads number-like lines as tokens" {
	# tokens that are numbers: the header says d (without it every
	# field would be a number, emb-formats(5))
	printf '3 2\n1 1 0\n2 0 1\n3 1 1\n' >n.vec
	run -0 emb-nn -m n.vec --tokens -k 1 <<<"1 2"
	[ "$output" = "$(printf '1\t3\t0.707107\n2\t3\t0.707107')" ]
}

@test "--restrict searches the first N rows only; past V it is all rows" {
	run -0 emb-nn -m "$DATA/e5x3.vec" --restrict 2 t3
	[ "$output" = "$(printf 't3\tt0\t0.774597\nt3\tt1\t0.577350')" ]
	run -0 emb-nn -m "$DATA/e5x3.vec" --restrict 100 -k 1 t3
	[ "$output" = "$(printf 't3\tt0\t0.774597')" ]
}

@test "k larger than the table prints every other row" {
	run -0 emb-nn -m "$DATA/animals.vec" -k 1000 apple
	[ "${#lines[@]}" -eq 2 ]
	run -0 emb-nn -m "$DATA/animals.vec" -k 1000 --include-query apple
	[ "${#lines[@]}" -eq 3 ]
}

@test "the model comes from EMB_MODEL" {
	EMB_MODEL="$DATA/animals.vec" run -0 emb-nn -k 1 cat
	[ "$output" = "$(printf 'cat\tdog\t0.999400')" ]
}

@test "empty input: no output, status 0" {
	run -0 --separate-stderr emb-nn -m "$DATA/animals.vec" </dev/null
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "unknown token: file:line, after the queries before it" {
	run -1 --separate-stderr emb-nn -m "$DATA/animals.vec" -k 1 <<<"$(printf 'cat\ndog\nqwzx\napple\n')"
	[ "$stderr" = 'emb-nn: <stdin>:3: unknown token "qwzx"' ]
	[ "$output" = "$(printf 'cat\tdog\t0.999400\ndog\tcat\t0.999400')" ]
	run -1 --separate-stderr emb-nn -m "$DATA/animals.vec" qwzx
	[ "$stderr" = 'emb-nn: unknown token "qwzx"' ]
}

@test "--oov skip warns and goes on" {
	run -0 --separate-stderr emb-nn -m "$DATA/animals.vec" -k 1 --oov skip <<<"$(printf 'qwzx\napple\n')"
	[ "$stderr" = 'emb-nn: <stdin>:1: unknown token "qwzx" skipped' ]
	[ "$output" = "$(printf 'apple\tcat\t0.045727')" ]
	run -0 --separate-stderr emb-nn -m "$DATA/animals.vec" -q --oov skip qwzx
	[ -z "$stderr" ]
	[ -z "$output" ]
}

@test "a vector of the wrong dimension" {
	run -1 --separate-stderr emb-nn -m "$DATA/animals.vec" <<<"$(printf 'x 1 2 3 4 5\ny 1 2 3\n')"
	[ "$stderr" = 'emb-nn: <stdin>:2: expected 5 numbers, found 4 fields' ]
	printf 'EMBV\001\000\000\000\003\000\000\000' >v.bin
	run -1 --separate-stderr emb-nn -m "$DATA/animals.vec" <v.bin
	[ "$stderr" = 'emb-nn: <stdin>: vectors have 3 dimensions, expected 5' ]
}

@test "a zero vector has no cosine" {
	run -1 --separate-stderr emb-nn -m "$DATA/e5x3.vec" <<<"$(printf 'a 1 1 1\nb 0 0 0\n')"
	[ "$stderr" = 'emb-nn: <stdin>:2: zero vector: no cosine' ]
	printf 'a 1 0\nz 0 0\nb 1 1\n' >z.vec
	run -1 --separate-stderr emb-nn -m z.vec z
	[ "$stderr" = 'emb-nn: "z" is a zero vector: no cosine' ]
	# a zero row scores 0; under dot and l2 a zero query is fine
	run -0 emb-nn -m z.vec a
	[ "$output" = "$(printf 'a\tb\t0.707107\na\tz\t0.000000')" ]
	run -0 emb-nn -m z.vec --metric l2 -k 1 z
	[ "$output" = "$(printf 'z\ta\t1.000000')" ]
}

@test "IDs out of range or malformed" {
	run -1 --separate-stderr emb-nn -m "$DATA/e5x3.vec" --ids <<<"$(printf '1\n5\n')"
	[[ $stderr == 'emb-nn: <stdin>:2: '*'"5" (table has 5 rows)' ]]
	run -1 --separate-stderr emb-nn -m "$DATA/e5x3.vec" --ids x
	[[ $stderr == 'emb-nn: '*'"x" (table has 5 rows)' ]]
}

@test "usage errors exit 2 with the usage" {
	run -2 --separate-stderr emb-nn -m "$DATA/e5x3.vec" -k 0 t0
	[ "${stderr%%$'\n'*}" = 'emb-nn: -k: "0" is too small (allowed 1-9223372036854775807)' ]
	[ -z "$output" ]
	run -2 --separate-stderr emb-nn -m "$DATA/e5x3.vec" --metric manhattan t0
	[ "${stderr%%$'\n'*}" = 'emb-nn: --metric: "manhattan" is not one of cosine, dot, l2' ]
	run -2 --separate-stderr emb-nn -m "$DATA/e5x3.vec" --ids --vectors
	[ "${stderr%%$'\n'*}" = 'emb-nn: conflicting options' ]
	run -2 --separate-stderr emb-nn -m "$DATA/e5x3.vec" --threads -1 t0
	[[ ${stderr%%$'\n'*} == 'emb-nn: --threads: "-1" '* ]]
	run -2 --separate-stderr emb-nn t0
	[ "${stderr%%$'\n'*}" = 'emb-nn: no model: give -m FILE or set EMB_MODEL' ]
	run -2 --separate-stderr emb-nn -z
	[[ ${stderr%%$'\n'*} == *"invalid option -- 'z'" ]]
}

@test "a table without vocabulary: IDs and vectors, not tokens" {
	emb-init -V 50 -d 8 -o anon.safetensors
	run -0 emb-nn -m anon.safetensors --ids -k 2 3
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} == "3	"* ]]
	# a vector labelled with its ID leaves that row out
	run -0 bash -c "echo 3 | emb-lookup -m anon.safetensors --ids --label | emb-nn -m anon.safetensors -k 2"
	[ "$output" = "$(emb-nn -m anon.safetensors --ids -k 2 3)" ]
	run -1 --separate-stderr emb-nn -m anon.safetensors t3
	[ "$stderr" = 'emb-nn: anon.safetensors: the table has no vocabulary: give IDs with --ids' ]
}

@test "a missing model" {
	run -1 --separate-stderr emb-nn -m nosuch.vec t0
	[[ $stderr == 'emb-nn: nosuch.vec: '* ]]
}

@test "the same bits for 1, 2 and 3 threads, and for one block or many" {
	randvec 3000 40 7 t.vec
	seq 0 2999 >ids.txt
	emb-nn -m t.vec --ids --threads 1 <ids.txt >a.txt
	emb-nn -m t.vec --ids --threads 2 <ids.txt >b.txt
	emb-nn -m t.vec --ids --threads 3 <ids.txt >c.txt
	cmp a.txt b.txt
	cmp a.txt c.txt
	[ "$(wc -l <a.txt)" -eq 30000 ]
	# one query at a time gives the same as a block of 3000
	for i in 17 1234 2999; do
		[ "$(emb-nn -m t.vec --ids "$i")" = "$(grep "^$i	" a.txt)" ]
	done
	emb-nn -m t.vec --ids --metric l2 --threads 1 <ids.txt >a.txt
	emb-nn -m t.vec --ids --metric l2 --threads 2 <ids.txt >b.txt
	cmp a.txt b.txt
}

@test "F16 and BF16 tables: the same results as their values in F32" {
	randvec 700 37 9 t.vec
	seq 0 699 >ids.txt
	for dt in f16 bf16; do
		emb-init --from t.vec --dtype "$dt" -o "t-$dt.safetensors"
		emb-lookup --all -m "t-$dt.safetensors" >"r-$dt.vec"
		for m in cosine dot l2; do
			emb-nn -m "t-$dt.safetensors" --ids --metric "$m" -k 5 <ids.txt >a.txt
			emb-nn -m "r-$dt.vec" --ids --metric "$m" -k 5 <ids.txt >b.txt
			cmp a.txt b.txt
			[ "$(wc -l <a.txt)" -eq 3500 ]
		done
	done
}

@test "agrees with gensim most_similar: neighbours and scores to 1e-5" {
	need_py gensim
	randvec 2000 50 11 t.vec
	printf 'w%d\n' 0 1 2 3 500 999 1500 1999 >q.txt
	emb-nn -m t.vec -k 10 <q.txt >ours.txt
	emb-nn -m t.vec -k 10 --restrict 700 <q.txt >ours-r.txt
	run -0 "$PY" - <<-'EOF'
	from gensim.models import KeyedVectors
	kv = KeyedVectors.load_word2vec_format("t.vec")
	def check(path, restrict):
	    ours = [l.rstrip("\n").split("\t") for l in open(path)]
	    words = [l.strip() for l in open("q.txt")]
	    theirs = [(w, n, s) for w in words
	              for n, s in kv.most_similar(w, topn=10, restrict_vocab=restrict)]
	    assert len(ours) == len(theirs) == 80, (len(ours), len(theirs))
	    for (q, n, s), (q2, n2, s2) in zip(ours, theirs):
	        assert q == q2 and n == n2, (q, n, q2, n2)
	        assert abs(float(s) - s2) < 1e-5, (q, n, s, s2)
	check("ours.txt", None)
	check("ours-r.txt", 700)
	print("ok")
	EOF
	[ "$output" = ok ]
}

@test "agrees with numpy on dot and l2 over a random table" {
	need_py numpy
	randvec 500 30 5 t.vec
	emb-nn -m t.vec --metric dot -k 5 w0 w7 w499 >dot.txt
	emb-nn -m t.vec --metric l2 -k 5 w0 w7 w499 >l2.txt
	run -0 "$PY" - <<-'EOF'
	import numpy as np
	rows = [l.split() for l in open("t.vec")][1:]
	x = np.array([[float(v) for v in r[1:]] for r in rows])
	for path, metric in (("dot.txt", "dot"), ("l2.txt", "l2")):
	    ours = [l.split("\t") for l in open(path)]
	    for j, q in enumerate((0, 7, 499)):
	        if metric == "dot":
	            s = x @ x[q]
	            s[q] = -np.inf
	            order = np.argsort(-s, kind="stable")[:5]
	        else:
	            s = np.sqrt(((x - x[q]) ** 2).sum(1))
	            s[q] = np.inf
	            order = np.argsort(s, kind="stable")[:5]
	        for i, r in enumerate(order):
	            q2, n, sc = ours[j * 5 + i]
	            assert n == "w%d" % r, (path, q, n, r)
	            assert abs(float(sc) - s[r]) < 1e-4, (path, q, sc, s[r])
	print("ok")
	EOF
	[ "$output" = ok ]
}

@test "a closed pipe ends quietly with status 0; a full disk is an error" {
	randvec 2000 8 3 t.vec
	seq 0 1999 >ids.txt
	run -0 --separate-stderr closed_pipe "emb-nn -m t.vec --ids -k 20 <ids.txt"
	[ -z "$stderr" ]
	run -1 --separate-stderr bash -c "emb-nn -m t.vec --ids -k 20 <ids.txt >/dev/full"
	[ "$stderr" = 'emb-nn: <stdout>: No space left on device' ]
}

@test "EMB_ISA: every kernel the CPU has finds the same neighbours; a bad name is a usage error" {
	randvec 300 37 5 r.vec
	emb-nn -m r.vec -k 5 w1 w7 w99 >auto.txt
	for isa in scalar avx2 avx512; do
		if EMB_ISA=$isa emb-nn -m r.vec -k 5 w1 w7 w99 >"$isa.txt" 2>err; then
			# the same rows in the same order (scores may differ in the last bits)
			diff <(cut -f1,2 auto.txt) <(cut -f1,2 "$isa.txt")
		else
			[[ $(cat err) == "emb-nn: EMB_ISA: this CPU lacks $isa (it has "*")" ]]
		fi
	done
	run -2 env EMB_ISA=sse2 emb-nn -m r.vec w1
	[ "$output" = "emb-nn: EMB_ISA: unknown instruction set 'sse2' (auto, scalar, avx2 or avx512)" ]
}
