#!/usr/bin/env bats
# emb-init: naming a model's rows with a vocabulary; tables padded past
# their vocabulary (nanoGPT's 50304 rows for GPT-2's 50257 tokens)

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# model.safetensors with wte.weight (ROWS x D) and wpe.weight (8 x D),
# and vocab.txt / vocab.json of N tokens: mkpadded ROWS D N
mkpadded() {
	"$PY" - "$@" <<'PY'
import json, struct, sys
import numpy as np
rows, d, n = map(int, sys.argv[1:4])
rng = np.random.default_rng(5)
E = rng.standard_normal((rows, d)).astype("<f4")
np.save("E.npy", E)
h, off, blobs = {}, 0, []
for name, a in [("wte.weight", E), ("wpe.weight", E[:8] * 0.5)]:
    b = a.tobytes()
    h[name] = {"dtype": "F32", "shape": list(a.shape),
               "data_offsets": [off, off + len(b)]}
    off += len(b)
    blobs.append(b)
j = json.dumps(h).encode()
j += b" " * (-len(j) % 8)
with open("model.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(j)) + j + b"".join(blobs))
toks = ["t%d" % i for i in range(n)]
with open("vocab.txt", "w") as f:
    f.write("".join(t + "\n" for t in toks))
with open("vocab.json", "w") as f:
    json.dump({t: i for i, t in enumerate(toks)}, f)
PY
}

@test "a 50304-row tensor named by 50257 tokens: accepted, the padding unnamed and said so" {
	mkpadded 50304 4 50257
	run -0 --separate-stderr emb-init --from model.safetensors --tensor wte.weight --vocab vocab.json -o m.safetensors
	[ "$stderr" = "emb-init: model.safetensors: 50304 rows, 50257 tokens in vocab.json: rows 50257-50303 are unnamed (a table padded past its vocabulary)" ]
	run -0 emb-info m.safetensors
	[[ "$output" == *$'rows\t50304'* ]]
	# every row kept, in order, with its values; named rows by their token
	emb-lookup --ids -m m.safetensors <<<"0 50256 50257 50303" >got.txt
	"$PY" -c '
import numpy as np
E = np.load("E.npy")
got = np.loadtxt("got.txt", dtype=np.float32)
assert (got == E[[0, 50256, 50257, 50303]]).all()'
	run -0 emb-lookup --ids --print tokens -m m.safetensors <<<"0 50256 50257 50303"
	[ "$output" = "t0 t50256 50257 50303" ]
	run -0 emb-lookup -m m.safetensors --label <<<"t50256"
	[[ "$output" == "t50256 "* ]]
	# the same with a vocabulary file of lines
	run -0 --separate-stderr emb-init --from model.safetensors --tensor wte.weight --vocab vocab.txt -o n.safetensors
	[[ "$stderr" == *"rows 50257-50303 are unnamed"* ]]
	cmp <(emb-lookup --all -m m.safetensors) <(emb-lookup --all -m n.safetensors)
}

@test "a vocabulary whose size disagrees otherwise is refused" {
	mkpadded 64 3 70
	run -1 --separate-stderr emb-init --from model.safetensors --tensor wte.weight --vocab vocab.json -o m.safetensors
	[ "$stderr" = "emb-init: vocab.json: the vocabulary has 70 tokens, the table has 64 rows" ]
	[ ! -e m.safetensors ]
	# more rows than padding to the next multiple of 1024 explains
	mkpadded 1100 2 1000
	run -1 --separate-stderr emb-init --from model.safetensors --tensor wte.weight --vocab vocab.txt -o m.safetensors
	[ "$stderr" = "emb-init: vocab.txt: the vocabulary has 1000 tokens, the table has 1100 rows" ]
	[ ! -e m.safetensors ]
	# padding keeps the rows a multiple of 8
	mkpadded 1001 2 1000
	run -1 --separate-stderr emb-init --from model.safetensors --tensor wte.weight --vocab vocab.txt -o m.safetensors
	[ "$stderr" = "emb-init: vocab.txt: the vocabulary has 1000 tokens, the table has 1001 rows" ]
	# up to the multiple of 1024 is padding
	mkpadded 1024 2 1000
	run -0 --separate-stderr emb-init --from model.safetensors --tensor wte.weight --vocab vocab.txt -o m.safetensors
	[[ "$stderr" == *"rows 1000-1023 are unnamed"* ]]
}

@test "a table whose vocabulary fits exactly says nothing" {
	mkpadded 40 3 40
	run -0 --separate-stderr emb-init --from model.safetensors --tensor wte.weight --vocab vocab.txt -o m.safetensors
	[ -z "$stderr" ]
	run -0 emb-lookup --ids --print tokens -m m.safetensors <<<"39 0"
	[ "$output" = "t39 t0" ]
}
