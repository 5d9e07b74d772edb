#!/usr/bin/env bats
# emb-train: word2vec training on tiny corpora made here

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# 3000 sentences "context word context": a0..a4 only ever appear between
# x0..x4, b0..b4 between y0..y4
planted() {
	awk -v n="${1:-3000}" 'BEGIN { srand(1); for (i = 0; i < n; i++) { g = int(rand() * 2)
		w = (g ? "b" : "a") int(rand() * 5)
		c1 = (g ? "y" : "x") int(rand() * 5)
		c2 = (g ? "y" : "x") int(rand() * 5)
		print c1, w, c2 } }' >planted.txt
}

# the smallest similarity within a group and the largest across them
within_across() {
	local m=$1
	emb-sim -m "$m" a0 a1 a2 a3 a1 a4 b0 b1 b2 b3 b1 b4 | awk '
	    { if (NR == 1 || $3 < lo) lo = $3 } END { printf "%s ", lo }'
	emb-sim -m "$m" a0 b0 a1 b1 a2 b2 a3 b3 a4 b4 a0 b4 | awk '
	    { if (NR == 1 || $3 > hi) hi = $3 } END { print hi }'
}

train_small() {
	emb-train -q --threads 1 --min-count 1 --sample 0 -d 20 "$@"
}

@test "skip-gram with negative sampling learns planted groups" {
	planted
	run -0 train_small -o p.emb planted.txt
	read -r lo hi < <(within_across p.emb)
	echo "within >= $lo, across <= $hi"
	awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo > 0.9 && hi < 0.6) }'
}

@test "CBOW, hierarchical softmax, and both (also word2vec.c's -negative 0), learn planted groups" {
	planted
	for a in "--arch cbow" "--loss hs" "--arch cbow --loss hs" \
	    "--arch cbow --loss hs --negative 0"; do
		# shellcheck disable=SC2086
		train_small $a -o p.emb planted.txt
		read -r lo hi < <(within_across p.emb)
		echo "$a: within >= $lo, across <= $hi"
		awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo > 0.9 && hi < lo - 0.2) }'
	done
}

@test "2 threads (each its own copy of the output vectors): input and output vectors learn the groups" {
	need_py numpy
	planted
	for a in "--arch cbow" "--arch skipgram"; do
		# shellcheck disable=SC2086
		emb-train -q --threads 2 --min-count 1 --sample 0 -d 20 $a \
		    -o p.emb planted.txt
		read -r lo hi < <(within_across p.emb)
		echo "$a: within >= $lo, across <= $hi"
		awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo > 0.9 && hi < lo - 0.2) }'
		# the output vectors: merged from both threads' copies, trained
		run -0 "$PY" -c '
import json, struct, numpy as np
d = open("p.emb", "rb").read()
n = struct.unpack("<Q", d[:8])[0]
h = json.loads(d[8:8 + n])
s, e = h["output"]["data_offsets"]
o = np.frombuffer(d[8 + n + s:8 + n + e], "<f4").reshape(h["output"]["shape"])
s, e = h["vocab"]["data_offsets"]
w = d[8 + n + s:8 + n + e].decode().split()
nrm = np.linalg.norm(o, axis=1, keepdims=True)
if not (nrm > 0).all():
    raise SystemExit("an output vector is zero: not trained")
o = o / nrm
g = [[o[w.index(p + str(i))] for i in range(5)] for p in "ab"]
within = min(float(u @ v) for G in g for u in G for v in G)
across = max(float(u @ v) for u in g[0] for v in g[1])
print("%.3f %.3f" % (within, across))'
		echo "$a output: $output"
		read -r lo hi <<<"$output"
		awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo > 0.5 && hi < lo - 0.2) }'
	done
}

