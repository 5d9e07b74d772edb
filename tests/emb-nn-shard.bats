#!/usr/bin/env bats
# emb-nn --shard / --merge: sharded search gives the unsharded answer

load helper

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	awk 'BEGIN { for (i = 1; i <= 3000; i++) print "w" i }' >vocab.txt
	emb-init --vocab vocab.txt -d 24 --seed 11 -o t.safetensors
	awk 'BEGIN { for (i = 1; i <= 1000; i++) print "w" (i * 7 % 3000 + 1) }' >q.txt
}

# each test writes its outputs in its own directory, so that tests run
# in parallel (bats --jobs) do not overwrite each other's parts
setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	ln -s "$BATS_FILE_TMPDIR"/vocab.txt "$BATS_FILE_TMPDIR"/t.safetensors \
	    "$BATS_FILE_TMPDIR"/q.txt .
}

# unsharded, and sharded n ways then merged, with the same options
same() {
	local n=$1 i
	shift
	emb-nn -m t.safetensors "$@" <q.txt >full.out
	for i in $(seq 1 "$n"); do
		emb-nn -m t.safetensors "$@" --shard "$i/$n" <q.txt >"part$i"
	done
	local m=()
	for x in "$@"; do
		case $x in --restrict=*|--include-query) ;; *) m+=("$x") ;; esac
	done
	emb-nn --merge "${m[@]}" $(seq -f 'part%g' 1 "$n") >merged.out
	[ -s full.out ]
	cmp full.out merged.out
}

@test "1,000 queries: 3 shards merged equal one search, byte for byte" {
	same 3 -k 10
	[ "$(wc -l <full.out)" -eq 10000 ]
}

@test "the same for l2, dot with the query kept, CSV, k=1, 7 shards" {
	same 4 -k 5 --metric l2
	same 2 -k 3 --metric dot --include-query
	same 5 -k 4 --csv
	same 7 -k 1
}

@test "--restrict applies before the rows are split" {
	same 3 -k 6 --restrict=1000
}

@test "more shards than rows: empty shards print nothing" {
	printf '3 2\na 1 0\nb 0 1\nc 1 1\n' >tiny.vec
	emb-nn -m tiny.vec -k 2 a b c >full.out
	for i in 1 2 3 4 5; do
		emb-nn -m tiny.vec -k 2 --shard $i/5 a b c >p$i
	done
	[ ! -s p1 ]
	emb-nn --merge -k 2 p1 p2 p3 p4 p5 >merged.out
	cmp full.out merged.out
}

@test "a shard prints partial lists: query number, query, neighbour, exact score, row" {
	run -0 emb-nn -m "$DATA/e5x3.vec" -k 2 --shard 2/2 t0 t1
	# shard 2 of 2 holds rows 2-4; t1's two scores tie, the lower row first
	[ "$output" = "$(printf '0\tt0\tt4\t0.848528087\t4\n0\tt0\tt3\t0.774596632\t3\n1\tt1\tt2\t0.577350259\t2\n1\tt1\tt3\t0.577350259\t3')" ]
}

@test "GNU parallel runs the shards (on localhost, -S :) and the merge equals one run" {
	command -v parallel >/dev/null || skip "GNU parallel not installed"
	emb-nn -m t.safetensors -k 10 <q.txt >full.out
	parallel --will-cite -S : -j 2 \
	    "cd '$PWD' && emb-nn -m t.safetensors -k 10 --shard {}/4 <q.txt >part{}" ::: 1 2 3 4
	emb-nn --merge -k 10 part1 part2 part3 part4 >merged.out
	cmp full.out merged.out
}

@test "bad shard specs and merge input" {
	run -2 --separate-stderr emb-nn -m t.safetensors --shard 0/3 w1
	[[ "$stderr" == 'emb-nn: --shard: "0/3" is not I/N with 1 <= I <= N'* ]]
	run -2 --separate-stderr emb-nn -m t.safetensors --shard 4/3 w1
	[[ "$stderr" == 'emb-nn: --shard: "4/3" is not I/N'* ]]
	run -2 --separate-stderr emb-nn --merge
	[[ "$stderr" == "emb-nn: --merge needs the partial lists as operands"* ]]
	run -2 --separate-stderr emb-nn --merge -m t.safetensors part1
	[[ "$stderr" == "emb-nn: conflicting options"* ]]
	printf 'w1\tw2\t0.5\n' >bad.part
	run -1 --separate-stderr emb-nn --merge bad.part
	[ "$stderr" = "emb-nn: bad.part:1: not a partial list line (query number, query, neighbour, score, row)" ]
	printf '1\tw1\tw2\t0.5\t2\n0\tw3\tw2\t0.5\t2\n' >order.part
	run -1 --separate-stderr emb-nn --merge order.part
	[ "$stderr" = "emb-nn: order.part:2: query 0 after query 1: partial lists must keep the queries' order" ]
	printf '0\tw1\tw2\t0.5\t2\n' >a.part
	printf '0\tw9\tw2\t0.5\t2\n' >b.part
	run -1 --separate-stderr emb-nn --merge a.part b.part
	[ "$stderr" = 'emb-nn: b.part:1: query 0 is "w9" here but "w1" in another list' ]
	run -1 --separate-stderr emb-nn --merge nosuch.part
	[ "$stderr" = "emb-nn: nosuch.part: No such file or directory" ]
}
