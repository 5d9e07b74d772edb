#!/usr/bin/env bats
# emb-tokenize: the command line (the comparisons with the reference
# implementations are in their own file)

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	unset EMB_TOKENIZER
}

@test "the known IDs: o200k_base, cl100k_base, r50k_base, p50k_base" {
	run -0 --separate-stderr emb-tokenize -t o200k_base <<<$'Hello\nHello world\n Hello'
	[ -z "$stderr" ]
	[ "$output" = $'13225\n13225 2375\n32949' ]
	s='The weather in Tokyo is usually mild'
	run -0 emb-tokenize -t o200k_base <<<"$s"
	[ "$output" = "976 11122 306 40510 382 6971 31137" ]
	run -0 emb-tokenize --encoding cl100k_base <<<"$s"
	[ "$output" = "791 9282 304 27286 374 6118 23900" ]
	run -0 emb-tokenize -t r50k_base <<<$' cat\ncat\nHello world!'
	[ "$output" = $'3797\n9246\n15496 995 0' ]
	run -0 emb-tokenize -t p50k_base <<<"$s"
	[ "$output" = "464 6193 287 11790 318 3221 11607" ]
}

@test "a line is a sequence: empty lines, a last line without newline, CR kept" {
	printf 'a\n\nb' >in.txt
	run -0 emb-tokenize -t o200k_base in.txt
	[ "$output" = $'64\n\n65' ]
	[ "$(emb-tokenize -t o200k_base in.txt | wc -l)" -eq 3 ]
	printf 'a\r\n' | emb-tokenize -t o200k_base >out.txt
	[ "$(cat out.txt)" = "64 201" ]
	printf '' | emb-tokenize -t o200k_base >out.txt
	[ ! -s out.txt ]
}

@test "--whole encodes the newlines; --decode --whole gives the bytes back" {
	printf 'Hello\n\nworld\r\n  x\n' >in.txt
	run -0 emb-tokenize -t cl100k_base --whole in.txt
	[ "$output" = "9906 271 14957 319 220 865 198" ]
	emb-tokenize -t cl100k_base --whole in.txt |
	    emb-tokenize -t cl100k_base --whole --decode >back.txt
	cmp in.txt back.txt
}

@test "--decode is the inverse of encoding, line by line, on any bytes" {
	printf 'caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80!\n\tx  y\n\x01\x7f\n' >in.txt
	for t in o200k_base cl100k_base r50k_base; do
		emb-tokenize -t $t in.txt | emb-tokenize -t $t --decode >back.txt
		cmp in.txt back.txt
	done
}

@test "--print tokens, both, offsets; --count" {
	run -0 emb-tokenize -t o200k_base --print tokens <<<'Hello world'
	[ "$output" = $'Hello\t world' ]
	run -0 emb-tokenize -t o200k_base --print both <<<'Hello world'
	[ "$output" = $'13225:Hello\t2375: world' ]
	run -0 emb-tokenize -t o200k_base --print offsets <<<'Hello world'
	[ "$output" = "13225:0-5 2375:5-11" ]
	run -0 emb-tokenize -t o200k_base --count <<<$'Hello world\n\nThe weather in Tokyo is usually mild'
	[ "$output" = $'2\n0\n7' ]
	# escapes: tab, backslash, a token that is part of a character
	printf 'a\tb\\\xe6\x97\xa5\n' | emb-tokenize -t r50k_base --print tokens >out.txt
	[ "$(cat out.txt)" = 'a	\t	b	\\	\xe6\x97	\xa5' ]
}

@test "special tokens: refused by default (file:line), --special none, all, a list" {
	printf 'ok\nx<|endoftext|>y\n' >in.txt
	run -1 --separate-stderr emb-tokenize -t o200k_base in.txt
	[ "$stderr" = 'emb-tokenize: in.txt:2: special token "<|endoftext|>" in the text (--special all matches it, --special none encodes it as text)' ]
	[ "$output" = "525" ]
	run -0 emb-tokenize -t o200k_base --special all in.txt
	[ "$output" = $'525\n87 199999 88' ]
	run -0 emb-tokenize -t o200k_base --special none in.txt
	[ "$output" = $'525\n87 27 91 419 1440 919 91 29 88' ]
	run -0 emb-tokenize -t cl100k_base --special '<|fim_prefix|>,<|endoftext|>' <<<'<|fim_prefix|>a<|endofprompt|>'
	[ "$output" = "100258 64 27 91 408 1073 41681 91 29" ]
	run -1 --separate-stderr emb-tokenize -t cl100k_base --special '<|nope|>' </dev/null
	[ "$stderr" = 'emb-tokenize: cl100k_base has no special token "<|nope|>"' ]
}

