#!/bin/sh
# make demo: train word vectors on the corpus shipped in data/ and query
# them the way a user would.  DEMO_DIR says where the model goes; the
# map of words is drawn into data/map.svg, the picture README.md shows.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top/cmd:$PATH"
dir=${DEMO_DIR:-$top}
model="$dir/demo.safetensors"

echo "== emb-train: skip-gram on data/text8-head.txt.gz (the first part of text8)"
emb-train -q --threads 1 --seed 1 -o "$model" "$top/data/text8-head.txt.gz"
emb-info --no-stats "$model" | grep -E '^(rows|dim|counts)'

echo
echo "== emb-nn: nearest neighbours"
printf 'five\nfrance\nking\ncomputer\nriver\n' | emb-nn -m "$model" -k 5

echo
echo "== emb-analogy: he is to his as she is to ?, chinese - china + japan"
emb-analogy -m "$model" -k 3 he his she
emb-analogy -m "$model" -k 3 'chinese - china + japan'

echo
echo "== emb-sim: similarities, and WordSim-353"
printf 'one two\none king\nfrance spain\nfrance computer\n' | emb-sim -m "$model"
emb-sim -m "$model" --eval "$top/data/wordsim353.tsv"

echo
echo "== emb-analogy --eval: the Google analogy set (30,000 most frequent rows)"
emb-analogy -m "$model" --eval "$top/data/questions-words.txt" | tail -4
if [ -f "$top/tests/demo-map.sh" ] && [ -x "$top/cmd/emb-plot" ]; then
	echo
	echo "== emb-reduce | emb-plot: the seeds' map of words"
	sh "$top/tests/demo-map.sh" "$model" "$top/data/map.svg"
	echo "wrote data/map.svg"
fi

echo
sh "$top/tests/demo-subword.sh" "$dir/demo-gpt2.safetensors"
