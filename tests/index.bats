#!/usr/bin/env bats
# The token index of the native model (emb-formats(5), "The token index"):
# what the writers store, that the documented layout finds every token
# (a Python reader written from the man page), and that a damaged,
# foreign or hostile index is never trusted: each case warns and answers
# exactly as the same file without an index does, or fails clearly.

load helper

setup() {
	need_py json
	cd "$BATS_TEST_TMPDIR"
	# real words: the vocabulary of the shipped text8 sample
	zcat "$DATA/text8-head.txt.gz" | emb-init --count --min-count 20 -d 4 \
	    --seed 1 -o w.safetensors
	V=$(emb-info w.safetensors | awk '$1 == "rows" { print $2 }')
	# the same model without its index, as older emb and other writers
	# leave it: the reference every damaged index must answer like
	edit w.safetensors plain.safetensors '
for k in ("vocab_offsets", "vocab_index"): del t[k]
for k in list(m):
    if k.startswith("emb.index."): del m[k]'
	emb-lookup --all -m plain.safetensors --label >plain.all
	printf '%s\n' the of zero anarchism wikipedia nosuchword >q.txt
}

# edit IN OUT PYTHON: rewrite a safetensors file; the code sees m (the
# __metadata__ dict) and t (name -> [dtype, shape, bytes]) and the stfile
# module's helpers
edit() {
	PYTHONPATH="$TOP/tests" "$PY" -c '
import sys, struct
from stfile import *
m, t = load(sys.argv[1])
exec(sys.argv[3])
save(sys.argv[2], m, t)' "$1" "$2" "$3"
}

# the answers of the tools on model $1 must equal those on plain.safetensors
same_answers() {
	local f
	for f in "$1" plain.safetensors; do
		{
			emb-lookup --all --label -m "$f"
			emb-lookup --oov zero --label -m "$f" <q.txt
			emb-lookup --print ids --oov skip -m "$f" <q.txt
			emb-nn -k 3 --oov skip -q -m "$f" <q.txt
			emb-sim -m "$f" the of
			emb-analogy -k 2 -m "$f" one two three
		} >"$f.answers" 2>/dev/null
	done
	cmp "$1.answers" plain.safetensors.answers
}

@test "index: emb-init stores it; the documented layout finds every token" {
	run -0 emb-info w.safetensors
	[[ "$output" == *$'tensor\tvocab_offsets I64 ['$((V + 1))$']\n'* ]]
	[[ "$output" == *$'tensor\tvocab_index I32 [8192]\n'* ]]
	[[ "$output" == *"emb.index.hash=fnv1a64-fmix64"* ]]
	run -0 env PYTHONPATH="$TOP/tests" "$PY" -c '
import sys
from stfile import *
m, t = load("w.safetensors")
toks = t["vocab"][2].split(b"\n")[:-1]
assert m["emb.index.seed"] == "0", m
assert len(t["vocab_index"][2]) == 4 * 8192
for i, w in enumerate(toks):
    assert find(m, t, w) == i, (i, w)
for w in (b"", b"nosuchword", b"the ", b"\n", b"the\nof"):
    assert find(m, t, w) is None, w
print(len(toks), m["emb.index.probe"])'
	[ "${lines[0]%% *}" = "$V" ]
	# byte for byte the same file each time
	zcat "$DATA/text8-head.txt.gz" | emb-init --count --min-count 20 -d 4 \
	    --seed 1 -o again.safetensors
	cmp w.safetensors again.safetensors
	# and numpy reads every tensor
	run -0 "$PY" -c '
import json, numpy as np
d = open("w.safetensors", "rb").read()
n = int.from_bytes(d[:8], "little")
h = json.loads(d[8:8 + n])
ty = {"F32": "<f4", "I64": "<i8", "I32": "<i4", "U8": "u1"}
t = {k: np.frombuffer(d[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]],
     ty[v["dtype"]]).reshape(v["shape"]) for k, v in h.items() if k != "__metadata__"}
off, voc = t["vocab_offsets"], bytes(t["vocab"])
toks = voc.split(b"\n")[:-1]
assert all(voc[off[i]:off[i + 1] - 1] == w for i, w in enumerate(toks))
print(t["embeddings"].shape)'
	[ "$output" = "($V, 4)" ]
}