@test "2 threads: the replicas timed in phases, with and without, and the groups still learnt" {
	# 900,000 words, 6 epochs: 2.7M words a thread, 13 phases of 200,000
	# if the threads keep pace; phases 0-4 (with, with, without, with,
	# without) need 1M of thread 1's, so a busy machine passes too
	planted 300000
	emb-train --progress --threads 2 --min-count 1 --sample 0 -d 20 \
	    --arch cbow --epochs 6 -o p.emb planted.txt 2>err
	r=$(sed -n 's/.*took.*replicas \([0-9]*\)\/\([0-9]*\)$/\1 \2/p' err)
	echo "replicas with/phases: $r"
	read -r with phases <<<"$r"
	# phases 0-4: with, with, without, with, without
	[ "$phases" -ge 5 ] && [ "$with" -ge 3 ] && [ $((phases - with)) -ge 2 ]
	read -r lo hi < <(within_across p.emb)
	echo "within >= $lo, across <= $hi"
	awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo > 0.9 && hi < lo - 0.2) }'
	# one thread times nothing
	emb-train --progress --threads 1 --min-count 1 --sample 0 -d 20 \
	    --epochs 1 -o q.emb planted.txt 2>err
	grep took err
	! grep -q replicas err
}

@test "2 threads on a tiny corpus: the last progress line gives the epochs done" {
	# one thread may take every sentence before the other begins: that
	# one never has an epoch, and the line said "epoch 0"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
		echo a b c d e f g h
	done >tiny.txt
	for i in 1 2 3 4 5; do
		emb-train --progress --threads 2 --min-count 1 --epochs 2 -d 8 \
		    -o t.emb tiny.txt 2>err
		tail -n 1 err
		tail -n 1 err | grep -q '100.0%  epoch 2 '
	done
}

@test "the AVX2 and scalar kernels learn them too" {
	planted
	for isa in avx2 scalar; do
		EMB_ISA=$isa train_small -o p.emb planted.txt
		read -r lo hi < <(within_across p.emb)
		echo "$isa: within >= $lo, across <= $hi"
		awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo > 0.9 && hi < 0.6) }'
	done
}

@test "EMB_ISA picks the kernel (EMB_TRAIN_ISA is its older name); a bad one is a usage error" {
	planted
	opts="--threads 1 --min-count 1 --sample 0 -d 20 --epochs 1 --progress"
	run -0 --separate-stderr env EMB_ISA=scalar emb-train $opts -o a.emb planted.txt
	[[ ${stderr_lines[0]} == *", scalar, 1 thread" ]]
	run -0 --separate-stderr env EMB_TRAIN_ISA=scalar emb-train $opts -o b.emb planted.txt
	[[ ${stderr_lines[0]} == *", scalar, 1 thread" ]]
	cmp a.emb b.emb
	# EMB_ISA wins over the older name
	run -0 --separate-stderr env EMB_ISA= emb-train $opts -o c.emb planted.txt
	best=${stderr_lines[0]}
	run -0 --separate-stderr env EMB_ISA=auto EMB_TRAIN_ISA=scalar emb-train $opts -o c.emb planted.txt
	[ "${stderr_lines[0]}" = "$best" ]
	run -2 env EMB_ISA=neon emb-train -o m.emb planted.txt
	[ "$output" = "emb-train: EMB_ISA: unknown instruction set 'neon' (auto, scalar, avx2 or avx512)" ]
	run -2 env EMB_TRAIN_ISA=AVX2 emb-train -o m.emb planted.txt
	[ "$output" = "emb-train: EMB_TRAIN_ISA: unknown instruction set 'AVX2' (auto, scalar, avx2 or avx512)" ]
	[ ! -e m.emb ]
	for isa in avx2 avx512; do
		if ! EMB_ISA=$isa emb-train -q $opts -o m.emb planted.txt 2>err; then
			[[ $(cat err) == "emb-train: EMB_ISA: this CPU lacks $isa (it has "*")" ]]
		fi
	done
}

@test "the loss goes down, and --init continues from the saved model" {
	planted
	opts="--threads 1 --min-count 1 --sample 0 -d 20 --epochs 1 --progress"
	run -0 --separate-stderr emb-train $opts -o a.emb planted.txt
	l1=$(sed -n 's/.*100\.0%.* loss \([0-9.]*\) .*/\1/p' <<<"$stderr")
	run -0 --separate-stderr emb-train $opts --init a.emb -o b.emb planted.txt
	[[ ${stderr} == *"20 in the vocabulary, 20 from --init"* ]]
	l2=$(sed -n 's/.*100\.0%.* loss \([0-9.]*\) .*/\1/p' <<<"$stderr")
	echo "epoch 1: $l1, epoch 2: $l2"
	[ -n "$l1" ] && [ -n "$l2" ]
	awk -v a="$l1" -v b="$l2" 'BEGIN { exit !(b < a * 0.9) }'
}

