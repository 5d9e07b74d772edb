#!/usr/bin/env bats
# Hostile input: every tool over the catalogue in tests/hostile/ (one file
# per case, named for what is wrong; tests/hostile/mkhostile.py writes
# them).  Each case asserts the exit status and the whole message.  Big
# inputs (a 1 GB line, a 100,000-byte token) are made here, on the fly.

load helper

setup() {
	H="$TOP/tests/hostile"
	M="$DATA/e5x3.vec"
	OUT="$BATS_TEST_TMPDIR/out"
	mkdir -p "$OUT"
	# messages name files as given: run from the catalogue
	cd "$H"
}

# status and stderr of the last run must be $1 and $2
expect() {
	if [ "$status" != "$1" ] || [ "$stderr" != "$2" ]; then
		printf 'status: %s (expected %s)\nstderr: %s\nwanted: %s\n' \
		    "$status" "$1" "$stderr" "$2"
		return 1
	fi
}

# the last line of stderr (earlier rows may have been answered)
expect_last() {
	local last=${stderr##*$'\n'}

	if [ "$status" != "$1" ] || [ "$last" != "$2" ]; then
		printf 'status: %s (expected %s)\nstderr: %s\nwanted: %s\n' \
		    "$status" "$1" "$stderr" "$2"
		return 1
	fi
}

# Run every tool that opens a model on $1 (emb-plot reads no model): one line per tool, "TOOL STATUS
# STDERR", then "stdout: ..." if any tool wrote to stdout and "left: ..."
# if emb-init or emb-train left a file behind.  (One run for all eight
# keeps the suite fast, also under ASan.)
model_tools() {
	local f=$1 t st err out o="$OUT/model.safetensors" all=

	for t in lookup nn sim analogy info init train reduce; do
		case $t in
		lookup)  err=$(emb-lookup --all -m "$f" 2>&1 >"$OUT.o") ;;
		reduce)  err=$(emb-reduce --all -m "$f" 2>&1 >"$OUT.o") ;;
		nn)      err=$(emb-nn -m "$f" t0 2>&1 >"$OUT.o") ;;
		sim)     err=$(emb-sim -m "$f" t0 t1 2>&1 >"$OUT.o") ;;
		analogy) err=$(emb-analogy -m "$f" t0 t1 t2 2>&1 >"$OUT.o") ;;
		info)    err=$(emb-info "$f" 2>&1 >"$OUT.o") ;;
		init)    err=$(emb-init --from "$f" -o "$o" 2>&1 >"$OUT.o") ;;
		train)   err=$(emb-train -q --init "$f" -o "$o" 2>&1 \
			     >"$OUT.o" <<<"t0 t1 t2") ;;
		esac
		st=$?
		echo "emb-$t $st $err"
		out=$(cat "$OUT.o")
		all=$all$out
	done
	[ -z "$all" ] || echo "stdout: $all"
	[ -z "$(ls -A "$OUT")" ] || echo "left: $(ls -A "$OUT")"
}

# Every tool that opens a model fails on $1 with status 1 and the message
# "TOOL: $2", writes nothing to stdout and leaves no file.
bad_model() {
	local want= t

	for t in lookup nn sim analogy info init train reduce; do
		want="${want}emb-$t 1 emb-$t: $2"$'\n'
	done
	run model_tools "$1"
	if [ "$status" != 0 ] || [ "$output" != "${want%$'\n'}" ]; then
		printf 'got:\n%s\nwanted:\n%s' "$output" "$want"
		return 1
	fi
}

# a vector stream on stdin: emb-nn --vectors and emb-sim --vectors
bad_stream() {
	run --separate-stderr emb-nn -m "$M" --vectors <"$1"
	expect_last 1 "emb-nn: $2"
	run --separate-stderr emb-sim --vectors <"$1"
	expect_last 1 "emb-sim: $2"
	run --separate-stderr emb-sim --vectors --matrix <"$1"
	expect_last 1 "emb-sim: $2"
	run --separate-stderr emb-reduce <"$1"
	expect_last 1 "emb-reduce: $2"
}

# an ID stream on stdin: emb-lookup --ids, --print tokens, emb-nn --ids
bad_ids() {
	run --separate-stderr emb-lookup -m "$M" --ids <"$1"
	expect_last 1 "emb-lookup: $2"
	run --separate-stderr emb-lookup -m "$M" --ids --print tokens <"$1"
	expect_last 1 "emb-lookup: $2"
	run --separate-stderr emb-nn -m "$M" --ids <"$1"
	expect_last 1 "emb-nn: $2"
}

# ---- word2vec / .vec / GloVe text ------------------------------------

@test "hostile: a header claiming 10^12 rows fails without allocating them" {
	f=w2v-header-claims-1e12-rows.vec
	bad_model $f "$f:1: the header says 1000000000000 rows, the file has 1"
}

@test "hostile: a header claiming 10^12 dimensions is refused" {
	f=w2v-header-claims-1e12-dims.vec
	bad_model $f "$f:1: the header says 1000000000000 dimensions (at most 1048576)"
}

@test "hostile: a header with fewer rows than the file" {
	f=w2v-header-fewer-rows-than-file.vec
	bad_model $f "$f:3: more rows than the header's 1"
}

@test "hostile: a header with more rows than the file" {
	f=w2v-header-more-rows-than-file.vec
	bad_model $f "$f:1: the header says 3 rows, the file has 2"
}

@test "hostile: a header of 0 dimensions is a malformed header, not a row" {
	f=w2v-header-dim-zero.vec
	bad_model $f "$f:1: malformed header \"2 0\": expected \"V d\", two whole numbers with d > 0"
}

@test "hostile: a negative, fractional or overflowing count: malformed header on line 1, never another format" {
	for f in w2v-header-negative-rows.vec w2v-header-overflows-size_t.vec \
	    w2v-header-fractional.vec; do
		h=$(head -n 1 $f)
		bad_model $f "$f:1: malformed header \"$h\": expected \"V d\", two whole numbers with d > 0"
		run --separate-stderr emb-init --from $f --format vec -o "$OUT/x.vec"
		expect 1 "emb-init: $f:1: malformed header \"$h\": expected \"V d\", two whole numbers with d > 0"
	done
	[ -z "$(ls -A "$OUT")" ]
}

@test "hostile: a header of 0 rows with rows after it" {
	f=w2v-header-zero-rows-data-follows.vec
	bad_model $f "$f:1: the header says 0 rows, but rows follow"
}

@test "hostile: two numbers on every line are an unlabelled 2-D table, not a header" {
	run --separate-stderr emb-lookup --ids -m two-column-table.txt <<<"0 2"
	expect 0 ""
	[ "$output" = "$(printf -- '-3 3\n0.5 -1')" ]
}

@test "hostile: NaN in a text row" {
	bad_model vec-nan.vec 'vec-nan.vec:3: NaN or infinite value "nan"'
}

@test "hostile: -inf in a text row" {
	bad_model vec-inf.vec 'vec-inf.vec:3: NaN or infinite value "-inf"'
}

@test "hostile: a number that overflows float32 to infinity" {
	f=vec-float-overflows-to-inf.vec
	bad_model $f "$f:3: NaN or infinite value \"1e39\""
}

@test "hostile: a row with too few numbers" {
	f=vec-wrong-dim.vec
	bad_model $f "$f:3: expected a token and 3 numbers, found 3 fields"
}

@test "hostile: a field that is not a number" {
	f=vec-not-a-number.vec
	bad_model $f "$f:3: not a number: \"five\""
}

@test "hostile: an empty line between rows" {
	bad_model vec-empty-line.vec "vec-empty-line.vec:3: empty line"
}