@test "invalid UTF-8 is read as U+FFFD per bad sequence; NUL bytes are text" {
	# \xff and \xed\xa0\x80 (a surrogate: three bad bytes) against U+FFFD
	printf 'a\xffb\xed\xa0\x80\n' | emb-tokenize -t o200k_base >bad.txt
	printf 'a\xef\xbf\xbdb\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n' |
	    emb-tokenize -t o200k_base >good.txt
	cmp bad.txt good.txt
	# offsets stay those of the bytes given
	run -0 emb-tokenize -t o200k_base --print offsets <<<$'\xff\xffok'
	[[ "$output" == *":2-4" ]]
	printf 'a\0b\n' | emb-tokenize -t cl100k_base >out.txt
	[ "$(cat out.txt)" = "64 188 65" ]
}

@test "--threads gives the same output in the same order" {
	for i in $(seq 1 3000); do
		echo "line $i: The weather in Tokyo is usually mild, isn't it? $((i * 7919))"
	done >in.txt
	emb-tokenize -t cl100k_base in.txt >one.txt
	emb-tokenize -t cl100k_base --threads 3 in.txt >three.txt
	cmp one.txt three.txt
	[ "$(wc -l <three.txt)" -eq 3000 ]
	run -0 emb-tokenize -t cl100k_base --threads 0 in.txt
}

@test "a 4 MB word and 2 MB of spaces take linear time" {
	head -c 4000000 /dev/zero | tr '\0' a >a.txt
	run -0 timeout 60 emb-tokenize -t o200k_base --count a.txt
	[ "$output" -gt 100000 ]
	head -c 2000000 /dev/zero | tr '\0' ' ' >s.txt
	run -0 timeout 60 emb-tokenize -t cl100k_base --count s.txt
	[ "$output" -ge 1 ]
}

@test "-t: a file, a directory, a name, EMB_TOKENIZER; gzip input" {
	cp "$DATA/r50k_base.tiktoken" ranks.tiktoken
	run -0 emb-tokenize -t ranks.tiktoken <<<' cat'
	[ "$output" = 3797 ]
	mkdir d && cp "$DATA/cl100k_base.tiktoken" d/
	run -0 emb-tokenize -t d <<<'Hello'
	[ "$output" = 9906 ]
	EMB_TOKENIZER=o200k_base run -0 emb-tokenize <<<'Hello'
	[ "$output" = 13225 ]
	printf 'Hello world\n' | gzip >in.gz
	run -0 emb-tokenize -t o200k_base in.gz
	[ "$output" = "13225 2375" ]
	# a rank file whose name and size say nothing needs --encoding
	head -n 1000 "$DATA/r50k_base.tiktoken" >small.tiktoken
	run -1 --separate-stderr emb-tokenize -t small.tiktoken </dev/null
	[[ "$stderr" == "emb-tokenize: small.tiktoken: cannot tell the encoding of this rank file: give --encoding"* ]]
	run -0 emb-tokenize -t small.tiktoken --encoding r50k_base <<<'ab'
	[ "$output" = "397" ]
}

@test "bad rank files: duplicate rank, duplicate token, bad base64, bad rank" {
	printf 'IQ== 0\nIg== 1\nIw== 1\n' >dup.tiktoken
	run -1 --separate-stderr emb-tokenize -t dup.tiktoken --encoding r50k_base </dev/null
	[ "$stderr" = "emb-tokenize: dup.tiktoken:3: rank 1 given twice" ]
	printf 'IQ== 0\nIQ== 1\n' >dupt.tiktoken
	run -1 --separate-stderr emb-tokenize -t dupt.tiktoken --encoding r50k_base </dev/null
	[ "$stderr" = 'emb-tokenize: dupt.tiktoken:2: token "IQ==" given twice' ]
	printf 'IQ== 0\nI*== 1\n' >b64.tiktoken
	run -1 --separate-stderr emb-tokenize -t b64.tiktoken --encoding r50k_base </dev/null
	[ "$stderr" = 'emb-tokenize: b64.tiktoken:2: bad base64 token "I*=="' ]
	printf 'IQ== 0\nIg== x1\n' >rank.tiktoken
	run -1 --separate-stderr emb-tokenize -t rank.tiktoken --encoding r50k_base </dev/null
	[ "$stderr" = 'emb-tokenize: rank.tiktoken:2: bad rank "x1"' ]
	# a special token's ID taken by an ordinary token
	printf 'IQ== 50256\n' >sp.tiktoken
	run -1 --separate-stderr emb-tokenize -t sp.tiktoken --encoding r50k_base </dev/null
	[[ "$stderr" == "emb-tokenize: sp.tiktoken: rank 50256 is r50k_base's special token <|endoftext|>"* ]]
}

