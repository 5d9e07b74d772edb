#!/bin/sh
# See LICENSE file for copyright and license details.
#
# emb-train against gensim's Word2Vec and fastText, on two corpora, for
# several seeds; every table judged by gensim's own evaluators
# (evaluate_word_analogies on the Google set restricted to the 30,000 most
# frequent words, evaluate_word_pairs on WordSim-353, Spearman rho).
#
#   A  the 100M-byte text8-style Wikipedia corpus
#      (../shared/data/enwiki-text8style-100M.txt.gz, 17M words on one
#      line), the one emb's earlier training choices were tuned on
#   B  a corpus nothing was tuned on: the real text8's first 12.5 MB
#      (../shared/data/text8-prefix.txt.gz, a 2006 Wikipedia, not the
#      later one A comes from) followed by gensim's lee_background
#      (Australian news), lower-cased, one line
#   C  the first 6 MB of B's text8 part (1M words): the subword models
#      side by side with fastText in minutes, on a shared machine
#   D  the first 6 MB of A (a later Wikipedia than C's): the subword
#      models' second corpus
#
# usage: tests/bench/train.sh [run|summary|speed] [cbow|sg|cbowsub|sgsub ...]
#
#   cbowsub, sgsub  fastText's subword model (--minn 3 --maxn 6 --bucket
#                  2000000, fastText's default), emb-train against
#                  fastText alone (gensim's FastText is not run): both
#                  write fastText .bin, judged by gensim's
#                  load_facebook_model; the line gains the semantic and
#                  syntactic analogy accuracy, and over WordSim-353's
#                  pairs with a word out of the vocabulary: how many,
#                  and rho over all pairs with their subword vectors
#
#   run (default)  train and judge every (corpus, model, system, seed),
#                  append one line per run to $BENCH_DIR/runs.txt, then
#                  print the summary
#   summary        the means and spreads of runs.txt, per corpus, model
#                  and system (spread: half the range max - min over seeds)
#   speed          the speed protocol of issue 16 (words per second
#                  against gensim's in the same run): one round per seed
#                  (set SEEDS="$(seq 12)" for twelve), each round every
#                  build of EMB_TRAINS one after the other, then gensim,
#                  on the first of CORPORA and the first model, nothing
#                  judged; a line per run with the round, the time of
#                  day, the two threads' cache-line round trip in ns
#                  (tests/bench/pingpong.c: the machine's mode), wall and
#                  CPU seconds, the replica phases and the load; then per
#                  build the range and median over rounds of gensim's
#                  wall time over the build's, and the median of the
#                  CPU-second ratios.  EMB_TRAINS: "label=binary ..."
#                  (default "$LABEL=$EMB_TRAIN"; no build may be labelled
#                  gensim)
#
# Settings for all: d 100, window 5, negative 5, sample 1e-3, 5 epochs,
# min-count 5, 2 threads; alpha 0.05 for CBOW; 0.025 for skip-gram
# (emb-train, gensim; fastText's own default 0.05); 0.05 for the subword
# models (both systems' default).  gensim is fed an
# iterable of 10,000-word sentences (its corpus_file mode returns untrained
# vectors on a one-line corpus).  fastText: -minn 0 -maxn 0 (no subwords).
#
# Environment: SHARED_DATA (the shared data folder, default
# ../shared/data beside the checkout), CORPORA (default "A B"), SEEDS (default "1 2 3"), SYSTEMS
# (default "emb gensim fasttext"), EMB_TRAIN (the emb-train binary,
# default this tree's), LABEL (the system name for emb-train's runs,
# default "emb": name a variant or an older build to compare it),
# BENCH_DIR (default /tmp/emb-bench-train), JUDGE (gensim, the default, or
# emb: emb-analogy --eval and emb-sim --eval, the same counting in a
# fortieth of the time, for screening variants).  Timing: each run's wall time
# and CPU seconds (user + system, /usr/bin/time) are recorded; on a shared
# machine compare CPU seconds and the ratios of runs made side by side.
# emb-train's progress lines stay in $BENCH_DIR/<system>-<model>-<corpus>-<seed>.log:
# the last one says how many of the timed phases ran with the threads'
# replicas ("replicas 48/53", see emb-train(1)).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${SHARED_DATA:-$TOP/../shared/data}
WORK=${BENCH_DIR:-/tmp/emb-bench-train}
CORPORA=${CORPORA:-A B}
SEEDS=${SEEDS:-1 2 3}
SYSTEMS=${SYSTEMS:-emb gensim fasttext}
EMB_TRAIN=${EMB_TRAIN:-$TOP/cmd/emb-train}
LABEL=${LABEL:-emb}
JUDGE=${JUDGE:-gensim}
PY=/usr/bin/python3
Q=$TOP/data/questions-words.txt
WS=$TOP/data/wordsim353.tsv
mkdir -p "$WORK"
RUNS=$WORK/runs.txt