@test "hostile: a text table of several slices, with a flood of empty lines in a later one" {
	# blocks of 1 MB and more are parsed by slices, each straight into
	# the table; a slice with more lines than rows can fill is parsed
	# apart, and its first bad line is the one named
	cd "$OUT"
	awk 'BEGIN { for (i = 0; i < 70000; i++) print "w" i, i, 1, 2, 3, 4, 5, 6, 7 }' >head.vec
	awk 'BEGIN { for (i = 70000; i < 120000; i++) print "w" i, i, 1, 2, 3, 4, 5, 6, 7 }' >tail.vec
	{ printf '120000 8\n'; cat head.vec tail.vec; } >good.vec
	run -0 emb-init --from good.vec -O word2vec-text
	[ "$output" = "$(cat good.vec)" ]
	{ cat head.vec; awk 'BEGIN { for (i = 0; i < 300000; i++) print "" }'; cat tail.vec; } >flood.vec
	[ "$(wc -c <flood.vec)" -gt 3000000 ]
	run -1 --separate-stderr emb-init --from flood.vec -o x.safetensors
	[ "$stderr" = "emb-init: flood.vec:70001: empty line" ]
	# --limit stops before the bad line, whichever slice holds it
	run -0 emb-init --from flood.vec --limit 70000 -O word2vec-text
	[ "$(sed -n '1p;$p' <<<"$output")" = "$(printf '70000 8\nw69999 69999 1 2 3 4 5 6 7')" ]
	[ ! -e x.safetensors ]
}

@test "hostile: a duplicate token" {
	f=vec-duplicate-token.vec
	bad_model $f "$f:3: duplicate token \"a\" (first on line 2)"
}

@test "hostile: a row without a token" {
	bad_model vec-empty-token.vec "vec-empty-token.vec:3: no token before the 3 numbers"
}

@test "hostile: a row whose token is a tab: the message shows it" {
	f=token-is-a-tab.vec
	bad_model $f "$f:3: token \"\\t\" is only blanks, which separate fields"
}

@test "hostile: a NUL byte in a text file" {
	# control bytes after a "V d" header mean word2vec binary
	bad_model vec-nul-byte.vec "vec-nul-byte.vec: row 2: empty token"
}

@test "hostile: a GloVe file with ragged rows" {
	f=glove-ragged.txt
	bad_model $f "$f:2: expected a token and 3 numbers, found 3 fields"
}

@test "hostile: a text file without numbers is no known format" {
	f=glove-no-numbers.txt
	bad_model $f "$f: unknown format (use --format)"
}

@test "hostile: an empty file" {
	bad_model empty.txt "empty.txt: empty file"
}

@test "hostile: a file of newlines only" {
	bad_model only-newlines.txt "only-newlines.txt: unknown format (use --format)"
}

@test "hostile: binary garbage" {
	bad_model binary-garbage.dat "binary-garbage.dat: unknown format (use --format)"
}

@test "hostile: a directory as the model" {
	bad_model "$H" "$H: Is a directory"
}

@test "hostile: a model that does not exist" {
	bad_model no-such-file.vec "no-such-file.vec: No such file or directory"
}

@test "hostile: invalid UTF-8 tokens are opaque bytes, kept as they are" {
	run --separate-stderr emb-lookup --all -m invalid-utf8.vec
	expect 0 ""
	[ "$output" = "$(printf '\377\376 1 2 3\n\303( 4 5 6')" ]
	run --separate-stderr emb-nn -m invalid-utf8.vec -k 1 "$(printf '\303(')"
	expect 0 ""
	[ "$output" = "$(printf '\303(\t\377\376\t0.974632')" ]
}

@test "hostile: CRLF line ends are accepted" {
	run --separate-stderr emb-lookup --all -m crlf.vec
	expect 0 ""
	[ "$output" = "$(printf 'a 1 2 3\nb 4 5 6')" ]
}

@test "hostile: tokens with spaces: the last d fields are the numbers" {
	run --separate-stderr emb-lookup --all -m token-with-spaces.vec
	expect 0 ""
	[ "$output" = "$(printf 'new york 1 2 3\nb 4 5 6')" ]
	# but a token whose last part is a number: a row of d + 1 numbers
	run --separate-stderr emb-lookup --all -m vec-extra-field.vec
	expect 1 "emb-lookup: vec-extra-field.vec:3: 4 numbers, the header says 3"
	[ -z "$output" ]
}

@test "hostile: a header and no rows is an empty table" {
	run --separate-stderr emb-lookup --all -m w2v-header-only.vec
	expect 0 ""
	[ -z "$output" ]
	run --separate-stderr emb-analogy -m w2v-header-only.vec a b c
	expect 1 "emb-analogy: w2v-header-only.vec: the table has no vocabulary"
}

@test "hostile: a 100,000-byte token works end to end" {
	tok=$(head -c 100000 /dev/zero | tr '\0' x)
	{ echo "2 3"; echo "$tok 1 2 3"; echo "b 4 5 6"; } >"$OUT/big.vec"
	run --separate-stderr emb-init --from "$OUT/big.vec" \
	    -o "$OUT/big.safetensors"
	expect 0 ""
	run --separate-stderr emb-nn -m "$OUT/big.safetensors" -k 1 "$tok"
	expect 0 ""
	[ "$output" = "$tok	b	0.974632" ]
	run --separate-stderr emb-lookup --all -m "$OUT/big.safetensors"
	expect 0 ""
	[ "${output%%$'\n'*}" = "$tok 1 2 3" ]
}

@test "hostile: an unknown 100,000-byte token: the message is cut short" {
	tok=$(head -c 100000 /dev/zero | tr '\0' y)
	printf '%s\n' "$tok" >"$OUT/q"
	for t in emb-lookup emb-nn; do
		run --separate-stderr $t -m "$M" <"$OUT/q"
		[ "$status" = 1 ]
		case $stderr in
		"$t: <stdin>:1: unknown token \"yyyyyyyy"*) ;;
		*) echo "$t: ${stderr:0:100}"; return 1 ;;
		esac
		[ "${#stderr}" -lt 300 ]
	done
}

@test "hostile: a 1 GB line without a newline: a clear error, bounded memory" {
	[ -z "${EMB_TEST_BIN:-}" ] || skip "256 MiB through valgrind takes minutes"
	# the readers give up at 256 MiB, lines and words alike
	run --separate-stderr bash -c "head -c 1073741824 /dev/zero |
	    tr '\\0' a | emb-sim --vectors"
	expect 1 "emb-sim: <stdin>:1: line longer than 268435456 bytes"
	run --separate-stderr bash -c "head -c 1073741824 /dev/zero |
	    tr '\\0' a | emb-train -q -d 3 -o '$OUT/m.safetensors'"
	expect 1 "emb-train: <stdin>:1: word longer than 268435456 bytes"
	[ -z "$(ls -A "$OUT")" ]
}

@test "hostile: a GloVe row of 2^20 + 1 numbers: more dimensions than any table may have" {
	f="$OUT/wide.txt"
	{ printf a; yes ' 0' | head -n 1048577 | tr -d '\n'; echo; } >"$f"
	run --separate-stderr emb-init --from "$f" -o "$OUT/m.safetensors"
	expect 1 "emb-init: $f:1: 1048577 dimensions (at most 1048576)"
	[ "$(ls -A "$OUT")" = wide.txt ]
}

# ---- one reading of every file: BOM, unlabelled rows, labels that are
# numbers, a number too many; what a file that is no table looks like -----

@test "hostile: a byte-order mark before a word2vec text header" {
	f=bom-word2vec-text.vec
	run --separate-stderr emb-info --no-stats $f
	expect 0 ""
	[ "$(sed -n '2p;4,6p' <<<"$output")" = "$(printf 'format\tword2vec-text\nrows\t3\ndim\t3\ndtype\tF32')" ]
	run --separate-stderr emb-init --from $f -o "$OUT/x.vec"
	expect 0 ""
	[ "$(cat "$OUT/x.vec")" = "$(printf '3 3\nthe 0.1 0.2 0.3\ncat 0.9 0.1 0\ndog 0.8 0.2 0.1')" ]
}

