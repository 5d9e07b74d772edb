#!/bin/sh
# See LICENSE file for copyright and license details.
#
# emb-train against gensim's Word2Vec and fastText on the 100M-byte
# text8-style corpus (../shared/data/enwiki-text8style-100M.txt.gz, 17M
# words on one line): wall time, words/s (corpus words x epochs / wall
# time of the whole command, reading included), peak RSS (/usr/bin/time),
# and the quality of each result judged by emb's own evaluators: Google
# analogy accuracy on the 30,000 most frequent words (emb-analogy --eval,
# gensim's counting) and WordSim-353 Spearman (emb-sim --eval).
#
# usage: tests/bench/train.sh [sg|cbow ...]     (default: sg cbow)
#
# Settings for all three: d 100, window 5, negative 5, sample 1e-3,
# 5 epochs, min-count 5, 2 threads; skip-gram alpha 0.025 for emb-train
# and gensim (word2vec.c's), fastText's own 0.05; CBOW alpha 0.05.
# gensim is fed an iterable of 10,000-word sentences (its corpus_file mode
# returns untrained vectors on a one-line corpus).  RUNS (default 1) runs
# of emb-train per model (medians printed); PEERS=0 skips gensim and
# fastText; SG_ALPHA (default 0.025) is emb-train's and gensim's skip-gram
# rate; BENCH_DIR (default /tmp/emb-bench-train) holds the outputs.  On a
# shared machine compare the CPU seconds (user + system) as well as the
# wall time.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/emb-bench-train}
RUNS=${RUNS:-1}
PEERS=${PEERS:-1}
PY=/usr/bin/python3
CORPUS=$TOP/../shared/data/enwiki-text8style-100M.txt.gz
Q=$TOP/data/questions-words.txt
WS=$TOP/data/wordsim353.tsv
PATH=$TOP/cmd:$PATH
mkdir -p "$WORK"
TXT=$WORK/corpus.txt
[ -s "$TXT" ] || gzip -dc "$CORPUS" >"$TXT"
NW=$(wc -w <"$TXT")

cat >"$WORK/gensim_train.py" <<'PYEOF'
import sys
from gensim.models import Word2Vec
path, sg, alpha, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
with open(path) as f:
    toks = f.read().split()
sents = [toks[i:i + 10000] for i in range(0, len(toks), 10000)]
del toks
m = Word2Vec(sents, sg=sg, vector_size=100, window=5, negative=5,
             sample=1e-3, epochs=5, min_count=5, workers=2, alpha=alpha,
             seed=1)
m.wv.save_word2vec_format(out, binary=True)
PYEOF

# quality of a table: "analogy% rho"
quality() {
	a=$(emb-analogy -m "$1" --eval "$Q" | sed -n 's/^total: \([0-9.]*\)%.*/\1/p')
	r=$(emb-sim -m "$1" --eval "$WS" | awk '$1 == "spearman" { printf "%.4f", $2 }')
	echo "$a $r"
}

# run NAME CMD...: one timed run; prints
# "NAME wall_s words/s cpu_s rss_MB analogy rho"
run() {
	name=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$WORK/$name.time" "$@" \
	    >"$WORK/$name.log" 2>&1
	out=$WORK/$name.out
	[ -e "$out" ] || out=$WORK/$name.vec
	set -- $(cat "$WORK/$name.time")
	echo "$name $1 $(awk -v n="$NW" -v t="$1" 'BEGIN { printf "%.0f", n * 5 / t }') \
$(awk -v u="$3" -v s="$4" 'BEGIN { printf "%.1f", u + s }') $(($2 / 1024)) \
$(quality "$out")"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# corpus: $NW words"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# tool wall_s words_per_s cpu_s peak_rss_MB analogy_pct ws353_rho"
for m in ${*:-sg cbow}; do
	case $m in
	sg) arch=skipgram; alpha=${SG_ALPHA:-0.025}; sg=1; ft=skipgram; ftlr=0.05 ;;
	cbow) arch=cbow; alpha=0.05; sg=0; ft=cbow; ftlr=0.05 ;;
	*) echo "unknown model $m" >&2; exit 2 ;;
	esac
	i=0
	: >"$WORK/emb-$m.runs"
	while [ "$i" -lt "$RUNS" ]; do
		i=$((i + 1))
		run "emb-train-$m" emb-train -q --arch "$arch" --alpha "$alpha" \
		    -d 100 --window 5 --negative 5 --sample 1e-3 --epochs 5 \
		    --min-count 5 --threads 2 --seed "$i" -O word2vec-bin \
		    -o "$WORK/emb-train-$m.out" "$TXT" | tee -a "$WORK/emb-$m.runs"
	done
	if [ "$RUNS" -gt 1 ]; then
		for c in 2 3 4 5 6 7; do
			printf '%s ' "$(cut -d' ' -f$c "$WORK/emb-$m.runs" | median)"
		done | sed "s/^/emb-train-$m-median /"
		echo
	fi
	[ "$PEERS" = 1 ] || continue
	run "gensim-$m" "$PY" "$WORK/gensim_train.py" "$TXT" "$sg" "$alpha" \
	    "$WORK/gensim-$m.out"
	run "fasttext-$m" fasttext "$ft" -input "$TXT" -output "$WORK/fasttext-$m" \
	    -minn 0 -maxn 0 -t 1e-3 -neg 5 -ws 5 -dim 100 -epoch 5 \
	    -thread 2 -minCount 5 -lr "$ftlr"
	rm -f "$WORK/fasttext-$m.bin"
done