corpus() {
	f=$WORK/corpus-$1.txt
	if [ ! -s "$f" ]; then
		for g in enwiki-text8style-100M.txt.gz text8-prefix.txt.gz \
		    lee_background.cor; do
			[ -r "$DATA/$g" ] || { echo "no $DATA/$g" >&2; exit 1; }
		done
		case $1 in
		A) gzip -dc "$DATA/enwiki-text8style-100M.txt.gz" >"$f.tmp" ;;
		B) { gzip -dc "$DATA/text8-prefix.txt.gz"
		     tr 'A-Z' 'a-z' <"$DATA/lee_background.cor" | tr -s ' \n' '  '
		   } | tr -s ' \n' '  ' >"$f.tmp" ;;
		C) gzip -dc "$DATA/text8-prefix.txt.gz" | head -c 6000000 \
		    >"$f.tmp" ;;
		D) gzip -dc "$DATA/enwiki-text8style-100M.txt.gz" | \
		    head -c 6000000 >"$f.tmp" ;;
		*) echo "unknown corpus $1" >&2; exit 2 ;;
		esac
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

cat >"$WORK/gensim_train.py" <<'PYEOF'
import sys
from gensim.models import Word2Vec
path, sg, alpha, seed, out = sys.argv[1:6]
with open(path) as f:
    toks = f.read().split()
sents = [toks[i:i + 10000] for i in range(0, len(toks), 10000)]
del toks
m = Word2Vec(sents, sg=int(sg), vector_size=100, window=5, negative=5,
             sample=1e-3, epochs=5, min_count=5, workers=2,
             alpha=float(alpha), seed=int(seed))
m.wv.save_word2vec_format(out, binary=True)
PYEOF

cat >"$WORK/judge.py" <<'PYEOF'
import logging, sys
from gensim.models import KeyedVectors
logging.disable(logging.CRITICAL)
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=sys.argv[1].endswith('.bin'))
acc, _ = kv.evaluate_word_analogies(sys.argv[2], restrict_vocab=30000)
ws = kv.evaluate_word_pairs(sys.argv[3])
print("%.4f %.4f" % (100 * acc, ws[1][0]))
PYEOF

cat >"$WORK/judgesub.py" <<'PYEOF'
import logging, sys
from scipy.stats import spearmanr
from gensim.models.fasttext import load_facebook_vectors
logging.disable(logging.CRITICAL)
kv = load_facebook_vectors(sys.argv[1])
acc, secs = kv.evaluate_word_analogies(sys.argv[2], restrict_vocab=30000)
def part(sem):
    ok = n = 0
    for s in secs:
        if s['section'] == 'Total accuracy':
            continue
        if s['section'].startswith('gram') != sem:
            ok += len(s['correct']); n += len(s['correct']) + len(s['incorrect'])
    return 100.0 * ok / max(n, 1)
ws = kv.evaluate_word_pairs(sys.argv[3])
gold, got, oov = [], [], 0
for line in open(sys.argv[3]):
    if line.startswith('#'):
        continue
    a, b, g = line.rstrip('\n').split('\t')
    oov += a not in kv.key_to_index or b not in kv.key_to_index
    gold.append(float(g)); got.append(float(kv.similarity(a, b)))
print("%.4f %.4f %.4f %.4f %d %.4f" % (100 * acc, ws[1][0], part(True),
    part(False), oov, spearmanr(gold, got)[0]))
PYEOF

# settings MODEL: each system's options for it (arch, alpha, sg, ftlr,
# sub, esub, fmt)
settings() {
	sub="-minn 0 -maxn 0" esub= fmt=word2vec-bin
	case $1 in
	cbow) arch=cbow; alpha=0.05; sg=0; ftlr=0.05 ;;
	sg) arch=skipgram; alpha=0.025; sg=1; ftlr=0.05 ;;
	cbowsub) arch=cbow; alpha=0.05; sg=0; ftlr=0.05 ;;
	sgsub) arch=skipgram; alpha=0.05; sg=1; ftlr=0.05 ;;
	*) echo "unknown model $1" >&2; exit 2 ;;
	esac
	case $1 in
	*sub) sub="-minn 3 -maxn 6 -bucket 2000000"
	    esub="--minn 3 --maxn 6 --bucket 2000000" fmt=fasttext-bin ;;
	esac
}