@test "--decode: IDs out of range or malformed, named with file and line" {
	printf '13225\n300000\n' >ids.txt
	run -1 --separate-stderr emb-tokenize -t o200k_base --decode ids.txt
	[ "$stderr" = "emb-tokenize: ids.txt:2: ID 300000 out of range (o200k_base has 200019 IDs)" ]
	[ "$output" = "Hello" ]
	printf '13225 x\n' >ids.txt
	run -1 --separate-stderr emb-tokenize -t o200k_base --decode ids.txt
	[ "$stderr" = 'emb-tokenize: ids.txt:1: not an ID: "x"' ]
	# an ID between the ranks and the special tokens has no token
	run -1 --separate-stderr emb-tokenize -t o200k_base --decode <<<'199998'
	[ "$stderr" = 'emb-tokenize: <stdin>:1: ID 199998 has no token' ]
	run -0 emb-tokenize -t o200k_base --decode <<<'64 199999 65'
	[ "$output" = "a<|endoftext|>b" ]
}

@test "no tokenizer, unknown names and encodings, usage errors" {
	run -2 --separate-stderr emb-tokenize </dev/null
	[[ "$stderr" == "emb-tokenize: no tokenizer: give -t TOKENIZER or set EMB_TOKENIZER"* ]]
	run -1 --separate-stderr emb-tokenize -t nosuch </dev/null
	[[ "$stderr" == "emb-tokenize: nosuch: no such tokenizer file, directory or name (names: gpt2, r50k_base"* ]]
	run -1 --separate-stderr emb-tokenize -t ./nosuch.json </dev/null
	[ "$stderr" = "emb-tokenize: ./nosuch.json: No such file or directory" ]
	run -1 --separate-stderr emb-tokenize --encoding o100k </dev/null
	[[ "$stderr" == 'emb-tokenize: unknown encoding "o100k" (known: gpt2,'* ]]
	printf 'justtext\n' >junk.txt
	run -1 --separate-stderr emb-tokenize -t junk.txt </dev/null
	[[ "$stderr" == "emb-tokenize: junk.txt: not a tokenizer file"* ]]
	run -2 --separate-stderr emb-tokenize -t o200k_base --print words </dev/null
	[[ "$stderr" == *'--print: "words" is not ids, tokens, both or offsets'* ]]
	run -2 emb-tokenize -t o200k_base --decode --count </dev/null
	run -2 emb-tokenize -t o200k_base --count --print tokens </dev/null
	run -2 emb-tokenize -t o200k_base --threads -1 </dev/null
	run -2 emb-tokenize --bogus </dev/null
}

@test "a missing input is reported, the others are still read" {
	run -1 --separate-stderr emb-tokenize -t o200k_base nosuch - <<<'Hello'
	[ "$stderr" = "emb-tokenize: nosuch: No such file or directory" ]
	[ "$output" = 13225 ]
}

@test "a full disk is an error; a closed pipe is not" {
	run -1 --separate-stderr bash -c "emb-tokenize -t o200k_base '$DATA/questions-words.txt' >/dev/full"
	[[ "$stderr" == "emb-tokenize: "* ]]
	run -0 --separate-stderr closed_pipe "emb-tokenize -t o200k_base $DATA/questions-words.txt"
	[ -z "$stderr" ]
}