@test "--threads 1 --seed 7 twice: byte-identical models; another seed differs" {
	planted
	train_small --seed 7 -o a.emb planted.txt
	train_small --seed 7 -o b.emb planted.txt
	cmp a.emb b.emb
	train_small --seed 8 -o c.emb planted.txt
	! cmp -s a.emb c.emb
}

@test "a 9 MB file on 2 threads, and a pipe: the vocabulary one thread reads" {
	# big enough to be read in parts (4 MiB each at least)
	awk 'BEGIN { srand(3); for (i = 0; i < 36000; i++) { s = ""
		for (j = 0; j < 50; j++) s = s " w" int(rand() * rand() * 3000)
		print s } }' >big.txt
	[ "$(wc -c <big.txt)" -gt 9000000 ]
	opts="-q --arch cbow --epochs 1 -d 4 --min-count 3 -O vec"
	# shellcheck disable=SC2086
	emb-train $opts --threads 1 -o one.vec big.txt
	# shellcheck disable=SC2086
	emb-train $opts --threads 2 -o two.vec big.txt
	# shellcheck disable=SC2086
	emb-train $opts --threads 2 -o pipe.vec <(cat big.txt)
	cut -d' ' -f1 one.vec >one.tok
	cut -d' ' -f1 two.vec | cmp - one.tok
	cut -d' ' -f1 pipe.vec | cmp - one.tok
}

@test "gzip and standard input give the same model as the plain file" {
	planted
	gzip -c planted.txt >planted.gz
	train_small -o a.emb planted.txt
	train_small -o b.emb planted.gz
	train_small -o c.emb <planted.txt
	cmp a.emb b.emb
	cmp a.emb c.emb
}

@test "the model: vocabulary by count, counts, output vectors, metadata" {
	need_py numpy
	printf 'b a b c b a\nc b\n' >tiny.txt
	train_small -d 4 -o m.emb tiny.txt
	run -0 "$PY" -c '
import json, struct, sys
d = open("m.emb", "rb").read()
n = struct.unpack("<Q", d[:8])[0]
h = json.loads(d[8:8 + n])
m = h["__metadata__"]
print(sorted(k for k in h if k != "__metadata__"))
print(h["embeddings"]["shape"], h["output"]["shape"], h["counts"]["shape"])
s, e = h["vocab"]["data_offsets"]
print(d[8 + n + s:8 + n + e].decode().split())
s, e = h["counts"]["data_offsets"]
print(struct.unpack("<3q", d[8 + n + s:8 + n + e]))
print(m["emb.tool"], m["emb.arch"], m["emb.loss"], m["emb.window"], m["emb.epochs"])
print(m["emb.alpha"], m["emb.min_alpha"], m["emb.min_count"], m["emb.max_vocab"])'
	[ "${lines[0]}" = "['counts', 'embeddings', 'output', 'vocab', 'vocab_index', 'vocab_offsets']" ]
	[ "${lines[1]}" = "[3, 4] [3, 4] [3]" ]
	[ "${lines[2]}" = "['b', 'a', 'c']" ]
	[ "${lines[3]}" = "(4, 2, 2)" ]
	[ "${lines[4]}" = "emb-train skipgram ns 5 5" ]
	[ "${lines[5]}" = "0.025 2.5e-06 1 0" ]
}

@test "--min-count and --max-vocab choose the vocabulary; -O word2vec-text" {
	printf 'b a b c b a\nc b d\n' >tiny.txt
	run -0 emb-train -q --min-count 2 -d 3 -O word2vec-text -o - tiny.txt
	[ "${lines[0]}" = "3 3" ]
	[ "$(cut -d' ' -f1 <<<"$output" | tail -n +2 | tr '\n' ' ')" = "b a c " ]
	run -0 emb-train -q --min-count 1 --max-vocab 2 -d 3 -o m.vec tiny.txt
	[ "$(cut -d' ' -f1 m.vec | tr '\n' ' ')" = "2 b a " ]
}

