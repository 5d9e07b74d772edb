#!/usr/bin/env bats
# Tables aligned with a tokenizer: emb-init --vocab TOKENIZER, -t in the
# tools, subword training (emb-train --ids -t)

load helper

# GPT-2's own files (data/gpt2: encoder.json, vocab.bpe)
TOK=gpt2

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# GPT-2's readable tokens, escaped as emb-tokenize --print tokens writes
# them, computed from data/gpt2/encoder.json with GPT-2's byte map
gpt2_names() {
	"$PY" - "$DATA/gpt2/encoder.json" <<'PY'
import json, sys
enc = json.load(open(sys.argv[1], encoding="utf-8"))
bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + \
    list(range(0xAE, 0x100))
cs, n = bs[:], 0
for b in range(256):
    if b not in bs:
        bs.append(b)
        cs.append(256 + n)
        n += 1
byte_of = {chr(c): b for b, c in zip(bs, cs)}
def escape(b):
    out, i = [], 0
    while i < len(b):
        c = b[i]
        if c >= 0x80:
            for k in (4, 3, 2):
                try:
                    ch = b[i:i + k].decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if len(ch) == 1:
                    out.append(ch)
                    i += k
                    break
            else:
                out.append("\\x%02x" % c)
                i += 1
            continue
        out.append({0x5c: "\\\\", 9: "\\t", 10: "\\n", 13: "\\r"}.get(c)
                   or ("\\x%02x" % c if c < 0x20 or c == 0x7f else chr(c)))
        i += 1
    return "".join(out)
names = [None] * len(enc)
for tok, i in enc.items():
    names[i] = tok if tok == "<|endoftext|>" else \
        escape(bytes(byte_of[ch] for ch in tok))
sys.stdout.buffer.write("".join(n + "\n" for n in names).encode("utf-8"))
PY
}

@test "emb-init --vocab TOKENIZER: 50257 rows, labelled by readable tokens, N(0, 0.02)" {
	run -0 --separate-stderr emb-init --vocab "$TOK" -d 16 --std 0.02 --seed 3 -o g.safetensors
	[ -z "$stderr" ]
	run -0 emb-info --no-stats g.safetensors
	[[ "$output" == *$'rows\t50257\ndim\t16\n'* ]]
	[[ "$output" == *$'vocab\t50257\n'* ]]
	# every label is the token's text as this reference computes it
	gpt2_names >want.txt
	seq 0 50256 | emb-lookup --ids --print tokens -m g.safetensors >got.txt
	cmp want.txt got.txt
	# tiktoken's file of the same vocabulary names the rows the same
	emb-init --vocab r50k_base -d 1 -o r.safetensors
	seq 0 50256 | emb-lookup --ids --print tokens -m r.safetensors | cmp want.txt -
	# torch.nn.Embedding's shape and normal init, std 0.02
	seq 0 50256 | emb-lookup --ids -m g.safetensors | awk '{for (i = 1; i <= NF; i++) { s += $i; q += $i * $i; n++ }} END { printf "%d %.3f %.4f\n", n, s / n, sqrt(q / n) }' >stats.txt
	read -r n mean std <stats.txt
	[ "$n" -eq $((50257 * 16)) ]
	[ "$mean" = "0.000" ] || [ "$mean" = "-0.000" ]
	[ "$std" = "0.0200" ]
}

@test "the labels round-trip through emb-tokenize --print tokens" {
	emb-init --vocab "$TOK" -d 2 -o g.safetensors
	cat >text.txt <<'T'
The capital of France is Paris
	Tabs,  double  spaces and a back\slash: C:\path\to\file
Café, naïve, Zürich — “quotes” and ‘single’ ones; 日本語のテキスト
Emoji: 👍🏽 👨‍👩‍👧 and control bytes  here
<|endoftext|> is special text
T
	emb-tokenize -t "$TOK" --special all --print both text.txt | tr '\t' '\n' | grep -v '^$' >pairs.txt
	[ "$(wc -l <pairs.txt)" -gt 60 ]
	# one ID per line keeps labels with blanks whole
	cut -d : -f 1 pairs.txt >ids.txt
	emb-lookup --ids --print tokens -m g.safetensors ids.txt >labels.txt
	cut -d : -f 2- pairs.txt >tokens.txt
	diff tokens.txt labels.txt
}