@test "hostile: a byte-order mark is skipped on every text input" {
	m=bom-word2vec-text.vec
	# a GloVe table, a token list, an ID list, a vector stream
	run --separate-stderr emb-lookup -m bom-glove.txt <<<the
	expect 0 ""
	[ "$output" = "0.1 0.2 0.3" ]
	run --separate-stderr emb-lookup -m $m bom-tokens.txt
	expect 0 ""
	[ "$output" = "$(printf '0.1 0.2 0.3\n0.9 0.1 0')" ]
	run --separate-stderr emb-lookup --ids -m $m < <(printf '\357\273\2772 0\n')
	expect 0 ""
	[ "$output" = "$(printf '0.8 0.2 0.1\n0.1 0.2 0.3')" ]
	run --separate-stderr emb-sim --vectors bom-stream.txt
	expect 0 ""
	[ "$output" = "$(printf 'a\tb\t0.000000')" ]
	# vocabularies and corpora: the first token is "the", not BOM + "the"
	emb-init --vocab bom-vocab.txt -d 2 -o "$OUT/v.safetensors"
	[ "$(emb-lookup --print ids -m "$OUT/v.safetensors" <<<the)" = 0 ]
	emb-init --count --min-count 1 -d 2 -o "$OUT/c.safetensors" bom-corpus.txt
	[ "$(emb-lookup --print ids -m "$OUT/c.safetensors" <<<the)" = 0 ]
	# evaluation sets: every pair and question is found
	run --separate-stderr emb-sim -m $m --eval bom-simeval.tsv
	expect 0 ""
	[ "$(sed -n 2p <<<"$output")" = "$(printf 'used\t2')" ]
	run --separate-stderr emb-analogy -m $m --eval bom-analogy.txt
	expect 0 ""
	[ "$(tail -n 1 <<<"$output")" = "questions seen/total: 1/1 (100.00%)" ]
}

@test "hostile: a file that is only a byte-order mark is empty" {
	bad_model bom-only.txt "bom-only.txt: empty file"
}

@test "hostile: rows without tokens: every reader takes all fields as numbers" {
	for f in unlabelled-rows.txt unlabelled-rows.csv; do
		run --separate-stderr emb-info --no-stats $f
		expect 0 ""
		[ "$(sed -n '4,5p;7p' <<<"$output")" = "$(printf 'rows\t2\ndim\t4\nvocab\t0')" ]
		run --separate-stderr emb-init --from $f --vocab unlabelled-vocab.txt \
		    -o "$OUT/x.safetensors"
		expect 0 ""
		[ "$(emb-lookup -m "$OUT/x.safetensors" <<<south)" = "0.45 0.2 -0.25 0.75" ]
	done
	# the vector readers agree: d = 4, no labels
	run --separate-stderr emb-sim --vectors unlabelled-rows.txt
	expect 0 ""
	[ "$output" = "$(printf '1\t2\t0.992740')" ]
	run --separate-stderr emb-reduce -d 1 unlabelled-rows.txt
	expect 0 ""
	[ "$(wc -l <<<"$output")" = 2 ]
	[ "$(awk '{ print NF }' <<<"$output" | sort -u)" = 1 ]
	# a header with rows of d numbers: unlabelled too
	run --separate-stderr emb-info --no-stats unlabelled-header.vec
	expect 0 ""
	[ "$(sed -n '4,5p;7p' <<<"$output")" = "$(printf 'rows\t2\ndim\t3\nvocab\t0')" ]
}

@test "hostile: one row with a token makes every row labelled; a stream reader stops there" {
	for f in numeric-first-token.txt numeric-first-token.csv; do
		run --separate-stderr emb-lookup --all -m $f
		expect 0 ""
		[ "$output" = "$(printf '3 3\n1990 0.1 0.2 0.3\nthe 0.4 0.5 0.6\n-7 0.7 0.8 0.9')" ]
	done
	# a vector stream is read as it comes: line 1 decided (no labels)
	run --separate-stderr emb-reduce -d 1 numeric-first-token.txt
	expect 1 "emb-reduce: numeric-first-token.txt:2: not a number: \"the\" (the rows are unlabelled, as line 1 starts with a number; an \"N d\" header line would say d)"
	[ -z "$output" ]
	# quoted, a number is a CSV token
	run --separate-stderr emb-lookup --all -m quoted-number-tokens.csv
	expect 0 ""
	[ "$output" = "$(printf '2 2\n1 0.1 0.2\n2 0.3 0.4')" ]
	# a row too short among unlabelled rows
	bad_model unlabelled-ragged.txt "unlabelled-ragged.txt:2: expected 3 numbers, found 2 fields"
}

@test "hostile: a row with d + 1 numbers is refused, not read with a two-word token" {
	f=row-one-number-too-many.vec
	bad_model $f "$f:3: 4 numbers, the header says 3"
	f=glove-row-one-number-too-many.txt
	bad_model $f "$f:2: 4 numbers, line 1 has 3"
	# a query vector: d from the model
	run --separate-stderr emb-nn -m "$M" --vectors <<<"antigo 0.0134 -0.464 0.2288 0.836"
	expect 1 "emb-nn: <stdin>:1: 4 numbers, expected 3"
}

@test "hostile: emb's streams round-trip: numeric, negative-looking and blank-holding labels" {
	m=labels.vec
	want=$(emb-lookup --all -m $m)
	# the header goes first: the first label is a number
	[ "$(head -n 1 <<<"$want")" = "6 3" ]
	# lookup -> init --from, as text and as CSV
	for how in "" --csv; do
		emb-lookup $how --all -m $m | emb-init --from - -o "$OUT/t.safetensors"
		[ "$(emb-lookup --all -m "$OUT/t.safetensors")" = "$want" ]
		rm "$OUT/t.safetensors"
	done
	# lookup -> reduce, -> sim --vectors, -> nn: text and binary
	for how in "" -b; do
		run --separate-stderr bash -c "emb-lookup $how --all -m $m | emb-reduce -d 2"
		expect 0 ""
		[ "$(sed 1d <<<"$output" | sed 's/ [^ ]* [^ ]*$//')" = "$(printf -- '-1\n1990\nnew york\n. . .\n-0.5e3\n7')" ]
		# reduce -> plot: every label drawn
		emb-lookup $how --all -m $m | emb-reduce $how -d 2 | emb-plot >"$OUT/p.svg"
		for l in '>-1<' '>1990<' '>new york<' '>. . .<' '>-0.5e3<' '>7<'; do
			grep -q -- "$l" "$OUT/p.svg"
		done
		run --separate-stderr bash -c "emb-lookup $how --all -m $m | emb-sim --vectors --matrix --csv"
		expect 0 ""
		[ "$(head -n 1 <<<"$output")" = ",-1,1990,new york,. . .,-0.5e3,7" ]
		run --separate-stderr bash -c "emb-lookup $how --all -m $m | emb-nn -m $m --vectors -k 1 --include-query"
		expect 0 ""
		[ "$(cut -f 1,2 <<<"$output")" = "$(printf -- '-1\t-1\n1990\t1990\nnew york\tnew york\n. . .\t. . .\n-0.5e3\t-0.5e3\n7\t7')" ]
	done
	rm "$OUT/p.svg"
	# reduce -> init --from: a labelled table again
	emb-lookup --all -m $m | emb-reduce -d 2 | emb-init --from - -o "$OUT/r.safetensors"
	[ "$(emb-info --no-stats "$OUT/r.safetensors" | sed -n '4,5p;7p')" = "$(printf 'rows\t6\ndim\t2\nvocab\t6')" ]
	rm "$OUT/r.safetensors"
	# tokens read one by one: the count is known at the end only
	run --separate-stderr bash -c "printf '1990\n-1\n' | emb-lookup --label -m $m | emb-reduce -d 1"
	expect 0 ""
	[ "$(cut -d ' ' -f 1 <<<"$output")" = "$(printf '2\n1990\n-1')" ]
	# the issue's pipe: reading emb-lookup's stream = reading the model
	emb-init -V 300 -d 40 --seed 11 -o "$OUT/m.safetensors"
	run --separate-stderr bash -c "emb-lookup -m $OUT/m.safetensors --all | emb-reduce --method pca -d 2"
	expect 0 ""
	[ "$output" = "$(emb-reduce --all -m "$OUT/m.safetensors" --method pca -d 2)" ]
	[ "$(sed -n 2p <<<"$output" | cut -d ' ' -f 1)" = 0 ]
}