# timed SYSTEM SEED CORPUS-FILE OUT: train with settings' options, the
# times ("wall user system") to OUT.time, the output to OUT.log; a run
# that fails ends the script with the log's last lines
timed() {
	o=$4
	case $1 in
	gensim) set -- "$PY" "$WORK/gensim_train.py" "$3" "$sg" "$alpha" \
	    "$2" "$4.bin" ;;
	fasttext) set -- fasttext "$arch" -input "$3" -output "$4" \
	    $sub -t 1e-3 -neg 5 -ws 5 -dim 100 -epoch 5 \
	    -thread 2 -minCount 5 -lr "$ftlr" -seed "$2" ;;
	*) set -- "$EMB_TRAIN" --progress --arch "$arch" --alpha "$alpha" -d 100 \
	    --window 5 --negative 5 --sample 1e-3 --epochs 5 --min-count 5 \
	    --threads 2 --seed "$2" $esub -O $fmt -o "$4.bin" "$3" ;;
	esac
	/usr/bin/time -f '%e %U %S' -o "$o.time" "$@" >"$o.log" 2>&1 || {
		st=$?
		echo "train.sh: $1 failed (exit $st); the end of $o.log:" >&2
		tr '\r' '\n' <"$o.log" | tail -n 5 >&2
		exit 1
	}
}

# one NAME SEED CORPUS-FILE MODEL: train, time, judge; one line to runs.txt
one() {
	sys=$1 seed=$2 cf=$3 m=$4
	out=$WORK/$sys-$m-$cname-$seed
	settings "$m"
	case $m in
	*sub) [ "$sys" != gensim ] || return 0 ;;
	esac
	timed "$sys" "$seed" "$cf" "$out"
	extra=
	case $m in
	*sub) rm -f "$out.vec"
	    set -- $("$PY" "$WORK/judgesub.py" "$out.bin" "$Q" "$WS")
	    q="$1 $2" extra="$3 $4 $5 $6" ;;
	*) [ "$sys" != fasttext ] || { rm -f "$out.bin"
		mv "$out.vec" "$out.txt"; } ;;
	esac
	tab=$out.bin
	[ -e "$tab" ] || tab=$out.txt
	if [ -n "$extra" ]; then
		:
	elif [ "$JUDGE" = gensim ]; then
		q=$("$PY" "$WORK/judge.py" "$tab" "$Q" "$WS")
	else
		q="$("$TOP/cmd/emb-analogy" -m "$tab" --eval "$Q" | sed -n \
		    's/^total: \([0-9.]*\)%.*/\1/p') $("$TOP/cmd/emb-sim" -m "$tab" \
		    --eval "$WS" | awk '$1 == "spearman" { printf "%.4f", $2 }')"
	fi
	read -r wall u s <"$out.time"
	line="$cname $m $sys $seed $wall $(awk -v u="$u" -v s="$s" \
	    'BEGIN { printf "%.1f", u + s }') $nw $q $(cut -d' ' -f1-3 /proc/loadavg)${extra:+ $extra}"
	echo "$line" >>"$RUNS"
	echo "$line"
	rm -f "$tab"
}

# means and half-ranges per corpus, model, system; CPU-s ratios to emb
summary() {
	echo "# corpus model system runs | analogy% mean +- half-range | ws353 rho mean +- half-range | cpu_s mean | words/cpu_s | gensim/system cpu_s"
	awk '{ k = $1 " " $2 " " $3; n[k]++; a[k] += $8; r[k] += $9; c[k] += $6
	    w[k] = $7
	    if (!(k in amin) || $8 < amin[k]) amin[k] = $8
	    if (!(k in amax) || $8 > amax[k]) amax[k] = $8
	    if (!(k in rmin) || $9 < rmin[k]) rmin[k] = $9
	    if (!(k in rmax) || $9 > rmax[k]) rmax[k] = $9 }
	    END { for (k in n) { split(k, f, " ")
		g = f[1] " " f[2] " gensim"
		printf "%s %d | %.2f +- %.2f | %.4f +- %.4f | %.1f | %.0f | %s\n",
		    k, n[k], a[k] / n[k], (amax[k] - amin[k]) / 2, r[k] / n[k],
		    (rmax[k] - rmin[k]) / 2, c[k] / n[k],
		    w[k] * 5 / (c[k] / n[k]),
		    (g in n) ? sprintf("%.2f", (c[g] / n[g]) / (c[k] / n[k])) : "-" } }' \
	    "$RUNS" | sort
	grep -q 'sub ' "$RUNS" || return 0
	echo "# subword models: corpus model system runs | semantic% | syntactic% | ws353 pairs with an OOV word | rho over all pairs | wall_s mean | fasttext/system cpu_s | fasttext/system wall_s"
	awk 'NF >= 16 { k = $1 " " $2 " " $3; n[k]++; se[k] += $13
	    sy[k] += $14; o[k] = $15; ra[k] += $16; c[k] += $6; wl[k] += $5 }
	    END { for (k in n) { split(k, f, " ")
		g = f[1] " " f[2] " fasttext"
		printf "%s %d | %.2f | %.2f | %d | %.4f | %.1f | %s | %s\n", k,
		    n[k], se[k] / n[k], sy[k] / n[k], o[k], ra[k] / n[k],
		    wl[k] / n[k],
		    (g in n) ? sprintf("%.2f", (c[g] / n[g]) / (c[k] / n[k])) : "-",
		    (g in n) ? sprintf("%.2f", (wl[g] / n[g]) / (wl[k] / n[k])) : "-" } }' \
	    "$RUNS" | sort
}