@test "index: found tokens and answers equal a model without one" {
	run -0 --separate-stderr emb-lookup --all --label -m w.safetensors
	[ "$output" = "$(cat plain.all)" ]
	[ -z "$stderr" ]
	same_answers w.safetensors
	# a model without an index is read as before, quietly
	run -0 --separate-stderr emb-lookup -m plain.safetensors <<<"the"
	[ -z "$stderr" ]
}

@test "index: emb-init --from an index-less model adds it; emb-train writes it" {
	emb-init --from plain.safetensors -o re.safetensors
	run -0 env PYTHONPATH="$TOP/tests" "$PY" -c '
from stfile import *
a = load("w.safetensors")[1]
m, b = load("re.safetensors")
for k in ("vocab_offsets", "vocab_index", "vocab", "embeddings"):
    assert a[k] == b[k], k
assert m["emb.index.probe"] == load("w.safetensors")[0]["emb.index.probe"]'
	# a rewritten model gets a fresh index, not the old keys
	edit w.safetensors seed1.safetensors 'm["emb.index.seed"] = "1"'
	emb-init --from seed1.safetensors -o fresh.safetensors 2>/dev/null
	run -0 --separate-stderr emb-lookup -m fresh.safetensors <<<"the"
	[ -z "$stderr" ]
	printf 'a b c a b a\n' | emb-train -q -d 3 --min-count 1 --epochs 1 \
	    --seed 1 -o t.safetensors
	run -0 emb-info t.safetensors
	[[ "$output" == *$'tensor\tvocab_offsets I64 [4]\n'* ]]
	[[ "$output" == *$'tensor\tvocab_index I32 [8]\n'* ]]
	# F16 tables too; unlabelled tables have no tokens to index
	emb-init --from w.safetensors --dtype f16 -o h.safetensors
	run -0 emb-lookup -m h.safetensors --print ids <<<"the of"
	[ "$output" = "$(emb-lookup -m w.safetensors --print ids <<<"the of")" ]
	emb-init -V 5 -d 2 -o anon.safetensors
	run -0 emb-info anon.safetensors
	[[ "$output" != *vocab_index* ]]
}

# hostile indexes: the warning each prints, and the same answers

warned() {
	run --separate-stderr emb-lookup -m "$1" <<<"the"
	[ "$status" -eq 0 ] && [ "$stderr" = "emb-lookup: $1: token index: $2; indexing the vocab instead" ] || {
		echo "status $status, stderr: $stderr"
		echo "wanted: emb-lookup: $1: token index: $2; indexing the vocab instead"
		return 1
	}
	same_answers "$1"
}