@test "hostile: what a file that is no table looks like" {
	bad_model page.html "page.html: an HTML page (a failed download?), not an embedding table"
	bad_model archive.zip "archive.zip: a zip archive (PyTorch .pt and NumPy .npz files are zip archives too), not an embedding table"
	bad_model program.elf "program.elf: an ELF executable, not an embedding table"
	bad_model model.pkl "model.pkl: a Python pickle (a gensim .model, or a PyTorch checkpoint?), not an embedding table"
	bad_model config.json "config.json: a JSON document (a tokenizer or a config?), not an embedding table"
	gzip -c glove-no-numbers.txt >"$BATS_TEST_TMPDIR/words.gz"
	run --separate-stderr emb-info "$BATS_TEST_TMPDIR/words.gz"
	expect 1 "emb-info: $BATS_TEST_TMPDIR/words.gz: gzip-compressed, but not an embedding table inside (use --format if it is one)"
	gzip -c page.html >"$BATS_TEST_TMPDIR/page.gz"
	run --separate-stderr emb-info "$BATS_TEST_TMPDIR/page.gz"
	expect 1 "emb-info: $BATS_TEST_TMPDIR/page.gz: an HTML page (a failed download?) (compressed with gzip), not an embedding table"
}

@test "hostile: --format on every tool that opens a model" {
	# word2vec binary whose two floats' bytes happen to read "0.1 0.20":
	# detection takes it for text (emb-formats(5), CAVEATS)
	f=$BATS_TEST_TMPDIR/amb.bin
	printf '1 2\na 0.1 0.20\n' >"$f"
	[ "$(emb-lookup --all -m "$f")" = "a 0.1 0.2" ]
	run --separate-stderr emb-lookup --all --format word2vec-bin -m "$f"
	expect 0 ""
	[ "$output" = "a 1.5007765e-19 6.482166e-10" ]
	[ "$(emb-info --no-stats --format word2vec-bin "$f" | sed -n 2p)" = "$(printf 'format\tword2vec-bin')" ]
	run --separate-stderr emb-nn --format word2vec-bin --include-query -m "$f" a
	expect 0 ""
	[ "$output" = "$(printf 'a\ta\t1.000000')" ]
	run --separate-stderr emb-sim --format word2vec-bin -m "$f" a a
	expect 0 ""
	run --separate-stderr emb-analogy --format word2vec-bin -m "$f" a a a
	expect 0 ""
	run --separate-stderr emb-reduce --format word2vec-bin -m "$f" -d 1 <<<"a a"
	expect 0 ""
	emb-train -q --init "$f" --format word2vec-bin -d 2 --min-count 1 \
	    -o "$OUT/t.safetensors" <<<"a a a"
	rm "$OUT/t.safetensors"
	# the hint of an unknown format can now be followed
	run --separate-stderr emb-nn -m glove-no-numbers.txt king
	expect 1 "emb-nn: glove-no-numbers.txt: unknown format (use --format)"
	run --separate-stderr emb-nn --format glove -m glove-no-numbers.txt king
	expect 1 "emb-nn: glove-no-numbers.txt:1: expected a token and numbers"
	# a name that is no format, and --format without the model it names
	run --separate-stderr emb-info --format word2vec "$f"
	[ "$status" = 2 ]
	[ "${stderr%%$'\n'*}" = 'emb-info: --format: unknown format "word2vec" (safetensors, word2vec-bin, word2vec-text, glove, vec, npy, csv, fasttext-bin)' ]
	run --separate-stderr emb-train --format glove -o "$OUT/t.safetensors" <<<"a"
	[ "$status" = 2 ]
	[ "${stderr%%$'\n'*}" = "emb-train: --format goes with --init" ]
	[ -z "$(ls -A "$OUT")" ]
}

@test "hostile: text writers refuse what would read back as another table" {
	# GloVe has no header: a first token that reads as a number would be
	# taken for a coordinate
	run --separate-stderr emb-init --from numeric-first-token.txt -o "$OUT/x.glove"
	expect 1 "emb-init: $OUT/x.glove: row 1: token \"1990\" reads as a number, and GloVe text has no header to say d (word2vec-text and vec have one)"
	# a token ending in a number after a blank reads as one more number
	printf '"route 66",1,2\nb,3,4\n' >"$BATS_TEST_TMPDIR/r.csv"
	run --separate-stderr emb-init --from "$BATS_TEST_TMPDIR/r.csv" -o "$OUT/x.vec"
	expect 1 "emb-init: $OUT/x.vec: row 1: token \"route 66\" ends in a number after a blank, which reads as one more number: a text row cannot hold it"
	run --separate-stderr emb-lookup --all -m "$BATS_TEST_TMPDIR/r.csv"
	expect 1 "emb-lookup: label \"route 66\" ends in a number after a blank, which reads as one more number: a text vector stream cannot hold it (-b or --csv can)"
	# no rows: nothing in a GloVe or CSV file would say d
	for o in glove csv; do
		run --separate-stderr emb-init --from w2v-header-only.vec -o "$OUT/x.$o"
		expect 1 "emb-init: $OUT/x.$o: a table of 0 rows cannot be written as $o, which has no header to give d (word2vec-text can)"
	done
	[ -z "$(ls -A "$OUT")" ]
	# unlabelled rows stay unlabelled through GloVe and CSV
	for o in glove csv; do
		emb-init --from unlabelled-rows.txt -o "$OUT/u.$o"
		[ "$(emb-info --no-stats "$OUT/u.$o" | sed -n '4,5p;7p')" = "$(printf 'rows\t2\ndim\t4\nvocab\t0')" ]
	done
}

@test "hostile: an analogy set without syntactic questions: n/a (0/0), as sections print it" {
	run --separate-stderr emb-analogy -m bom-word2vec-text.vec --eval analogy-no-syntactic.txt
	expect 0 ""
	[ "$output" = "$(printf 'capital-common-countries: 0.00%% (0/1)\nsemantic: 0.00%% (0/1)\nsyntactic: n/a (0/0)\ntotal: 0.00%% (0/1)\nquestions seen/total: 1/1 (100.00%%)')" ]
}

# ---- word2vec binary ----------------------------------------------------

@test "hostile: a truncated word2vec binary file" {
	f=bin-truncated.bin
	bad_model $f "$f: unexpected end of file after row 1 (the header says 2 rows)"
}

@test "hostile: a binary header claiming 10^12 rows" {
	f=bin-header-claims-1e12-rows.bin
	bad_model $f "$f: unexpected end of file after row 1 (the header says 1000000000000 rows)"
}

@test "hostile: a binary header claiming 4e9 dimensions" {
	f=bin-header-claims-4e9-dims.bin
	bad_model $f "$f:1: the header says 4000000000 dimensions (at most 1048576)"
}

@test "hostile: NaN in a binary row" {
	bad_model bin-nan.bin 'bin-nan.bin: row 2 ("b"): NaN or infinite value'
}

@test "hostile: infinity in a binary row" {
	bad_model bin-inf.bin 'bin-inf.bin: row 2 ("b"): NaN or infinite value'
}

@test "hostile: data after the rows a binary header announces" {
	f=bin-trailing-data.bin
	bad_model $f "$f: data after the 1 rows the header announces"
}