# a 40-row safetensors tensor, or a padded one: mktensor ROWS
mktensor() {
	"$PY" - "$1" <<'PY'
import json, struct, sys
import numpy as np
rows = int(sys.argv[1])
E = np.random.default_rng(2).standard_normal((rows, 4)).astype("<f4")
h = {"wte.weight": {"dtype": "F32", "shape": [rows, 4],
                    "data_offsets": [0, E.nbytes]}}
j = json.dumps(h).encode()
j += b" " * (-len(j) % 8)
open("wte.safetensors", "wb").write(struct.pack("<Q", len(j)) + j + E.tobytes())
PY
}

@test "emb-init --from TENSOR --vocab TOKENIZER: a padded 50304-row table, a size that disagrees" {
	mktensor 50304
	run -0 --separate-stderr emb-init --from wte.safetensors --tensor wte.weight --vocab "$TOK" -o m.safetensors
	[ "$stderr" = "emb-init: wte.safetensors: 50304 rows, 50257 tokens in $TOK: rows 50257-50303 are unnamed (a table padded past its vocabulary)" ]
	run -0 bash -c "echo ' Paris' | emb-tokenize -t $TOK | emb-lookup --ids --label -m m.safetensors"
	[[ "$output" == " Paris "* ]]
	run -0 emb-info --no-stats m.safetensors
	[[ "$output" == *$'unnamed-rows\t47\n'* ]]
	mktensor 50000
	run -1 --separate-stderr emb-init --from wte.safetensors --tensor wte.weight --vocab "$TOK" -o m.safetensors
	[ "$stderr" = "emb-init: $TOK: the vocabulary has 50257 tokens, the table has 50000 rows" ]
	run -1 --separate-stderr emb-init --from wte.safetensors --tensor wte.weight --vocab cl100k_base -o m.safetensors
	[ "$stderr" = "emb-init: cl100k_base: the vocabulary has 100277 tokens, the table has 50000 rows" ]
}

@test "-t with a table whose size the tokenizer does not fit is refused" {
	emb-init --vocab "$TOK" -d 2 -o g.safetensors
	run -1 --separate-stderr emb-lookup -t cl100k_base -m g.safetensors <<<"Paris"
	[ "$stderr" = "emb-lookup: g.safetensors: the table has 50257 rows, the tokenizer cl100k_base has 100277 tokens" ]
	[ -z "$output" ]
	EMB_TOKENIZER=cl100k_base run -1 --separate-stderr emb-lookup -m g.safetensors <<<"Paris"
	[ "$stderr" = "emb-lookup: g.safetensors: the table has 50257 rows, the tokenizer cl100k_base has 100277 tokens" ]
	run -1 --separate-stderr emb-lookup -t "$TOK" -m "$DATA/e5x3.vec" <<<"Paris"
	[ "$stderr" = "emb-lookup: $DATA/e5x3.vec: the table has 5 rows, the tokenizer $TOK has 50257 tokens" ]
}

@test "emb-lookup -t: text in, the rows of emb-tokenize's IDs out, readable labels" {
	emb-init --vocab "$TOK" -d 4 --seed 5 -o g.safetensors
	echo "The capital of France is Paris" >s.txt
	emb-tokenize -t "$TOK" s.txt | emb-lookup --ids --label -m g.safetensors >want.txt
	run -0 emb-lookup -t "$TOK" --label -m g.safetensors s.txt
	[ "$output" = "$(cat want.txt)" ]
	[ "${#lines[@]}" -eq 6 ]
	[[ "${lines[5]}" == " Paris "* ]]
	run -0 emb-lookup -t "$TOK" --print ids -m g.safetensors s.txt
	[ "$output" = "464 3139 286 4881 318 6342" ]
	# IDs in, readable labels out
	run -0 emb-lookup -t "$TOK" --ids --print tokens -m g.safetensors <<<"6342 198"
	[ "$output" = ' Paris \n' ]
	# H0 for the seeds' sentence: 6 rows plus positions
	emb-tokenize -t "$TOK" s.txt | emb-lookup --ids -m g.safetensors --positions sinusoidal >want.txt
	run -0 emb-lookup -t "$TOK" -m g.safetensors --positions sinusoidal s.txt
	[ "$output" = "$(cat want.txt)" ]
}

