#!/usr/bin/env bats
# emb-info: what a table holds

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "a word2vec text table: rows, dim, vocab, norms" {
	run -0 --separate-stderr emb-info "$DATA/e5x3.vec"
	[ -z "$stderr" ]
	[[ "$output" == *$'format\tword2vec-text\n'* ]]
	[[ "$output" == *$'rows\t5\ndim\t3\ndtype\tF32\nvocab\t5\ncounts\tnone\noutput\tno\n'* ]]
	# norms of [1 0 2] [0 1 0] [-1 1 1] [2 2 2] [0 -1 3]
	[[ "$output" == *$'norm-min\t1\nnorm-mean\t2.3189\nnorm-max\t3.4641\nzero-rows\t0\nnonfinite-rows\t0\nnormalized\tno'* ]]
}

@test "a native model: tensors, metadata, dtype; --normalize shows" {
	emb-init --from "$DATA/animals.vec" --normalize --dtype bf16 -o a.safetensors
	run -0 emb-info a.safetensors
	[[ "$output" == *$'format\tsafetensors\n'* ]]
	[[ "$output" == *$'dtype\tBF16\n'* ]]
	[[ "$output" == *$'tensor\tembeddings BF16 [3, 5]\n'* ]]
	[[ "$output" == *$'tensor\tvocab U8 [14]'* ]]
	[[ "$output" == *$'meta\tformat=emb'* ]]
	emb-init --from "$DATA/animals.vec" --normalize -o n.safetensors
	run -0 emb-info n.safetensors
	[[ "$output" == *$'normalized\tyes'* ]]
}

@test "--json is one valid JSON object per file" {
	need_py json
	emb-init -V 4 -d 2 --seed 3 -o r.safetensors
	emb-info --json r.safetensors "$DATA/e4x2.vec" >out.json
	[ "$(wc -l <out.json)" -eq 2 ]
	run -0 "$PY" -c '
import json, sys
a, b = [json.loads(l) for l in open("out.json")]
assert a["rows"] == 4 and a["dim"] == 2 and a["vocab"] == 0, a
assert a["tensors"][0]["name"] == "embeddings", a
assert b["format"] == "word2vec-text" and b["vocab"] == 4, b
assert abs(b["norms"]["max"] - 20 ** 0.5) < 1e-6, b
print("ok")'
	[ "$output" = ok ]
}

@test "--no-stats leaves the norms out; -m and EMB_MODEL name the table" {
	run -0 emb-info --no-stats -m "$DATA/e4x2.vec"
	[[ "$output" != *norm-* ]]
	EMB_MODEL="$DATA/e4x2.vec" run -0 emb-info
	[[ "$output" == *$'rows\t4\n'* ]]
}

@test "a missing or broken file is named and the others are still described" {
	printf 'hello world\n' >junk.txt
	run -1 --separate-stderr emb-info nosuch "$DATA/e4x2.vec"
	[ "$stderr" = "emb-info: nosuch: No such file or directory" ]
	[[ "$output" == *$'rows\t4\n'* ]]
	run -1 --separate-stderr emb-info junk.txt
	[[ "$stderr" == "emb-info: junk.txt"* ]]
}

@test "usage errors exit 2; a full disk exits 1" {
	run -2 --separate-stderr emb-info --bogus
	[[ "$stderr" == *"usage: emb-info"* ]]
	run -2 --separate-stderr emb-info -m "$DATA/e4x2.vec" "$DATA/e5x3.vec"
	[[ "$stderr" == "emb-info: -m and file operands conflict"* ]]
	run -1 --separate-stderr bash -c "emb-info '$DATA/e4x2.vec' >/dev/full"
	[ "$stderr" = "emb-info: <stdout>: No space left on device" ]
}