@test "index: a padded table's unnamed rows (one empty token) are found at the first" {
	need_py numpy
	"$PY" -c 'import numpy as np
np.save("x.npy", np.arange(24, dtype=np.float32).reshape(8, 3))'
	printf '%s\n' a b c d e >v5
	emb-init --from x.npy --vocab v5 -o p.safetensors 2>/dev/null
	run -0 --separate-stderr sh -c 'echo e | emb-lookup -m p.safetensors'
	[ "$output" = "12 13 14" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr emb-info p.safetensors
	[[ $output == *$'index\tchecked'* ]]
	[ -z "$stderr" ]
	run -0 --separate-stderr emb-lookup --all --label -m p.safetensors
	[ "${lines[4]}" = "e 12 13 14" ]
	[ "${lines[7]}" = "7 21 22 23" ]
	[ -z "$stderr" ]
}

@test "hostile index: a seed that does not match" {
	edit w.safetensors x.safetensors 'm["emb.index.seed"] = "7"'
	warned x.safetensors "row 1 is not found at its row (another vocabulary's index, or another seed?)"
	edit w.safetensors x.safetensors 'm["emb.index.seed"] = "-1"'
	warned x.safetensors "emb.index.seed or emb.index.probe is not a number"
	edit w.safetensors x.safetensors 'm["emb.index.hash"] = "fnv1a32"'
	warned x.safetensors 'emb.index.hash is not "fnv1a64-fmix64"'
	edit w.safetensors x.safetensors 'del m["emb.index.probe"]'
	warned x.safetensors "emb.index.seed or emb.index.probe is not a number"
	edit w.safetensors x.safetensors 'm["emb.index.probe"] = "0"'
	warned x.safetensors "longest probe 0 out of range"
	edit w.safetensors x.safetensors 'm["emb.index.probe"] = "99999999999999999999"'
	warned x.safetensors "emb.index.seed or emb.index.probe is not a number"
}

@test "hostile index: another vocabulary's index" {
	# the same tokens in another order: same sizes, other rows
	edit w.safetensors x.safetensors '
import subprocess
toks = t["vocab"][2].split(b"\n")[:-1]
open("rev.txt", "wb").write(b"\n".join(reversed(toks)) + b"\n")
subprocess.run(["emb-init", "--vocab", "rev.txt", "-d", "4", "-o", "rev.safetensors"], check=True)
m2, t2 = load("rev.safetensors")
t["vocab_index"] = t2["vocab_index"]
t["vocab_offsets"] = t2["vocab_offsets"]'
	warned x.safetensors "row 1 is not found at its row (another vocabulary's index, or another seed?)"
	# an index for fewer tokens
	emb-init --from w.safetensors --limit 100 -o small.safetensors
	edit w.safetensors x.safetensors '
m2, t2 = load("small.safetensors")
t["vocab_index"] = t2["vocab_index"]'
	warned x.safetensors "256 slots for $V tokens"
	edit w.safetensors x.safetensors '
m2, t2 = load("small.safetensors")
t["vocab_offsets"] = t2["vocab_offsets"]'
	warned x.safetensors "vocab_offsets must be I64 [$((V + 1))] and vocab_index I32 [H]"
}

@test "hostile index: truncated, wrong size, wrong type, half missing" {
	edit w.safetensors x.safetensors '
d, s, r = t["vocab_index"]
t["vocab_index"] = [d, [s[0] // 2], r[:len(r) // 2]]'
	warned x.safetensors "row 1 is not found at its row (another vocabulary's index, or another seed?)"
	edit w.safetensors x.safetensors '
d, s, r = t["vocab_index"]
t["vocab_index"] = [d, [s[0] - 1], r[:-4]]'
	warned x.safetensors "8191 slots for $V tokens"
	edit w.safetensors x.safetensors '
d, s, r = t["vocab_index"]
t["vocab_index"] = [d, [4], r[:16]]'
	warned x.safetensors "4 slots for $V tokens"
	edit w.safetensors x.safetensors 't["vocab_index"][0] = "F32"'
	warned x.safetensors "vocab_offsets must be I64 [$((V + 1))] and vocab_index I32 [H]"
	edit w.safetensors x.safetensors 'del t["vocab_index"]'
	warned x.safetensors "vocab_offsets without vocab_index"
	edit w.safetensors x.safetensors 'del t["vocab_offsets"]'
	warned x.safetensors "vocab_index without vocab_offsets"
	# the whole file cut short is an error at open, as for any model
	head -c 100000 w.safetensors >cut.safetensors
	run -1 --separate-stderr emb-lookup -m cut.safetensors <<<"the"
	[ "$stderr" = 'emb-lookup: cut.safetensors: tensor "embeddings": data offsets outside the file (file truncated?)' ]
}

@test "hostile index: entries out of range" {
	# every entry: the sample at open sees it
	edit w.safetensors x.safetensors '
s = ints(t["vocab_index"][2], "<i")
t["vocab_index"][2] = struct.pack("<%di" % len(s), *[x and x + 1000000 for x in s])'
	warned x.safetensors "row 1 is not found at its row (another vocabulary's index, or another seed?)"
	edit w.safetensors x.safetensors '
s = ints(t["vocab_index"][2], "<i")
t["vocab_index"][2] = struct.pack("<%di" % len(s), *[x and -x for x in s])'
	warned x.safetensors "row 1 is not found at its row (another vocabulary's index, or another seed?)"
	# one entry the sample does not reach: found when it is used
	edit w.safetensors x.safetensors '
s = ints(t["vocab_index"][2], "<i")
s[s.index(2)] = 2 ** 31 - 1
t["vocab_index"][2] = struct.pack("<%di" % len(s), *s)'
	run -0 --separate-stderr emb-lookup -m x.safetensors --print ids <<<"the of"
	[ "$output" = "0 1" ]
	[ "$stderr" = "emb-lookup: x.safetensors: token index: an entry does not hold; indexing the vocab instead" ]
	same_answers x.safetensors
	# offsets past the vocab, or framing no token
	edit w.safetensors x.safetensors '
o = ints(t["vocab_offsets"][2], "<q")
o[5] = 1 << 40
t["vocab_offsets"][2] = struct.pack("<%dq" % len(o), *o)'
	run -0 --separate-stderr emb-lookup -m x.safetensors --ids --print tokens <<<"4 5 6"
	[ "$stderr" = "emb-lookup: x.safetensors: token index: the offsets do not frame a token; indexing the vocab instead" ]
	same_answers x.safetensors
	edit w.safetensors x.safetensors '
o = ints(t["vocab_offsets"][2], "<q")
o[1:] = [x + 1 for x in o[1:-1]] + [o[-1]]
t["vocab_offsets"][2] = struct.pack("<%dq" % len(o), *o)'
	warned x.safetensors "row 1 is not found at its row (another vocabulary's index, or another seed?)"
	edit w.safetensors x.safetensors '
o = ints(t["vocab_offsets"][2], "<q")
o[-1] -= 1
t["vocab_offsets"][2] = struct.pack("<%dq" % len(o), *o)'
	warned x.safetensors "the offsets do not span the vocab"
}

@test "hostile index: a vocab that is not V tokens fails as it does without an index" {
	# one newline fewer: the index still frames the sampled rows
	edit w.safetensors x.safetensors '
v = bytearray(t["vocab"][2])
o = ints(t["vocab_offsets"][2], "<q")
v[o[11] - 1] = 0x20
t["vocab"][2] = bytes(v)'
	edit x.safetensors y.safetensors '
for k in ("vocab_offsets", "vocab_index"): del t[k]'
	run -1 --separate-stderr emb-lookup -m y.safetensors <<<"the"
	[ "$stderr" = "emb-lookup: y.safetensors: vocab holds $((V - 1)) tokens, the table has $V rows" ]
	# the rows the index can vouch for are answered; the broken one stops
	# the tool with the same message
	run -0 --separate-stderr emb-lookup -m x.safetensors --print ids <<<"the"
	[ "$output" = 0 ]
	run -1 --separate-stderr emb-lookup -m x.safetensors --ids --print tokens <<<"10"
	[ "$stderr" = "$(printf '%s\n%s' \
	    "emb-lookup: x.safetensors: token index: the offsets do not frame a token; indexing the vocab instead" \
	    "emb-lookup: x.safetensors: vocab holds $((V - 1)) tokens, the table has $V rows")" ]
	[ -z "$output" ]
}

@test "emb-info: the index is checked in full; a forged one is caught there" {
	run -0 emb-info w.safetensors
	[[ "$output" == *$'\nindex\tchecked\n'* ]]
	run -0 emb-info --no-stats w.safetensors
	[[ "$output" == *$'\nindex\tyes\n'* ]]
	run -0 emb-info --json --no-stats plain.safetensors
	[[ "$output" == *'"index": "none"'* ]]
	edit w.safetensors x.safetensors 'm["emb.index.seed"] = "7"'
	run -1 --separate-stderr emb-info x.safetensors
	[[ "$output" == *$'\nindex\tnot used: row 1 is not found at its row (another vocabulary\'s index, or another seed?)\n'* ]]
	[ "$stderr" = "emb-info: x.safetensors: token index: row 1 is not found at its row (another vocabulary's index, or another seed?); indexing the vocab instead" ]
	# Offsets shifted by one row from row 11 on, with an index built to
	# agree with them: every check made at open passes (rows 1 and V
	# frame tokens the index finds there), so the lookups trust it; only
	# reading all of it shows that rows 10 and V-2 frame no token.
	edit w.safetensors x.safetensors '
o = ints(t["vocab_offsets"][2], "<q")
V = len(o) - 1
o2 = o[:10] + o[11:V - 1] + o[V - 2:]
assert len(o2) == len(o)
voc = t["vocab"][2]
cap = len(t["vocab_index"][2]) // 4
s = [0] * cap
for r in range(V):
    a, b = o2[r], o2[r + 1]
    if a >= b or b"\n" in voc[a:b - 1]:
        continue
    h = token_hash(voc[a:b - 1], 0) % cap
    while s[h]:
        h = (h + 1) % cap
    s[h] = r + 1
t["vocab_offsets"][2] = struct.pack("<%dq" % len(o2), *o2)
t["vocab_index"][2] = struct.pack("<%di" % cap, *s)
m["emb.index.probe"] = str(cap)'
	run -1 --separate-stderr emb-info x.safetensors
	[[ "$output" == *$'\nindex\tnot used: the offsets of row 10 do not frame its token\n'* ]]
	[ "$stderr" = "emb-info: x.safetensors: token index: the offsets of row 10 do not frame its token" ]
}