@test "--skip-special and --min-length leave rows out of --all" {
	emb-init --vocab "$TOK" -d 2 -o g.safetensors
	# a text vector stream cannot hold GPT-2's blank tokens (" ", "  "):
	# refused, not written so that they read back as something else
	run -1 --separate-stderr emb-lookup --all -t "$TOK" -m g.safetensors
	[ "$stderr" = 'emb-lookup: label " " is only blanks, which separate fields: a text vector stream cannot hold it (-b or --csv can)' ]
	run -0 bash -c "emb-lookup --all --csv -t $TOK -m g.safetensors | wc -l"
	[ "$output" -eq 50257 ]
	emb-lookup --all --csv -t "$TOK" --skip-special -m g.safetensors >a.csv
	[ "$(wc -l <a.csv)" -eq 50256 ]
	! grep -q '^<|endoftext|>,' a.csv
	# one character, blanks at the ends not counted: "a", " a", "\n" go;
	# --min-length 1 leaves out only the tokens that are all blanks
	emb-lookup --all -t "$TOK" --min-length 1 -m g.safetensors >b1.txt
	blanks=$("$PY" - "$DATA/gpt2/encoder.json" <<'PY'
import json, sys
enc = json.load(open(sys.argv[1], encoding="utf-8"))
# GPT-2's byte map puts U+0100 + b for the bytes b <= 0x20: \t \n \v \f \r and space
ws = {chr(0x100 + b) for b in (9, 10, 11, 12, 13, 32)}
print(sum(1 for t in enc if all(c in ws for c in t)))
PY
)
	[ "$(wc -l <b1.txt)" -eq $((50257 - blanks)) ]
	emb-lookup --all -t "$TOK" --min-length 2 -m g.safetensors >b.txt
	! grep -q '^ a ' b.txt
	grep -q '^ an ' b.txt
	"$PY" - <<'PY'
n = sum(1 for l in open("b.txt", encoding="utf-8", errors="surrogateescape"))
assert 45000 < n < 50257, n
PY
	run -2 --separate-stderr emb-lookup --skip-special -t "$TOK" -m g.safetensors <<<"x"
	[[ "$stderr" == "emb-lookup: --skip-special and --min-length go with --all and -t"* ]]
}

@test "emb-train --ids -t: a GPT-2-vocabulary table labelled by tokens; unseen tokens flagged" {
	zcat "$DATA/text8-head.txt.gz" | head -c 200000 | emb-tokenize -t "$TOK" >c.ids
	emb-train --ids -t "$TOK" -d 8 --min-count 1 --threads 1 -q -o sub.safetensors c.ids
	run -0 emb-info --no-stats sub.safetensors
	[[ "$output" == *$'rows\t50257\n'* ]]
	seen=$(tr ' ' '\n' <c.ids | grep -v '^$' | sort -u | wc -l)
	[[ "$output" == *$'unseen-rows\t'$((50257 - seen))$'\n'* ]]
	run -0 emb-lookup --ids --print tokens -m sub.safetensors <<<"1936 6342"
	[ "$output" = " five  Paris" ]
	# a token never seen keeps its initial row: two corpora, same seed
	zcat "$DATA/text8-head.txt.gz" | tail -c 200000 | emb-tokenize -t "$TOK" >d.ids
	emb-train --ids -t "$TOK" -d 8 --min-count 1 --threads 1 -q -o sub2.safetensors d.ids
	grep -qw 50255 c.ids d.ids && false
	[ "$(emb-lookup --ids -m sub.safetensors <<<50255)" = "$(emb-lookup --ids -m sub2.safetensors <<<50255)" ]
	[ "$(emb-lookup --ids -m sub.safetensors <<<1936)" != "$(emb-lookup --ids -m sub2.safetensors <<<1936)" ]
	run -2 --separate-stderr emb-train -t "$TOK" -o x.safetensors c.ids
	[[ "$stderr" == "emb-train: -t goes with --ids"* ]]
	run -2 --separate-stderr emb-train --ids -t "$TOK" -V 100 -o x.safetensors c.ids
	[ "${stderr_lines[0]}" = "emb-train: -V 100 does not fit the tokenizer $TOK, which has 50257 tokens: leave -V out, or give 50257 or a multiple of 8 above it up to 51200 (a padded table)" ]
}

