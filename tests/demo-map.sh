#!/bin/sh
# The seeds' picture: words of five groups (data/map-words.txt) looked up
# in MODEL, mapped to 2-D by t-SNE and drawn, coloured by group, as the
# SVG file OUT.  Words the model lacks are left out.
# usage: sh tests/demo-map.sh MODEL OUT
set -e
if [ "$#" -ne 2 ]; then
	echo "usage: sh tests/demo-map.sh model out.svg" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top/cmd:$PATH"
words="$top/data/map-words.txt"
tmp="$2.tmp"
cut -f 1 "$words" | emb-lookup --label --oov skip -q -m "$1" |
    emb-reduce --method tsne --perplexity 10 |
    emb-plot --groups "$words" --title "Words of five groups, t-SNE" >"$tmp"
mv "$tmp" "$2"