@test "--ids: rows are the IDs 0..V-1" {
	awk 'BEGIN { srand(2); for (i = 0; i < 500; i++)
		print int(rand() * 4), int(rand() * 4), int(rand() * 4) }' >ids.txt
	run -0 emb-train -q --ids -V 6 --min-count 1 -d 3 -O word2vec-text -o - ids.txt
	[ "${lines[0]}" = "6 3" ]
	[ "$(cut -d' ' -f1 <<<"$output" | tail -n +2 | tr '\n' ' ')" = "0 1 2 3 4 5 " ]
	run -1 emb-train -q --ids -V 3 -o m.emb ids.txt
	[[ $output == "emb-train: ids.txt:"[0-9]*": \"3\": not a token ID below 3" ]]
}

@test "--ids --max-vocab: only the most frequent IDs are trained, the others keep their rows" {
	# per line: ID 0 four times, 1 twice, 2 and 3 once, 4 never
	awk 'BEGIN { for (i = 0; i < 400; i++) print 0, 1, 0, 2, 0, 1, 0, 3 }' >ids.txt
	t() { emb-train -q --threads 1 --ids -V 5 -d 4 --epochs 1 \
	    -O word2vec-text "$@" ids.txt; }
	t --min-count 1 -o all.txt
	t --min-count 1 --max-vocab 2 -o top2.txt
	# the same IDs kept by count (2 and 3 are seen 400 times, 1 800)
	t --min-count 401 -o mc.txt
	cmp top2.txt mc.txt
	! cmp -s all.txt top2.txt
	# only ID 0 trained: rows 1-4 as drawn; top2 left 2, 3, 4 as drawn
	t --min-count 801 -o only0.txt
	[ "$(grep -c . top2.txt)" = 6 ]
	for r in 2 3 4; do
		[ "$(grep "^$r " top2.txt)" = "$(grep "^$r " only0.txt)" ]
	done
	[ "$(grep "^1 " top2.txt)" != "$(grep "^1 " only0.txt)" ]
	[ "$(grep "^2 " all.txt)" != "$(grep "^2 " only0.txt)" ]
}

@test "--ids: IDs train in count order, so relabelling them by count relabels the table and changes nothing else" {
	# IDs 0..7 drawn with weights in no order, 12 to a line
	awk 'BEGIN { srand(3); n = split("5 40 1 12 80 7 25 3", w)
	    for (k = 1; k <= n; k++) s += w[k]
	    for (i = 0; i < 3000; i++) { x = rand() * s
		for (k = 1; k < n && x >= w[k]; k++) x -= w[k]
		printf "%d%s", k - 1, i % 12 == 11 ? "\n" : " " } }' >ids.txt
	# each ID's rank by count (ties: the lower ID first)
	tr ' ' '\n' <ids.txt | sort -n | uniq -c | sort -k1,1nr -k2,2n |
	    awk '{ print $2, NR - 1 }' >rank.txt
	[ "$(tr '\n' ' ' <rank.txt)" = "4 0 1 1 6 2 3 3 5 4 0 5 7 6 2 7 " ]
	relabel() { awk -v skip="$1" 'NR == FNR { r[$1] = $2; next }
	    FNR <= skip { print; next }
	    { for (i = 1; i <= (skip ? 1 : NF); i++) $i = r[$i]; print }' \
	    rank.txt "$2"; }
	relabel 0 ids.txt >ranked.txt
	awk 'BEGIN { srand(4); print 8, 4; for (i = 0; i < 8; i++) {
	    printf "%d", i; for (j = 0; j < 4; j++) printf " %.4f", rand() - 0.5
	    print "" } }' >init.txt
	relabel 1 init.txt >rinit.txt
	t() { emb-train -q --threads 1 --ids -V 8 --min-count 1 -d 4 \
	    --epochs 2 --init "$1" -O word2vec-text -o "$2" "$3"; }
	t init.txt out.txt ids.txt
	t rinit.txt rout.txt ranked.txt
	relabel 1 out.txt | sort >a.txt
	sort rout.txt >b.txt
	cmp a.txt b.txt
	# and the rows did train
	! cmp -s <(sort init.txt) <(sort out.txt)
}