@test "hostile: a binary file whose token never ends" {
	f=bin-token-without-space.bin
	bad_model $f "$f:2: expected a token and 3 numbers, found 1 field"
}

@test "hostile: a duplicate token in a binary file" {
	f=bin-duplicate-token.bin
	bad_model $f "$f: row 2: duplicate token \"a\" (first in row 1)"
}

# ---- fastText .bin ------------------------------------------------------

@test "hostile: a fastText .bin cut short, in the arguments and in a matrix" {
	f=ft-truncated-in-arguments.bin
	bad_model $f "$f: unexpected end of file in the arguments (byte 40)"
	f=ft-truncated-in-matrix.bin
	bad_model $f "$f: unexpected end of file in the input matrix at row 6 of 7 (byte 212)"
	# through a pipe the size is not known ahead: the same message
	gzip -c $f >"$BATS_TEST_TMPDIR/t.bin.gz"
	run --separate-stderr emb-lookup --all -m - <"$BATS_TEST_TMPDIR/t.bin.gz"
	expect 1 "emb-lookup: <stdin>: unexpected end of file in the input matrix at row 6 of 7 (byte 212)"
	[ -z "$output" ]
}

@test "hostile: a fastText .bin with a wrong magic number or version" {
	f=ft-bad-magic.bin
	bad_model $f "$f: unknown format (use --format)"
	run --separate-stderr emb-init --from $f --format fasttext-bin -o "$OUT/x.emb"
	expect 1 "emb-init: $f: not a fastText model (magic 793712315, not 793712314)"
	[ -z "$(ls -A "$OUT")" ]
	f=ft-version-13.bin
	bad_model $f "$f: fastText file format version 13 (emb reads versions 11 and 12)"
}

@test "hostile: a fastText dictionary whose size disagrees with the matrices" {
	f=ft-dictionary-larger-than-matrix.bin
	bad_model $f "$f: the input matrix has 7 rows, the dictionary's 4 words and the arguments' 4 n-gram buckets make 8"
	f=ft-dictionary-size-short.bin
	bad_model $f "$f: bad flag 116 at byte 116, where the input matrix should start after the dictionary's 2 words"
}

@test "hostile: a fastText input matrix whose n-gram rows are not the arguments' bucket count" {
	f=ft-bucket-mismatch.bin
	bad_model $f "$f: the input matrix has 9 rows, the dictionary's 3 words and the arguments' 4 n-gram buckets make 7"
}

@test "hostile: fastText headers claiming huge sizes fail without allocating them" {
	f=ft-claims-2e9-words.bin
	bad_model $f "$f: a dictionary of 2000000000 words cannot fit in the 190 bytes left in the file"
	f=ft-claims-2e9-dims.bin
	bad_model $f "$f: dimension 2000000000 (at most 1048576)"
	f=ft-claims-1e6-dims.bin
	bad_model $f "$f: unexpected end of file in the input matrix at row 1 of 7 (byte 162)"
	# 2e9 n-gram rows of 3 floats (24 GB): storage grows with the rows
	# that arrive (fuzz_fasttext has this file: an allocation over 1 GB
	# is a finding there)
	f=ft-claims-2e9-buckets.bin
	bad_model $f "$f: unexpected end of file in the input matrix at row 7 of 2000000003 (byte 222)"
	run --separate-stderr emb-lookup --all -m - <$f
	expect 1 "emb-lookup: <stdin>: unexpected end of file in the input matrix at row 7 of 2000000003 (byte 222)"
	run --separate-stderr bash -c "gzip -c $f | emb-lookup --all -m -"
	expect 1 "emb-lookup: <stdin>: unexpected end of file in the input matrix at row 7 of 2000000003 (byte 222)"
	run --separate-stderr bash -c "gzip -c ft-claims-2e9-words.bin | emb-lookup --all -m -"
	expect 1 "emb-lookup: <stdin>: dictionary word 4 of 2000000000 is empty"
}

@test "hostile: a quantized (.ftz) or supervised fastText model is refused by name" {
	f=ft-quantized.bin
	bad_model $f "$f: a quantized model (.ftz): emb does not read product-quantized matrices"
	f=ft-supervised.bin
	bad_model $f "$f: a supervised model (a fastText classifier): emb reads skip-gram and CBOW models only"
}

# ---- safetensors ---------------------------------------------------------

@test "hostile: safetensors header length 2^63" {
	f=safetensors-header-len-2p63.safetensors
	# too long to be taken for safetensors by content ...
	bad_model $f "$f: unknown format (use --format)"
	# ... and refused by the container when named
	run --separate-stderr emb-init --from $f --format safetensors -o "$OUT/x.vec"
	expect 1 "emb-init: $f: safetensors header length 9223372036854775808 is invalid for a file of 220 bytes"
	[ -z "$(ls -A "$OUT")" ]
}

@test "hostile: safetensors header length past the end of the file" {
	f=safetensors-header-len-past-eof.safetensors
	bad_model $f "$f: safetensors header length 5000 is invalid for a file of 220 bytes"
}

@test "hostile: safetensors header of 1 byte" {
	f=safetensors-header-len-1.safetensors
	run --separate-stderr emb-init --from $f --format safetensors -o "$OUT/x.vec"
	expect 1 "emb-init: $f: safetensors header length 1 is invalid for a file of 9 bytes"
	bad_model $f "$f: unknown format (use --format)"
}

@test "hostile: a file too short for safetensors" {
	f=safetensors-too-short.safetensors
	run --separate-stderr emb-init --from $f --format safetensors -o "$OUT/x.vec"
	expect 1 "emb-init: $f: too short for a safetensors file"
	bad_model $f "$f: unknown format (use --format)"
}

@test "hostile: safetensors header: only spaces may follow the JSON object" {
	for f in safetensors-header-padded-with-nul.safetensors \
	    safetensors-header-trailing-bytes.safetensors \
	    safetensors-header-trailing-newline.safetensors; do
		bad_model $f "$f: invalid safetensors header: bytes after the JSON object"
	done
	# spaces are what the reference writer pads with
	run --separate-stderr emb-lookup --all -m safetensors-header-trailing-spaces.safetensors
	expect 0 ""
	[ "$output" = "$(printf 'a 1 0 2\nb 0 1 0')" ]
}

@test "hostile: safetensors header that is not UTF-8" {
	f=safetensors-header-not-utf8.safetensors
	bad_model $f "$f: invalid safetensors header: not UTF-8 (header byte 5)"
}

@test "hostile: safetensors tensors must lie back to back from byte 0 to the end" {
	f=safetensors-offsets-gap.safetensors
	bad_model $f "$f: invalid safetensors header: tensor \"vocab\" starts at data byte 28, the tensor before it ends at 24"
	f=safetensors-offsets-overlap.safetensors
	bad_model $f "$f: invalid safetensors header: tensor \"vocab\" starts at data byte 20, the tensor before it ends at 24"
	f=safetensors-offsets-not-from-zero.safetensors
	bad_model $f "$f: invalid safetensors header: tensor \"embeddings\" starts at data byte 4, not at 0"
	f=safetensors-data-after-tensors.safetensors
	bad_model $f "$f: invalid safetensors header: the tensors end at data byte 28, the file's data at 32"
}

@test "hostile: safetensors __metadata__ values must be strings" {
	f=safetensors-metadata-number.safetensors
	bad_model $f "$f: invalid safetensors header: __metadata__ \"emb.version\" is a number, not a string"
}

@test "hostile: safetensors tensor named twice" {
	f=safetensors-tensor-twice.safetensors
	bad_model $f "$f: invalid safetensors header: tensor \"embeddings\" given twice"
}

@test "hostile: safetensors offsets past the end of the file" {
	f=safetensors-offsets-past-eof.safetensors
	bad_model $f "$f: tensor \"vocab\": data offsets outside the file (file truncated?)"
}