@test "GPT-2's encoder.json + vocab.bpe: either file, the directory, the name" {
	run -0 emb-tokenize -t gpt2 <<<$' cat\nHello world!'
	[ "$output" = $'3797\n15496 995 0' ]
	run -0 emb-tokenize -t "$DATA/gpt2/vocab.bpe" <<<'Hello world!'
	[ "$output" = "15496 995 0" ]
	run -0 emb-tokenize -t "$DATA/gpt2/encoder.json" --print tokens <<<'Hello world!'
	[ "$output" = $'Hello\t world\t!' ]
	run -1 --separate-stderr emb-tokenize -t "$DATA/gpt2" <<<'a<|endoftext|>'
	[[ "$stderr" == *'special token "<|endoftext|>" in the text'* ]]
	run -0 emb-tokenize -t "$DATA/gpt2" --special all <<<'a<|endoftext|>'
	[ "$output" = "64 50256" ]
	# a merges file with a merge of unknown tokens
	mkdir g && cp "$DATA/gpt2/encoder.json" g/
	printf '#version: 0.2\nĠ t\nqqqqq zzzzz\n' >g/vocab.bpe
	run -1 --separate-stderr emb-tokenize -t g </dev/null
	[ "$stderr" = 'emb-tokenize: g/vocab.bpe:3: merge "qqqqq zzzzz": "qqqqq" is not in the vocabulary' ]
	rm g/vocab.bpe
	run -1 --separate-stderr emb-tokenize -t g/encoder.json </dev/null
	[ "$stderr" = "emb-tokenize: g/encoder.json: no vocab.bpe or merges.txt beside it" ]
}

# a small sentencepiece-style tokenizer.json (metaspace, byte fallback,
# <s> template) and a WordPiece one, written here
small_bpe() {
	cat >"$1" <<'JSON'
{"version":"1.0","added_tokens":[{"id":0,"content":"<unk>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},{"id":1,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
"normalizer":{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]},
"pre_tokenizer":null,
"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"pair":[],"special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}},
"decoder":{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]},
"model":{"type":"BPE","dropout":null,"unk_token":"<unk>","continuing_subword_prefix":null,"end_of_word_suffix":null,"fuse_unk":true,"byte_fallback":true,
"vocab":{"<unk>":0,"<s>":1,"<0x0A>":2,"<0xC3>":3,"<0xA9>":4,"▁":5,"a":6,"b":7,"▁a":8,"ab":9,"▁ab":10},
"merges":["▁ a","a b","▁a b"]}}
JSON
}

@test "a tokenizer.json: metaspace, merges, byte fallback, BOS, --no-bos, decode" {
	small_bpe t.json
	run -0 emb-tokenize -t t.json <<<$'ab a\nbé\n'
	[ "$output" = $'1 10 8\n1 5 7 3 4\n1' ]
	run -0 emb-tokenize -t t.json --no-bos --print tokens <<<'ab a'
	[ "$output" = $' ab\t a' ]
	run -0 emb-tokenize -t t.json --decode <<<$'1 10 8\n1 5 7 3 4'
	[ "$output" = $'ab a\nbé' ]
	# the added token <s> is matched in the text; with none, it is text
	run -0 emb-tokenize -t t.json --no-bos <<<'a<s>a'
	[ "$output" = "8 1 8" ]
	run -0 emb-tokenize -t t.json --no-bos --special none <<<'a<s>'
	[ "$output" = "8 0" ]
}