@test "emb-reduce -t: a point per word, several tokens pooled as emb-lookup --pool does" {
	zcat "$DATA/text8-head.txt.gz" | head -c 300000 | emb-tokenize -t "$TOK" >c.ids
	emb-train --ids -t "$TOK" -d 8 --min-count 1 --threads 1 -q -o sub.safetensors c.ids
	printf ' five\n seven\n one\n two\n paris\n defenestration\n' >w.txt
	run -0 --separate-stderr emb-reduce -v -t "$TOK" -m sub.safetensors -d 3 w.txt
	[ "${#lines[@]}" -eq 6 ]
	[[ "${lines[4]}" == " paris "* ]]
	[ "$stderr" = "$(printf 'emb-reduce: w.txt:5: "%s" is 2 tokens [%s], pooled by mean\nemb-reduce: w.txt:6: "%s" is 4 tokens [%s], pooled by mean' ' paris' ' par|is' ' defenestration' ' def|en|est|ration')" ]
	emb-lookup -t "$TOK" --pool mean --label -m sub.safetensors w.txt | emb-reduce -d 3 >want.txt
	[ "$output" = "$(cat want.txt)" ]
	run -0 emb-reduce -t "$TOK" --pool sum -m sub.safetensors -d 3 w.txt
	[ "$output" = "$(emb-lookup -t "$TOK" --pool sum --label -m sub.safetensors w.txt | emb-reduce -d 3)" ]
	# --all, filtered
	run -0 bash -c "emb-reduce --all -t $TOK --skip-special --min-length 3 -m sub.safetensors -d 1 | wc -l"
	[ "$output" -eq "$(emb-lookup --all -t "$TOK" --skip-special --min-length 3 -m sub.safetensors | wc -l)" ]
	run -2 --separate-stderr emb-reduce -t "$TOK" w.txt
	[[ "$stderr" == "emb-reduce: -t goes with -m"* ]]
}

@test "make demo's subword part: readable neighbours, number tokens near ' five' and ' seven', H0 of the seeds' sentence" {
	run -0 --separate-stderr sh "$TOP/tests/demo-subword.sh" "$BATS_TEST_TMPDIR/d.safetensors"
	[ -z "$stderr" ]
	[[ "$output" == *$'rows\t50257\ndim\t100\n'* ]]
	nums=' one two three four five six seven eight nine zero ten '
	for w in ' five' ' seven'; do
		n=0
		while IFS=$'\t' read -r q nb _; do
			[ "$q" = "$w" ] || continue
			case $nums in *" ${nb# } "*) n=$((n + 1)) ;; esac
		done <<<"$output"
		echo "$w: $n number tokens of 5"
		[ "$n" -ge 3 ]
	done
	[[ "$output" == *$'464:The\t3139: capital\t286: of\t4881: France\t318: is\t6342: Paris\n'* ]]
	# H0: 6 rows of 5 columns after the IDs
	h0=$(printf '%s\n' "$output" | tail -n 6)
	[ "$(awk 'NF == 5' <<<"$h0" | wc -l)" -eq 6 ]
}

# emb-nn's hits for queries by ID, the IDs and neighbours turned into
# readable tokens: nn_by_ids TABLE WORD ID (one-token words)
nn_by_ids() {
	emb-nn --ids -k 10 -m "$1" "$3" >ids.hits
	cut -f 2 ids.hits | emb-lookup --ids --print tokens -m "$1" >nb.txt
	cut -f 3 ids.hits >sc.txt
	paste nb.txt sc.txt | sed "s/^/$2\t/"
}