@test "hostile: a safetensors file cut short in its data" {
	f=safetensors-truncated-data.safetensors
	bad_model $f "$f: tensor \"embeddings\": data offsets outside the file (file truncated?)"
}

@test "hostile: safetensors offsets reversed" {
	f=safetensors-offsets-reversed.safetensors
	bad_model $f "$f: tensor \"embeddings\": data offsets outside the file (file truncated?)"
}

@test "hostile: safetensors offsets beyond 2^53" {
	f=safetensors-offset-2p53.safetensors
	bad_model $f "$f: tensor \"embeddings\": data offsets outside the file (file truncated?)"
}

@test "hostile: safetensors fractional offsets" {
	f=safetensors-fractional-offset.safetensors
	bad_model $f "$f: tensor \"embeddings\": data offsets outside the file (file truncated?)"
}

@test "hostile: safetensors data size that is not the shape's" {
	f=safetensors-size-not-shape.safetensors
	bad_model $f "$f: tensor \"embeddings\": data size 24 does not match its shape"
}

@test "hostile: safetensors shape whose product overflows 64 bits" {
	f=safetensors-shape-overflows.safetensors
	bad_model $f "$f: tensor \"embeddings\": shape too large"
}

@test "hostile: safetensors V*d*sizeof that wraps to 0" {
	# 2^31 x 2^31 F32 is 2^64 bytes: 0 after wrapping
	f=safetensors-shape-overflow-wraps-to-size.safetensors
	bad_model $f "$f: tensor \"embeddings\": data size 0 does not match its shape"
}

@test "hostile: safetensors negative dimension" {
	f=safetensors-negative-dim.safetensors
	bad_model $f "$f: tensor \"embeddings\": bad shape"
}

@test "hostile: safetensors tensor of 9 dimensions" {
	f=safetensors-nine-dims.safetensors
	bad_model $f "$f: tensor \"embeddings\": bad shape"
}

@test "hostile: safetensors header that is not JSON" {
	f=safetensors-bad-json.safetensors
	bad_model $f "$f: safetensors header is not a JSON object"
}

@test "hostile: safetensors header that is a JSON array" {
	f=safetensors-header-not-object.safetensors
	run --separate-stderr emb-init --from $f --format safetensors -o "$OUT/x.vec"
	expect 1 "emb-init: $f: safetensors header is not a JSON object"
}

@test "hostile: safetensors unknown dtype" {
	f=safetensors-unknown-dtype.safetensors
	bad_model $f "$f: tensor \"embeddings\": unknown dtype \"F31\""
}

@test "hostile: safetensors without a matrix" {
	f=safetensors-no-matrix.safetensors
	bad_model $f "$f: no 2-D float tensor to use as an embedding table"
}

@test "hostile: safetensors with two candidate matrices" {
	f=safetensors-two-matrices.safetensors
	bad_model $f "$f: 2 2-D float tensors (wte, wpe): choose one with --tensor"
}

@test "hostile: safetensors integer matrix" {
	f=safetensors-int-matrix.safetensors
	bad_model $f "$f: tensor \"embeddings\" is not a 2-D float matrix (I32, 2 dims)"
}

@test "hostile: safetensors matrix of 0 columns" {
	f=safetensors-zero-columns.safetensors
	bad_model $f "$f: tensor \"embeddings\" has 0 columns"
}

# A native table is mapped, not scanned at open: a NaN or Inf stops each
# tool that uses its row, naming the file and the row.
nonfinite_model() {
	local f=$1 msg="$1: row 1: NaN or infinite value" t

	run model_tools "$f"
	for t in lookup nn sim analogy init train reduce; do
		grep -qxF "emb-$t 1 emb-$t: $msg" <<<"$output" ||
		    { echo "emb-$t: $output"; return 1; }
	done
	grep -qxF "emb-info 1 emb-info: $msg (1 of 3 rows)" <<<"$output"
	grep -qxF "nonfinite-rows	1" <<<"$output"
	! grep -q '^left:' <<<"$output"
}

@test "hostile: NaN in a row of a native table" {
	nonfinite_model safetensors-nan-in-row-1.safetensors
}

@test "hostile: -Inf in a row of a native F16 table" {
	nonfinite_model safetensors-inf-in-f16-row-1.safetensors
}

@test "hostile: NaN in a native table: found by a search that scans the row, not by one that does not" {
	f=safetensors-nan-in-row-1.safetensors
	# the query rows are finite; the search reads row 1
	run --separate-stderr emb-nn -m $f t1
	expect 1 "emb-nn: $f: row 1: NaN or infinite value"
	run --separate-stderr emb-nn -m $f --vectors <<<"1 1"
	expect 1 "emb-nn: $f: row 1: NaN or infinite value"
	run --separate-stderr emb-lookup -m $f --all
	expect 1 "emb-lookup: $f: row 1: NaN or infinite value"
	printf 't1\tt2\t5\nt0\tt2\t7\n' >"$OUT/ws.tsv"
	run --separate-stderr emb-sim -m $f --eval "$OUT/ws.tsv"
	expect 1 "emb-sim: $f: row 1: NaN or infinite value"
	# rows 2 and 3 alone are fine
	run --separate-stderr emb-sim -m $f t1 t2
	expect 0 ""
	[ "$output" = "t1	t2	0.707107" ]
	run --separate-stderr emb-lookup -m $f <<<t2
	expect 0 ""
	[ "$output" = "1 1" ]
	run --separate-stderr emb-info --no-stats $f
	expect 0 ""
	# an unknown token given the NaN row by --oov unk
	run --separate-stderr emb-lookup -m $f --oov unk --unk t0 <<<xyz
	expect 1 "emb-lookup: $f: row 1: NaN or infinite value"
	# emb-info still describes every file, in JSON too, and fails
	run --separate-stderr emb-info --json $f "$M"
	expect 1 "emb-info: $f: row 1: NaN or infinite value (1 of 3 rows)"
	[ "$(wc -l <<<"$output")" = 2 ]
	[[ "$output" == *'"zero_rows": 0, "nonfinite_rows": 1}'* ]]
	[[ "$output" == *'"zero_rows": 0, "nonfinite_rows": 0}'* ]]
	# emb-reduce over listed tokens: the bad row stops it, the others do not
	run --separate-stderr emb-reduce -m $f <<<$'t1\nt0\nt2'
	expect 1 "emb-reduce: $f: row 1: NaN or infinite value"
	run --separate-stderr emb-reduce -m $f -d 1 <<<$'t1\nt2'
	expect 0 ""
	[ "$output" = $'t1 -0.5\nt2 0.5' ]
}

@test "hostile: safetensors vocab with too few tokens" {
	f=safetensors-vocab-too-few-tokens.safetensors
	bad_model $f "$f: vocab holds 1 tokens, the table has 2 rows"
}

@test "hostile: safetensors vocab without its final newline" {
	f=safetensors-vocab-no-final-newline.safetensors
	bad_model $f "$f: vocab holds 1 tokens, the table has 2 rows"
}

@test "hostile: safetensors vocab that is not U8" {
	f=safetensors-vocab-not-u8.safetensors
	bad_model $f "$f: tensor \"vocab\" must be U8 [bytes]"
}

@test "hostile: safetensors counts of the wrong shape" {
	f=safetensors-counts-wrong-shape.safetensors
	bad_model $f "$f: tensor \"counts\" must be I64 [2]"
}

@test "hostile: safetensors output vectors of the wrong shape" {
	f=safetensors-output-wrong-shape.safetensors
	bad_model $f "$f: tensor \"output\" must be F32 [2, 3]"
}

@test "hostile: safetensors __metadata__ that is not an object" {
	f=safetensors-metadata-not-object.safetensors
	bad_model $f "$f: __metadata__ is not an object"
}

# ---- .npy ------------------------------------------------------------------