@test "a WordPiece tokenizer.json: BERT's normalizer and pre-tokenizer, [CLS] [SEP]" {
	cat >w.json <<'JSON'
{"version":"1.0","added_tokens":[{"id":0,"content":"[UNK]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},{"id":1,"content":"[CLS]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},{"id":2,"content":"[SEP]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
"normalizer":{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true},
"pre_tokenizer":{"type":"BertPreTokenizer"},
"post_processor":{"type":"BertProcessing","sep":["[SEP]",2],"cls":["[CLS]",1]},
"decoder":{"type":"WordPiece","prefix":"##","cleanup":true},
"model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100,
"vocab":{"[UNK]":0,"[CLS]":1,"[SEP]":2,"play":3,"##ing":4,"cafe":5,"!":6,"中":7}}}
JSON
	run -0 emb-tokenize -t w.json <<<$'Playing Café!\nplayx 中'
	[ "$output" = $'1 3 4 5 6 2\n1 0 7 2' ]
	run -0 emb-tokenize -t w.json --print tokens --no-bos --no-eos <<<'playing'
	[ "$output" = $'play\t##ing' ]
	run -0 emb-tokenize -t w.json --decode <<<'1 3 4 5 6 2'
	[ "$output" = "playing cafe!" ]
}

@test "malformed tokenizer.json: each part named, unsupported types refused" {
	small_bpe t.json
	printf '{"model": {"type": "BPE", "vocab": {"a": 0}, ' >bad.json
	run -1 --separate-stderr emb-tokenize -t bad.json </dev/null
	[[ "$stderr" == "emb-tokenize: bad.json:1: JSON syntax error at column"* ]]
	sed 's/"type":"BPE"/"type":"Unigram"/' t.json >u.json
	run -1 --separate-stderr emb-tokenize -t u.json </dev/null
	[ "$stderr" = 'emb-tokenize: u.json: model: type "Unigram" is not supported (BPE, WordPiece, WordLevel are)' ]
	sed 's/"type":"Prepend"/"type":"Precompiled"/' t.json >n.json
	run -1 --separate-stderr emb-tokenize -t n.json </dev/null
	[ "$stderr" = 'emb-tokenize: n.json: normalizer.normalizers[0]: type "Precompiled" is not supported' ]
	sed 's/"a b","▁a b"/"a b","▁a x"/' t.json >m.json
	run -1 --separate-stderr emb-tokenize -t m.json </dev/null
	[ "$stderr" = 'emb-tokenize: m.json: model.merges[2]: merge "▁a x": "x" is not in the vocabulary' ]
	sed 's/"dropout":null/"dropout":0.1/' t.json >d.json
	run -1 --separate-stderr emb-tokenize -t d.json </dev/null
	[ "$stderr" = 'emb-tokenize: d.json: model: dropout: BPE dropout is not supported (its output is random)' ]
	sed 's/"pre_tokenizer":null/"pre_tokenizer":{"type":"Split","pattern":{"Regex":"(["},"behavior":"Isolated","invert":false}/' t.json >r.json
	run -1 --separate-stderr emb-tokenize -t r.json </dev/null
	[[ "$stderr" == "emb-tokenize: r.json: pre_tokenizer.pattern: bad regular expression"* ]]
	sed 's/"id":1,"content":"<s>"/"id":"x","content":"<s>"/' t.json >a.json
	run -1 --separate-stderr emb-tokenize -t a.json </dev/null
	[ "$stderr" = 'emb-tokenize: a.json: added_tokens[1]: id: missing, or not a whole number below 2^32' ]
}

@test "tokenizer.json Split behaviours make the pieces tokenizers makes" {
	# A WordLevel vocabulary of every string of a and - up to 3 long: a
	# piece's ID names it.  Expected IDs from tokenizers (npm) 0.23.2.
	local vocab='{"[UNK]":0,"a":1,"-":2,"aa":3,"a-":4,"-a":5,"--":6,"aaa":7,"aa-":8,"a-a":9,"a--":10,"-aa":11,"-a-":12,"--a":13,"---":14}'
	local b inv want
	while IFS='|' read -r b inv want; do
		printf '{"version":"1.0","added_tokens":[],"normalizer":null,"pre_tokenizer":{"type":"Split","pattern":{"String":"-"},"behavior":"%s","invert":%s},"post_processor":null,"decoder":null,"model":{"type":"WordLevel","vocab":%s,"unk_token":"[UNK]"}}\n' \
		    "$b" "$inv" "$vocab" >s.json
		run -0 emb-tokenize -t s.json --no-bos <<<$'a-a\n-a-\na--a\n--a-a\naa-'
		[ "$(tr '\n' ',' <<<"$output")" = "$want" ] ||
		    { echo "$b invert $inv: $output"; false; }
	done <<-'END'
	Removed|false|1 1,1,1 1,1 1,3,
	Removed|true|2,2 2,2 2,2 2 2,2,
	Isolated|false|1 2 1,2 1 2,1 2 2 1,2 2 1 2 1,3 2,
	MergedWithPrevious|false|4 1,2 4,4 2 1,2 2 4 1,8,
	MergedWithPrevious|true|1 5,5 2,1 2 5,2 5 5,3 2,
	MergedWithNext|false|1 5,5 2,1 2 5,2 5 5,3 2,
	MergedWithNext|true|4 1,2 4,4 2 1,2 2 4 1,8,
	Contiguous|false|1 2 1,2 1 2,1 6 1,6 1 2 1,3 2,
	END
}