@test "bad input: empty corpus, nothing frequent enough, unreadable, corrupt gzip" {
	: >empty.txt
	run -1 emb-train -q -o m.emb empty.txt
	[ "$output" = "emb-train: empty.txt: empty corpus" ]
	printf 'a b c\n' >rare.txt
	run -1 emb-train -q -o m.emb rare.txt
	[ "$output" = "emb-train: no token occurs --min-count=5 times" ]
	run -1 emb-train -q -o m.emb nonexistent.txt
	[ "$output" = "emb-train: nonexistent.txt: No such file or directory" ]
	planted
	gzip -c planted.txt | head -c 2000 >cut.gz
	run -1 emb-train -q -o m.emb cut.gz
	[[ $output == "emb-train: cut.gz"* ]]
	[ ! -e m.emb ]
}

@test "usage errors: bad -d, no -o, unknown model, -V without --ids, --negative 0 without hs, --ids without its size" {
	run -2 emb-train -d 0 -o m.emb x.txt
	[[ ${lines[0]} == "emb-train: -d: "*"0"* ]]
	run -2 emb-train x.txt
	[ "${lines[0]}" = "emb-train: -o is required" ]
	run -2 emb-train --arch glove -o m.emb x.txt
	[[ ${lines[0]} == "emb-train: --arch: unknown architecture \"glove\""* ]]
	run -2 emb-train -V 5 -o m.emb x.txt
	[ "${lines[0]}" = "emb-train: -V goes with --ids" ]
	run -2 emb-train --negative 0 -o m.emb x.txt
	[ "${lines[0]}" = "emb-train: --negative 0 goes with --loss hs" ]
	run -2 env -u EMB_TOKENIZER emb-train --ids -o m.emb x.txt
	[ "${lines[0]}" = "emb-train: --ids needs -V, -t or --init" ]
}

@test "usage errors come before any file is read: a bad option with an --init that is not there is still a usage error" {
	while IFS='|' read -r o msg; do
		run -2 --separate-stderr emb-train $o --init nothere.emb \
		    -o m.emb nothere.txt
		[ "${stderr_lines[0]}" = "emb-train: $msg" ]
		[ "${stderr_lines[1]}" = "usage: emb-train [-hq] [--ids [-t tokenizer] [-V n]]" ]
	done <<-'EOF'
	--alpha 0|--alpha must be above 0: a learning rate of 0 trains nothing
	--negative 0|--negative 0 goes with --loss hs
	--alpha 0.01 --min-alpha 0.5|--min-alpha 0.5 is above --alpha 0.01: the rate falls from --alpha to --min-alpha, so give a --min-alpha at most --alpha
	--bucket 0 --maxn 5|--bucket 0 means no subwords, but --minn or --maxn asks for n-grams: give --bucket the number of n-gram rows (2000000 by default), or leave out --minn and --maxn
	EOF
	run -2 --separate-stderr emb-train --ids --minn 2 --init nothere.emb \
	    -o m.emb nothere.txt
	[ "${stderr_lines[0]}" = "emb-train: --minn does not go with --ids: subwords are the character n-grams of words, not of token IDs" ]
	[ ! -e m.emb ]
}

@test "--ids -t: a -V that does not fit the tokenizer is a usage error naming both sizes" {
	printf '1 2 3\n' >ids.txt
	run -2 --separate-stderr emb-train -q --ids -t "$DATA/gpt2" -V 100 -o m.emb ids.txt
	[ "${stderr_lines[0]}" = "emb-train: -V 100 does not fit the tokenizer gpt2, which has 50257 tokens: leave -V out, or give 50257 or a multiple of 8 above it up to 51200 (a padded table)" ]
	[ "${stderr_lines[1]}" = "usage: emb-train [-hq] [--ids [-t tokenizer] [-V n]]" ]
	[ ! -e m.emb ]
	# a padded table fits
	emb-train -q --ids -t "$DATA/gpt2" -V 50304 --min-count 1 -d 2 --epochs 1 -o m.emb ids.txt
	[ -e m.emb ]
}