@test "hostile: .npy with a bad magic" {
	bad_model npy-bad-magic.npy "npy-bad-magic.npy: unknown format (use --format)"
	run --separate-stderr emb-init --from npy-bad-magic.npy --format npy -o "$OUT/x.vec"
	expect 1 "emb-init: npy-bad-magic.npy: not a .npy file"
}

@test "hostile: .npy shape claiming 10^12 rows fails without allocating" {
	f=npy-header-claims-1e12-rows.npy
	bad_model $f "$f: unexpected end of file after row 2 (the shape says 1000000000000)"
}

@test "hostile: .npy shape claiming 40 GB with no data" {
	f=npy-header-claims-1e7-by-1e3.npy
	run --separate-stderr emb-lookup --all -m $f
	expect 1 "emb-lookup: $f: unexpected end of file after row 0 (the shape says 10000000)"
}

@test "hostile: .npy shape that overflows" {
	bad_model npy-shape-overflows.npy "npy-shape-overflows.npy: malformed .npy header"
}

@test "hostile: truncated .npy data" {
	bad_model npy-truncated.npy "npy-truncated.npy: unexpected end of file after row 1 (the shape says 2)"
}

@test "hostile: .npy with data after the shape's rows" {
	f=npy-trailing-data.npy
	bad_model $f "$f: data after the 2 rows the shape announces"
}

@test "hostile: .npy of int32" {
	f=npy-int32.npy
	bad_model $f "$f: unsupported .npy dtype \"<i4\" (float16, float32 or float64 only)"
}

@test "hostile: .npy of 3 dimensions" {
	bad_model npy-3d.npy "npy-3d.npy: a 3-dimensional array; need a 2-D matrix"
}

@test "hostile: .npy of 0 columns" {
	bad_model npy-zero-columns.npy "npy-zero-columns.npy: unsupported shape (2, 0)"
}

@test "hostile: .npy version 9" {
	bad_model npy-version-9.npy "npy-version-9.npy: unsupported .npy version 9.0"
}

@test "hostile: .npy header length 4 GB" {
	f=npy-header-len-4g.npy
	bad_model $f "$f: .npy header of 4294967295 bytes is too long"
}

@test "hostile: .npy header without fortran_order" {
	bad_model npy-malformed-dict.npy "npy-malformed-dict.npy: malformed .npy header"
}

@test "hostile: .npy with NaN" {
	bad_model npy-nan.npy "npy-nan.npy: row 1: NaN or infinite value"
}

# ---- CSV -------------------------------------------------------------------

@test "hostile: CSV with an unterminated quote" {
	f=csv-unterminated-quote.csv
	bad_model $f "$f:2: end of file inside a quoted field"
}

@test "hostile: CSV token holding a line break (a fuzz_csv finding)" {
	# a heap over-read in the message before csvio NUL-terminated tokens
	f=csv-quoted-newline-token.csv
	run --separate-stderr emb-init --from $f --format csv -o "$OUT/x.vec"
	expect 1 "emb-init: $f:2: a token holds a line break"
	[ -z "$(ls -A "$OUT")" ]
}

@test "hostile: CSV with ragged rows" {
	f=csv-ragged.csv
	bad_model $f "$f:2: expected a token and 2 numbers, found 2 fields"
}

@test "hostile: CSV with NaN" {
	bad_model csv-nan.csv 'csv-nan.csv:2: field 2: NaN or infinite value "nan"'
}

# ---- vector streams ------------------------------------------------------

@test "hostile: binary vector stream of version 2" {
	bad_stream stream-version-2.embv "<stdin>: unsupported vector stream (version 2, d 3)"
}

@test "hostile: binary vector stream of 0 dimensions" {
	bad_stream stream-dim-zero.embv "<stdin>: unsupported vector stream (version 1, d 0)"
}

@test "hostile: binary vector stream claiming 2^31 dimensions" {
	bad_stream stream-dim-2p31.embv "<stdin>: vector stream header says 2147483648 dimensions (at most 1048576)"
}

@test "hostile: binary vector stream with a truncated header" {
	bad_stream stream-truncated-header.embv "<stdin>: truncated vector stream header"
}

@test "hostile: binary vector stream with a truncated row" {
	bad_stream stream-truncated-row.embv "<stdin>: unexpected end of file after row 1"
}

@test "hostile: binary vector stream with a 4 GB label length" {
	bad_stream stream-label-len-4g.embv "<stdin>: label of 4294967295 bytes in row 1"
}

@test "hostile: binary vector stream with NaN" {
	bad_stream stream-nan.embv "<stdin>: row 2: NaN or infinite value"
}

@test "hostile: text vector stream header claiming 10^11 dimensions" {
	run --separate-stderr emb-sim --vectors <stream-text-header-huge-dim.txt
	expect 1 "emb-sim: <stdin>:1: the header says 99999999999 dimensions (at most 1048576)"
}

@test "hostile: text vector stream with a short row" {
	bad_stream stream-text-wrong-dim.txt "<stdin>:2: expected 3 numbers, found 2 fields"
}

@test "hostile: text vector stream with infinity" {
	bad_stream stream-text-inf.txt '<stdin>:2: NaN or infinite value "inf"'
}

# ---- ID streams ------------------------------------------------------------

@test "hostile: an ID past the table" {
	bad_ids ids-out-of-range.txt '<stdin>:2: ID out of range: "5" (table has 5 rows)'
}

@test "hostile: a negative ID" {
	bad_ids ids-negative.txt '<stdin>:1: not an ID: "-1" (table has 5 rows)'
}

@test "hostile: an ID with junk" {
	bad_ids ids-not-a-number.txt '<stdin>:1: not an ID: "1x" (table has 5 rows)'
}

@test "hostile: an ID past 2^64" {
	bad_ids ids-overflow-u64.txt '<stdin>:1: ID out of range: "18446744073709551616" (table has 5 rows)'
}

# ---- evaluation sets -------------------------------------------------------

@test "hostile: similarity set with two fields" {
	run --separate-stderr emb-sim -m "$M" --eval simeval-two-fields.tsv
	expect 1 "emb-sim: simeval-two-fields.tsv:2: expected 3 fields (word, word, score), found 2"
}

@test "hostile: similarity set with a word for a score" {
	run --separate-stderr emb-sim -m "$M" --eval simeval-bad-score.tsv
	expect 1 'emb-sim: simeval-bad-score.tsv:1: invalid score "high"'
}

@test "hostile: similarity set with a NaN score" {
	run --separate-stderr emb-sim -m "$M" --eval simeval-nan-score.tsv
	expect 1 'emb-sim: simeval-nan-score.tsv:1: invalid score "nan"'
}

@test "hostile: similarity set of comments only" {
	run --separate-stderr emb-sim -m "$M" --eval simeval-only-comments.tsv
	expect 1 "emb-sim: simeval-only-comments.tsv: no word pairs"
}

@test "hostile: similarity set with an empty word" {
	run --separate-stderr emb-sim -m "$M" --eval simeval-empty-word.tsv
	expect 1 "emb-sim: simeval-empty-word.tsv:1: empty word"
}

@test "hostile: analogy question before any section" {
	run --separate-stderr emb-analogy -m "$M" --eval analogy-no-section.txt
	expect 1 'emb-analogy: analogy-no-section.txt:1: question before the first section line (": name")'
}

@test "hostile: analogy question of three words" {
	run --separate-stderr emb-analogy -m "$M" --eval analogy-three-words.txt
	expect 1 "emb-analogy: analogy-three-words.txt:2: expected 4 words (a b c d), found 3"
}

@test "hostile: analogy set without questions" {
	run --separate-stderr emb-analogy -m "$M" --eval analogy-no-questions.txt
	expect 1 "emb-analogy: analogy-no-questions.txt: no questions"
	run --separate-stderr emb-analogy -m "$M" --eval empty.txt
	expect 1 "emb-analogy: empty.txt: no questions"
}

# ---- vocabularies ----------------------------------------------------------