@test "emb-nn -t: the neighbours of querying by the IDs emb-tokenize prints, as readable tokens" {
	emb-init --vocab "$TOK" -d 16 --seed 7 -o g.safetensors
	for w in ' Paris' ' five' 'The' ' cat'; do
		id=$(printf '%s\n' "$w" | emb-tokenize -t "$TOK")
		[[ "$id" =~ ^[0-9]+$ ]]
		run -0 emb-nn -t "$TOK" -m g.safetensors "$w"
		[ "${#lines[@]}" -eq 10 ]
		[ "$output" = "$(nn_by_ids g.safetensors "$w" "$id")" ]
	done
	# a one-token query is the token's row as it is: the same under dot
	run -0 emb-nn -t "$TOK" --metric dot -k 3 -m g.safetensors ' cat'
	[ "$(cut -f 3 <<<"$output")" = "$(emb-nn --ids --metric dot -k 3 -m g.safetensors 3797 | cut -f 3)" ]
	# ' Paris' is 6342: its own row is left out, as with --ids
	run -0 emb-nn -t "$TOK" -k 1 --include-query -m g.safetensors ' Paris'
	[ "$output" = $' Paris\t Paris\t1.000000' ]
	# one query a line on stdin, the same hits
	printf ' Paris\n five\n' | emb-nn -t "$TOK" -m g.safetensors >stdin.hits
	{ nn_by_ids g.safetensors ' Paris' 6342; nn_by_ids g.safetensors ' five' 1936; } | cmp stdin.hits -
	# several tokens: their rows pooled as emb-lookup pools them
	for p in mean sum; do
		printf ' defenestration\n' | emb-tokenize -t "$TOK" |
		    emb-lookup --ids --pool "$p" -m g.safetensors |
		    emb-nn --vectors -m g.safetensors | cut -f 2- >want.txt
		run -0 --separate-stderr emb-nn -t "$TOK" --pool "$p" -v -m g.safetensors ' defenestration'
		[ "$(cut -f 2- <<<"$output")" = "$(cat want.txt)" ]
		[ "$(cut -f 1 <<<"$output" | sort -u)" = " defenestration" ]
		[ "$stderr" = "emb-nn: \" defenestration\" is 4 tokens [ def|en|est|ration], pooled by $p" ]
	done
	# $EMB_TOKENIZER is -t's default
	EMB_TOKENIZER=$TOK run -0 emb-nn -m g.safetensors ' Paris'
	[ "$output" = "$(nn_by_ids g.safetensors ' Paris' 6342)" ]
	run -2 --separate-stderr emb-nn -t "$TOK" --ids -m g.safetensors 6342
	[[ "$stderr" == "emb-nn: -t: the queries are text, not --ids, --tokens or --vectors"* ]]
	run -2 --separate-stderr emb-nn --pool sum -m g.safetensors x
	[[ "$stderr" == "emb-nn: --pool and -v go with -t"* ]]
}

@test "emb-nn, emb-sim, emb-analogy -t: a tokenizer whose size disagrees with the table is refused" {
	emb-init --vocab "$TOK" -d 4 -o g.safetensors
	msg="the table has 50257 rows, the tokenizer cl100k_base has 100277 tokens"
	run -1 --separate-stderr emb-nn -t cl100k_base -m g.safetensors ' Paris'
	[ "$stderr" = "emb-nn: g.safetensors: $msg" ]
	[ -z "$output" ]
	EMB_TOKENIZER=cl100k_base run -1 --separate-stderr emb-nn -m g.safetensors ' Paris'
	[ "$stderr" = "emb-nn: g.safetensors: $msg" ]
	run -1 --separate-stderr emb-sim -t cl100k_base -m g.safetensors ' cat' ' dog'
	[ "$stderr" = "emb-sim: g.safetensors: $msg" ]
	[ -z "$output" ]
	run -1 --separate-stderr emb-analogy -t cl100k_base -m g.safetensors ' man' ' king' ' woman'
	[ "$stderr" = "emb-analogy: g.safetensors: $msg" ]
	[ -z "$output" ]
	run -1 --separate-stderr emb-nn -t "$TOK" -m "$DATA/e5x3.vec" ' Paris'
	[ "$stderr" = "emb-nn: $DATA/e5x3.vec: the table has 5 rows, the tokenizer $TOK has 50257 tokens" ]
}