@test "--ids -t --init with a word-level model: the error names the file and says what --init needs" {
	planted
	train_small -d 4 --epochs 1 -o w.emb planted.txt
	printf '1 2 3\n' >ids.txt
	run -1 --separate-stderr emb-train -q --ids -t "$DATA/gpt2" --init w.emb -o m.emb ids.txt
	[ "$stderr" = "emb-train: w.emb: --init's table has 20 rows, not one per token ID of the tokenizer gpt2 (50257): with --ids -t, --init must be a model of that tokenizer's IDs, as emb-train --ids -t $DATA/gpt2 writes, not a word-level model" ]
	[ ! -e m.emb ]
}

@test "the learning rates: --alpha above 0, --min-alpha not above --alpha or its default" {
	planted 300
	run -2 --separate-stderr emb-train -q --alpha 0 -o m.emb planted.txt
	[ "${stderr_lines[0]}" = "emb-train: --alpha must be above 0: a learning rate of 0 trains nothing" ]
	run -2 --separate-stderr emb-train -q --alpha 0.01 --min-alpha 0.5 -o m.emb planted.txt
	[ "${stderr_lines[0]}" = "emb-train: --min-alpha 0.5 is above --alpha 0.01: the rate falls from --alpha to --min-alpha, so give a --min-alpha at most --alpha" ]
	run -2 --separate-stderr emb-train -q --min-alpha 0.03 -o m.emb planted.txt
	[ "${stderr_lines[0]}" = "emb-train: --min-alpha 0.03 is above 0.025, the default --alpha for skipgram: give a smaller --min-alpha, or an --alpha at least as large" ]
	run -2 --separate-stderr emb-train -q --min-alpha 0.06 --minn 3 -o m.emb planted.txt
	[ "${stderr_lines[0]}" = "emb-train: --min-alpha 0.06 is above 0.05, the default --alpha with subwords: give a smaller --min-alpha, or an --alpha at least as large" ]
	[ ! -e m.emb ]
	# CBOW's default is 0.05; a rate that stays put is allowed
	train_small --epochs 1 --arch cbow --min-alpha 0.03 -o m.emb planted.txt
	train_small --epochs 1 --alpha 0.02 --min-alpha 0.02 -o m.emb planted.txt
}

@test "--ids with subword options is a usage error" {
	printf '1 2 3\n' >ids.txt
	for o in "--minn 2" "--maxn 4" "--bucket 100" "--bucket 0"; do
		run -2 --separate-stderr emb-train -q --ids -V 5 $o -o m.emb ids.txt
		[ "${stderr_lines[0]}" = "emb-train: ${o% *} does not go with --ids: subwords are the character n-grams of words, not of token IDs" ]
	done
	[ ! -e m.emb ]
}

@test "-q and --progress: the later wins" {
	planted 300
	run -0 --separate-stderr train_small --epochs 1 -q --progress -o m.emb planted.txt
	[[ ${stderr_lines[0]} == "emb-train: "*" in the vocabulary, "* ]]
	[[ ${stderr_lines[-1]} == "emb-train: 100.0%"*"took"* ]]
	run -0 --separate-stderr train_small --epochs 1 --progress -q -o m.emb planted.txt
	[ -z "$stderr" ]
}

@test "SIGINT: no model by default; --save-on-interrupt writes a whole one" {
	awk 'BEGIN { srand(3); for (i = 0; i < 20000; i++) {
		s = ""; for (j = 0; j < 20; j++) s = s " w" int(rand() * 300); print s } }' >big.txt
	for save in "" --save-on-interrupt; do
		rm -f m.emb err
		emb-train --progress --threads 1 --epochs 100000 $save -o m.emb big.txt 2>err &
		pid=$!
		for i in $(seq 100); do
			grep -q 'in the vocabulary' err && break
			sleep 0.1
		done
		sleep 0.3
		kill -INT "$pid"
		st=0
		wait "$pid" || st=$?
		[ "$st" -eq 1 ]
		if [ -z "$save" ]; then
			grep -q 'no model written' err
			[ ! -e m.emb ]
		else
			grep -q 'partial model written to m.emb' err
			emb-sim -m m.emb w1 w2
		fi
	done
}