bad_vocab() {
	run --separate-stderr emb-init --vocab "$1" -d 3 -o "$OUT/v.safetensors"
	expect 1 "emb-init: $2"
	run --separate-stderr emb-init --from "$M" --vocab "$1" -o "$OUT/v.safetensors"
	expect 1 "emb-init: $2"
	[ -z "$(ls -A "$OUT")" ]
}

@test "hostile: vocabulary with a duplicate" {
	bad_vocab vocab-duplicate.txt 'vocab-duplicate.txt:3: duplicate token "a"'
}

@test "hostile: vocabulary with an empty line" {
	bad_vocab vocab-empty-token.txt "vocab-empty-token.txt:2: empty token"
}

@test "hostile: vocabulary whose counts stop" {
	bad_vocab vocab-count-missing.txt 'vocab-count-missing.txt:2: expected "token count" like the first line'
}

@test "hostile: vocab.json that is an array" {
	bad_vocab vocab-json-not-object.json "vocab-json-not-object.json: not a JSON object of token ids"
}

@test "hostile: vocab.json that is cut short" {
	bad_vocab vocab-json-bad.json "vocab-json-bad.json: not a JSON object of token ids"
}

@test "hostile: vocab.json with a gap in its ids" {
	bad_vocab vocab-json-id-gap.json 'vocab-json-id-gap.json: token "b": id is not in 0-1'
}

@test "hostile: vocab.json with an id given twice" {
	bad_vocab vocab-json-id-twice.json "vocab-json-id-twice.json: id 0 given twice"
}

# ---- emb-plot: labelled 2-D points to SVG ------------------------------------

@test "hostile: emb-plot escapes labels: SVG markup in tokens stays text" {
	printf '<script>alert(1)</script>&"x 1 2\nb]]> 3 4\n\001\377 5 6\n' >"$OUT/p"
	run --separate-stderr emb-plot "$OUT/p"
	expect 0 ""
	[[ $output != *"<script>"* ]]
	[[ $output == *"&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;x"* ]]
	printf '%s\n' "$output" >"$OUT/p.svg"
	"$PY" -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$OUT/p.svg"
}

@test "hostile: emb-plot on NaN, overflow and non-numbers" {
	run --separate-stderr emb-plot <<<"a 1 nan"
	expect 1 'emb-plot: <stdin>:1: NaN or infinite value "nan"'
	run --separate-stderr emb-plot <<<$'a 1 2\nb 1e39 2'
	expect 1 'emb-plot: <stdin>:2: NaN or infinite value "1e39"'
	run --separate-stderr emb-plot <<<"a 1"
	expect 1 'emb-plot: <stdin>:1: not a number: "a"'
}

@test "hostile: emb-plot --groups with an empty file (a UBSan finding)" {
	# qsort(NULL, 0, ...) before lib/plot.c checked for no groups
	printf 'a 1 2\nb 3 4\n' >"$OUT/p"
	run --separate-stderr emb-plot --groups plot-groups-empty.tsv "$OUT/p"
	expect 0 ""
	[[ $output == *"</svg>"* ]]
}

@test "hostile: emb-plot --groups with a line without a tab" {
	printf 'a 1 2\nb 3 4\n' >"$OUT/p"
	run --separate-stderr emb-plot --groups plot-groups-no-tab.tsv "$OUT/p"
	expect 1 "emb-plot: plot-groups-no-tab.tsv:1: expected token<TAB>group"
}

# ---- training corpora ----------------------------------------------------

# emb-train --ids on $1 as an operand and on stdin: status 1, message $2
# (with the file's name or <stdin>), and no model written
bad_ids_corpus() {
	run --separate-stderr emb-train -q --ids -V 10 -d 3 -o "$OUT/m.safetensors" "$1"
	expect 1 "emb-train: $1:$2"
	run --separate-stderr emb-train -q --ids -V 10 -d 3 -o "$OUT/m.safetensors" <"$1"
	expect 1 "emb-train: <stdin>:$2"
	[ -z "$(ls -A "$OUT")" ]
}

@test "hostile: a training ID past -V" {
	bad_ids_corpus corpus-ids-out-of-range.txt '2: "10": not a token ID below 10'
}

@test "hostile: a training ID that is not a number" {
	bad_ids_corpus corpus-ids-not-a-number.txt '1: "x": not a token ID below 10'
}

@test "hostile: a negative training ID" {
	bad_ids_corpus corpus-ids-negative.txt '1: "-1": not a token ID below 10'
}

@test "hostile: a training ID past 2^64" {
	bad_ids_corpus corpus-ids-overflow-u64.txt '1: "99999999999999999999999": not a token ID below 10'
}

@test "hostile: a corpus whose words are all under --min-count" {
	run --separate-stderr emb-train -q -d 3 -o "$OUT/m.safetensors" corpus-rare-words.txt
	expect 1 "emb-train: no token occurs --min-count=5 times"
	run --separate-stderr emb-init --count -d 3 -o "$OUT/m.safetensors" corpus-rare-words.txt
	expect 1 "emb-init: corpus: no token occurs --min-count=5 times"
	run --separate-stderr emb-train -q -d 3 -o "$OUT/m.safetensors" <empty.txt
	expect 1 "emb-train: <stdin>: empty corpus"
	[ -z "$(ls -A "$OUT")" ]
}

# ---- partial lists (emb-nn --merge) ----------------------------------------

@test "hostile: --merge when the first list already holds the next query (a fuzz_shard finding)" {
	# the query compared against moved on with its list: a spurious
	# "query 0 is ... here but ... in another list" (and memcmp(NULL))
	run --separate-stderr emb-nn --merge -k 2 \
	    shard-first-list-holds-two-queries-1.txt \
	    shard-first-list-holds-two-queries-2.txt
	expect 0 ""
	[ "$output" = "$(printf 't0\tt1\t0.900000\nt0\tt4\t0.800000\nt1\tt2\t0.500000\nt1\tt0\t0.100000')" ]
}

@test "hostile: --merge on a line that is no partial list" {
	run --separate-stderr emb-nn --merge shard-not-a-partial-line.txt
	expect 1 "emb-nn: shard-not-a-partial-line.txt:1: not a partial list line (query number, query, neighbour, score, row)"
}

@test "hostile: --merge on queries out of order" {
	run --separate-stderr emb-nn --merge shard-queries-out-of-order.txt
	expect 1 "emb-nn: shard-queries-out-of-order.txt:2: query 0 after query 1: partial lists must keep the queries' order"
}

@test "hostile: --merge on lists that disagree about a query" {
	run --separate-stderr emb-nn --merge shard-first-list-holds-two-queries-1.txt shard-query-mismatch.txt
	expect 1 "emb-nn: shard-query-mismatch.txt:1: query 0 is \"t9\" here but \"t0\" in another list"
}

# ---- white space that is not a blank ---------------------------------------

@test "hostile: a vertical tab where a number should be (a fuzz_w2v finding)" {
	# strtof skips any white space, '\n' included: the last line, with no
	# '\n' after it, was read past its end
	printf 'a 0 0\n\t\t\v\t\t' >"$BATS_TEST_TMPDIR/vt-last.txt"
	run --separate-stderr emb-init --from "$BATS_TEST_TMPDIR/vt-last.txt" -o "$OUT/m.vec"
	expect 1 "emb-init: $BATS_TEST_TMPDIR/vt-last.txt:2: expected a token and 2 numbers, found 1 field"
	printf 'a 0 0\nb \v1 2\n' >"$BATS_TEST_TMPDIR/vt-field.txt"
	run --separate-stderr emb-init --from "$BATS_TEST_TMPDIR/vt-field.txt" -o "$OUT/m.vec"
	expect 1 "emb-init: $BATS_TEST_TMPDIR/vt-field.txt:2: not a number: \"\\x0b1\""
	[ -z "$(ls -A "$OUT")" ]
}