# the speed protocol (see the usage): rounds of EMB_TRAINS and gensim
speed() {
	m=${1:-cbow} cname=${CORPORA%% *}
	case $m in
	cbow|sg) settings "$m" ;;
	*) echo "speed: cbow or sg (gensim has no subword model here)" >&2
	    exit 2 ;;
	esac
	for sys in ${EMB_TRAINS:-$LABEL=$EMB_TRAIN}; do
		case ${sys%%=*} in
		gensim) echo "speed: $sys: the label gensim is the" \
		    "reference's: give the build another" >&2
		    exit 2 ;;
		esac
	done
	cf=$(corpus "$cname")
	sp=$WORK/speed.txt
	cc -O2 -pthread -o "$WORK/pingpong" "$TOP/tests/bench/pingpong.c"
	echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, corpus $cname, $m"
	echo "# round time pingpong_ns system wall_s cpu_s replicas load1"
	: >"$sp"
	for seed in $SEEDS; do
		pp=$("$WORK/pingpong")
		for sys in ${EMB_TRAINS:-$LABEL=$EMB_TRAIN} gensim; do
			EMB_TRAIN=${sys#*=} sys=${sys%%=*}
			out=$WORK/speed-$sys
			timed "$sys" "$seed" "$cf" "$out"
			rep=$(tr '\r' '\n' <"$out.log" |
			    sed -n 's/.*replicas \([0-9/]*\).*/\1/p' | tail -n 1)
			read -r wall u s <"$out.time"
			cpu=$(awk -v u="$u" -v s="$s" \
			    'BEGIN { printf "%.2f", u + s }')
			echo "$seed $(date -u +%H:%M:%S) $pp $sys $wall $cpu" \
			    "${rep:--} $(cut -d' ' -f1 /proc/loadavg)" |
			    tee -a "$sp"
			rm -f "$out.bin"
		done
	done
	echo "# system rounds | gensim wall / wall: min max median | gensim cpu / cpu: median"
	awk '$4 == "gensim" { gw[$1] = $5; gc[$1] = $6 }
	    $4 != "gensim" { w[$4, $1] = $5; c[$4, $1] = $6 }
	    END { for (k in w) { split(k, f, SUBSEP)
		print f[1], gw[f[2]] / w[k], gc[f[2]] / c[k] } }' "$sp" \
	    >"$sp.ratios"
	for sys in $(cut -d' ' -f1 "$sp.ratios" | sort -u); do
		awk -v s="$sys" '$1 == s { print $2 }' "$sp.ratios" | sort -g \
		    >"$sp.w"
		printf '%s %d | %.2f %.2f %.2f | %.2f\n' "$sys" \
		    "$(wc -l <"$sp.w")" "$(head -n 1 "$sp.w")" \
		    "$(tail -n 1 "$sp.w")" "$(median <"$sp.w")" \
		    "$(awk -v s="$sys" '$1 == s { print $3 }' "$sp.ratios" |
		    median)"
	done
}

# the median of the numbers on standard input, one a line
median() {
	sort -g | awk '{ a[NR] = $1 }
	    END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

what=run
case ${1:-} in run|summary|speed) what=$1; shift ;; esac
if [ "$what" = speed ]; then
	speed "$@"
	exit 0
fi
if [ "$what" = run ]; then
	echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
	    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "# corpus model system seed wall_s cpu_s words analogy% ws353_rho load1 load5 load15"
	for cname in $CORPORA; do
		cf=$(corpus "$cname")
		nw=$(wc -w <"$cf")
		for m in ${*:-cbow}; do
			for seed in $SEEDS; do
				for sys in $SYSTEMS; do
					[ "$sys" = emb ] && sys=$LABEL
					one "$sys" "$seed" "$cf" "$m"
				done
			done
		done
	done
fi
summary
