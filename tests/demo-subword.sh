#!/bin/sh
# make demo, the subword part: the demo corpus as GPT-2's tokens, a table
# for GPT-2's whole vocabulary trained on them (rows named by readable
# tokens), the nearest tokens of a few, and the seeds' sentence as token
# IDs and as the input matrix H0 = E[X] + P of a Transformer.
# usage: sh tests/demo-subword.sh [model]
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top/cmd:$PATH"
tok=gpt2		# GPT-2's own files: data/gpt2/encoder.json, vocab.bpe
model=${1:-$top/demo-gpt2.safetensors}
corpus="$top/data/text8-head.txt.gz"

echo "== emb-tokenize | emb-train --ids -t: the same corpus as GPT-2's tokens"
emb-tokenize -t "$tok" "$corpus" |
    emb-train --ids -t "$tok" -q --threads 1 --seed 1 -o "$model"
emb-info --no-stats "$model" | grep -E '^(rows|dim|counts|unseen-rows)'

echo
echo "== emb-nn -t: nearest tokens, by their readable names"
emb-nn -t "$tok" -m "$model" -k 5 ' five' ' seven' ' computer' ' river'

echo
echo "== emb-sim -t: cosines of words as GPT-2 tokens"
emb-sim -t "$tok" -m "$model" ' cat' ' dog' ' cat' ' car'

echo
echo "== the seeds' sentence: its tokens and IDs, then H0 (6 x 100, 5 columns)"
echo "The capital of France is Paris" | emb-tokenize -t "$tok" --print both
echo "The capital of France is Paris" |
    emb-lookup -t "$tok" -m "$model" --positions sinusoidal | cut -d ' ' -f 1-5