@test "emb-sim -t: words and phrases, as their IDs or pooled rows score" {
	emb-init --vocab "$TOK" -d 16 --seed 8 -o g.safetensors
	# ' cat' 3797, ' dog' 3290, ' car' 1097
	run -0 emb-sim -t "$TOK" -m g.safetensors ' cat' ' dog' ' cat' ' car'
	[ "${lines[0]}" = $' cat\t dog\t'"$(emb-sim --ids -m g.safetensors 3797 3290 | cut -f 3)" ]
	[ "${lines[1]}" = $' cat\t car\t'"$(emb-sim --ids -m g.safetensors 3797 1097 | cut -f 3)" ]
	run -0 emb-sim -t "$TOK" --metric l2 -m g.safetensors ' cat' ' dog'
	[ "$output" = $' cat\t dog\t'"$(emb-sim --ids --metric l2 -m g.safetensors 3797 3290 | cut -f 3)" ]
	# stdin: tab-separated pairs
	run -0 emb-sim -t "$TOK" -m g.safetensors < <(printf ' cat\t dog\n cat\t car\n')
	[ "${lines[1]}" = $' cat\t car\t'"$(emb-sim --ids -m g.safetensors 3797 1097 | cut -f 3)" ]
	run -1 --separate-stderr emb-sim -t "$TOK" -m g.safetensors < <(printf ' cat dog\n')
	[ "$stderr" = "emb-sim: <stdin>:1: expected 2 tab-separated fields, found 1" ]
	# a phrase: its rows pooled, as emb-lookup --pool makes it
	want=$(printf ' defenestration\n cat\n' | emb-tokenize -t "$TOK" |
	    emb-lookup --ids --pool sum -m g.safetensors | emb-sim --vectors | cut -f 3)
	run -0 emb-sim -t "$TOK" --pool sum -m g.safetensors ' defenestration' ' cat'
	[ "$output" = $' defenestration\t cat\t'"$want" ]
	run -0 emb-sim -t "$TOK" --matrix -m g.safetensors ' cat' ' dog' ' car'
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[1]}" == " cat "*" 1.000000 "* ]]
	run -2 --separate-stderr emb-sim -t "$TOK" --ids -m g.safetensors 1 2
	[[ "$stderr" == "emb-sim: -t: the items are text, not --ids, --vectors or --eval"* ]]
	# --odd-one-out: the word whose ID --ids names; stdin lines
	# tab-separated; with --vectors it is refused
	odd=$(emb-sim --ids --odd-one-out -m g.safetensors 3797 3290 1097)
	case $odd in 3797) w=' cat' ;; 3290) w=' dog' ;; 1097) w=' car' ;; *) false ;; esac
	run -0 emb-sim -t "$TOK" --odd-one-out -m g.safetensors ' cat' ' dog' ' car'
	[ "$output" = "$w" ]
	run -0 emb-sim -t "$TOK" --odd-one-out -m g.safetensors < <(printf ' car\t cat\t dog\n')
	[ "$output" = "$w" ]
	run -2 --separate-stderr emb-sim --vectors --odd-one-out
	[[ "$stderr" == "emb-sim: conflicting options"* ]]
}

@test "emb-analogy -t: one-token terms, answers as 3CosAdd over their rows" {
	emb-init --vocab "$TOK" -d 16 --seed 9 -o g.safetensors
	# ' man' 582, ' king' 5822, ' woman' 2415: b - a + c, inputs left out
	seq 0 50256 | emb-lookup --ids -m g.safetensors >rows.txt
	"$PY" - <<'PY' >ids.txt
import numpy as np
E = np.loadtxt("rows.txt", dtype=np.float64)
U = E / np.linalg.norm(E, axis=1, keepdims=True)
q = U[5822] - U[582] + U[2415]
s = U @ (q / np.linalg.norm(q))
s[[582, 5822, 2415]] = -np.inf
for i in np.argsort(-s, kind="stable")[:3]:
    print(i, "%.6f" % s[i])
PY
	cut -d ' ' -f 1 ids.txt | emb-lookup --ids --print tokens -m g.safetensors >names.txt
	cut -d ' ' -f 2 ids.txt >scores.txt
	run -0 emb-analogy -t "$TOK" -k 3 -m g.safetensors ' man' ' king' ' woman'
	[ "$(cut -f 2 <<<"$output")" = "$(cat names.txt)" ]
	paste <(cut -f 3 <<<"$output") scores.txt | awk '{ d = $1 - $2; if (d < -2e-6 || d > 2e-6) exit 1 }'
	[ "$(cut -f 1 <<<"$output" | sort -u)" = " man  king  woman" ]
	# the same as an expression, and from a line of tab-separated terms
	run -0 emb-analogy -t "$TOK" -k 3 -m g.safetensors ' king' - ' man' + ' woman'
	[ "$(cut -f 2 <<<"$output")" = "$(cat names.txt)" ]
	run -0 emb-analogy -t "$TOK" -k 3 -m g.safetensors < <(printf ' man\t king\t woman\n')
	[ "$(cut -f 2 <<<"$output")" = "$(cat names.txt)" ]
	run -1 --separate-stderr emb-analogy -t "$TOK" -m g.safetensors ' man' ' king' ' defenestration'
	[ "$stderr" = 'emb-analogy: " defenestration" is 4 tokens: each term of an analogy must be one token' ]
	[ -z "$output" ]
	run -2 --separate-stderr emb-analogy -t "$TOK" -m g.safetensors --eval "$DATA/questions-words.txt"
	[[ "$stderr" == "emb-analogy: -t does not go with --eval"* ]]
}
